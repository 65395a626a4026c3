/**
 * Startup cost: `--help`, `--version` and `spec list` must not load the generator's heavy
 * dependencies (prettier, json-schema-to-typescript, Ajv, handlebars, zod, yaml); the commands
 * that generate load them when they run. Uses the built CLI (bin/mcp-gen.js → dist/bundle/), as users do.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hermeticEnv, REPO_ROOT, tempDir } from '../helpers/env.ts';

const HEAVY = ['prettier', 'json-schema-to-typescript', 'ajv', 'handlebars', 'zod', 'yaml'];
const BUNDLED_PACKAGES = JSON.parse(readFileSync(join(REPO_ROOT, 'dist', 'bundle', 'packages.json'), 'utf8')) as Record<string, string[]>;

function packagesLoaded(args: string[], cwd?: string): { code: number | null; packages: Set<string>; ms: number; stdout: string } {
  const out = join(tempDir(), 'loads.txt');
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', join(REPO_ROOT, 'test', 'helpers', 'record-loads.mjs'), join(REPO_ROOT, 'bin', 'mcp-gen.js'), ...args], {
    env: { ...hermeticEnv(), MCP_GEN_RECORD_LOADS: out },
    encoding: 'utf8',
    cwd,
  });
  const ms = performance.now() - t;
  const urls = readFileSync(out, 'utf8').split('\n');
  const packages = new Set(urls.map((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)?.[1]).filter((p): p is string => !!p));
  // bin/mcp-gen.js runs dist/bundle when built (scripts/bundle-cli.mjs): a loaded chunk loads the packages bundled in it.
  for (const u of urls) {
    const chunk = /\/dist\/bundle\/([^/]+\.js)$/.exec(u)?.[1];
    for (const p of chunk ? (BUNDLED_PACKAGES[chunk] ?? []) : []) packages.add(p);
  }
  return { code: r.status, packages, ms, stdout: r.stdout };
}

describe('cli startup', () => {
  for (const args of [['--help'], ['--version'], ['spec', 'list'], ['generate', '--help']]) {
    it(`mcp-gen ${args.join(' ')} loads no heavy module`, () => {
      const { code, packages, ms } = packagesLoaded(args);
      expect(code).toBe(0);
      expect(HEAVY.filter((p) => packages.has(p))).toEqual([]);
      expect(packages.has('commander')).toBe(true); // the recorder works
      console.log(`mcp-gen ${args.join(' ')}: ${ms.toFixed(0)} ms wall (shared machine), packages: ${[...packages].join(', ')}`);
    });
  }

  it('a no-op `generate` and `generate --check` of a generated project load no heavy module (the no-op shortcut)', () => {
    const dir = tempDir();
    copyFileSync(join(REPO_ROOT, 'examples', 'weather', 'mcp-gen.yaml'), join(dir, 'mcp-gen.yaml'));
    const first = packagesLoaded(['generate'], dir);
    expect(first.code).toBe(0);
    expect(first.packages.has('prettier') || first.packages.has('yaml')).toBe(true); // the first run did generate
    for (const args of [['generate'], ['generate', '--check']]) {
      const { code, packages, ms, stdout } = packagesLoaded(args, dir);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^(0 file\(s\) changed|generated files are up to date)/);
      expect(HEAVY.filter((p) => packages.has(p))).toEqual([]);
      console.log(`mcp-gen ${args.join(' ')} (no-op): ${ms.toFixed(0)} ms wall (shared machine), packages: ${[...packages].join(', ')}`);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('a command that generates does load them (the probe can see heavy modules)', () => {
    const { packages } = packagesLoaded(['generate', '--protocol-only', '--spec', '2026-07-28', '--out', join(tempDir(), 'out')]);
    expect(packages.has('prettier')).toBe(true);
    expect(packages.has('zod') && packages.has('handlebars')).toBe(true); // bundled ones are seen too
    // The spec's types are printed by generator/emit/ts-type-printer.ts: json-schema-to-typescript
    // (with lodash and its $ref parser) stays unloaded for this pinned revision.
    expect(packages.has('json-schema-to-typescript')).toBe(false);
  });
});
