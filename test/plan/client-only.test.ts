/**
 * `generate --client-only`: client and shared files only (no server runtime, wiring, handlers or
 * entry point), remembered in the lock file so `generate --check` and a plain `generate` stay a client's.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runtimeSources } from '../../generator/emit/artifacts/project/runtime-copy.ts';
import { runCli } from '../helpers/cli.ts';
import { REPO_ROOT } from '../helpers/env.ts';
import { tscProject } from '../helpers/tsc-project.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(dir, `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

/** The kitchen-sink manifest with its schema file and app view, nothing else. */
function kitchenSinkManifest(name: string): string {
  const dir = join(REPO_ROOT, 'test', 'tmp', `${name}-${process.pid}`);
  dirs.push(dir);
  for (const f of ['mcp-gen.yaml', 'schemas/address.json', 'apps/order-board.html']) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), readFileSync(join(REPO_ROOT, 'examples/kitchen-sink', f)));
  }
  return dir;
}

describe('generate --client-only', () => {
  it('emits no server file, remembers it, stays clean under --check and compiles', async () => {
    const dir = kitchenSinkManifest('client-only');
    const manifest = join(dir, 'mcp-gen.yaml');
    const first = await runCli(['generate', '--manifest', manifest, '--client-only']);
    expect(first.stderr).not.toMatch(/ error /);
    expect(first.code).toBe(0);

    const files = listFiles(dir);
    const serverRuntime = runtimeSources().filter((s) => s.side === 'server').map((s) => `src/generated/runtime/${s.path}`);
    expect(serverRuntime.length).toBeGreaterThan(20);
    expect(files.filter((f) => serverRuntime.includes(f))).toEqual([]);
    expect(files).toContain('src/generated/runtime/client/index.ts');
    expect(files).toContain('src/generated/client.ts');
    expect(files).toContain('src/generated/schemas.ts');
    for (const server of ['src/generated/server.ts', 'src/generated/prompts.ts', 'src/generated/resources.ts', 'src/generated/mock-server.ts', 'src/main.ts']) {
      expect(files, server).not.toContain(server);
    }
    expect(files.filter((f) => f.startsWith('src/handlers/') || f.startsWith('test/') || f.startsWith('src/apps/'))).toEqual([]);
    // No generated file imports the server runtime.
    for (const f of files.filter((p) => p.startsWith('src/generated/') && p.endsWith('.ts'))) {
      expect(readFileSync(join(dir, f), 'utf8'), f).not.toMatch(/runtime\/index\.ts'/);
    }

    const lock = JSON.parse(readFileSync(join(dir, 'mcp-gen.lock.json'), 'utf8'));
    expect(lock.clientOnly).toBe(true);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.scripts).sort()).toEqual(['build', 'check', 'generate', 'test', 'typecheck']);
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(['@types/node', 'typescript']);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('A typed MCP client');

    // The project's own `npm run check` has no --client-only flag: the lock keeps it a client.
    const check = await runCli(['generate', '--manifest', manifest, '--check']);
    expect(check.stdout + check.stderr).toContain('up to date');
    expect(check.code).toBe(0);
    const again = await runCli(['generate', '--manifest', manifest]);
    expect(again.code).toBe(0);
    expect(existsSync(join(dir, 'src/generated/server.ts'))).toBe(false);
    expect(listFiles(dir).sort()).toEqual(files.sort());

    const tsc = tscProject(dir);
    expect(tsc.output).toBe('');
  }, 240_000);

  it('a server project stays a server project under --check (no clientOnly in its lock)', async () => {
    const dir = kitchenSinkManifest('server-lock');
    const manifest = join(dir, 'mcp-gen.yaml');
    expect((await runCli(['generate', '--manifest', manifest])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'mcp-gen.lock.json'), 'utf8')).clientOnly).toBeUndefined();
    expect(existsSync(join(dir, 'src/generated/runtime/create-server.ts'))).toBe(true);
    expect((await runCli(['generate', '--manifest', manifest, '--check'])).code).toBe(0);
  }, 120_000);
});
