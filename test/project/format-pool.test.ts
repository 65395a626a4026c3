/**
 * Formatting in worker threads (generator/format/format-pool.ts) changes speed, never output: the
 * same bytes with and without the pool for the examples and a seeded 100-tool manifest; a worker
 * that cannot start or dies falls back to in-process formatting; prettier's errors come out as
 * without the pool; small (cached, one-edit) runs do not start a worker.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { EmittedFile } from '../../generator/emit/artifact.ts';
import { FormatCache } from '../../generator/format/format-cache.ts';
import { formatWorkerCount } from '../../generator/format/format-pool.ts';
import { formatAll, lastFormatRun } from '../../generator/format/format.ts';
import { generateProject, type ProjectResult } from '../../generator/project.ts';
import { syntheticManifest } from '../../bench/lib/synthetic-manifest.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';
import { EXAMPLES } from '../helpers/project.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const saved = process.env.MCP_GEN_FORMAT_WORKERS;
afterEach(() => {
  if (saved === undefined) delete process.env.MCP_GEN_FORMAT_WORKERS;
  else process.env.MCP_GEN_FORMAT_WORKERS = saved;
});

const contents = (r: ProjectResult) => r.files.map((f) => [f.path, f.content] as const);

/** A cold generate in a fresh directory with `workers` format workers (env, as a user would set it). */
async function cold(tag: string, setup: (dir: string) => void, workers: string): Promise<ProjectResult> {
  const dir = join(REPO_ROOT, 'test', 'tmp', `format-pool-${tag}-${workers}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(dir, { recursive: true });
  dirs.push(dir);
  setup(dir);
  process.env.MCP_GEN_FORMAT_WORKERS = workers;
  return generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env: hermeticEnv() } });
}

describe('format pool: byte-identical output', () => {
  const cases: [string, (dir: string) => void][] = [
    ...['weather', 'kitchen-sink', 'apps'].map((name) => [name, (dir: string) => cpSync(join(EXAMPLES, name), dir, { recursive: true })] as [string, (dir: string) => void]),
    ['synthetic-100', (dir: string) => writeFileSync(join(dir, 'mcp-gen.yaml'), syntheticManifest(100, 7))],
  ];
  for (const [tag, setup] of cases) {
    it(`${tag}: with a worker == without`, { timeout: 600_000 }, async () => {
      const without = await cold(tag, setup, '0');
      expect(lastFormatRun.workers).toBe(0);
      const withPool = await cold(tag, setup, '1');
      // A cold run gives prettier the whole protocol layer: enough for the pool in every example.
      expect(lastFormatRun.workers).toBe(1);
      expect(lastFormatRun.onWorker).toBeGreaterThan(0);
      expect(lastFormatRun.fellBack).toBe(0);
      expect(contents(withPool)).toEqual(contents(without));
    });
  }
});

const HEADER = { revision: '2026-07-28', sha256: 'f'.repeat(64), command: 'mcp-gen generate' };
/** Unformatted texts, a few big enough to matter, with literals the slot layout takes over. */
function sample(n = 12): EmittedFile[] {
  const files: EmittedFile[] = [];
  for (let i = 0; i < n; i++) {
    const body = Array.from({ length: 40 * (i + 1) }, (_, j) => `export function f${j}( y:number ){return y*${j}+${i}}\nexport const  c${j}={a:${j},"b":[1,2,3],  c:"d${i}"}`).join('\n');
    files.push({ path: `src/f${String(n - i).padStart(2, '0')}.ts`, owner: 'generated', language: 'typescript', content: body });
  }
  files.push({ path: 'README.md', owner: 'generated', language: 'markdown', content: '# T\n\n* a\n* b\n\n|a|b|\n|-|-|\n|1|2|' });
  files.push({ path: 'x.yaml', owner: 'user', language: 'yaml', content: 'a:   1\nb:\n    - x' });
  files.push({ path: 'v.ts', owner: 'user', language: 'typescript', content: 'keep   as is', verbatim: true });
  return files;
}

describe('format pool: fallback and errors', () => {
  it('a forced pool gives the sequential bytes, in the sequential order', async () => {
    const files = sample();
    const seq = await formatAll(files, HEADER, FormatCache.inMemory(), { workers: 'off' });
    const par = await formatAll(files, HEADER, FormatCache.inMemory(), { workers: 1 });
    expect(lastFormatRun.onWorker).toBeGreaterThan(0);
    expect(par).toEqual(seq);
  });

  for (const [why, source] of [
    ['throws at start', 'throw new Error("no prettier here")'],
    ['exits at start', 'process.exit(7)'],
    ['answers nothing useful', 'require("node:worker_threads").parentPort.on("message", (m) => require("node:worker_threads").parentPort.postMessage({ id: m.id, ok: false }))'],
  ] as const) {
    it(`a worker that ${why} falls back to in-process formatting`, async () => {
      const files = sample();
      const seq = await formatAll(files, HEADER, FormatCache.inMemory(), { workers: 'off' });
      const par = await formatAll(files, HEADER, FormatCache.inMemory(), { workers: 1, workerSource: source });
      expect(lastFormatRun.onWorker).toBe(0);
      expect(par).toEqual(seq);
    });
  }

  it('prettier errors are thrown as without the pool: the first failing file in input order', async () => {
    const files = sample();
    files.splice(3, 0, { path: 'src/bad-b.ts', owner: 'generated', language: 'typescript', content: 'export const = = ;'.repeat(500) });
    files.splice(1, 0, { path: 'src/bad-a.ts', owner: 'generated', language: 'typescript', content: 'function (' });
    const seq = await formatAll(files, HEADER, FormatCache.inMemory(), { workers: 'off' }).catch((e: Error) => e);
    const par = await formatAll(files, HEADER, FormatCache.inMemory(), { workers: 1 }).catch((e: Error) => e);
    expect(seq).toBeInstanceOf(Error);
    expect(par).toBeInstanceOf(Error);
    expect((par as Error).message).toBe((seq as Error).message);
    expect((par as Error).constructor).toBe((seq as Error).constructor);
  });

  it('auto: no worker when prettier has little or nothing uncached to do', async () => {
    process.env.MCP_GEN_FORMAT_WORKERS = '1';
    const files = sample();
    const cache = FormatCache.inMemory();
    await formatAll(files, HEADER, cache, { workers: 'off' });
    await formatAll(files, HEADER, cache); // everything cached: a no-op
    expect(lastFormatRun.workers).toBe(0);
    await formatAll(sample(2), HEADER, FormatCache.inMemory()); // a few KB cold
    expect(lastFormatRun.workers).toBe(0);
  });

  it('worker count: one per core beyond two, capped; MCP_GEN_FORMAT_WORKERS overrides, 0 is off', () => {
    expect(formatWorkerCount({ MCP_GEN_FORMAT_WORKERS: '0' })).toBe(0);
    expect(formatWorkerCount({ MCP_GEN_FORMAT_WORKERS: '1' })).toBe(1);
    expect(formatWorkerCount({ MCP_GEN_FORMAT_WORKERS: '64' })).toBe(2);
    expect(formatWorkerCount({})).toBeLessThanOrEqual(2);
  });
});
