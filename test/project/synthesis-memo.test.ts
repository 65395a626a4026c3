/**
 * The fixture synthesis memo (generator/fixtures/synthesis-memo.ts) only saves work: a hit returns
 * exactly what synthesizing returns, values JSON cannot carry are never stored, and a damaged pack
 * in a project changes nothing in the output.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FORMAT_CACHE_DIR, FormatCache } from '../../generator/format/format-cache.ts';
import { jsonSafe } from '../../generator/fixtures/json-safe.ts';
import { memoizedSynthesize, SYNTHESIS_PACK } from '../../generator/fixtures/synthesis-memo.ts';
import { synthesize } from '../../generator/fixtures/synthesize.ts';
import { seededRandom } from '../../generator/fixtures/prng.ts';
import { generateProject, type ProjectResult } from '../../generator/project.ts';
import { SHARED_SCHEMAS, syntheticTools } from '../../bench/lib/synthetic-manifest.ts';
import { hermeticEnv, tempDir } from '../helpers/env.ts';
import { generateExample } from '../helpers/project.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('synthesis memo', () => {
  it('a hit is what synthesizing returns, for inputs and outputs of 20 synthetic tools', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const shared = SHARED_SCHEMAS;
    const schemas = syntheticTools(20, 31).flatMap((t) => [t.input, t.output]).map((s) => JSON.parse(JSON.stringify(s).replaceAll('#/schemas/', '#/$defs/')) as Record<string, unknown>).map((s) => ({ ...s, $defs: shared }));
    const first = await FormatCache.load(dir, SYNTHESIS_PACK);
    const memo = memoizedSynthesize(first);
    const direct = schemas.map((s, i) => synthesize(s as never, { seed: i }));
    expect(schemas.map((s, i) => memo(s as never, { seed: i }))).toEqual(direct);
    expect(first.stats.misses).toBe(schemas.length);
    await first.save();
    const again = await FormatCache.load(dir, SYNTHESIS_PACK);
    expect(schemas.map((s, i) => memoizedSynthesize(again)(s as never, { seed: i }))).toEqual(direct);
    expect(again.stats).toEqual({ hits: schemas.length, misses: 0, rejected: 0 });
    // Another seed is another entry.
    memoizedSynthesize(again)(schemas[0] as never, { seed: 999 });
    expect(again.stats.misses).toBe(1);
  });

  it('values JSON would change are not stored', () => {
    expect(jsonSafe({ a: [1, 'x', null, true, { b: 2.5 }] })).toBe(true);
    for (const bad of [-0, NaN, Infinity, undefined, { a: undefined }, [1, -0], new Date(0), { x: () => 1 }, [1, , 2], JSON.parse('{"__proto__": 1}'), { a: [{ b: [NaN] }] }]) expect(jsonSafe(bad), String(bad)).toBe(false);
  });

  it('a damaged pack in a project changes nothing in the output', { timeout: 600_000 }, async () => {
    const { dir, result: cold } = await generateExample('kitchen-sink');
    dirs.push(dir);
    const pack = join(dir, FORMAT_CACHE_DIR, SYNTHESIS_PACK);
    const good = readFileSync(pack);
    expect(good.toString('utf8').split('\n').filter(Boolean).length).toBeGreaterThan(3);
    const contents = (r: ProjectResult) => r.files.map((f) => [f.path, f.content] as const);
    const random = seededRandom(4);
    for (let i = 0; i < 4; i++) {
      const damaged = Buffer.from(good);
      for (let j = 0; j < 20; j++) {
        const at = Math.floor(random() * damaged.length);
        damaged[at] = damaged[at]! ^ (1 << Math.floor(random() * 8));
      }
      writeFileSync(pack, damaged);
      const run = await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env: hermeticEnv() } });
      expect(contents(run), `damage round ${i}`).toEqual(contents(cold));
    }
    rmSync(join(dir, FORMAT_CACHE_DIR), { recursive: true });
    const fresh = await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env: hermeticEnv() } });
    expect(contents(fresh)).toEqual(contents(cold));
  });
});
