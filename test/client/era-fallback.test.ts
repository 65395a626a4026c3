/**
 * When the generated client falls back to `initialize`, per transport, exactly as the pages say
 * (../shared/spec/2026-07-28/docs/basic/transports/stdio.mdx and streamable-http.mdx "Backward
 * Compatibility", basic/versioning.mdx "Backward Compatibility with Initialization-Based
 * Versions"): a -32022 is a modern answer on both transports and never a fallback, even when its
 * `supported` list names only initialize-based revisions; stdio falls back on any other probe
 * error; HTTP falls back on a 4xx without a recognised modern error body. Both sides: scripted
 * servers for each signal, and the runtime itself — a 2025-only server must answer as a legacy
 * server (so dual-era clients reach it), a dual-era one with -32022 (so they do not fall back).
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, LegacyServerError, McpRpcError, UnsupportedProtocolVersionError } from '../../templates/runtime/client/index.ts';
import { serveHttp, type HttpServerHandle } from '../../templates/runtime/index.ts';
import { testServer } from '../runtime/helpers.ts';
import { quietLogger } from './helpers.ts';
import { startHostileServer, type HostileServer } from './hostile-server.ts';

const fixture = fileURLToPath(new URL('./stdio-fixture.ts', import.meta.url));
const runtimeStdio = fileURLToPath(new URL('./serve-runtime-stdio.ts', import.meta.url));
const LEGACY = '2025-11-25';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close().catch(() => {});
});

function stdioClient(script: string, args: string[], options: { supportedProtocolVersions?: string[] } = {}) {
  const stderr: string[] = [];
  const client = createClient({
    stdio: { command: process.execPath, args: ['--import', 'tsx', script, ...args], stderr: (chunk) => void stderr.push(chunk) },
    logger: quietLogger,
    cache: false,
    probeTimeoutMs: 10_000,
    ...(options.supportedProtocolVersions ? { protocolVersion: options.supportedProtocolVersions[0], supportedProtocolVersions: options.supportedProtocolVersions } : {}),
  });
  closers.push(() => client.close());
  return { client, stderr };
}

describe('stdio: the server/discover probe', () => {
  it('-32022 listing only initialize-based revisions is a modern answer: UnsupportedProtocolVersionError, no initialize', async () => {
    const { client, stderr } = stdioClient(fixture, ['versionless']);
    const error = await client.listTools().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedProtocolVersionError);
    expect((error as UnsupportedProtocolVersionError).serverSupported).toEqual([LEGACY]);
    expect((error as Error).message).toMatch(/era: 'legacy'/);
    expect(stderr.join('')).not.toContain('initialize received');
    expect(client.era).not.toBe('legacy');
  });

  it('any other error (here -32602) means legacy: the client falls back to initialize', async () => {
    const { client, stderr } = stdioClient(fixture, ['refuses-32602']);
    expect((await client.listTools()).map((t) => t.name)).toEqual(['legacy_tool']);
    expect(client.era).toBe('legacy');
    expect(stderr.join('')).toContain('initialize received');
  });

  it('the runtime, 2025-only: its probe answer is not a modern error, so the client falls back and works', async () => {
    const { client } = stdioClient(runtimeStdio, [LEGACY]);
    expect((await client.listTools()).map((t) => t.name)).toEqual(['echo']);
    expect(client.era).toBe('legacy');
    expect(client.protocolVersion).toBe(LEGACY);
  });

  it('the runtime, dual-era, to a client with no mutual modern version: -32022, no fallback although the server would take initialize', async () => {
    const { client } = stdioClient(runtimeStdio, [], { supportedProtocolVersions: ['2027-01-01'] });
    const error = await client.listTools().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedProtocolVersionError);
    expect((error as UnsupportedProtocolVersionError).serverSupported).toEqual(['2026-07-28']);
    expect(client.era).not.toBe('legacy');
  });
});

describe('HTTP: the first modern request', () => {
  let hostile: HostileServer | undefined;
  afterEach(async () => {
    await hostile?.close();
    hostile = undefined;
  });

  /** A server that answers every `_meta` request with `status` + `error`, and initialize (counted) like a 2025 server. */
  async function answering(status: number, error: object | undefined) {
    const seen: string[] = [];
    hostile = await startHostileServer((r, res) => {
      seen.push(r.method);
      if (r.method === 'initialize') return res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'abc' }).end(JSON.stringify({ jsonrpc: '2.0', id: r.id, result: { protocolVersion: LEGACY, capabilities: { tools: {} }, serverInfo: { name: 'x', version: '1' } } }));
      if (r.method === 'notifications/initialized') return res.writeHead(202).end();
      if (r.params?._meta?.['io.modelcontextprotocol/protocolVersion'] === undefined) return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: r.id, result: { tools: [] } }));
      if (error === undefined) return res.writeHead(status).end();
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: r.id, error }));
    });
    const client = createClient({ url: hostile.url('mcp'), logger: quietLogger, cache: false });
    closers.push(() => client.close());
    return { client, seen };
  }

  it('400 + -32022 listing only 2025-11-25: UnsupportedProtocolVersionError, no initialize', async () => {
    const { client, seen } = await answering(400, { code: -32022, message: 'Unsupported protocol version', data: { supported: [LEGACY], requested: '2026-07-28' } });
    await expect(client.listTools()).rejects.toBeInstanceOf(UnsupportedProtocolVersionError);
    expect(seen).not.toContain('initialize');
  });

  for (const [status, error] of [
    [400, { code: -32020, message: 'Header mismatch' }],
    [400, { code: -32021, message: 'Missing capability', data: { requiredCapabilities: {} } }],
    [404, { code: -32601, message: 'Method not found' }],
  ] as const) {
    it(`${status} + ${error.code} is a recognised modern error: surfaced, no initialize`, async () => {
      const { client, seen } = await answering(status, error);
      await expect(client.listTools()).rejects.toBeInstanceOf(McpRpcError);
      expect(seen).not.toContain('initialize');
    });
  }

  for (const [status, error] of [
    [400, { code: -32000, message: 'Bad Request: No valid session ID provided' }],
    [400, undefined],
    [405, undefined],
    [404, undefined],
  ] as const) {
    it(`${status} ${error ? `+ ${error.code}` : 'without a body'} is not a modern error: falls back to initialize`, async () => {
      const { client, seen } = await answering(status, error);
      expect(await client.listTools()).toEqual([]);
      expect(client.era).toBe('legacy');
      expect(seen).toContain('initialize');
    });
  }

  it('the runtime both ways: a 2025-only server is reached through the fallback; a dual-era one answers -32022 and is not', async () => {
    let handle: HttpServerHandle = await serveHttp(testServer({ protocolVersions: [LEGACY] }), { port: 0, handleSignals: false });
    closers.push(() => handle.close());
    const raw = await fetch(handle.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } } }),
    });
    expect(raw.status).toBe(400);
    const body = (await raw.json()) as { error: { code: number; message: string } };
    expect(body.error.code).toBe(-32600);
    expect(body.error.message).toMatch(/2025-11-25 only.*send initialize/);
    const old = createClient({ url: handle.url, logger: quietLogger, cache: false });
    closers.push(() => old.close());
    expect((await old.listTools()).map((t) => t.name)).toEqual(['echo']);
    expect(old.era).toBe('legacy');

    handle = await serveHttp(testServer(), { port: 0, handleSignals: false });
    closers.push(() => handle.close());
    const future = createClient({ url: handle.url, logger: quietLogger, cache: false, protocolVersion: '2027-01-01', supportedProtocolVersions: ['2027-01-01'] });
    closers.push(() => future.close());
    await expect(future.listTools()).rejects.toBeInstanceOf(UnsupportedProtocolVersionError);
    // era 'modern' still refuses a legacy server outright.
    const strict = createClient({ url: (await serveHttp(testServer({ protocolVersions: [LEGACY] }), { port: 0, handleSignals: false }).then((h) => (closers.push(() => h.close()), h))).url, era: 'modern', logger: quietLogger, cache: false });
    closers.push(() => strict.close());
    await expect(strict.listTools()).rejects.toBeInstanceOf(LegacyServerError);
  });
});
