/**
 * The only stage that writes. Ownership-aware and transactional: the changes are committed as one
 * crash-safe unit (./commit.ts): a failure or a kill at any instant leaves the previous output or
 * the new one, never a mix, once the next run has settled what the interrupted one left.
 */
import { lstatSync, realpathSync, type BigIntStats } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { headerVerdict } from '../emit/header.ts';
import { readIfExistsSync } from '../fs/read-optional.ts';
import { DiagnosticError, diag, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { FinalFile } from '../format/format.ts';
import { commitChanges, interruptedCommits, settleInterruptedCommits, type CommitEntry } from './commit.ts';
import { FileStamps } from './file-stamps.ts';
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
  /**
   * Keep stat stamps of the generated files in `<outDir>/.mcp-gen/cache/files.json` (write/file-stamps.ts),
   * so the next run reads back only files whose stat changed. Read in every mode, written in write mode.
   */
  stamps?: boolean;
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
 * Returns the target's lstat, which the writer reuses: null when there is surely no file (ENOENT),
 * undefined when unknown (an error reading the file will report).
 */
function linkGuard(outDir: string): (rel: string) => BigIntStats | null | undefined {
  const root = resolve(outDir);
  const resolved = new Map<string, string | undefined>();
  const real = (dir: string) => {
    if (!resolved.has(dir)) {
      let r: string | undefined;
      try {
        r = realpathSync(dir);
      } catch {
        r = undefined;
      }
      resolved.set(dir, r);
    }
    return resolved.get(dir);
  };
  return (rel) => {
    const realRoot = real(root);
    // A root that does not exist yet holds no links; links above the root (a symlinked /tmp) are the user's choice.
    if (realRoot === undefined) return undefined;
    const abs = join(root, rel);
    let info: BigIntStats | null | undefined;
    try {
      info = lstatSync(abs, { bigint: true, throwIfNoEntry: false }) ?? null;
    } catch {
      info = undefined; // ENOTDIR, EACCES…: reading the file reports it
    }
    if (info?.isSymbolicLink()) throw new DiagnosticError(diag('MG5005', `"${rel}" is a symbolic link; mcp-gen does not write through links`));
    // Deepest existing ancestor inside the root; the walk never climbs above the root.
    for (let dir = dirname(abs); dir !== root && dir.startsWith(root + sep); dir = dirname(dir)) {
      const resolvedDir = real(dir);
      if (resolvedDir === undefined) continue;
      if (resolvedDir !== realRoot && !resolvedDir.startsWith(realRoot + sep)) {
        throw new DiagnosticError(diag('MG5005', `"${rel}" leads outside the output root through a symbolic link (${resolvedDir})`));
      }
      break;
    }
    return info;
  };
}

function underAny(rel: string, roots: string[]): boolean {
  return roots.some((r) => rel === r || rel.startsWith(`${r.replace(/\/+$/, '')}/`));
}

type Change = CommitEntry;

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
  const currentLock = readIfExistsSync(join(outDir, LOCK_FILE));
  const previousLock = parseLock(currentLock);
  const statOf = linkGuard(outDir);
  // What a file's stat proves about its text, so that files nobody touched are not read (file-stamps.ts).
  const stamps = req.stamps ? FileStamps.load(outDir) : FileStamps.none();
  const changes: Change[] = [];
  const ledger: Record<string, string> = {};

  const files = [...req.files].sort((a, b) => (a.path < b.path ? -1 : 1));
  for (const file of files) {
    const abs = insideRoot(outDir, file.path);
    const st = statOf(file.path);
    if (file.owner === 'user') {
      // User-owned: created once, never touched again (DESIGN.md §5). Only whether it exists matters.
      const exists = st !== null && (st?.isFile() || readIfExistsSync(abs) !== undefined);
      if (!exists) {
        changes.push({ path: file.path, content: file.content, userOwned: true, existed: false });
        report.actions.push({ path: file.path, owner: 'user', action: 'create' });
      } else {
        report.actions.push({ path: file.path, owner: 'user', action: 'keep-user' });
      }
      continue;
    }
    const hash = sha256(file.content);
    ledger[file.path] = hash;
    // The text is read only when its stat cannot vouch for it (or its header is needed below).
    const known = st ? stamps.knownHash(file.path, st) : undefined;
    // Not even tried for a file lstat found absent (a cold run: hundreds of ENOENT errors otherwise).
    let text = known === undefined && st !== null ? readIfExistsSync(abs) : undefined;
    const exists = known !== undefined || text !== undefined;
    const currentHash = known ?? (text === undefined ? undefined : text === file.content ? hash : sha256(text));
    if (currentHash === hash) {
      // A text read back is stamped only when it decoded cleanly: then its hash is that of its bytes too.
      if (text === undefined || !text.includes('\uFFFD')) stamps.record(file.path, st ?? undefined, hash);
      report.actions.push({ path: file.path, owner: 'generated', action: 'unchanged' });
      continue;
    }
    const recorded = previousLock?.files[file.path];
    if (exists && recorded === undefined && !req.force) {
      // No ledger entry (a missing or corrupt lock, or a path new to it): the file's own header decides.
      text ??= readIfExistsSync(abs) ?? '';
      const verdict = headerVerdict(text);
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
    if (exists && recorded !== undefined && currentHash !== recorded) {
      report.warnings.push(
        diag('MG5002', `${file.path} was edited by hand since mcp-gen wrote it; ${req.mode === 'write' ? 'replacing it' : 'it will be replaced'}`, { severity: 'warning' }),
      );
    }
    changes.push({ path: file.path, content: file.content, existed: exists });
    report.stale.push(file.path);
    report.actions.push({ path: file.path, owner: 'generated', action: exists ? 'update' : 'create' });
  }

  // Stale generated files: only those the previous run recorded, only inside the deletable roots.
  for (const path of Object.keys(previousLock?.files ?? {}).sort()) {
    if (path in ledger || !underAny(path, req.deletableRoots)) continue;
    const abs = insideRoot(outDir, path);
    const st = statOf(path);
    const known = st ? stamps.knownHash(path, st) : undefined;
    const text = known === undefined && st !== null ? readIfExistsSync(abs) : undefined;
    if (known === undefined && text === undefined) continue;
    if ((known ?? sha256(text!)) !== previousLock!.files[path]) {
      // Only what mcp-gen wrote, unchanged, is deleted: an edited file may hold someone's work.
      report.warnings.push(diag('MG5002', `${path} is no longer generated but was edited by hand; kept — delete it yourself if it is not needed`, { severity: 'warning' }));
      continue;
    }
    changes.push({ path, existed: true });
    report.stale.push(path);
    report.actions.push({ path, owner: 'generated', action: 'delete' });
  }

  const lockText = renderLock({ lockfileVersion: 1, ...req.lock, files: ledger });
  if (currentLock !== lockText) {
    // Last in the commit, so a lock on disk never lists files the tree does not have yet.
    changes.push({ path: LOCK_FILE, content: lockText, existed: currentLock !== undefined });
    // A stale lock is stale output too: `--check` must fail on it (a changed manifest hash, a ledger
    // that no longer matches the files).
    report.stale.push(LOCK_FILE);
    report.actions.push({ path: LOCK_FILE, owner: 'lock', action: currentLock === undefined ? 'create' : 'update' });
  }

  if (conflicts.length) throw new DiagnosticError(conflicts);
  if (req.mode !== 'write') return report;
  if (changes.length > 0) {
    let placed: Awaited<ReturnType<typeof commitChanges>>;
    try {
      placed = await commitChanges(outDir, changes, req.beforeCommitStep);
    } catch (e) {
      if (e instanceof DiagnosticError) throw e;
      throw new DiagnosticError(diag('MG5003', `writing ${outDir} failed (${(e as Error).message}); previous output left intact`));
    }
    for (const c of changes) {
      const hash = c.content !== undefined && !c.userOwned ? ledger[c.path] : undefined;
      if (hash !== undefined) stamps.record(c.path, placed.get(c.path), hash);
    }
  }
  stamps.save();
  return report;
}
