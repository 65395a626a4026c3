/**
 * Crash-safe commit of a planned set of file changes, by a journal that the next run completes.
 *
 * A commit lives in one staging dir inside the output root (`.mcp-gen-staging-<id>/`):
 *   1. every new file is written to `new/<path>` — the output is not touched yet;
 *   2. `journal.json` (the ordered list of puts and deletes, the lock file last) is written to a temp
 *      name and renamed into place. That rename is the commit point;
 *   3. each entry is applied by renames: the replaced file goes to `backup/<path>`, the new one in;
 *   4. the journal is unlinked, then the staging dir removed.
 * SIGKILL can land anywhere. Before the commit point the output is untouched and the next run just
 * deletes the staging dir (roll back); after it, the next run replays the journal (roll forward) —
 * every step is idempotent, judged from which of `new/`, `backup/` and the target exist. An error
 * inside the run (EACCES, ENOTDIR…) rolls back instead: the journal is first re-marked `rollback`
 * so that a kill during the undo is finished as an undo. Either way the output ends up exactly the
 * previous tree or exactly the new one, user-owned files and the lock file included.
 * (Page-cache durability across power loss is not attempted: no fsync.)
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const STAGING_PREFIX = '.mcp-gen-staging-';
const JOURNAL = 'journal.json';

export interface CommitEntry {
  path: string;
  /** The new text; undefined = delete the file. */
  content?: string;
  /** Created once and never replaced: a roll-forward leaves a file someone put there meanwhile. */
  userOwned?: boolean;
}

interface Journal {
  state: 'apply' | 'rollback';
  entries: { path: string; op: 'put' | 'delete'; userOwned?: boolean }[];
}

type Entry = Journal['entries'][number];

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

async function moveInto(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  await rename(from, to);
}

/** Write-then-rename, so a reader sees the whole journal or none. */
async function writeJournal(staging: string, journal: Journal): Promise<void> {
  const tmp = join(staging, `${JOURNAL}.tmp`);
  await writeFile(tmp, JSON.stringify(journal));
  await rename(tmp, join(staging, JOURNAL));
}

async function applyEntry(outDir: string, staging: string, e: Entry): Promise<void> {
  const target = join(outDir, e.path);
  const staged = join(staging, 'new', e.path);
  const backup = join(staging, 'backup', e.path);
  if (e.op === 'put') {
    if (!(await exists(staged))) return; // already moved in
    if (e.userOwned && (await exists(target))) return; // someone created it since: theirs wins
    if ((await exists(target)) && !(await exists(backup))) await moveInto(target, backup);
    await moveInto(staged, target);
    return;
  }
  if (!(await exists(target))) return;
  if (await exists(backup)) await rm(target, { force: true });
  else await moveInto(target, backup);
}

async function undoEntry(outDir: string, staging: string, e: Entry): Promise<void> {
  const target = join(outDir, e.path);
  const backup = join(staging, 'backup', e.path);
  if (await exists(backup)) {
    await moveInto(backup, target);
    return;
  }
  // A put over nothing: the file is ours exactly when it left `new/` (and was not skipped as user-owned
  // — those keep their staged copy, see applyEntry).
  if (e.op === 'put' && !(await exists(join(staging, 'new', e.path)))) await rm(target, { force: true });
}

async function finish(staging: string): Promise<void> {
  // Journal first: once it is gone the rest of the dir is inert leftovers, whatever a kill interrupts.
  await unlink(join(staging, JOURNAL)).catch(() => undefined);
  await rm(staging, { recursive: true, force: true });
}

async function rollBack(outDir: string, staging: string, journal: Journal): Promise<void> {
  if (journal.state !== 'rollback') await writeJournal(staging, { ...journal, state: 'rollback' });
  for (const e of [...journal.entries].reverse()) await undoEntry(outDir, staging, e);
  await finish(staging);
}

async function readJournal(staging: string): Promise<Journal | undefined> {
  try {
    const j = JSON.parse(await readFile(join(staging, JOURNAL), 'utf8')) as Journal;
    return j && Array.isArray(j.entries) ? j : undefined;
  } catch {
    return undefined;
  }
}

/** Staging dirs of interrupted runs, oldest layout first (there is normally none, at most one). */
async function stagingDirs(outDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(outDir);
  } catch {
    return [];
  }
  return names.filter((n) => n.startsWith(STAGING_PREFIX)).sort().map((n) => join(outDir, n));
}

export interface Settled {
  rolledForward: number;
  rolledBack: number;
  discarded: number;
}

/**
 * Finishes what an interrupted run left: a committed journal is replayed, one being undone is
 * undone, a staging dir without a journal (killed before the commit point) is deleted.
 */
export async function settleInterruptedCommits(outDir: string): Promise<Settled> {
  const out: Settled = { rolledForward: 0, rolledBack: 0, discarded: 0 };
  for (const staging of await stagingDirs(outDir)) {
    const journal = await readJournal(staging);
    if (!journal) {
      await rm(staging, { recursive: true, force: true });
      out.discarded++;
    } else if (journal.state === 'rollback') {
      await rollBack(outDir, staging, journal);
      out.rolledBack++;
    } else {
      for (const e of journal.entries) await applyEntry(outDir, staging, e);
      await finish(staging);
      out.rolledForward++;
    }
  }
  return out;
}

/** Staging dirs an interrupted run left for `settleInterruptedCommits` (read-only; for --check). */
export async function interruptedCommits(outDir: string): Promise<string[]> {
  return (await stagingDirs(outDir)).map((d) => basename(d));
}

/**
 * Applies `entries` in order as one crash-safe unit. `hook` runs before each apply step (tests
 * throw from it to simulate a failure). Throws the underlying error after rolling back.
 */
export async function commitChanges(outDir: string, entries: CommitEntry[], hook?: (index: number, path: string) => void): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const staging = join(outDir, `${STAGING_PREFIX}${randomBytes(6).toString('hex')}`);
  const journal: Journal = {
    state: 'apply',
    entries: entries.map((e) => ({ path: e.path, op: e.content === undefined ? 'delete' : 'put', ...(e.userOwned ? { userOwned: true } : {}) })),
  };
  try {
    for (const e of entries) {
      if (e.content === undefined) continue;
      const staged = join(staging, 'new', e.path);
      await mkdir(dirname(staged), { recursive: true });
      await writeFile(staged, e.content);
    }
    await writeJournal(staging, journal);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  try {
    for (const [i, e] of journal.entries.entries()) {
      hook?.(i, e.path);
      await applyEntry(outDir, staging, e);
    }
  } catch (error) {
    await rollBack(outDir, staging, journal).catch(() => undefined);
    throw error;
  }
  await finish(staging);
}
