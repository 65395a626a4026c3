/**
 * The format cache (.mcp-gen/cache) only saves work: hits skip prettier, and a damaged, foreign,
 * missing or deleted cache changes nothing in the output. Cold and incremental runs agree for
 * random edit sequences.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import type { EmittedFile } from '../../generator/emit/artifact.ts';
import { formatAll } from '../../generator/format/format.ts';
import { FORMAT_CACHE_DIR, FormatCache, formatKey } from '../../generator/format/format-cache.ts';
import { PRETTIER_CONFIG } from '../../generator/format/format.ts';
import { seededRandom } from '../../generator/fixtures/prng.ts';
import { generateProject, type ProjectResult } from '../../generator/project.ts';
import { syntheticManifest } from '../../bench/lib/synthetic-manifest.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';
import { generateExample } from '../helpers/project.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const freshDir = (tag: string) => {
  const dir = join(REPO_ROOT, 'test', 'tmp', `format-cache-${tag}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(dir, { recursive: true });
  dirs.push(dir);
  return dir;
};

const HEADER = { revision: '2026-07-28', sha256: 'f'.repeat(64), command: 'mcp-gen generate' };
/** Unformatted texts of each language the formatter handles, none of them already prettier-shaped. */
const SAMPLE: EmittedFile[] = [
  { path: 'a.ts', owner: 'generated', language: 'typescript', content: 'export const  x={a:1,"b":[1,2,3],  c:"d"}\nexport function f( y:number ){return y*2}' },
  { path: 'b.json', owner: 'generated', language: 'json', content: '{"z":[{"q":1},{"q":2}],"long":"' + 'w'.repeat(120) + '"}' },
  { path: 'c.md', owner: 'generated', language: 'markdown', content: '# Title\n\n* one\n* two\n\n|a|b|\n|-|-|\n|1|2|' },
  { path: 'd.yaml', owner: 'user', language: 'yaml', content: 'a:   1\nb:\n    - x\n    -   y' },
  { path: 'e.txt', owner: 'generated', language: 'text', content: 'not formatted at all  ' },
];
const FORMATTED = SAMPLE.filter((f) => f.language !== 'text').length;

describe('FormatCache', () => {
  it('a warm cache formats nothing and yields the cold output', async () => {
    const dir = freshDir('unit');
    const coldCache = await FormatCache.load(dir);
    const cold = await formatAll(SAMPLE, HEADER, coldCache);
    expect(coldCache.stats).toEqual({ hits: 0, misses: FORMATTED, rejected: 0 });
    await coldCache.save();
    expect(existsSync(join(dir, FORMAT_CACHE_DIR, 'format.jsonl'))).toBe(true);

    const warmCache = await FormatCache.load(dir);
    expect(await formatAll(SAMPLE, HEADER, warmCache)).toEqual(cold);
    expect(warmCache.stats).toEqual({ hits: FORMATTED, misses: 0, rejected: 0 });
    expect(cold.find((f) => f.path === 'a.ts')!.content).toContain("export const x = { a: 1, b: [1, 2, 3], c: 'd' };");
  });

  it('a flipped byte anywhere in the pack is caught, ignored and rebuilt; output never changes', async () => {
    const dir = freshDir('flip');
    const first = await FormatCache.load(dir);
    const cold = await formatAll(SAMPLE, HEADER, first);
    await first.save();
    const pack = join(dir, FORMAT_CACHE_DIR, 'format.jsonl');
    const good = readFileSync(pack);
    const random = seededRandom(18);
    for (let i = 0; i < 40; i++) {
      const damaged = Buffer.from(good);
      const at = Math.floor(random() * damaged.length);
      damaged[at] = damaged[at]! ^ (1 << Math.floor(random() * 8));
      writeFileSync(pack, damaged);
      const cache = await FormatCache.load(dir);
      const out = await formatAll(SAMPLE, HEADER, cache);
      expect(out, `flip at byte ${at}`).toEqual(cold);
      expect(cache.stats.rejected + cache.stats.misses, `flip at byte ${at} went unnoticed`).toBeGreaterThan(0);
      await cache.save();
      // Saved again: the damaged line is gone and the entry is back.
      const again = await FormatCache.load(dir);
      await formatAll(SAMPLE, HEADER, again);
      expect(again.stats, `after flip at byte ${at}`).toEqual({ hits: FORMATTED, misses: 0, rejected: 0 });
    }
  });

  it('foreign entries are not trusted: a wrong value under a real key, another layout, binary junk', async () => {
    const dir = freshDir('foreign');
    const cold = await formatAll(SAMPLE, HEADER, FormatCache.inMemory());
    // The key the formatter really asks for first (lines are verified when their key is asked for).
    const asked: string[] = [];
    await formatAll(SAMPLE, HEADER, { get: (k) => void asked.push(k), set: () => undefined });
    const key = asked[0]!;
    mkdirSync(join(dir, FORMAT_CACHE_DIR), { recursive: true });
    writeFileSync(
      join(dir, FORMAT_CACHE_DIR, 'format.jsonl'),
      [
        // Right key, planted value, hash of something else.
        JSON.stringify({ f: 'mcp-gen-format-cache/1', k: key, h: 'a'.repeat(64), v: 'export const planted = 1;\n' }),
        // Another cache layout (a future version, or another tool's file).
        JSON.stringify({ f: 'mcp-gen-format-cache/0', k: key, v: 'export const planted = 2;\n' }),
        JSON.stringify(['not', 'an', 'entry']),
        '\u0000\u00ff\u0001 binary junk',
      ].join('\n'),
    );
    const cache = await FormatCache.load(dir);
    expect(await formatAll(SAMPLE, HEADER, cache)).toEqual(cold);
    expect(cache.stats).toEqual({ hits: 0, misses: FORMATTED, rejected: 4 });
  });

  it('a cache key covers the parser and the exact text', () => {
    const text = SAMPLE[0]!.content;
    expect(formatKey('typescript', PRETTIER_CONFIG, text)).not.toBe(formatKey('babel', PRETTIER_CONFIG, text));
    expect(formatKey('typescript', PRETTIER_CONFIG, text)).not.toBe(formatKey('typescript', PRETTIER_CONFIG, `${text} `));
    expect(formatKey('typescript', PRETTIER_CONFIG, text)).not.toBe(formatKey('typescript', { ...PRETTIER_CONFIG, printWidth: 80 }, text));
  });
});

const contents = (r: ProjectResult) => r.files.map((f) => [f.path, f.content] as const);

describe('format cache in a project', () => {
  it('deleting or damaging .mcp-gen/cache never changes output; --check and --dry-run do not write it', async () => {
    const { dir, result: cold } = await generateExample('kitchen-sink');
    dirs.push(dir);
    const cacheDir = join(dir, FORMAT_CACHE_DIR);
    const pack = join(cacheDir, 'format.jsonl');
    // The files prettier still formats (most are written in its layout: format/preformatted.ts, ts-tool-layout.ts).
    expect(readFileSync(pack, 'utf8').split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(3);
    const run = (mode: 'write' | 'check' | 'dry-run' = 'write') => generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode, source: { env: hermeticEnv() } });

    const warm = await run();
    expect(contents(warm)).toEqual(contents(cold));
    expect(warm.report.actions.every((a) => a.action === 'unchanged' || a.action === 'keep-user')).toBe(true);

    // Plant a line into every cached text (their hashes no longer match): none of it may reach the output.
    const planted = readFileSync(pack, 'utf8').replace(/;\\n/g, ';\\n// planted\\n');
    expect(planted).toContain('// planted');
    writeFileSync(pack, planted);
    const damaged = await run();
    expect(contents(damaged)).toEqual(contents(cold));
    expect(damaged.report.actions.every((a) => a.action === 'unchanged' || a.action === 'keep-user')).toBe(true);

    rmSync(cacheDir, { recursive: true, force: true });
    const check = await run('check');
    expect(check.report.stale).toEqual([]);
    await run('dry-run');
    expect(existsSync(cacheDir)).toBe(false);
    expect(contents(await run())).toEqual(contents(cold));
    expect(existsSync(pack)).toBe(true);
  });
});

/** One random manifest edit; returns a label for the failure message. */
function edit(manifest: Record<string, any>, random: () => number, step: number): string {
  const tools = manifest.tools as Record<string, any>[];
  const pickTool = () => tools[Math.floor(random() * tools.length)]!;
  switch (Math.floor(random() * 6)) {
    case 0: {
      const t = pickTool();
      t.description = `${t.description} Edited at step ${step}.`;
      return `describe ${t.name}`;
    }
    case 1: {
      const t = structuredClone(pickTool());
      t.name = `added_tool_${step}`;
      tools.push(t);
      return `add ${t.name}`;
    }
    case 2: {
      if (tools.length < 2) return 'skip remove';
      const [t] = tools.splice(Math.floor(random() * tools.length), 1);
      return `remove ${t!.name}`;
    }
    case 3: {
      const t = pickTool();
      t.input.properties[`flag${step}`] = { type: 'boolean', description: `Flag ${step}.` };
      return `new input property on ${t.name}`;
    }
    case 4: {
      (manifest.schemas.Status.enum as string[]).push(`state${step}`);
      return 'shared Status enum grows';
    }
    default: {
      const t = pickTool();
      delete t.output;
      return `drop output of ${t.name}`;
    }
  }
}

describe('cold == incremental', () => {
  for (const seed of [7, 1802]) {
    it(`random edit sequence (seed ${seed})`, { timeout: 600_000 }, async () => {
      const random = seededRandom(seed);
      const manifest = parse(syntheticManifest(3, seed)) as Record<string, any>;
      const incremental = freshDir(`inc-${seed}`);
      const env = hermeticEnv();
      const gen = (dir: string) => generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env } });
      writeFileSync(join(incremental, 'mcp-gen.yaml'), stringify(manifest));
      await gen(incremental);
      const log: string[] = [];
      for (let step = 1; step <= 4; step++) {
        log.push(edit(manifest, random, step));
        const text = stringify(manifest);
        writeFileSync(join(incremental, 'mcp-gen.yaml'), text);
        const inc = await gen(incremental);
        const coldDir = freshDir(`cold-${seed}-${step}`);
        writeFileSync(join(coldDir, 'mcp-gen.yaml'), text);
        const cold = await gen(coldDir);
        expect(contents(inc), `after: ${log.join('; ')}`).toEqual(contents(cold));
        // And what the incremental run left on disk is what it planned.
        for (const f of inc.files.filter((x) => x.owner === 'generated')) expect(readFileSync(join(incremental, f.path), 'utf8'), f.path).toBe(f.content);
        rmSync(coldDir, { recursive: true, force: true });
      }
    });
  }
});
