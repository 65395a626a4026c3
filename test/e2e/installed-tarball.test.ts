/**
 * mcp-gen as a user gets it: `npm pack` (its own prepack build), the tarball installed into a
 * fresh directory outside the repository (own HOME, own npm cache, no NODE_PATH, no path back to
 * the repository's node_modules), then the installed `mcp-gen init` → `npm install` → `npm run
 * build` → serve → tools/list; the regeneration loop through the project's own devDependency
 * (`npm run generate`, `npm run check`, a hand edit caught); `generate --watch`; `diff --against`.
 * Heavy (a tsc build, two registry installs): minutes, not seconds.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, SHARED_SPEC } from '../helpers/env.ts';
import { waitForStderr } from '../helpers/process.ts';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'mcp-gen-installed-')));
const project = join(root, 'weather');
const manifest = join(project, 'mcp-gen.yaml');
const nodeBin = dirname(process.execPath);
// Only node/npm and the system: nothing from the repository on PATH or NODE_PATH.
const env: NodeJS.ProcessEnv = {
  PATH: `${nodeBin}:/usr/local/bin:/usr/bin:/bin`,
  HOME: join(root, 'home'),
  npm_config_cache: join(root, 'npm-cache'),
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
  MCP_GEN_SPEC_MIRROR: SHARED_SPEC,
  MCP_GEN_CACHE_DIR: join(root, 'mcp-gen-cache'),
  GIT_AUTHOR_NAME: 'e2e',
  GIT_AUTHOR_EMAIL: 'e2e@example.com',
  GIT_COMMITTER_NAME: 'e2e',
  GIT_COMMITTER_EMAIL: 'e2e@example.com',
};
mkdirSync(env.HOME!, { recursive: true });

function run(cmd: string, args: string[], cwd: string, allow: number[] = [0]) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 600_000 });
  if (!allow.includes(r.status ?? -1)) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r;
}
const mcpGen = (args: string[], allow: number[] = [0]) => run('npx', ['--no-install', 'mcp-gen', ...args], project, allow);
const editManifest = (from: string | RegExp, to: string) => {
  const text = readFileSync(manifest, 'utf8');
  if (typeof from === 'string' ? !text.includes(from) : !from.test(text)) throw new Error(`manifest has no ${String(from)}`);
  writeFileSync(manifest, text.replace(from, to));
};

let tarball = '';
let server: ChildProcess | undefined;

beforeAll(() => {
  // Pack a copy of the sources so prepack's clean build never touches the checkout's dist/.
  const src = join(root, 'src');
  for (const entry of ['package.json', 'README.md', 'tsconfig.json', 'tsconfig.build.json', 'bin', 'generator', 'templates', 'examples', 'spec', 'docs', 'scripts']) {
    cpSync(join(REPO_ROOT, entry), join(src, entry), { recursive: true });
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(src, 'node_modules'));
  const packed = run('npm', ['pack', '--json', '--pack-destination', root], src);
  tarball = join(root, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
  mkdirSync(join(root, 'tool'));
  run('npm', ['install', tarball], join(root, 'tool'));
  env.PATH = `${join(root, 'tool', 'node_modules', '.bin')}:${env.PATH}`;
}, 900_000);

afterAll(() => {
  server?.kill('SIGTERM');
  rmSync(root, { recursive: true, force: true });
});

describe('the installed tarball', () => {
  it('ships the compiled CLI, templates, runtime sources and spec pins, and no tests', () => {
    const files = run('tar', ['tzf', tarball], root).stdout.split('\n');
    // dist/bundle, its runner and the precompiled templates: what bin/mcp-gen.js and renderTemplate run (scripts/bundle-cli.mjs, precompile-templates.mjs)
    for (const f of ['package/bin/mcp-gen.js', 'package/dist/generator/cli/main.js', 'package/dist/bundle/mcp-gen.cjs', 'package/dist/generator/launch/bundle-runner.js', 'package/dist/templates.precompiled.json', 'package/templates/runtime/index.ts', 'package/templates/project/package.json.hbs', 'package/examples/weather/mcp-gen.yaml', 'package/spec/versions.json']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.startsWith('package/test/') || f.includes('node_modules') || f.includes('.code-cache'))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(root, 'tool/node_modules/mcp-gen/package.json'), 'utf8'));
    expect(pkg.private).toBeUndefined();
    expect(realpathSync(join(root, 'tool/node_modules/mcp-gen'))).toBe(join(root, 'tool/node_modules/mcp-gen'));
  });

  it('keeps a V8 code cache beside its installed bundle, and later runs start from it', () => {
    const installed = join(root, 'tool', 'node_modules', 'mcp-gen');
    const version = () => spawnSync(process.execPath, [join(installed, 'bin', 'mcp-gen.js'), '--version'], { cwd: root, env: { ...env, MCP_GEN_TIMINGS: '1' }, encoding: 'utf8' });
    expect(version().status).toBe(0);
    const second = version();
    expect(second.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(second.stderr).toContain('code cache: used');
    expect(readdirSync(join(installed, 'dist', 'bundle', '.code-cache'))).toEqual([`${process.version}-${process.arch}.bin`]);
  });

  it('offline, a dual-era project with only its own revision cached: MG1006 names `mcp-gen spec pull 2025-11-25`, which fixes it', () => {
    const dir = join(root, 'offline-dual');
    mkdirSync(dir);
    writeFileSync(join(dir, 'mcp-gen.yaml'), 'spec: 2026-07-28\nserver: { name: offline-dual, version: "1.0.0" }\ntools:\n  - name: ping_me\n    description: Answers pong\n    input: { type: object, properties: {} }\n');
    const cache = { MCP_GEN_CACHE_DIR: join(root, 'offline-cache') };
    const installed = (args: string[], extra: NodeJS.ProcessEnv) => spawnSync('mcp-gen', args, { cwd: dir, env: { ...env, ...cache, ...extra }, encoding: 'utf8', timeout: 300_000 });
    expect(installed(['spec', 'pull', '2026-07-28'], {}).status).toBe(0);
    // A mirror that refuses connections stands for "offline".
    const offline = { MCP_GEN_SPEC_MIRROR: 'http://127.0.0.1:9' };
    const failed = installed(['generate'], offline);
    expect(failed.status, failed.stdout).toBe(1);
    expect(failed.stderr).toContain('MG1006 the schema of 2025-11-25 is needed too');
    expect(failed.stderr).toContain('run `mcp-gen spec pull 2025-11-25` once while online');
    expect(installed(['spec', 'pull', '2025-11-25'], {}).status).toBe(0);
    const fixed = installed(['generate'], offline);
    expect(fixed.status, fixed.stderr).toBe(0);
  });

  it('a template edited after the build (no precompiled entry for its source) is compiled by the full Handlebars, which the bundle does not carry', () => {
    const dir = join(root, 'edited-template');
    mkdirSync(dir);
    writeFileSync(join(dir, 'mcp-gen.yaml'), 'spec: 2026-07-28\nserve: [2026-07-28]\nserver: { name: edited-template, version: "1.0.0" }\ntools:\n  - name: ping_me\n    description: Answers pong\n    input: { type: object, properties: {} }\n');
    const template = join(root, 'tool', 'node_modules', 'mcp-gen', 'templates', 'project', 'src', 'generated', 'tools.ts.hbs');
    const original = readFileSync(template, 'utf8');
    writeFileSync(template, `${original}// edited after the build: {{#if hasTools}}has tools{{/if}}\n`);
    try {
      const r = spawnSync('mcp-gen', ['generate'], { cwd: dir, env, encoding: 'utf8', timeout: 300_000 });
      expect(r.status, r.stderr).toBe(0);
      expect(readFileSync(join(dir, 'src', 'generated', 'tools.ts'), 'utf8')).toContain('// edited after the build: has tools');
    } finally {
      writeFileSync(template, original);
    }
  });

  it('init → npm install → npm run build → serve → tools/list, with the project pinned to that tarball', { timeout: 900_000 }, async () => {
    const init = run('mcp-gen', ['init', 'weather', '--template', 'weather'], root);
    expect(init.stdout).toContain(`devDependency mcp-gen: file:${tarball} (tarball)`);
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
    expect(pkg.devDependencies['mcp-gen']).toBe(`file:${tarball}`);
    expect(pkg.scripts.generate).toBe('mcp-gen generate');
    expect(readFileSync(join(project, 'README.md'), 'utf8')).not.toMatch(/npm link|not on the npm registry/);
    run('npm', ['install'], project);
    // the project's generator is its own install of the tarball, not the checkout
    expect(realpathSync(join(project, 'node_modules/mcp-gen'))).toBe(join(project, 'node_modules/mcp-gen'));
    expect(readFileSync(join(project, 'package-lock.json'), 'utf8')).not.toContain(REPO_ROOT);
    run('npm', ['run', 'build'], project);

    server = spawn(process.execPath, ['dist/main.js'], { cwd: project, env: { ...env, PORT: '0', MCP_STATE_SECRET: 'e2e-secret-e2e-secret-e2e-secret!' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await waitForStderr(server, /listening on (http:\/\/\S+)/, 'server');
    const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: meta } }),
    });
    const body = (await res.json()) as { result: { tools: { name: string }[] } };
    expect(body.result.tools.map((t) => t.name)).toEqual(['get_weather']);
    server.kill('SIGTERM');
  });

  it('the loop through the project\'s own mcp-gen: generate, check clean, a hand edit fails check', { timeout: 300_000 }, () => {
    editManifest('          default: metric\n', '          default: metric\n        country:\n          type: string\n');
    const gen = run('npm', ['run', 'generate'], project);
    expect(gen.stdout).toMatch(/src\/generated\/tools\/get-weather\.ts/);
    expect(run('npm', ['run', 'check'], project).stdout).toContain('generated files are up to date');
    const generated = join(project, 'src/generated/tools/get-weather.ts');
    writeFileSync(generated, `${readFileSync(generated, 'utf8')}\n// hand edit\n`);
    const check = run('npm', ['run', 'check'], project, [1]);
    expect(check.stderr).toContain('src/generated/tools/get-weather.ts');
    run('npm', ['run', 'generate'], project);
    expect(run('npm', ['run', 'check'], project).status).toBe(0);
  });

  it('generate --watch picks up a manifest edit', { timeout: 300_000 }, async () => {
    // Its own process group: npx runs mcp-gen through `sh -c`, which does not pass a signal on, so
    // signalling npx alone left the watcher running (orphaned, watching a deleted directory).
    const watcher = spawn('npx', ['--no-install', 'mcp-gen', 'generate', '--watch'], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const exited = new Promise<void>((resolve) => watcher.once('exit', () => resolve()));
    let out = '';
    const seen = (re: RegExp) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          const m = re.exec(out);
          if (m) resolve(m[0]);
        };
        watcher.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          check();
        });
        watcher.on('exit', (code) => reject(new Error(`watch exited ${code}:\n${out}`)));
        check();
      });
    try {
      await seen(/watching mcp-gen\.yaml/);
      editManifest('City name, e.g. "Lisbon".', 'City name, e.g. "Porto".');
      expect(await seen(/regenerated in \d+ ms: [1-9]\d* file\(s\) changed[^\n]*/)).toContain('src/generated/');
      expect(readFileSync(join(project, 'src/generated/tools/get-weather.ts'), 'utf8')).toContain('Porto');
    } finally {
      if (watcher.exitCode === null && watcher.signalCode === null) process.kill(-watcher.pid!, 'SIGINT');
      await exited;
    }
    expect(() => process.kill(-watcher.pid!, 0), 'a process of the watcher group outlived the test').toThrow();
    expect(run('npm', ['run', 'check'], project).status).toBe(0);
  });

  it('diff --against HEAD: a new required field or a removed tool exits 1, a new optional field exits 0', { timeout: 300_000 }, () => {
    run('git', ['init', '-q'], project);
    run('git', ['add', '-A'], project);
    run('git', ['commit', '-qm', 'base'], project);
    const base = readFileSync(manifest, 'utf8');

    editManifest(/required: \[ ?city ?\]/, 'required: [city, country]');
    expect(mcpGen(['diff', '--against', 'HEAD'], [1]).stdout).toMatch(/BREAKING\s+input-field-required:get_weather\.country/);

    writeFileSync(manifest, base.replace(/tools:\n[\s\S]*$/, 'tools: []\n'));
    expect(mcpGen(['diff', '--against', 'HEAD'], [1]).stdout).toMatch(/BREAKING\s+tool-removed:get_weather/);

    writeFileSync(manifest, base.replace('        country:\n          type: string\n', '        country:\n          type: string\n        region:\n          type: string\n'));
    expect(mcpGen(['diff', '--against', 'HEAD']).stdout).toMatch(/compatible\s+input-field-added:get_weather\.region/);

    const bad = mcpGen(['diff', '--against', 'no-such-ref'], [2]);
    expect(bad.stderr.trim()).toBe('error: git ref "no-such-ref" does not exist');
    expect(readdirSync(root)).toContain('weather');
  });
});
