/**
 * Startup cost: `--help`, `--version` and `spec list` must not load the generator's heavy
 * dependencies (prettier, json-schema-to-typescript, Ajv, handlebars, zod, yaml); the commands
 * that generate load them when they run. Uses the built CLI (bin/mcp-gen.js → dist/bundle/), as users do.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WRAPPER_PREFIX } from '../../generator/launch/bundle-runner.ts';
import { hermeticEnv, REPO_ROOT, tempDir } from '../helpers/env.ts';

const HEAVY = ['prettier', 'json-schema-to-typescript', 'ajv', 'handlebars', 'zod', 'yaml'];
const BUNDLE = join(REPO_ROOT, 'dist', 'bundle', 'mcp-gen.cjs');

interface Coverage {
  result: { url: string; functions: { ranges: { startOffset: number; count: number }[] }[] }[];
}

/**
 * The packages a command ran code of, from V8's coverage of the process (NODE_V8_COVERAGE): a file
 * under node_modules that ran, and, inside the bundle, a package module whose wrapper esbuild
 * keyed by its path (`"node_modules/zod/…"() {` , run on first import) and that was called.
 */
function packagesLoaded(args: string[], cwd?: string, runsBundle = true): { code: number | null; packages: Set<string>; ms: number; stdout: string } {
  const coverage = tempDir('mcp-gen-coverage-');
  const t = performance.now();
  // Its own code cache directory: coverage changes V8's flags, so a shared cache would be rejected and rewritten.
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'mcp-gen.js'), ...args], {
    env: { ...hermeticEnv(), NODE_V8_COVERAGE: coverage, MCP_GEN_CODE_CACHE: tempDir('mcp-gen-code-cache-') },
    encoding: 'utf8',
    cwd,
  });
  const ms = performance.now() - t;
  const bundle = readFileSync(BUNDLE, 'latin1');
  const packages = new Set<string>();
  let sawBundle = false;
  for (const file of readdirSync(coverage)) {
    for (const script of (JSON.parse(readFileSync(join(coverage, file), 'utf8')) as Coverage).result) {
      const path = script.url.startsWith('file:') ? fileURLToPath(script.url) : script.url;
      const external = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
      if (external) packages.add(external);
      if (path !== BUNDLE) continue;
      sawBundle = true;
      for (const fn of script.functions) {
        const { startOffset, count } = fn.ranges[0]!;
        if (count === 0) continue;
        const at = startOffset - WRAPPER_PREFIX.length;
        const bundled = /^"node_modules\/((?:@[^/]+\/)?[^/"]+)/.exec(bundle.slice(at, at + 200))?.[1];
        if (bundled) packages.add(bundled);
      }
    }
  }
  expect(sawBundle).toBe(runsBundle); // whether the command ran the bundle, whose coverage this reads
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

  it('a no-op `generate` and `generate --check` of a generated project are answered by the launcher; with other options, by the bundle; neither loads a heavy module', () => {
    const dir = tempDir();
    copyFileSync(join(REPO_ROOT, 'examples', 'weather', 'mcp-gen.yaml'), join(dir, 'mcp-gen.yaml'));
    const first = packagesLoaded(['generate'], dir);
    expect(first.code).toBe(0);
    expect(first.packages.has('prettier') || first.packages.has('yaml')).toBe(true); // the first run did generate
    // A project's npm scripts: the launcher answers from the no-op stamp, the bundle never runs (launch/launcher-noop.ts).
    const answers: string[] = [];
    for (const args of [['generate'], ['generate', '--check']]) {
      const { code, packages, ms, stdout } = packagesLoaded(args, dir, false);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^(0 file\(s\) changed, \d+ unchanged or user-owned|generated files are up to date)\n$/);
      expect([...packages]).toEqual([]);
      answers.push(stdout);
      console.log(`mcp-gen ${args.join(' ')} (no-op, launcher): ${ms.toFixed(0)} ms wall (shared machine)`);
    }
    // Any other argument list goes through the CLI, whose own shortcut answers the same.
    for (const args of [['generate', '--manifest', 'mcp-gen.yaml'], ['generate', '--check', '--manifest', 'mcp-gen.yaml']]) {
      const { code, packages, ms, stdout } = packagesLoaded(args, dir);
      expect(code).toBe(0);
      expect(stdout).toBe(answers.shift());
      expect(HEAVY.filter((p) => packages.has(p))).toEqual([]);
      console.log(`mcp-gen ${args.join(' ')} (no-op, bundle): ${ms.toFixed(0)} ms wall (shared machine), packages: ${[...packages].join(', ')}`);
    }
    // A generated file edited by hand: the stamp proves nothing, so the launcher leaves `generate --check` to the CLI, which fails it.
    const tool = join(dir, 'src', 'generated', 'tools', 'get-weather.ts');
    writeFileSync(tool, `${readFileSync(tool, 'utf8')}// edited\n`);
    expect(packagesLoaded(['generate', '--check'], dir).code).toBe(1); // (and the bundle ran: packagesLoaded checks it)
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
