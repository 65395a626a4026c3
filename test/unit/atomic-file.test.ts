/**
 * generator/fs/atomic-file.ts: write-then-rename, and the sweep of temp files a killed run left in
 * the caches (a SIGKILL between write and rename runs no `finally`). A generate that writes into its
 * caches removes the abandoned temps there and nothing else: not a temp another live process is
 * writing, not a dead writer's temp younger than the grace period, not a user's file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticManifest } from '../../bench/lib/synthetic-manifest.ts';
import { ABANDONED_MS, DEAD_WRITER_GRACE_MS, sweepAbandonedTemps, tempPathFor, writeFileAtomic, writeFileAtomicSync } from '../../generator/fs/atomic-file.ts';
import { machineCacheDir } from '../../generator/incremental/machine-cache.ts';
import { generateProject } from '../../generator/project.ts';
import { hermeticEnv, tempDir } from '../helpers/env.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const scratch = () => {
  const d = tempDir('mcp-gen-atomic-');
  dirs.push(d);
  return d;
};

/** The pid of a process that has exited (its number is not reused within a test). */
const deadPid = (): number => {
  const r = spawnSync(process.execPath, ['-e', '']);
  expect(r.status).toBe(0);
  return r.pid!;
};

/** A file (or a directory with a file) last written `ageMs` ago. */
function plant(path: string, ageMs: number, dir = false): void {
  if (dir) {
    mkdirSync(path, { recursive: true });
    writeFileSync(join(path, 'inner'), 'x');
  } else writeFileSync(path, 'half a file');
  const t = (Date.now() - ageMs) / 1000;
  utimesSync(path, t, t);
}

describe('atomic writes', () => {
  it('replace the file whole and leave no temp file, in both forms; a failed write leaves the old file and no temp', async () => {
    const d = scratch();
    const target = join(d, 'sub', 'stamp.json');
    writeFileAtomicSync(target, 'one');
    await writeFileAtomic(target, 'two');
    expect(readFileSync(target, 'utf8')).toBe('two');
    expect(readdirSync(join(d, 'sub'))).toEqual(['stamp.json']);
    // A directory where the file should go: the rename fails, nothing is left behind.
    const blocked = join(d, 'blocked');
    mkdirSync(join(blocked, 'x'), { recursive: true });
    expect(() => writeFileAtomicSync(blocked, 'three')).toThrow();
    await expect(writeFileAtomic(blocked, 'three')).rejects.toThrow();
    expect(readdirSync(d).sort()).toEqual(['blocked', 'sub']);
  });

  it('temp names carry the writer pid', () => {
    expect(tempPathFor('/a/b.json')).toMatch(new RegExp(`^/a/b\\.json\\.${process.pid}-[0-9a-f]{12}\\.tmp$`));
  });
});

describe('sweepAbandonedTemps', () => {
  it('removes a dead writer’s temps past the grace period and any temp past an hour; keeps live, young and foreign names', () => {
    const d = scratch();
    const dead = deadPid();
    plant(join(d, `render.jsonl.${dead}-aa11.tmp`), DEAD_WRITER_GRACE_MS + 5_000);
    plant(join(d, `examples.${dead}-bb22.tmp`), DEAD_WRITER_GRACE_MS + 5_000, true); // a temp directory
    plant(join(d, `noop.json.${dead}-cc33.tmp`), 1_000); // its writer may be in another pid namespace
    plant(join(d, `files.json.${process.pid}-dd44.tmp`), DEAD_WRITER_GRACE_MS + 5_000); // live writer
    plant(join(d, `files.json.${process.pid}-ee55.tmp`), ABANDONED_MS + 60_000); // live pid, but an hour untouched
    plant(join(d, 'notes.tmp'), ABANDONED_MS + 60_000); // not our naming
    plant(join(d, 'render.jsonl'), ABANDONED_MS + 60_000);
    const removed = sweepAbandonedTemps(d).sort();
    expect(removed).toEqual([`examples.${dead}-bb22.tmp`, `files.json.${process.pid}-ee55.tmp`, `render.jsonl.${dead}-aa11.tmp`]);
    expect(readdirSync(d).sort()).toEqual([`files.json.${process.pid}-dd44.tmp`, `noop.json.${dead}-cc33.tmp`, 'notes.tmp', 'render.jsonl'].sort());
  });

  it('a missing directory is nothing to sweep', () => {
    expect(sweepAbandonedTemps(join(scratch(), 'absent'))).toEqual([]);
  });
});

describe('a generate cleans up after a killed one', () => {
  it('abandoned temps in the project cache and the machine cache are removed; the output is the same as without them', { timeout: 120_000 }, async () => {
    const env = hermeticEnv();
    dirs.push(env.MCP_GEN_CACHE_DIR!);
    const project = scratch();
    const manifest = join(project, 'mcp-gen.yaml');
    writeFileSync(manifest, syntheticManifest(2, 5));
    const gen = () => generateProject({ manifestPath: manifest, mode: 'write', source: { env } });
    const first = await gen();

    const projectCache = join(project, '.mcp-gen', 'cache');
    const machine = machineCacheDir(env);
    expect(existsSync(projectCache) && existsSync(machine)).toBe(true);
    const dead = deadPid();
    const planted = [join(projectCache, `render.jsonl.${dead}-0a0a.tmp`), join(projectCache, `noop.json.${dead}-0b0b.tmp`), join(machine, `protocol.jsonl.${dead}-0c0c.tmp`)];
    for (const p of planted) plant(p, DEAD_WRITER_GRACE_MS + 5_000);
    const userFile = join(projectCache, 'mine.tmp');
    plant(userFile, ABANDONED_MS + 60_000);

    // A changed manifest: the run rewrites its packs and stamps (a no-op run writes nothing, so sweeps nothing).
    writeFileSync(manifest, syntheticManifest(3, 5));
    const second = await gen();
    expect(planted.filter((p) => existsSync(p))).toEqual([]);
    expect(existsSync(userFile)).toBe(true);

    // Same output as a project that never had them.
    const clean = scratch();
    writeFileSync(join(clean, 'mcp-gen.yaml'), syntheticManifest(3, 5));
    const reference = await generateProject({ manifestPath: join(clean, 'mcp-gen.yaml'), mode: 'write', source: { env: hermeticEnv() } });
    expect(second.files.map((f) => [f.path, f.content])).toEqual(reference.files.map((f) => [f.path, f.content]));
    expect(first.files.length).toBeGreaterThan(0);
  });
});
