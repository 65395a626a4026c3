/**
 * The writer's stat stamps (generator/write/file-stamps.ts): a file whose lstat still matches what
 * the last write recorded is not read back. These tests prove both sides: a stamp IS believed when
 * its stat holds (a forged hash changes the verdict — so the other tests could fail), and it is NOT
 * believed after any change to the file, the stamp or the tree, so edits are caught exactly as without stamps.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FinalFile } from '../../generator/format/format.ts';
import { FILE_STAMPS_PATH } from '../../generator/write/file-stamps.ts';
import { LOCK_FILE } from '../../generator/write/lockfile.ts';
import { writeOutput, type WriteRequest } from '../../generator/write/write-output.ts';
import { tempDir } from '../helpers/env.ts';

const lock = { generator: { name: 'mcp-gen' as const, version: 't' }, spec: { revision: 'r', sha256: 'x' } };
const req = (outDir: string, files: FinalFile[], extra: Partial<WriteRequest> = {}): WriteRequest => ({ outDir, files, deletableRoots: ['gen'], lock, mode: 'write', stamps: true, ...extra });
const gen = (path: string, content: string): FinalFile => ({ path, owner: 'generated', content });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const FILES = [gen('gen/a.ts', 'export const a = 1;\n'), gen('gen/b.ts', 'export const b = 1;\n')];

interface StampFile {
  f: string;
  files: Record<string, string[]>;
  h: string;
}
const readStamps = (dir: string) => JSON.parse(readFileSync(join(dir, FILE_STAMPS_PATH), 'utf8')) as StampFile;
const sealed = (s: StampFile): StampFile => ({ ...s, h: sha256(JSON.stringify([s.f, s.files])) });

/** Rewrites the stamp so that it claims `path` holds other text than it does — with a valid seal. */
function forgeHash(dir: string, path: string): void {
  const s = readStamps(dir);
  s.files[path]![5] = sha256('not what is on disk\n');
  writeFileSync(join(dir, FILE_STAMPS_PATH), `${JSON.stringify(sealed(s))}\n`);
}

const staleIn = async (dir: string, files = FILES, extra: Partial<WriteRequest> = {}) => (await writeOutput(req(dir, files, { mode: 'check', ...extra }))).stale;

describe('writer stat stamps', () => {
  it('records every generated file it wrote, and believes a stamp whose stat still holds (the file is not read)', async () => {
    const dir = tempDir();
    await writeOutput(req(dir, FILES));
    expect(Object.keys(readStamps(dir).files)).toEqual(['gen/a.ts', 'gen/b.ts']);
    expect(await staleIn(dir)).toEqual([]);
    // A forged hash for an untouched file is believed: proof that the file was judged by its stat alone.
    forgeHash(dir, 'gen/a.ts');
    expect(await staleIn(dir)).toEqual(['gen/a.ts']);
    // Without stamps the same tree reads as current.
    expect(await staleIn(dir, FILES, { stamps: false })).toEqual([]);
  });

  it('a hand edit that keeps the size and restores the mtime is still caught (ctime moves)', async () => {
    const dir = tempDir();
    await writeOutput(req(dir, FILES));
    const path = join(dir, 'gen/a.ts');
    const before = statSync(path, { bigint: true });
    // `touch -r` copies the times to the nanosecond (utimes from JS rounds them).
    writeFileSync(`${path}.times`, '');
    execFileSync('touch', ['-r', path, `${path}.times`]);
    writeFileSync(path, 'export const a = 9;\n'); // same length, same inode
    execFileSync('touch', ['-r', `${path}.times`, path]);
    const after = statSync(path, { bigint: true });
    expect([after.size, after.mtimeNs, after.ino]).toEqual([before.size, before.mtimeNs, before.ino]);
    expect(after.ctimeNs).not.toBe(before.ctimeNs);
    expect(await staleIn(dir)).toEqual(['gen/a.ts']);
    // Also when the stamp file is younger than the edit (as if written after it): the recorded ctime differs.
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, FILE_STAMPS_PATH), later, later);
    expect(await staleIn(dir)).toEqual(['gen/a.ts']);
    const r = await writeOutput(req(dir, FILES));
    expect(r.warnings.map((w) => `${w.code} ${w.message}`)).toEqual([expect.stringMatching(/^MG5002 gen\/a\.ts was edited by hand/)]);
    expect(readFileSync(path, 'utf8')).toBe(FILES[0]!.content);
    expect(await staleIn(dir)).toEqual([]);
  });

  it('a file replaced by another one (new inode), even with the same bytes length and times, is read', async () => {
    const dir = tempDir();
    await writeOutput(req(dir, FILES));
    const path = join(dir, 'gen/b.ts');
    writeFileSync(`${path}.tmp`, 'export const b = 7;\n');
    execFileSync('touch', ['-r', path, `${path}.tmp`]);
    renameSync(`${path}.tmp`, path);
    expect(await staleIn(dir)).toEqual(['gen/b.ts']);
  });

  it('a foreign file put at a generated path is refused (MG5007) although a stamp for the path exists', async () => {
    const dir = tempDir();
    await writeOutput(req(dir, FILES));
    rmSync(join(dir, LOCK_FILE)); // no ledger: the file's own header decides
    writeFileSync(join(dir, 'gen/a.ts'), '// my own work\n');
    await expect(writeOutput(req(dir, [gen('gen/a.ts', '// @generated by mcp-gen x\nA\n')]))).rejects.toThrow(/MG5007/);
    expect(readFileSync(join(dir, 'gen/a.ts'), 'utf8')).toBe('// my own work\n');
  });

  it('a damaged, foreign-layout, copied or deleted stamp file is not believed', async () => {
    const dir = tempDir();
    await writeOutput(req(dir, FILES));
    const stampPath = join(dir, FILE_STAMPS_PATH);
    forgeHash(dir, 'gen/a.ts');
    const forged = readFileSync(stampPath, 'utf8');
    // A byte flipped anywhere in the body breaks its seal.
    writeFileSync(stampPath, forged.replace('"gen/b.ts"', '"gen/c.ts"'));
    expect(await staleIn(dir)).toEqual([]);
    // Another layout.
    const other = sealed({ ...JSON.parse(forged), f: 'mcp-gen-file-stamps/0' });
    writeFileSync(stampPath, JSON.stringify(other));
    expect(await staleIn(dir)).toEqual([]);
    // Truncated.
    writeFileSync(stampPath, forged.slice(0, forged.length / 2));
    expect(await staleIn(dir)).toEqual([]);
    // The tree copied elsewhere, times preserved: other inodes, so the forged stamp proves nothing there.
    writeFileSync(stampPath, forged);
    const copy = tempDir();
    cpSync(dir, copy, { recursive: true, preserveTimestamps: true });
    expect(await staleIn(copy)).toEqual([]);
    // Deleted: everything is read.
    rmSync(stampPath);
    expect(await staleIn(dir)).toEqual([]);
  });

  it('an entry changed no earlier than the stamp was written is racy: read, and the rewritten stamp ages it', async () => {
    const dir = tempDir();
    await writeOutput(req(dir, FILES));
    forgeHash(dir, 'gen/a.ts');
    const stampPath = join(dir, FILE_STAMPS_PATH);
    // The stamp file now looks written before the files changed (same tick, on a coarse clock).
    utimesSync(stampPath, new Date(0), new Date(0));
    expect(await staleIn(dir)).toEqual([]);
    // A write run rewrites it from what it read, so the next run may believe it again.
    await writeOutput(req(dir, FILES));
    expect(statSync(stampPath).mtimeMs).toBeGreaterThan(0);
    expect(readStamps(dir).files['gen/a.ts']![5]).toBe(sha256(FILES[0]!.content));
  });

  it('an unchanged tree leaves the stamp file as it was; updated files are stamped and trusted next run', async () => {
    const dir = tempDir();
    await writeOutput(req(dir, FILES));
    const stampPath = join(dir, FILE_STAMPS_PATH);
    const first = statSync(stampPath, { bigint: true }).mtimeNs;
    await writeOutput(req(dir, FILES));
    expect(statSync(stampPath, { bigint: true }).mtimeNs).toBe(first);
    const v2 = [gen('gen/a.ts', 'export const a = 2;\n'), FILES[1]!];
    await writeOutput(req(dir, v2));
    expect(readStamps(dir).files['gen/a.ts']![5]).toBe(sha256(v2[0]!.content));
    forgeHash(dir, 'gen/a.ts');
    expect(await staleIn(dir, v2)).toEqual(['gen/a.ts']);
  });

  it('a stale generated file is deleted by its stamp, and kept when edited', async () => {
    const dir = tempDir();
    await writeOutput(req(dir, [...FILES, gen('gen/old.ts', 'O\n'), gen('gen/old2.ts', 'P\n')]));
    writeFileSync(join(dir, 'gen/old2.ts'), 'Q\n');
    const r = await writeOutput(req(dir, FILES));
    expect(r.actions.filter((a) => a.action === 'delete').map((a) => a.path)).toEqual(['gen/old.ts']);
    expect(r.warnings.map((w) => w.code)).toEqual(['MG5002']);
    expect(readFileSync(join(dir, 'gen/old2.ts'), 'utf8')).toBe('Q\n');
  });
});
