/**
 * The bump done by regenerating: the kitchen-sink (real handlers) generated for 2025-11-25, then
 * moved with `mcp-gen upgrade --to 2026-07-28`. Handlers stay byte for byte and compile against
 * the new contracts; the protocol layer gains the 2026 method table and keeps serving 2025.
 * Also: `serve:` narrows the tables emitted. Runs tsc twice on a generated project: run it under
 * `flock /work/heavy.lock`.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../generator/project.ts';
import { upgradeProject } from '../../generator/upgrade.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';
import { tscProject } from '../helpers/tsc-project.ts';

const root = join(REPO_ROOT, 'test', 'tmp', `eras-bump-${process.pid}`);
afterAll(() => rmSync(root, { recursive: true, force: true }));
const source = { env: hermeticEnv() };

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}
const snapshot = (dir: string) => Object.fromEntries(files(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

describe('spec: 2025-11-25 → upgrade --to 2026-07-28 (kitchen-sink)', () => {
  const dir = join(root, 'kitchen-sink');
  const manifest = join(dir, 'mcp-gen.yaml');
  let handlersBefore: Record<string, string>;

  it('generates a 2025-only project whose real handlers compile', async () => {
    cpSync(join(REPO_ROOT, 'examples', 'kitchen-sink'), dir, { recursive: true });
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace(/^spec: 2026-07-28$/m, 'spec: 2025-11-25'));
    await generateProject({ manifestPath: manifest, mode: 'write', source });
    const protocol = join(dir, 'src/generated/protocol');
    expect(files(join(protocol, 'revisions'))).toEqual(['2025-11-25.ts', 'index.ts']);
    expect(existsSync(join(protocol, '2026-07-28'))).toBe(false);
    expect(readFileSync(join(protocol, 'revisions/index.ts'), 'utf8')).toContain("SERVED_VERSIONS = ['2025-11-25'] as const");
    expect(readFileSync(join(dir, 'src/generated/server.ts'), 'utf8')).toMatch(/protocol: SERVED_REVISIONS,\s+protocolVersions: SERVED_VERSIONS,/);
    handlersBefore = snapshot(join(dir, 'src/handlers'));
    expect(Object.keys(handlersBefore).length).toBeGreaterThanOrEqual(8);
    const tsc = tscProject(dir);
    expect(tsc.output).toBe('');
    expect(tsc.ok).toBe(true);
  }, 240_000);

  it('upgrades: handlers unchanged, both tables emitted, tsc names no handler', async () => {
    const r = await upgradeProject({ manifestPath: manifest, to: '2026-07-28', source });
    expect(r.impact).toContain('served after the move: 2026-07-28, 2025-11-25 (2025-11-25 clients keep working)');
    expect(r.impact.find((l) => l.startsWith('elicitation/create'))).toMatch(/asks cancel_order\.confirm\): transport jsonrpc → input-request/);
    expect(snapshot(join(dir, 'src/handlers'))).toEqual(handlersBefore);
    const protocol = join(dir, 'src/generated/protocol');
    expect(files(join(protocol, 'revisions'))).toEqual(['2025-11-25.ts', '2026-07-28.ts', 'index.ts']);
    expect(files(join(protocol, '2025-11-25'))).toEqual(['schemas.ts']);
    expect(readFileSync(join(protocol, 'revisions/index.ts'), 'utf8')).toContain("SERVED_VERSIONS = ['2026-07-28', '2025-11-25'] as const");
    const tsc = tscProject(dir);
    expect(tsc.output).toBe('');
    expect(tsc.ok).toBe(true);
  }, 240_000);

  it('the upgraded server dispatches with the generated tables', async () => {
    const { createServer } = (await import(join(dir, 'src/generated/server.ts'))) as { createServer: (o?: object) => { handle(m: unknown): Promise<{ response?: { result?: Record<string, unknown>; error?: { code: number; message: string } } }> } };
    const server = createServer({ stateSecret: 'x'.repeat(40), logger: { warn() {}, error() {}, info() {} } });
    const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
    const discover = await server.handle({ jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: meta } });
    expect(discover.response?.result?.supportedVersions).toContain('2026-07-28');
    // The 2026 table's CallToolRequestParams: `name` must be a string.
    const bad = await server.handle({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 7, _meta: meta } });
    expect(bad.response?.error).toMatchObject({ code: -32602, message: expect.stringMatching(/^Invalid params: name: /) });
  });
});

describe('serve:', () => {
  const weather = readFileSync(join(REPO_ROOT, 'examples/weather/mcp-gen.yaml'), 'utf8');
  const generate = async (name: string, text: string) => {
    const dir = join(root, name);
    cpSync(join(REPO_ROOT, 'examples/weather'), dir, { recursive: true });
    writeFileSync(join(dir, 'mcp-gen.yaml'), text);
    const r = await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'dry-run', source });
    return r.files.map((f) => f.path).filter((p) => p.startsWith('src/generated/protocol/')).sort();
  };

  it('defaults to both eras for spec: 2026-07-28', async () => {
    expect(await generate('default', weather)).toEqual([
      'src/generated/protocol/2025-11-25/schemas.ts',
      'src/generated/protocol/methods.ts',
      'src/generated/protocol/revisions/2025-11-25.ts',
      'src/generated/protocol/revisions/2026-07-28.ts',
      'src/generated/protocol/revisions/index.ts',
      'src/generated/protocol/schemas.ts',
      'src/generated/protocol/types.ts',
    ]);
  }, 120_000);

  it('[2026-07-28] narrows to the stateless era', async () => {
    const paths = await generate('narrow', weather.replace(/^spec: 2026-07-28$/m, 'spec: 2026-07-28\nserve: [2026-07-28]'));
    expect(paths.filter((p) => p.includes('2025-11-25'))).toEqual([]);
    expect(paths).toContain('src/generated/protocol/revisions/2026-07-28.ts');
  }, 120_000);

  it('upgrade adds the new revision to an explicit serve list, keeping the comments', async () => {
    const dir = join(root, 'explicit');
    cpSync(join(REPO_ROOT, 'examples/weather'), dir, { recursive: true });
    const manifest = join(dir, 'mcp-gen.yaml');
    writeFileSync(manifest, weather.replace(/^spec: 2026-07-28$/m, 'spec: 2025-11-25\nserve: # the old clients\n  - 2025-11-25\n'));
    await upgradeProject({ manifestPath: manifest, to: '2026-07-28', source, dryRun: false });
    const text = readFileSync(manifest, 'utf8');
    expect(text).toContain('spec: 2026-07-28\nserve: # the old clients\n  [2026-07-28, 2025-11-25]\n');
  }, 120_000);
});
