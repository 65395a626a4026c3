/**
 * A fresh `mcp-gen init --template kitchen-sink` project passes its own generated conformance
 * suite (fixtures replayed over HTTP and stdio) against the fixture-driven mock server and, with
 * MCP_FIXTURES_LIVE=1, against the example's handlers (cancel_order asks for a confirmation,
 * ship_order for roots: the suite answers and retries).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initProject } from '../../generator/init.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';

const dir = join(REPO_ROOT, 'test', 'tmp', `suite-kitchen-sink-${process.pid}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('generated conformance suite', () => {
  it('passes in a fresh kitchen-sink project', async () => {
    await initProject({ dir, template: 'kitchen-sink', source: { env: hermeticEnv() } });
    const counts: Record<string, number> = {};
    for (const f of readdirSync(join(dir, 'test/conformance/fixtures')).sort()) {
      counts[f] = (JSON.parse(readFileSync(join(dir, 'test/conformance/fixtures', f), 'utf8')) as { cases: unknown[] }).cases.length;
    }
    console.log(`kitchen-sink fixtures: ${JSON.stringify(counts)}`);
    expect(counts['tools.json']).toBeGreaterThan(20);
    const run = (env: Record<string, string>) => {
      const r = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', dir], {
        encoding: 'utf8',
        env: { ...process.env, CI: '1', ...env },
        timeout: 240_000,
      });
      const summary = /Tests\s+.*\((\d+)\)/.exec(r.stdout.replace(/\x1b\[[0-9;]*m/g, ''));
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
      return Number(summary?.[1]);
    };
    const mock = run({});
    const live = run({ MCP_FIXTURES_LIVE: '1' });
    console.log(`kitchen-sink suite: ${mock} tests pass on the mock, ${live} on the live handlers`);
    expect(mock).toBeGreaterThan(100);
    expect(live).toBe(mock);
  }, 600_000);
});
