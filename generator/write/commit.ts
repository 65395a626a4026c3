/**
 * Crash-safe commit of a planned set of file changes, by a journal that the next run completes.
 *
 * A commit lives in one staging dir inside the output root (`.mcp-gen-staging-<id>/`):
 *   1. every new file is written to `new/<n>` (n: its entry's index) — the output is not touched yet;
 *   2. `journal.json` (the ordered list of puts and deletes, the lock file last) is written to a temp
 *      name and renamed into place. That rename is the commit point;
 *   3. each entry is applied by renames: the replaced file goes to `backup/<n>`, the new one in;
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
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync, type BigIntStats } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export const STAGING_PREFIX = '.mcp-gen-staging-';
const JOURNAL = 'journal.json';

export interface CommitEntry {
  path: string;
  /** The new text; undefined = delete the file. */
  content?: string;
  /** Created once and never replaced: a roll-forward leaves a file someone put there meanwhile. */
  userOwned?: boolean;
  /**
   * Whether the plan found a file at the target (it read it moments ago): lets the first apply skip
   * probing for it. Undefined = probe. Replays after a kill always probe (see applyEntry).
   */
  existed?: boolean;
}

interface Journal {
  state: 'apply' | 'rollback';
  entries: { path: string; op: 'put' | 'delete'; userOwned?: boolean }[];
  /**
   * Staged and backed-up files are named by entry index (`new/<n>`, `backup/<n>`): no directory
   * tree to create in the staging dir and remove again. Absent in journals of earlier versions,
   * which mirrored each path (`new/<path>`); a replay honours either.
   */
  flat?: true;
}

type Entry = Journal['entries'][number];

/** Where entry `n` of `journal` is staged and where its replaced file is kept. */
interface Slot {
  staged: string;
  backup: string;
}

function slotOf(staging: string, journal: Journal, n: number): Slot {
  const name = journal.flat ? String(n) : journal.entries[n]!.path;
  return { staged: join(staging, 'new', name), backup: join(staging, 'backup', name) };
}

// Synchronous on purpose, like the writer's reads (write-output.ts): a commit is a few hundred tiny
// renames, and one thread-pool round trip each cost several times the syscalls themselves. Nothing
// else runs while a generate writes.

const exists = (path: string): boolean => lstatSync(path, { throwIfNoEntry: false }) !== undefined;

/** mkdir -p, once per directory per commit (a project has a few dozen directories and hundreds of files). */
function dirMaker(): (dir: string) => void {
  const made = new Set<string>();
  return (dir) => {
    if (made.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    for (let d = dir; !made.has(d); d = dirname(d)) {
      made.add(d);
      if (dirname(d) === d) break;
    }
  };
}

function moveInto(from: string, to: string, ensureDir: (dir: string) => void): void {
  ensureDir(dirname(to));
  renameSync(from, to);
}

/** Write-then-rename, so a reader sees the whole journal or none. */
function writeJournal(staging: string, journal: Journal): void {
  const tmp = join(staging, `${JOURNAL}.tmp`);
  writeFileSync(tmp, JSON.stringify(journal));
  renameSync(tmp, join(staging, JOURNAL));
}

/** One step of a replay, judged only from what exists: idempotent, so a kill inside it is replayed again. */
function applyEntry(outDir: string, e: Entry, { staged, backup }: Slot, ensureDir: (dir: string) => void): void {
  const target = join(outDir, e.path);
  if (e.op === 'put') {
    if (!exists(staged)) return; // already moved in
    if (e.userOwned && exists(target)) return; // someone created it since: theirs wins
    if (exists(target) && !exists(backup)) moveInto(target, backup, ensureDir);
    moveInto(staged, target, ensureDir);
    return;
  }
  if (!exists(target)) return;
  if (exists(backup)) rmSync(target, { force: true });
  else moveInto(target, backup, ensureDir);
}

/**
 * The first apply of a fresh commit: the same renames as applyEntry, in the same order (so a kill
 * between them leaves what a replay expects), without probing what this commit already knows:
 * `new/` holds every put, `backup/` is empty, and the plan saw whether each target existed.
 */
function applyFresh(outDir: string, e: Entry, slot: Slot, existed: boolean | undefined, ensureDir: (dir: string) => void): void {
  if (existed === undefined || e.userOwned) return applyEntry(outDir, e, slot, ensureDir);
  const target = join(outDir, e.path);
  if (existed) {
    try {
      moveInto(target, slot.backup, ensureDir);
    } catch (error) {
      // Gone since the plan read it: nothing to keep (a put still goes in, a delete is done).
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  if (e.op === 'put') moveInto(slot.staged, target, ensureDir);
}

function undoEntry(outDir: string, e: Entry, { staged, backup }: Slot, ensureDir: (dir: string) => void): void {
  const target = join(outDir, e.path);
  if (exists(backup)) {
    moveInto(backup, target, ensureDir);
    return;
  }
  // A put over nothing: the file is ours exactly when it left `new/` (and was not skipped as user-owned
  // — those keep their staged copy, see applyEntry).
  if (e.op === 'put' && !exists(staged)) rmSync(target, { force: true });
}

function finish(staging: string): void {
  // Journal first: once it is gone the rest of the dir is inert leftovers, whatever a kill interrupts.
  try {
    unlinkSync(join(staging, JOURNAL));
  } catch {
    /* already gone */
  }
  rmSync(staging, { recursive: true, force: true });
}

function rollBack(outDir: string, staging: string, journal: Journal): void {
  if (journal.state !== 'rollback') writeJournal(staging, { ...journal, state: 'rollback' });
  const ensureDir = dirMaker();
  for (let n = journal.entries.length - 1; n >= 0; n--) undoEntry(outDir, journal.entries[n]!, slotOf(staging, journal, n), ensureDir);
  finish(staging);
}

function readJournal(staging: string): Journal | undefined {
  try {
    const j = JSON.parse(readFileSync(join(staging, JOURNAL), 'utf8')) as Journal;
    return j && Array.isArray(j.entries) ? j : undefined;
  } catch {
    return undefined;
  }
}

/** Staging dirs of interrupted runs, oldest layout first (there is normally none, at most one). */
function stagingDirs(outDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(outDir);
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
  for (const staging of stagingDirs(outDir)) {
    const journal = readJournal(staging);
    if (!journal) {
      rmSync(staging, { recursive: true, force: true });
      out.discarded++;
    } else if (journal.state === 'rollback') {
      rollBack(outDir, staging, journal);
      out.rolledBack++;
    } else {
      const ensureDir = dirMaker();
      for (const [n, e] of journal.entries.entries()) applyEntry(outDir, e, slotOf(staging, journal, n), ensureDir);
      finish(staging);
      out.rolledForward++;
    }
  }
  return out;
}

/** Staging dirs an interrupted run left for `settleInterruptedCommits` (read-only; for --check). */
export async function interruptedCommits(outDir: string): Promise<string[]> {
  return stagingDirs(outDir).map((d) => basename(d));
}

/**
 * Applies `entries` in order as one crash-safe unit. `hook` runs before each apply step (tests
 * throw from it to simulate a failure). Throws the underlying error after rolling back.
 * Returns the stat of every file it moved into the output, taken right after the move (for the
 * writer's stat stamps, write/file-stamps.ts).
 */
export async function commitChanges(outDir: string, entries: CommitEntry[], hook?: (index: number, path: string) => void): Promise<Map<string, BigIntStats>> {
  mkdirSync(outDir, { recursive: true });
  const staging = join(outDir, `${STAGING_PREFIX}${randomBytes(6).toString('hex')}`);
  const journal: Journal = {
    state: 'apply',
    entries: entries.map((e) => ({ path: e.path, op: e.content === undefined ? 'delete' : 'put', ...(e.userOwned ? { userOwned: true } : {}) })),
    flat: true,
  };
  try {
    mkdirSync(join(staging, 'new'), { recursive: true });
    for (const [n, e] of entries.entries()) if (e.content !== undefined) writeFileSync(slotOf(staging, journal, n).staged, e.content);
    writeJournal(staging, journal);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const placed = new Map<string, BigIntStats>();
  try {
    const ensureDir = dirMaker();
    for (const [i, e] of journal.entries.entries()) {
      hook?.(i, e.path);
      applyFresh(outDir, e, slotOf(staging, journal, i), entries[i]!.existed, ensureDir);
      if (e.op !== 'put' || e.userOwned) continue;
      const st = lstatSync(join(outDir, e.path), { bigint: true, throwIfNoEntry: false });
      if (st) placed.set(e.path, st);
    }
  } catch (error) {
    try {
      rollBack(outDir, staging, journal);
    } catch {
      /* the next run finishes the undo from the journal */
    }
    throw error;
  }
  finish(staging);
  return placed;
}
