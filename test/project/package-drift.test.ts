/**
 * package.json is user-owned, so a manifest that later needs a package (`state.backend: redis`,
 * `auth:`, `apps:`) cannot add it there. generate warns (MG5011) with the exact install command,
 * keeps warning until the package is listed, and never rewrites the user's package.json.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../generator/project.ts';
import { missingPackages } from '../../generator/write/package-drift.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const ours = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const BASE = 'server: { name: drift, version: "1.0" }\ntools:\n  - name: ping\n    description: Answers pong\n';

async function generate(dir: string) {
  const result = await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env: hermeticEnv() } });
  return { drift: result.warnings.filter((w) => w.code === 'MG5011'), settled: result.settled };
}

describe('MG5011: the manifest needs a package the user-owned package.json does not list', () => {
  it('adding `state.backend: redis` later: warned with the pinned install command until redis is listed; package.json untouched', async () => {
    const dir = join(REPO_ROOT, 'test', 'tmp', `drift-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
    dirs.push(dir);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'mcp-gen.yaml'), BASE);
    expect((await generate(dir)).drift).toEqual([]); // created by this run: complete

    writeFileSync(join(dir, 'mcp-gen.yaml'), `${BASE}state:\n  backend: redis\n`);
    const before = readFileSync(join(dir, 'package.json'), 'utf8');
    const first = await generate(dir);
    expect(first.drift).toHaveLength(1);
    expect(first.drift[0]!.severity).toBe('warning');
    expect(first.drift[0]!.message).toContain(`redis@${ours.devDependencies.redis}`);
    expect(first.drift[0]!.help).toBe(`npm install --save-exact redis@${ours.devDependencies.redis}`);
    expect(first.settled).toBe(false); // so the no-op shortcut cannot swallow the warning next time
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(before);
    expect((await generate(dir)).drift).toHaveLength(1); // still there on the next run

    const pkg = JSON.parse(before) as { dependencies: Record<string, string> };
    pkg.dependencies.redis = '^6.0.0'; // any range the user chose counts as listed
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
    const fixed = await generate(dir);
    expect(fixed.drift).toEqual([]);
    expect(fixed.settled).toBe(true);
  });

  it('compares by package name across both lists; build devDependencies only, never test tooling', () => {
    const wanted = {
      dependencies: { jose: '6.2.17', zod: '4.6.7' },
      devDependencies: { esbuild: '0.28.2', vitest: '3.0.0', typescript: '5.9.3' },
    };
    expect(missingPackages(wanted, { dependencies: { zod: '^4' }, devDependencies: { typescript: '5' } })).toEqual({ runtime: ['jose@6.2.17'], dev: ['esbuild@0.28.2'] });
    expect(missingPackages(wanted, { devDependencies: { jose: '*', zod: '*', esbuild: '*', typescript: '*' } })).toEqual({ runtime: [], dev: [] });
    expect(missingPackages(wanted, {})).toEqual({ runtime: ['jose@6.2.17', 'zod@4.6.7'], dev: ['esbuild@0.28.2', 'typescript@5.9.3'] });
  });
});
