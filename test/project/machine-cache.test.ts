/**
 * The machine-level protocol-layer cache (<cache dir>/render, generator/incremental/machine-cache.ts):
 * a second project of the same spec takes its protocol layer from it, rendered and formatted; a
 * damaged, foreign or deleted cache changes nothing in the output; --check and --dry-run write none
 * of it; old packs are pruned.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticManifest } from '../../bench/lib/synthetic-manifest.ts';
import { machineCacheDir } from '../../generator/incremental/machine-cache.ts';
import { generateProject, type ProjectResult } from '../../generator/project.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const freshProject = (tag: string) => {
  const dir = join(REPO_ROOT, 'test', 'tmp', `machine-cache-${tag}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(dir, { recursive: true });
  dirs.push(dir);
  writeFileSync(join(dir, 'mcp-gen.yaml'), syntheticManifest(3, 11));
  return dir;
};

const contents = (r: ProjectResult) => r.files.map((f) => [f.path, f.content] as const);
const protocolFiles = (r: ProjectResult) => r.files.filter((f) => f.path.startsWith('src/generated/protocol/'));
const renderHits = (r: ProjectResult) => Object.values(r.incremental.machine.render).reduce((n, s) => n + s.hits, 0);
const renderMisses = (r: ProjectResult) => Object.values(r.incremental.machine.render).reduce((n, s) => n + s.misses, 0);

describe('machine-level protocol-layer cache', () => {
  const env = hermeticEnv();
  dirs.push(env.MCP_GEN_CACHE_DIR!);
  const render = machineCacheDir(env);
  const packs = () => (existsSync(render) ? readdirSync(render).filter((n) => n.endsWith('.jsonl')) : []);
  const gen = (dir: string, mode: 'write' | 'check' | 'dry-run' = 'write') => generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode, source: { env } });

  it('a second project reuses the protocol layer; damage, deletion, --check and --dry-run change no byte', { timeout: 300_000 }, async () => {
    // --dry-run into an empty cache writes no pack.
    await gen(freshProject('dry'), 'dry-run');
    expect(packs()).toEqual([]);

    const cold = await gen(freshProject('cold'));
    expect(protocolFiles(cold).length).toBeGreaterThan(4);
    expect(renderHits(cold)).toBe(0);
    expect(renderMisses(cold)).toBeGreaterThan(0);
    expect(packs()).toHaveLength(1);

    // Another project, empty project caches: every protocol artifact and formatted text comes from the machine.
    const warm = await gen(freshProject('warm'));
    expect(contents(warm)).toEqual(contents(cold));
    expect(renderMisses(warm)).toBe(0);
    expect(renderHits(warm)).toBe(renderMisses(cold));
    // ... and nothing else: every protocol file is written in prettier's layout, none is formatted (so none cached as formatted text).
    expect(warm.incremental.machine.pack.hits).toBe(renderMisses(cold));

    // Plant a comment at the start of every cached value (their hashes no longer match): none of it may reach the output.
    const pack = join(render, packs()[0]!);
    const lines = readFileSync(pack, 'utf8').split('\n').filter(Boolean);
    // A text value ("v") and a JSON value ("j": the remembered files) each get one.
    const planted = lines.map((l) => (l.includes('","j":') ? l.replace(/"content":"/, '"content":"// planted\\n') : l.replace(/"v":"/, '"v":"// planted\\n'))).join('\n');
    expect(planted.split('// planted')).toHaveLength(lines.length + 1);
    writeFileSync(pack, planted);
    const damaged = await gen(freshProject('damaged'));
    expect(contents(damaged)).toEqual(contents(cold));
    expect(damaged.incremental.machine.pack.rejected).toBeGreaterThan(0);
    expect(renderHits(damaged)).toBe(0);
    // ... and the damaged run rebuilt the pack.
    expect(readFileSync(pack, 'utf8')).not.toContain('// planted');
    expect(renderHits(await gen(freshProject('rebuilt')))).toBe(renderMisses(cold));

    // A foreign pack layout and garbage are skipped, never believed.
    writeFileSync(pack, `not json\n${JSON.stringify({ f: 'mcp-gen-format-cache/0', k: 'a'.repeat(64), v: 'x' })}\n`);
    expect(contents(await gen(freshProject('foreign')))).toEqual(contents(cold));

    // --check reads the cache but writes none of it.
    rmSync(render, { recursive: true, force: true });
    const checkDir = freshProject('check');
    await gen(checkDir);
    rmSync(render, { recursive: true, force: true });
    expect((await gen(checkDir, 'check')).report.stale).toEqual([]);
    expect(packs()).toEqual([]);

    // Deleted: the same output again.
    expect(contents(await gen(freshProject('deleted')))).toEqual(contents(cold));
  });

  it('keeps only the most recently used packs', { timeout: 300_000 }, async () => {
    mkdirSync(render, { recursive: true });
    const old = new Date(Date.now() - 86_400_000);
    for (let i = 0; i < 12; i++) {
      const name = join(render, `protocol-${String(i).padStart(32, '0')}.jsonl`);
      writeFileSync(name, '');
      utimesSync(name, old, old);
    }
    writeFileSync(join(render, 'unrelated.txt'), 'kept');
    await gen(freshProject('prune'));
    const left = packs();
    expect(left).toHaveLength(8);
    // The pack this run used is the newest one and stays.
    expect(left.filter((n) => !/^protocol-0+\d+\.jsonl$/.test(n))).toHaveLength(1);
    expect(existsSync(join(render, 'unrelated.txt'))).toBe(true);
  });
});
