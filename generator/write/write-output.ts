/**
 * The only stage that writes. Ownership-aware and transactional: the changes are committed as one
 * crash-safe unit (./commit.ts): a failure or a kill at any instant leaves the previous output or
 * the new one, never a mix, once the next run has settled what the interrupted one left.
 */
import { lstat, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { headerVerdict } from '../emit/header.ts';
import { readIfExists } from '../fs/read-optional.ts';
import { DiagnosticError, diag, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { FinalFile } from '../format/format.ts';
import { commitChanges, interruptedCommits, settleInterruptedCommits } from './commit.ts';
import { LOCK_FILE, parseLock, renderLock, sha256, type LockFile } from './lockfile.ts';

export type WriteMode = 'write' | 'check' | 'dry-run';

export interface WriteRequest {
  outDir: string;
  files: FinalFile[];
  /** Relative dirs inside which stale generated files may be deleted (e.g. `src/generated`). */
  deletableRoots: string[];
  lock: Omit<LockFile, 'files' | 'lockfileVersion'>;
  mode: WriteMode;
  /** Replace files at generated paths even when mcp-gen did not write them (MG5007). */
  force?: boolean;
  /** Test hook: called before each commit step; throwing simulates a crash mid-write. */
  beforeCommitStep?: (index: number, path: string) => void;
}

export type FileAction = 'create' | 'update' | 'unchanged' | 'delete' | 'keep-user' | 'keep-edited';

export interface WriteReport {
  actions: { path: string; owner: FinalFile['owner'] | 'lock'; action: FileAction }[];
  /** Generated files out of date (check mode: these make the exit code 1). */
  stale: string[];
  warnings: Diagnostic[];
}

function insideRoot(outDir: string, rel: string): string {
  const abs = join(outDir, rel);
  const back = relative(outDir, abs);
  if (isAbsolute(rel) || back.startsWith('..') || back === '' || normalize(rel).split(sep).includes('..')) {
    throw new DiagnosticError(diag('MG5005', `planned path "${rel}" is outside the output root ${outDir}`));
  }
  return abs;
}

/**
 * The path text stays inside the root, but a symlinked directory (or file) on the way could still
 * lead out of it: resolve the deepest existing ancestor and refuse links at the target itself.
 * One guard per run caches the directories it resolved (a project shares a few dozen of them).
 */
function linkGuard(outDir: string): (rel: string) => Promise<void> {
  const root = resolve(outDir);
  const resolved = new Map<string, Promise<string | undefined>>();
  const real = (dir: string) => {
    let r = resolved.get(dir);
    if (!r) resolved.set(dir, (r = realpath(dir).catch(() => undefined)));
    return r;
  };
  return async (rel) => {
    const realRoot = await real(root);
    // A root that does not exist yet holds no links; links above the root (a symlinked /tmp) are the user's choice.
    if (realRoot === undefined) return;
    const abs = join(root, rel);
    const info = await lstat(abs).catch(() => undefined);
    if (info?.isSymbolicLink()) throw new DiagnosticError(diag('MG5005', `"${rel}" is a symbolic link; mcp-gen does not write through links`));
    // Deepest existing ancestor inside the root; the walk never climbs above the root.
    for (let dir = dirname(abs); dir !== root && dir.startsWith(root + sep); dir = dirname(dir)) {
      const resolvedDir = await real(dir);
      if (resolvedDir === undefined) continue;
      if (resolvedDir !== realRoot && !resolvedDir.startsWith(realRoot + sep)) {
        throw new DiagnosticError(diag('MG5005', `"${rel}" leads outside the output root through a symbolic link (${resolvedDir})`));
      }
      return;
    }
  };
}

function underAny(rel: string, roots: string[]): boolean {
  return roots.some((r) => rel === r || rel.startsWith(`${r.replace(/\/+$/, '')}/`));
}

const READ_AHEAD = 16;

/** `fn` over `items` with at most `limit` running; each outcome in input order, as Promise.allSettled gives them. */
async function inOrder<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const out: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) [out[i]] = await Promise.allSettled([fn(items[i]!)]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

interface Change {
  path: string;
  content?: string; // undefined = delete
  userOwned?: boolean;
}

export async function writeOutput(req: WriteRequest): Promise<WriteReport> {
  try {
    return await planAndWrite(req);
  } catch (e) {
    if (e instanceof DiagnosticError) throw e;
    // ENOTDIR, EACCES, EISDIR…: the user's file system, not an mcp-gen bug.
    throw new DiagnosticError(diag('MG5003', `cannot write ${req.outDir}: ${(e as Error).message}`));
  }
}

async function planAndWrite(req: WriteRequest): Promise<WriteReport> {
  const { outDir } = req;
  const conflicts: Diagnostic[] = [];
  const report: WriteReport = { actions: [], stale: [], warnings: [] };
  // What a killed run left is finished first, so the plan below compares against a whole tree.
  if (req.mode === 'write') {
    const settled = await settleInterruptedCommits(outDir);
    if (settled.rolledForward + settled.rolledBack > 0) {
      report.warnings.push(diag('MG5003', `a previous generate was interrupted; its commit was ${settled.rolledForward ? 'completed' : 'undone'} before this run`, { severity: 'warning' }));
    }
  } else {
    // Read-only modes leave it for the next write; the tree may be mid-commit, so it is stale.
    for (const name of await interruptedCommits(outDir)) {
      report.warnings.push(diag('MG5003', `a previous generate was interrupted and left ${name}/; the next \`mcp-gen generate\` finishes or discards it`, { severity: 'warning' }));
      report.stale.push(`${name}/`);
    }
  }
  const previousLock = parseLock(await readIfExists(join(outDir, LOCK_FILE)));
  const assertNoLinkEscape = linkGuard(outDir);
  const changes: Change[] = [];
  const ledger: Record<string, string> = {};

  const files = [...req.files].sort((a, b) => (a.path < b.path ? -1 : 1));
  // What is on disk now, read ahead a few files at a time (one at a time was most of this stage);
  // the decisions below stay in path order, and so does the first error.
  const onDisk = await inOrder(files, READ_AHEAD, async (file) => {
    const abs = insideRoot(outDir, file.path);
    await assertNoLinkEscape(file.path);
    return readIfExists(abs);
  });
  for (const [i, file] of files.entries()) {
    const read = onDisk[i]!;
    if (read.status === 'rejected') throw read.reason;
    const current = read.value;
    if (file.owner === 'user') {
      // User-owned: created once, never touched again (DESIGN.md §5).
      if (current === undefined) {
        changes.push({ path: file.path, content: file.content, userOwned: true });
        report.actions.push({ path: file.path, owner: 'user', action: 'create' });
      } else {
        report.actions.push({ path: file.path, owner: 'user', action: 'keep-user' });
      }
      continue;
    }
    ledger[file.path] = sha256(file.content);
    if (current === file.content) {
      report.actions.push({ path: file.path, owner: 'generated', action: 'unchanged' });
      continue;
    }
    const recorded = previousLock?.files[file.path];
    if (current !== undefined && recorded === undefined && !req.force) {
      // No ledger entry (a missing or corrupt lock, or a path new to it): the file's own header decides.
      const verdict = headerVerdict(current);
      // A file that does not carry the header is someone's own work.
      if (verdict === 'foreign') {
        conflicts.push(
          diag('MG5007', `${file.path} exists, was not written by mcp-gen, and is where a generated file goes`, {
            help: 'move your file elsewhere, or pass --force to replace it',
          }),
        );
        continue;
      }
      // Without a ledger a hand edit is only visible through the header's body hash: keep the file.
      // It stays out of the new ledger, so the next run judges it by its header again.
      if (verdict !== 'pristine') {
        const why = verdict === 'edited' ? 'was edited by hand' : 'has no body hash to verify (an older mcp-gen wrote it)';
        const lockState = previousLock ? `${LOCK_FILE} does not list it` : `${LOCK_FILE} is missing or unreadable`;
        report.warnings.push(
          diag('MG5002', `${file.path} ${why} and ${lockState}; kept, not regenerated`, {
            severity: 'warning',
            help: 'move your change into a user-owned file, then delete this one or pass --force to replace it',
          }),
        );
        delete ledger[file.path];
        report.stale.push(file.path);
        report.actions.push({ path: file.path, owner: 'generated', action: 'keep-edited' });
        continue;
      }
    }
    if (current !== undefined && recorded !== undefined && sha256(current) !== recorded) {
      report.warnings.push(
        diag('MG5002', `${file.path} was edited by hand since mcp-gen wrote it; ${req.mode === 'write' ? 'replacing it' : 'it will be replaced'}`, { severity: 'warning' }),
      );
    }
    changes.push({ path: file.path, content: file.content });
    report.stale.push(file.path);
    report.actions.push({ path: file.path, owner: 'generated', action: current === undefined ? 'create' : 'update' });
  }

  // Stale generated files: only those the previous run recorded, only inside the deletable roots.
  for (const path of Object.keys(previousLock?.files ?? {}).sort()) {
    if (path in ledger || !underAny(path, req.deletableRoots)) continue;
    const abs = insideRoot(outDir, path);
    await assertNoLinkEscape(path);
    const current = await readIfExists(abs);
    if (current === undefined) continue;
    if (sha256(current) !== previousLock!.files[path]) {
      // Only what mcp-gen wrote, unchanged, is deleted: an edited file may hold someone's work.
      report.warnings.push(diag('MG5002', `${path} is no longer generated but was edited by hand; kept — delete it yourself if it is not needed`, { severity: 'warning' }));
      continue;
    }
    changes.push({ path });
    report.stale.push(path);
    report.actions.push({ path, owner: 'generated', action: 'delete' });
  }

  const lockText = renderLock({ lockfileVersion: 1, ...req.lock, files: ledger });
  const currentLock = await readIfExists(join(outDir, LOCK_FILE));
  if (currentLock !== lockText) {
    // Last in the commit, so a lock on disk never lists files the tree does not have yet.
    changes.push({ path: LOCK_FILE, content: lockText });
    // A stale lock is stale output too: `--check` must fail on it (a changed manifest hash, a ledger
    // that no longer matches the files).
    report.stale.push(LOCK_FILE);
    report.actions.push({ path: LOCK_FILE, owner: 'lock', action: currentLock === undefined ? 'create' : 'update' });
  }

  if (conflicts.length) throw new DiagnosticError(conflicts);
  if (req.mode !== 'write' || changes.length === 0) return report;
  try {
    await commitChanges(outDir, changes, req.beforeCommitStep);
  } catch (e) {
    if (e instanceof DiagnosticError) throw e;
    throw new DiagnosticError(diag('MG5003', `writing ${outDir} failed (${(e as Error).message}); previous output left intact`));
  }
  return report;
}
