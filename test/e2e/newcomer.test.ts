/**
 * What a newcomer does, outside this repo: `mcp-gen init` → `npm install` (registry only) →
 * `npm run build` → `npm start`, then the official SDK client lists and calls the tools over
 * Streamable HTTP and stdio; `npm test` runs the generated conformance suite. Also: `mcp-gen
 * generate --check` in the project.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hermeticEnv, REPO_ROOT, tempDir } from '../helpers/env.ts';
import { waitForStderr } from '../helpers/process.ts';
import { officialClient } from '../helpers/official-client.ts';

const BIN = join(REPO_ROOT, 'bin', 'mcp-gen.js');
const root = tempDir('mcp-gen-newcomer-');
const project = join(root, 'weather');
const env = { ...process.env, ...hermeticEnv() };

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 240_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

let server: ChildProcess | undefined;
let url = '';

beforeAll(async () => {
  run(process.execPath, [BIN, 'init', project, '--template', 'weather'], root);
  writeFileSync(
    join(project, 'src/handlers/tools/get-weather.ts'),
    `import type { GetWeatherHandler } from '../../generated/tools.ts';
export const getWeather: GetWeatherHandler = async (input, ctx) => {
  ctx.progress(1, 2, 'looking up');
  if (input.city === 'Atlantis') return ctx.error('no such city');
  return { structured: { temperature: input.units === 'imperial' ? 70 : 21, conditions: \`sunny in \${input.city}\` } };
};
`,
  );
  run('npm', ['install', '--no-audit', '--no-fund'], project);
  run('npm', ['run', 'build'], project);
  server = spawn(process.execPath, ['dist/main.js'], { cwd: project, env: { ...env, PORT: '0', MCP_STATE_SECRET: 'e2e-secret-e2e-secret-e2e-secret!' }, stdio: ['ignore', 'pipe', 'pipe'] });
  url = await waitForStderr(server, /listening on (http:\/\/\S+)/, 'server');
}, 300_000);

afterAll(() => {
  server?.kill('SIGTERM');
  rmSync(root, { recursive: true, force: true });
});

describe('newcomer path', () => {
  it('the project README lists the tools and package.json pins the generator that made it (this checkout) beside registry packages', () => {
    expect(readFileSync(join(project, 'README.md'), 'utf8')).toContain('`get_weather`');
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
    expect(Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).sort()).toEqual(['@types/node', 'mcp-gen', 'oauth4webapi', 'tsx', 'typescript', 'vite', 'vitest', 'zod']);
    expect(pkg.devDependencies['mcp-gen']).toBe(`file:${REPO_ROOT}`);
  });

  it('`npm test` passes out of the box (the generated conformance suite, mock and live handlers)', () => {
    const r = run('npm', ['test'], project);
    expect(r.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/Tests\s+\d+ passed/);
    const live = run('npm', ['run', 'test:live'], project);
    expect(live.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/Tests\s+\d+ passed/);
  });

  it('serves the official client over Streamable HTTP', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const { client, http } = await officialClient();
    await client.connect(http(url));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['get_weather']);
    const progress: number[] = [];
    const r = await client.callTool({ name: 'get_weather', arguments: { city: 'Lisbon' } }, { onprogress: (p) => progress.push(p.progress) });
    expect(r.structuredContent).toEqual({ temperature: 21, conditions: 'sunny in Lisbon' });
    expect(JSON.parse(r.content[0]!.text!)).toEqual(r.structuredContent);
    expect(progress).toEqual([1]);
    expect((await client.callTool({ name: 'get_weather', arguments: { city: 'Atlantis' } })).isError).toBe(true);
    const invalid = await client.callTool({ name: 'get_weather', arguments: { city: 3 } });
    expect(invalid.isError).toBe(true);
    await client.close();
  });

  it('serves the official client over stdio', async () => {
    const { client, stdio } = await officialClient();
    await client.connect(stdio({ command: process.execPath, args: ['dist/main.js', '--stdio'], cwd: project }));
    const r = await client.callTool({ name: 'get_weather', arguments: { city: 'Oslo', units: 'imperial' } });
    expect(r.structuredContent).toEqual({ temperature: 70, conditions: 'sunny in Oslo' });
    await client.close();
  });

  it('`npm run conformance` runs the official suite against the project, judged by its generated baseline', () => {
    run('npm', ['run', 'conformance:setup'], project);
    const r = run('npm', ['run', 'conformance'], project);
    expect(`${r.stdout}${r.stderr}`).toContain('=== SUMMARY ===');
  });

  it('generate --check passes in the fresh project and fails after a manifest edit', () => {
    run(process.execPath, [BIN, 'generate', '--check'], project);
    const manifest = join(project, 'mcp-gen.yaml');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('title: Get weather', 'title: Get the weather'));
    const r = spawnSync(process.execPath, [BIN, 'generate', '--check'], { cwd: project, env, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('src/generated/tools/get-weather.ts');
  });
});
