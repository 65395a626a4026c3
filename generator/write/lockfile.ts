/**
 * mcp-gen.lock.json: the spec pin, the generator version and a ledger of every generated file's
 * sha256. The ledger is what lets the writer delete stale files (only ones it wrote) and notice
 * hand edits before replacing them.
 */

export const LOCK_FILE = 'mcp-gen.lock.json';

export interface LockFile {
  lockfileVersion: 1;
  generator: { name: 'mcp-gen'; version: string };
  spec: { revision: string; sha256: string };
  manifest?: { path: string; sha256: string };
  /** Generated file path (relative to the output root) → sha256 of its bytes. */
  files: Record<string, string>;
  /** User-owned files mcp-gen plans (created once): lets it name orphaned handlers later. */
  userFiles?: string[];
  /** Generated with `--client-only`: later runs (and `--check`) stay client-only unless told otherwise. */
  clientOnly?: true;
}

/** The ledger's hash of a file's text (the writer hashes every generated file each run). */
export { sha256Hex as sha256 } from '../sha256.ts';

export function renderLock(lock: LockFile): string {
  const files = Object.fromEntries(Object.entries(lock.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const ordered: LockFile = {
    lockfileVersion: 1,
    generator: lock.generator,
    spec: lock.spec,
    ...(lock.manifest ? { manifest: lock.manifest } : {}),
    files,
    ...(lock.userFiles ? { userFiles: [...lock.userFiles].sort() } : {}),
    ...(lock.clientOnly ? { clientOnly: true as const } : {}),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** Undefined when absent or unreadable: a broken lock only costs the ledger, never the output. */
export function parseLock(text: string | undefined): LockFile | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as LockFile;
    if (v && v.lockfileVersion === 1 && typeof v.files === 'object' && v.files) return v;
  } catch {
    /* treated as absent */
  }
  return undefined;
}
