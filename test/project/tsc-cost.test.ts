/**
 * What a generated project costs the user's tsc. Each validator's declared type is checked through
 * `__checked(...)` (generator/emit/zod-printer/runtime-helpers.ts), which makes tsc compare the
 * validator's output and input types with it and nothing more. The plain annotation
 * `const x: z.ZodType<T, T> = expr` compares every member of zod's ZodType interface: a 100-tool
 * project took 1.26 M type instantiations and 840 MB of tsc that way, and 1 000 tools ran tsc out of
 * a 4 GB heap. Instantiation counts are deterministic for the pinned TypeScript and zod, so the
 * marginal cost of one tool is pinned here: a count, not a timing.
 *
 * The check still holds: a validator edited to disagree with its type fails tsc on that line.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticManifest } from '../../bench/lib/synthetic-manifest.ts';
import { generateProject } from '../../generator/project.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';
import { tscProject } from '../helpers/tsc-project.ts';

/** Measured: 2 977 per tool with __checked, 10 276 with the plain annotation (synthetic tools 10 → 30, TypeScript 5.9, zod 4). */
const MAX_INSTANTIATIONS_PER_TOOL = 5_000;

const root = join(REPO_ROOT, 'test', 'tmp', `tsc-cost-${process.pid}`);
afterAll(() => rmSync(root, { recursive: true, force: true }));
const env = hermeticEnv();

async function project(tools: number): Promise<string> {
  const dir = join(root, `p${tools}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'mcp-gen.yaml'), syntheticManifest(tools));
  await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env } });
  return dir;
}

function instantiations(dir: string): number {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json'), '--noEmit', '--extendedDiagnostics'], { cwd: dir, encoding: 'utf8' });
  expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
  const m = /^Instantiations:\s+(\d+)$/m.exec(r.stdout);
  expect(m, r.stdout).not.toBeNull();
  return Number(m![1]);
}

describe('tsc cost of a generated project', () => {
  it(`one more tool costs tsc under ${MAX_INSTANTIATIONS_PER_TOOL} type instantiations`, { timeout: 300_000 }, async () => {
    const small = instantiations(await project(10));
    const large = instantiations(await project(30));
    const perTool = (large - small) / 20;
    expect(perTool).toBeGreaterThan(0);
    expect(perTool).toBeLessThan(MAX_INSTANTIATIONS_PER_TOOL);
  });

  it('a validator that disagrees with its declared type fails tsc on its line', { timeout: 300_000 }, async () => {
    const dir = await project(3);
    expect(tscProject(dir)).toMatchObject({ ok: true });
    const toolsDir = join(dir, 'src', 'generated', 'tools');
    const file = join(toolsDir, readdirSync(toolsDir).filter((n) => n.endsWith('.ts') && n !== 'index.ts').sort()[0]!);
    const text = readFileSync(file, 'utf8');
    // The first string property of the input validator becomes a number: its type still says string.
    const at = text.indexOf(': z.string(),', text.indexOf('InputSchema: z.ZodType<'));
    expect(at).toBeGreaterThan(0);
    writeFileSync(file, `${text.slice(0, at)}: z.number(),${text.slice(at + ': z.string(),'.length)}`);
    const line = text.slice(0, text.indexOf('InputSchema: z.ZodType<')).split('\n').length;
    const r = tscProject(dir);
    expect(r.ok).toBe(false);
    expect(r.output).toContain(`${file.slice(dir.length + 1)}(${line},`);
    expect(r.output).toMatch(/TS2322/);
    expect(r.output).toMatch(/Type 'number' is not assignable to type 'string'/);
  });
});
