/**
 * A `spec: 2025-11-25` (2025-only) project's own generated conformance suite follows the revisions
 * it serves: its fixtures replay on the 2025-11-25 session wire (initialize, requests without
 * `_meta`, the asks as server→client requests), carry none of the 2026-07-28 wire's protocol cases
 * (server/discover, -32022, -32020, header mirroring, caching hints), and pass on the mock and on
 * the kitchen-sink's real handlers, over HTTP and stdio. The dual-era default keeps its 2026 cases
 * and gains the session wire's protocol cases.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../generator/project.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';

const dir = join(REPO_ROOT, 'test', 'tmp', `suite-2025-${process.pid}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Fixture = { kind: string; wire: string; cases: { id: string; wire?: string; request: { method: string } }[] };
const fixtures = (): Fixture[] =>
  readdirSync(join(dir, 'test/conformance/fixtures'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, 'test/conformance/fixtures', f), 'utf8')) as Fixture);

function runSuite(env: Record<string, string>): { passed: number; names: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', dir, '--reporter', 'verbose'], {
    encoding: 'utf8',
    env: { ...process.env, CI: '1', ...env },
    timeout: 240_000,
  });
  const out = r.stdout.replace(/\x1b\[[0-9;]*m/g, '');
  expect(r.status, `${out}\n${r.stderr}`).toBe(0);
  return { passed: Number(/Tests\s+.*?(\d+) passed/.exec(out)?.[1]), names: out };
}

describe('a 2025-only project’s generated conformance suite', () => {
  it('replays on the session wire and passes on the mock and on the real handlers', async () => {
    cpSync(join(REPO_ROOT, 'examples', 'kitchen-sink'), dir, { recursive: true });
    const manifest = join(dir, 'mcp-gen.yaml');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace(/^spec: 2026-07-28$/m, 'spec: 2025-11-25'));
    await generateProject({ manifestPath: manifest, mode: 'write', source: { env: hermeticEnv() } });

    const files = fixtures();
    expect(files.map((f) => f.wire)).toEqual(files.map(() => 'session'));
    const ids = files.flatMap((f) => f.cases.map((c) => c.id));
    for (const modernOnly of ['protocol/discover', 'protocol/unsupported-version', 'protocol/header-mismatch', 'protocol/removed-initialize', 'protocol/missing-meta', 'protocol/tools-list-caching'])
      expect(ids).not.toContain(modernOnly);
    expect(ids.some((id) => id.startsWith('protocol/param-header-missing'))).toBe(false);
    expect(ids).toEqual(expect.arrayContaining(['protocol/no-session', 'protocol/session/initialize', 'protocol/session/unknown-session', 'protocol/http-get']));
    // No case on the stateless wire expects a 2026-07-28 error code from this server.
    const stateless = files.flatMap((f) => f.cases.filter((c) => (c.wire ?? f.wire) === 'stateless'));
    expect(stateless.map((c) => c.id).sort()).toEqual(['protocol/bad-origin', 'protocol/http-delete', 'protocol/http-get', 'protocol/no-session']);
    const tools = files.find((f) => f.kind === 'tools')!;
    expect(JSON.stringify(tools)).not.toContain('ttlMs');

    const mock = runSuite({});
    expect(mock.names).toMatch(/http \(session\): tools\/cancel_order\/valid\/0/);
    expect(mock.names).toMatch(/stdio \(session\): tools\/cancel_order\/valid\/0/);
    const live = runSuite({ MCP_FIXTURES_LIVE: '1' });
    console.log(`2025-only kitchen-sink suite: ${mock.passed} tests pass on the mock, ${live.passed} on the live handlers`);
    expect(mock.passed).toBeGreaterThan(100);
    expect(live.passed).toBe(mock.passed);
  }, 600_000);
});
