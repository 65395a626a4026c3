import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosticError } from '../../generator/diagnostics/diagnostic.ts';
import { cachedSchemaPath, loadSpec, pullSpec, sha256Hex } from '../../generator/load/load-spec.ts';
import { hermeticEnv, SHARED_SPEC, tempDir } from '../helpers/env.ts';
import { serveDirectory } from '../helpers/static-server.ts';

const PIN_2026 = 'ef70b61f99b6d2e5e3b46863822eab08dff6a45bedc7a08914e0e5b133f40203';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map((d) => d.code).join(',');
    throw e;
  }
  return 'no error';
}

describe('spec source resolution', () => {
  let server: Awaited<ReturnType<typeof serveDirectory>>;
  beforeAll(async () => {
    server = await serveDirectory(SHARED_SPEC);
  });
  afterAll(() => server.close());

  it('loads from a mirror directory, verified, without touching the cache', async () => {
    const env = hermeticEnv();
    const s = await loadSpec('2026-07-28', { env });
    expect(s.sha256).toBe(PIN_2026);
    expect(s.origin.kind).toBe('mirror-dir');
    expect(Object.keys(s.document.$defs).length).toBe(155);
    expect(existsSync(cachedSchemaPath('2026-07-28', env))).toBe(false);
  });

  it('downloads from an http mirror, caches, then serves from the cache', async () => {
    const env = hermeticEnv({ MCP_GEN_SPEC_MIRROR: server.url });
    const first = await loadSpec('2025-11-25', { env });
    expect(first.origin.kind).toBe('mirror-url');
    expect(server.hits).toContain('/2025-11-25/schema.json');
    const second = await loadSpec('2025-11-25', { env });
    expect(second.origin.kind).toBe('cache');
    expect(second.sha256).toBe(first.sha256);
  });

  it('uses the pinned upstream URL when no mirror is set (fetch redirected to loopback)', async () => {
    const env = hermeticEnv();
    delete env.MCP_GEN_SPEC_MIRROR;
    const seen: string[] = [];
    const fetchImpl: typeof fetch = async (input, init) => {
      const url = String(input);
      seen.push(url);
      const rev = /schema\/([^/]+)\/schema\.json$/.exec(url)![1];
      return fetch(`${server.url}/${rev}/schema.json`, init);
    };
    const s = await loadSpec('2026-07-28', { env, fetchImpl });
    expect(s.origin.kind).toBe('upstream');
    expect(seen[0]).toBe(
      'https://raw.githubusercontent.com/modelcontextprotocol/modelcontextprotocol/b0f60ba5409db7a6582440a7b473cc0398890f15/schema/2026-07-28/schema.json',
    );
  });

  it('--schema wins over everything and is identified by hash', async () => {
    const env = hermeticEnv({ MCP_GEN_SPEC_MIRROR: '/nonexistent' });
    const s = await loadSpec(undefined, { env, schemaFile: join(SHARED_SPEC, '2026-07-28', 'schema.json') });
    expect(s).toMatchObject({ revision: '2026-07-28', pinned: true, origin: { kind: 'file' } });
  });

  it('spec pull fills the cache and is idempotent; --force replaces', async () => {
    const env = hermeticEnv({ MCP_GEN_SPEC_MIRROR: server.url });
    const a = await pullSpec('2026-07-28', { env });
    expect(a.alreadyCached).toBe(false);
    expect(sha256Hex(readFileSync(a.path))).toBe(PIN_2026);
    expect((await pullSpec('2026-07-28', { env })).alreadyCached).toBe(true);
    expect((await pullSpec('2026-07-28', { env, force: true })).alreadyCached).toBe(false);
  });

  describe('bad input: one diagnostic, nothing cached', () => {
    it('unknown revision', async () => {
      expect(await codeOf(loadSpec('2024-01-01', { env: hermeticEnv() }))).toBe('MG1001');
    });
    it('corrupted cache file', async () => {
      const env = hermeticEnv();
      const p = cachedSchemaPath('2026-07-28', env);
      mkdirSync(join(p, '..'), { recursive: true });
      writeFileSync(p, '{"$defs": {}}');
      expect(await codeOf(loadSpec('2026-07-28', { env }))).toBe('MG1007');
      // pull repairs it
      await pullSpec('2026-07-28', { env });
      expect((await loadSpec('2026-07-28', { env })).origin.kind).toBe('cache');
    });
    it('mirror missing a file', async () => {
      const env = hermeticEnv({ MCP_GEN_SPEC_MIRROR: tempDir() });
      expect(await codeOf(loadSpec('2026-07-28', { env }))).toBe('MG1002');
    });
    it('http mirror missing a file', async () => {
      const env = hermeticEnv({ MCP_GEN_SPEC_MIRROR: `${server.url}/nowhere` });
      expect(await codeOf(loadSpec('2026-07-28', { env }))).toBe('MG1006');
      expect(existsSync(cachedSchemaPath('2026-07-28', env))).toBe(false);
    });
    it('unreachable URL', async () => {
      const env = hermeticEnv({ MCP_GEN_SPEC_MIRROR: 'http://127.0.0.1:9' });
      expect(await codeOf(loadSpec('2026-07-28', { env, timeoutMs: 2000 }))).toBe('MG1006');
    });
    it('a peer that accepts the connection and never answers: MG1006 after the connect timeout, with the offline fix', async () => {
      // A silent TCP peer is what a captive or black-holed network looks like to fetch.
      const sockets: Socket[] = [];
      const silent = createServer((s) => sockets.push(s));
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
      const port = (silent.address() as AddressInfo).port;
      const env = hermeticEnv({ MCP_GEN_SPEC_MIRROR: `http://127.0.0.1:${port}`, MCP_GEN_CONNECT_TIMEOUT_MS: '300' });
      const started = Date.now();
      try {
        await loadSpec('2026-07-28', { env });
        expect.fail('loadSpec resolved');
      } catch (e) {
        const d = (e as DiagnosticError).diagnostics[0]!;
        expect(d.code).toBe('MG1006');
        expect(d.message).toContain('no answer within 0.3 s');
        expect(d.help).toContain('MCP_GEN_SPEC_MIRROR');
        expect(d.help).toContain('mcp-gen spec pull 2026-07-28');
      } finally {
        for (const s of sockets) s.destroy();
        silent.close();
      }
      // well under the 30 s overall timeout
      expect(Date.now() - started).toBeLessThan(5_000);
    });
    it('hash mismatch in a mirror', async () => {
      const dir = tempDir();
      mkdirSync(join(dir, '2026-07-28'));
      const text = readFileSync(join(SHARED_SPEC, '2026-07-28', 'schema.json'), 'utf8');
      writeFileSync(join(dir, '2026-07-28', 'schema.json'), text.replace('"$defs"', ' "$defs"'));
      const env = hermeticEnv({ MCP_GEN_SPEC_MIRROR: dir });
      expect(await codeOf(loadSpec('2026-07-28', { env }))).toBe('MG1005');
      expect(await codeOf(pullSpec('2026-07-28', { env }))).toBe('MG1005');
      expect(existsSync(cachedSchemaPath('2026-07-28', env))).toBe(false);
    });
    it('a schema that is not JSON', async () => {
      const f = join(tempDir(), 'schema.json');
      writeFileSync(f, 'not json {');
      expect(await codeOf(loadSpec(undefined, { schemaFile: f, env: hermeticEnv() }))).toBe('MG1003');
    });
    it('a schema without $defs', async () => {
      const f = join(tempDir(), 'schema.json');
      writeFileSync(f, '{"type":"object"}');
      expect(await codeOf(loadSpec(undefined, { schemaFile: f, env: hermeticEnv() }))).toBe('MG1004');
    });
    it('a --schema file that does not exist', async () => {
      expect(await codeOf(loadSpec(undefined, { schemaFile: '/nonexistent/schema.json', env: hermeticEnv() }))).toBe('MG1002');
    });
  });
});
