/**
 * The manifest's `state:` in the generated project: Redis is wired and listed as a dependency only
 * when selected, and no runtime file imports `redis` statically, so a project that keeps state in
 * memory builds and runs without the package (MCP_REDIS_URL can still select Redis once installed).
 */
import { readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../generator/project.ts';
import { runtimeSources } from '../../generator/emit/artifacts/project/runtime-copy.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function generate(state: string): Promise<{ pkg: { dependencies: Record<string, string> }; server: string }> {
  const dir = join(REPO_ROOT, 'test', 'tmp', `state-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  dirs.push(dir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'mcp-gen.yaml'), `server: { name: st, version: "1.0" }\ntools:\n  - name: ping\n    description: Answers pong\n${state}`);
  await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env: hermeticEnv() } });
  return { pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')), server: readFileSync(join(dir, 'src/generated/server.ts'), 'utf8') };
}

describe('state backend in the generated project', () => {
  it('state.backend redis: `redis` pinned in dependencies, the config passed to createMcpServer', async () => {
    const { pkg, server } = await generate('state:\n  backend: redis\n  url: redis://cache.internal:6380\n  keyPrefix: "st:"\n');
    const ours = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(pkg.dependencies.redis).toBe(ours.devDependencies.redis);
    expect(server).toContain("state: { backend: 'redis', url: 'redis://cache.internal:6380', keyPrefix: 'st:' },");
  });

  it('no state, or memory: no `redis` dependency, no Redis config', async () => {
    for (const state of ['', 'state:\n  backend: memory\n']) {
      const { pkg, server } = await generate(state);
      expect(pkg.dependencies).not.toHaveProperty('redis');
      expect(server).not.toContain("backend: 'redis'");
    }
  });

  it('the runtime never imports `redis` statically (only a dynamic import behind a variable)', () => {
    const offenders = runtimeSources().filter((s) => /(?:from|import)\s*\(?\s*['"]redis['"]/.test(s.content)).map((s) => s.path);
    expect(offenders).toEqual([]);
    const loader = runtimeSources().find((s) => s.path === 'state/redis-connection.ts')!;
    expect(loader.content).toMatch(/await import\(specifier\)/);
  });
});
