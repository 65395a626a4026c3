/**
 * `mcp-gen init`: all or nothing (a failure leaves no directory, a retry works), `--from`, the
 * pinned `mcp-gen` devDependency, and the generator version recorded in the lock.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticError } from '../../generator/diagnostics/diagnostic.ts';
import { resolveGeneratorSpec } from '../../generator/generator-spec.ts';
import { initProject, personalizeManifest, SCHEMA_MODELINE } from '../../generator/init.ts';
import { GENERATOR_VERSION, PACKAGE_ROOT } from '../../generator/paths.ts';
import { generateProject } from '../../generator/project.ts';
import { runCli } from '../helpers/cli.ts';
import { hermeticEnv, REPO_ROOT, tempDir } from '../helpers/env.ts';

const devDeps = (dir: string) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies;

describe('init is all or nothing', () => {
  it('a failure before the swap leaves no directory (nor the parents it created), and a retry works', async () => {
    const root = tempDir();
    const dir = join(root, 'a', 'b', 'srv');
    const boom = new Error('injected fault');
    await expect(initProject({ dir, template: 'weather', source: { env: hermeticEnv() }, beforeSwap: () => { throw boom; } })).rejects.toBe(boom);
    expect(readdirSync(root)).toEqual([]);
    const r = await initProject({ dir, template: 'weather', source: { env: hermeticEnv() } });
    expect(r.report.actions.length).toBeGreaterThan(10);
    expect(existsSync(join(dir, 'src/handlers/tools/get-weather.ts'))).toBe(true);
    expect(readdirSync(join(root, 'a', 'b'))).toEqual(['srv']);
  });

  it('offline with no mirror: fails in seconds with MG1006, leaves nothing, and the retry with a mirror works', async () => {
    const root = tempDir();
    const dir = join(root, 'srv');
    const offline = hermeticEnv({ MCP_GEN_SPEC_MIRROR: 'http://127.0.0.1:9' });
    const r = await runCli(['init', dir], { env: offline, cwd: root });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('MG1006');
    expect(r.stderr).toContain('MCP_GEN_SPEC_MIRROR');
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(root)).toEqual([]);
    const retry = await runCli(['init', dir], { cwd: root });
    expect(retry.code, retry.stderr).toBe(0);
    expect(existsSync(join(dir, 'mcp-gen.yaml'))).toBe(true);
  });

  it('an existing directory keeps its files (the user\'s file wins) and is swapped as a whole', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'README.md'), 'mine\n');
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    await initProject({ dir, template: 'minimal', source: { env: hermeticEnv() } });
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('mine\n');
    expect(readFileSync(join(dir, '.git', 'HEAD'), 'utf8')).toBe('ref: refs/heads/main\n');
    expect(existsSync(join(dir, 'mcp-gen.lock.json'))).toBe(true);
    // the user's own package.json is not touched; this one was created, so it pins mcp-gen
    expect(devDeps(dir)['mcp-gen']).toBeDefined();
    expect(readdirSync(join(dir, '..')).filter((n) => n.includes('mcp-gen-init'))).toEqual([]);
  });

  it('a directory with a manifest is refused (MG5006) and left as it was', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'mcp-gen.yaml'), 'spec: 2026-07-28\n');
    const r = await runCli(['init', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('MG5006');
    expect(readdirSync(dir)).toEqual(['mcp-gen.yaml']);
  });
});

describe('personalizeManifest', () => {
  it('changes only spec and server.name; flow style, comments and quoting elsewhere are kept byte for byte', () => {
    const text = '# mine\nspec: 2026-07-28   # pin\nserver: { name: old, version: "1" }\ntools:\n  - name: a\n    input: { type: object, required: [x] }\n';
    expect(personalizeManifest(text, { name: 'my server' })).toBe(
      `${SCHEMA_MODELINE}\n# mine\nspec: 2026-07-28   # pin\nserver: { name: "my server", version: "1" }\ntools:\n  - name: a\n    input: { type: object, required: [x] }\n`,
    );
    expect(personalizeManifest(text, { name: 'srv-1' })).toContain('server: { name: srv-1, version: "1" }');
    expect(personalizeManifest(text, { name: 'true' })).toContain('name: "true"');
  });
});

describe('init --from', () => {
  it('builds a project around an existing manifest and the schema and app files it references', async () => {
    const dir = join(tempDir(), 'shop');
    const r = await runCli(['init', dir, '--from', join(REPO_ROOT, 'examples/kitchen-sink/mcp-gen.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'mcp-gen.yaml'), 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'examples/kitchen-sink/mcp-gen.yaml'), 'utf8'));
    expect(readFileSync(join(dir, 'schemas/address.json'), 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'examples/kitchen-sink/schemas/address.json'), 'utf8'));
    expect(existsSync(join(dir, 'apps/order-board.html'))).toBe(true);
    expect(existsSync(join(dir, 'src/handlers/tools/search-orders.ts'))).toBe(true);
  });

  it('a broken manifest is reported at its own path and nothing is created', async () => {
    const src = tempDir();
    writeFileSync(join(src, 'm.yaml'), 'spec: 2026-07-28\nserver: { name: x, version: "1" }\ntools:\n  - name: a\n    descripton: typo\n');
    const dir = join(src, 'out');
    const r = await runCli(['init', dir, '--from', join(src, 'm.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/m\.yaml:5:5/);
    expect(existsSync(dir)).toBe(false);
  });

  it('--from and --template together are a usage error', async () => {
    expect((await runCli(['init', join(tempDir(), 'x'), '--from', 'a.yaml', '--template', 'weather'])).code).toBe(2);
  });
});

describe('the mcp-gen devDependency', () => {
  it('--generator-spec wins over MCP_GEN_GENERATOR_SPEC, which wins over the checkout; local paths become absolute file: specs', async () => {
    const cwd = tempDir();
    const a = join(cwd, 'a');
    await runCli(['init', a, '--generator-spec', './mcp-gen-9.9.9.tgz'], { cwd, env: hermeticEnv({ MCP_GEN_GENERATOR_SPEC: '1.2.3' }) });
    expect(devDeps(a)['mcp-gen']).toBe(`file:${join(cwd, 'mcp-gen-9.9.9.tgz')}`);
    const b = join(cwd, 'b');
    await runCli(['init', b], { cwd, env: hermeticEnv({ MCP_GEN_GENERATOR_SPEC: '1.2.3' }) });
    expect(devDeps(b)['mcp-gen']).toBe('1.2.3');
    const c = join(cwd, 'c');
    const r = await runCli(['init', c], { cwd });
    expect(devDeps(c)['mcp-gen']).toBe(`file:${PACKAGE_ROOT}`);
    expect(r.stdout).toContain('(checkout)');
    // keys stay sorted, so the file reads like one npm wrote
    const keys = Object.keys(devDeps(c));
    expect(keys).toEqual([...keys].sort());
  });

  it('installed from a tarball: file: to that tarball (from the installing tree\'s lockfile); from the registry: the exact version', () => {
    const tree = tempDir();
    const root = join(tree, 'node_modules', 'mcp-gen');
    mkdirSync(root, { recursive: true });
    writeFileSync(
      join(tree, 'node_modules', '.package-lock.json'),
      JSON.stringify({ packages: { 'node_modules/mcp-gen': { version: '0.1.0', resolved: 'file:../dl/mcp-gen-0.1.0.tgz' } } }),
    );
    expect(resolveGeneratorSpec({ cwd: '/', env: {}, packageRoot: root })).toEqual({ spec: `file:${join(tree, '..', 'dl', 'mcp-gen-0.1.0.tgz')}`, origin: 'tarball' });
    writeFileSync(
      join(tree, 'node_modules', '.package-lock.json'),
      JSON.stringify({ packages: { 'node_modules/mcp-gen': { version: GENERATOR_VERSION, resolved: `https://registry.npmjs.org/mcp-gen/-/mcp-gen-${GENERATOR_VERSION}.tgz` } } }),
    );
    expect(resolveGeneratorSpec({ cwd: '/', env: {}, packageRoot: root })).toEqual({ spec: GENERATOR_VERSION, origin: 'registry' });
  });
});

describe('the generator version in the lock', () => {
  it('--check with another generator version refuses (MG5010) naming both; a write upgrades with a warning; an older generator refuses to write', async () => {
    const dir = join(tempDir(), 'srv');
    await initProject({ dir, template: 'minimal', source: { env: hermeticEnv() } });
    const lockPath = join(dir, 'mcp-gen.lock.json');
    const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
    const manifestPath = join(dir, 'mcp-gen.yaml');
    const source = { env: hermeticEnv() };

    writeFileSync(lockPath, JSON.stringify({ ...lock, generator: { name: 'mcp-gen', version: '0.0.1' } }));
    const check = await generateProject({ manifestPath, mode: 'check', source }).catch((e: unknown) => e);
    expect((check as DiagnosticError).diagnostics[0]!.code).toBe('MG5010');
    expect((check as DiagnosticError).message).toContain(`written by mcp-gen 0.0.1; this is mcp-gen ${GENERATOR_VERSION}`);
    const upgraded = await generateProject({ manifestPath, mode: 'write', source });
    expect(upgraded.warnings.map((w) => w.code)).toContain('MG5010');
    expect(JSON.parse(readFileSync(lockPath, 'utf8')).generator.version).toBe(GENERATOR_VERSION);

    writeFileSync(lockPath, JSON.stringify({ ...lock, generator: { name: 'mcp-gen', version: '99.0.0' } }));
    const downgrade = await generateProject({ manifestPath, mode: 'write', source }).catch((e: unknown) => e);
    expect((downgrade as DiagnosticError).diagnostics[0]!.code).toBe('MG5010');
    expect(JSON.parse(readFileSync(lockPath, 'utf8')).generator.version).toBe('99.0.0');
  });
});

describe('--help of every spec-reading command names the spec source order', () => {
  for (const path of [['init'], ['generate'], ['upgrade'], ['spec', 'pull'], ['spec', 'show'], ['spec', 'diff'], ['inspect', 'protocol']]) {
    it(path.join(' '), async () => {
      const r = await runCli([...path, '--help']);
      expect(r.stdout).toContain('MCP_GEN_SPEC_MIRROR');
      expect(r.stdout).toMatch(/1\. --schema FILE[\s\S]*2\. the cache[\s\S]*3\. MCP_GEN_SPEC_MIRROR[\s\S]*4\. the pinned upstream/);
    });
  }
});
