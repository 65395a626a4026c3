/**
 * The only stage that writes. Ownership-aware and transactional: every changed file is staged in
 * a temp dir inside the output root first, then moved into place; if any move fails, the moves
 * already made are undone, so a failed generate leaves the previous output as it was.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { isGeneratedText } from '../emit/header.ts';
import { readIfExists } from '../fs/read-optional.ts';
import { DiagnosticError, diag, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { FinalFile } from '../format/format.ts';
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

export type FileAction = 'create' | 'update' | 'unchanged' | 'delete' | 'keep-user';

export interface WriteReport {
  actions: { path: string; owner: FinalFile['owner'] | 'lock'; action: FileAction }[];
  /** Generated files out of date (check mode: these make the exit code 1). */
  stale: string[];
  warnings: Diagnostic[];
}

const STAGING_PREFIX = '.mcp-gen-staging-';


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
 */
async function assertNoLinkEscape(outDir: string, rel: string): Promise<void> {
  const root = resolve(outDir);
  const realRoot = await realpath(root).catch(() => undefined);
  // A root that does not exist yet holds no links; links above the root (a symlinked /tmp) are the user's choice.
  if (realRoot === undefined) return;
  const abs = join(root, rel);
  const info = await lstat(abs).catch(() => undefined);
  if (info?.isSymbolicLink()) throw new DiagnosticError(diag('MG5005', `"${rel}" is a symbolic link; mcp-gen does not write through links`));
  // Deepest existing ancestor inside the root; the walk never climbs above the root.
  for (let dir = dirname(abs); dir !== root && dir.startsWith(root + sep); dir = dirname(dir)) {
    const real = await realpath(dir).catch(() => undefined);
    if (real === undefined) continue;
    if (real !== realRoot && !real.startsWith(realRoot + sep)) {
      throw new DiagnosticError(diag('MG5005', `"${rel}" leads outside the output root through a symbolic link (${real})`));
    }
    return;
  }
}

function underAny(rel: string, roots: string[]): boolean {
  return roots.some((r) => rel === r || rel.startsWith(`${r.replace(/\/+$/, '')}/`));
}

interface Change {
  path: string;
  content?: string; // undefined = delete
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
  const previousLock = parseLock(await readIfExists(join(outDir, LOCK_FILE)));
  const changes: Change[] = [];
  const ledger: Record<string, string> = {};

  for (const file of [...req.files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const abs = insideRoot(outDir, file.path);
    await assertNoLinkEscape(outDir, file.path);
    const current = await readIfExists(abs);
    if (file.owner === 'user') {
      // User-owned: created once, never touched again (DESIGN.md §5).
      if (current === undefined) {
        changes.push({ path: file.path, content: file.content });
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
    // A file mcp-gen never recorded and that does not carry its header is someone's own work.
    if (current !== undefined && recorded === undefined && !isGeneratedText(current) && !req.force) {
      conflicts.push(
        diag('MG5007', `${file.path} exists, was not written by mcp-gen, and is where a generated file goes`, {
          help: 'move your file elsewhere, or pass --force to replace it',
        }),
      );
      continue;
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
    await assertNoLinkEscape(outDir, path);
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
    changes.push({ path: LOCK_FILE, content: lockText });
    report.actions.push({ path: LOCK_FILE, owner: 'lock', action: currentLock === undefined ? 'create' : 'update' });
  }

  if (conflicts.length) throw new DiagnosticError(conflicts);
  if (req.mode !== 'write' || changes.length === 0) return report;
  await commit(outDir, changes, req.beforeCommitStep);
  return report;
}

/** Stage every change, then move into place; undo the moves made so far if one fails. */
async function commit(outDir: string, changes: Change[], hook?: WriteRequest['beforeCommitStep']): Promise<void> {
  await mkdir(outDir, { recursive: true });
  // Staging dirs left by a run that crashed (killed mid-write) are ours to remove.
  for (const name of await readdir(outDir)) if (name.startsWith(STAGING_PREFIX)) await rm(join(outDir, name), { recursive: true, force: true });
  const staging = join(outDir, `${STAGING_PREFIX}${randomBytes(6).toString('hex')}`);
  const newDir = join(staging, 'new');
  const backupDir = join(staging, 'backup');
  const undo: (() => Promise<void>)[] = [];
  try {
    for (const c of changes) {
      if (c.content === undefined) continue;
      const staged = join(newDir, c.path);
      await mkdir(dirname(staged), { recursive: true });
      await writeFile(staged, c.content);
    }
    for (const [i, c] of changes.entries()) {
      hook?.(i, c.path);
      const target = join(outDir, c.path);
      const backup = join(backupDir, c.path);
      const existed = (await readIfExists(target)) !== undefined;
      if (existed) {
        await mkdir(dirname(backup), { recursive: true });
        await rename(target, backup);
        undo.push(() => rename(backup, target));
      }
      if (c.content !== undefined) {
        await mkdir(dirname(target), { recursive: true });
        await rename(join(newDir, c.path), target);
        undo.push(() => rm(target, { force: true }));
      }
    }
  } catch (e) {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    await rm(staging, { recursive: true, force: true });
    throw new DiagnosticError(diag('MG5003', `writing ${outDir} failed (${(e as Error).message}); previous output left intact`));
  }
  await rm(staging, { recursive: true, force: true });
}
