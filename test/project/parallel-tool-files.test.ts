/**
 * Helper threads change speed, never output (generator/emit/parallel/tool-files.ts). The built
 * generator (dist/: helpers run from built code only) generates the same projects with helper
 * threads and without (MCP_GEN_WORKERS=0), and every file must be byte-identical, on inputs
 * nobody on the project wrote: the JSON Schema Test Suite's object schemas as tools (compile
 * corpus), the bench's seeded synthetic manifest (shared `$ref` schemas), and tools with
 * elicitation asks. The helpers must really have rendered tools in each run (else this would
 * compare the main thread with itself).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticManifest } from '../../bench/lib/synthetic-manifest.ts';
import type { generateProject as GenerateProject } from '../../generator/project.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';
import { HARD_CASES, SHARED_SCHEMAS, suiteObjectSchemas } from './compile-corpus.ts';

const root = join(REPO_ROOT, 'test', 'tmp', `parallel-tool-files-${process.pid}`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const built = (): Promise<{ generateProject: typeof GenerateProject }> => import(pathToFileURL(join(REPO_ROOT, 'dist', 'generator', 'project.js')).href);

function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== '.mcp-gen') walk(p);
      } else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

async function generate(name: string, manifest: string, workers: string) {
  const dir = join(root, `${name}-${workers}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'mcp-gen.yaml'), manifest);
  const before = process.env.MCP_GEN_WORKERS;
  process.env.MCP_GEN_WORKERS = workers;
  try {
    const { generateProject } = await built();
    const result = await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env: hermeticEnv() } });
    return { files: tree(dir), helpers: result.incremental.render['tool-file-helpers'] };
  } finally {
    if (before === undefined) delete process.env.MCP_GEN_WORKERS;
    else process.env.MCP_GEN_WORKERS = before;
  }
}

async function expectSameWithHelpers(name: string, manifest: string, tools: number) {
  const alone = await generate(name, manifest, '0');
  const helped = await generate(name, manifest, '2');
  expect(alone.helpers, 'no helper threads with MCP_GEN_WORKERS=0').toBeUndefined();
  // Every tool was rendered once, here or by a helper, and helpers took some.
  expect(helped.helpers!.hits + helped.helpers!.misses).toBe(tools);
  expect(helped.helpers!.hits, 'tools the helper threads rendered').toBeGreaterThan(0);
  expect([...helped.files.keys()].sort()).toEqual([...alone.files.keys()].sort());
  for (const [path, text] of alone.files) expect(helped.files.get(path), path).toBe(text);
}

const askTool = (i: number) => ({
  name: `confirm_step_${i}`,
  description: `Step ${i}: asks before it acts.`,
  input: { type: 'object', properties: { id: { type: 'string', minLength: 1 }, count: { type: 'integer', minimum: i } }, required: ['id'] },
  output: { type: 'object', properties: { done: { type: 'boolean' }, notes: { type: 'array', items: { type: 'string' }, maxItems: i + 1 } }, required: ['done'] },
  asks: [
    { id: 'confirm', kind: 'elicitation', message: `Really run step ${i}?`, schema: { type: 'object', properties: { confirm: { type: 'boolean', title: 'Go ahead' }, reason: { type: 'string', maxLength: 200 } }, required: ['confirm'] } },
    { id: 'workspace', kind: 'roots' },
  ],
});

describe('helper threads render tool modules exactly as the main thread does', () => {
  it('the JSON Schema Test Suite corpus as tools', { timeout: 600_000 }, async () => {
    const corpus = [...suiteObjectSchemas().entries, ...HARD_CASES];
    const manifest = {
      spec: '2026-07-28',
      server: { name: 'corpus', version: '1.0.0' },
      schemas: SHARED_SCHEMAS,
      tools: corpus.map((entry, i) => ({ name: `corpus_${String(i).padStart(3, '0')}`, description: entry.label, input: entry.schema, output: entry.schema })),
    };
    await expectSameWithHelpers('corpus', JSON.stringify(manifest, null, 1), corpus.length);
  });

  it('a seeded synthetic manifest with shared $ref schemas, and tools with elicitation asks', { timeout: 600_000 }, async () => {
    const synthetic = syntheticManifest(60, 7);
    await expectSameWithHelpers('synthetic', synthetic, (parse(synthetic) as { tools: unknown[] }).tools.length);
    const asks = { spec: '2026-07-28', server: { name: 'asks', version: '1.0.0' }, tools: Array.from({ length: 40 }, (_, i) => askTool(i)) };
    await expectSameWithHelpers('asks', JSON.stringify(asks, null, 1), 40);
  });
});
