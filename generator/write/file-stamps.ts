/**
 * Stat stamps of the output files, so that a regenerate does not read back every file it did not
 * change only to find it unchanged (most of the write stage of a one-tool edit).
 *
 * Each run in write mode leaves `.mcp-gen/cache/files.json`: for each generated file it read or
 * wrote, the file's lstat identity (dev, ino, size, mtime and ctime in ns) and the sha256 of its
 * text. The next run trusts a recorded hash only when all of it still matches, so any write to the
 * file shows: writing changes mtime and ctime; restoring the mtime (touch -d, an editor keeping
 * timestamps) still moves ctime, which no user tool can set; replacing the file changes ino; a copied
 * or checked-out tree has other inodes. Anything else — no stamp, another layout, a body failing its
 * hash, a field that differs, a file that is no regular file — means "read it and compare", as
 * without stamps.
 *
 * Racy entries (git's "racily clean" problem): a file changed within the same timestamp tick right
 * after its stat was taken keeps that stat. So an entry is trusted only when the file's ctime is
 * older than the stamp file's own mtime (written after every stat it holds); a younger one is read
 * again and the stamp rewritten, which ages it. What remains undetectable is a change made by another
 * process in the microseconds between mcp-gen moving a file in and taking its stat — the same race
 * as someone editing a file while generate overwrites it.
 */
import { lstatSync, readFileSync, type BigIntStats } from 'node:fs';
import { dirname, join } from 'node:path';
import { sha256Hex as sha256 } from '../sha256.ts';
import { sweepAbandonedTemps, writeFileAtomicSync } from '../fs/atomic-file.ts';

export const FILE_STAMPS_PATH = '.mcp-gen/cache/files.json';
/** Bumped when the layout or meaning changes; a stamp file of another layout is ignored. */
const STAMPS_FORMAT = 'mcp-gen-file-stamps/1';

/** [dev, ino, size, mtimeNs, ctimeNs, sha256 of the text]. */
type Stamp = [string, string, string, string, string, string];

const body = (files: Record<string, Stamp>) => JSON.stringify([STAMPS_FORMAT, files]);

function identity(st: BigIntStats): [string, string, string, string, string] | undefined {
  // No inode number (some network or FUSE file systems report 0): nothing identifies the file.
  if (!st.isFile() || st.ino === 0n) return undefined;
  return [String(st.dev), String(st.ino), String(st.size), String(st.mtimeNs), String(st.ctimeNs)];
}

function isStamp(v: unknown): v is Stamp {
  return Array.isArray(v) && v.length === 6 && v.every((x) => typeof x === 'string');
}

export class FileStamps {
  private readonly next = new Map<string, Stamp>();
  /** Set when an entry held but was too young to trust: the rewrite ages it. */
  private racy = false;

  private constructor(
    private readonly file: string | undefined,
    private readonly previous: ReadonlyMap<string, Stamp>,
    /** ctime (ns) from which on an entry is racy: the stamp file's mtime. */
    private readonly trustBefore: bigint,
  ) {}

  /** Stamps that remember nothing (the writer without a stamp file). */
  static none(): FileStamps {
    return new FileStamps(undefined, new Map(), 0n);
  }

  /** `<outDir>/<FILE_STAMPS_PATH>`; a missing, unreadable or damaged file is no stamps at all. */
  static load(outDir: string): FileStamps {
    const file = join(outDir, FILE_STAMPS_PATH);
    try {
      const st = lstatSync(file, { bigint: true, throwIfNoEntry: false });
      if (!st?.isFile()) return new FileStamps(file, new Map(), 0n);
      const v = JSON.parse(readFileSync(file, 'utf8')) as { f?: unknown; files?: unknown; h?: unknown };
      if (v?.f !== STAMPS_FORMAT || typeof v.files !== 'object' || v.files === null || Array.isArray(v.files)) return new FileStamps(file, new Map(), 0n);
      const files = v.files as Record<string, unknown>;
      if (v.h !== sha256(body(files as Record<string, Stamp>))) return new FileStamps(file, new Map(), 0n);
      const previous = new Map<string, Stamp>();
      for (const [path, stamp] of Object.entries(files)) if (isStamp(stamp)) previous.set(path, stamp);
      return new FileStamps(file, previous, st.mtimeNs);
    } catch {
      return new FileStamps(file, new Map(), 0n);
    }
  }

  /** The sha256 of `path`'s text when its stat `st` proves it unchanged since it was recorded. */
  knownHash(path: string, st: BigIntStats | undefined): string | undefined {
    const was = this.previous.get(path);
    const now = st && identity(st);
    if (!was || !now || now.some((x, i) => x !== was[i])) return undefined;
    if (st!.ctimeNs >= this.trustBefore) {
      this.racy = true;
      return undefined;
    }
    return was[5];
  }

  /** `path` had text hashing to `hash` when its stat was `st` (taken before reading it, or after writing it). */
  record(path: string, st: BigIntStats | undefined, hash: string): void {
    const id = st && identity(st);
    if (id) this.next.set(path, [...id, hash]);
  }

  /** Writes what this run recorded, unless it is what the file already says. Best effort: a stamp is only speed. */
  save(): void {
    if (!this.file || (!this.racy && this.sameAsPrevious())) return;
    const files = Object.fromEntries([...this.next].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    try {
      sweepAbandonedTemps(dirname(this.file));
      writeFileAtomicSync(this.file, `${JSON.stringify({ f: STAMPS_FORMAT, files, h: sha256(body(files)) })}\n`);
    } catch {
      // not written: the next run hashes the files instead
    }
  }

  private sameAsPrevious(): boolean {
    if (this.trustBefore === 0n || this.next.size !== this.previous.size) return false;
    for (const [path, stamp] of this.next) {
      const was = this.previous.get(path);
      if (!was || stamp.some((x, i) => x !== was[i])) return false;
    }
    return true;
  }
}
