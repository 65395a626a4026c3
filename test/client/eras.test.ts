/**
 * The client against real 2025-11-25 servers (issue 15 items 4 and 7): detection by default
 * (`server/discover` probe on stdio, a modern request's 4xx on HTTP, then `initialize`), the same
 * `handlers` answering that era's server→client requests that answer MRTR asks today, progress,
 * `listen()` mapped onto the era's notifications; and a scripted sessionful server for what the
 * real ones do not show (404 → one new session, DELETE on close, the session headers).
 * Peers: @modelcontextprotocol/server-everything 2026.8.31 over stdio and Streamable HTTP, the
 * official SDK v2 server (@modelcontextprotocol/server 2.4.0) in its legacy modes.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, McpRpcError, type ClientOptions, type InputHandlers } from '../../templates/runtime/client/index.ts';
import { REPO_ROOT } from '../helpers/env.ts';
import { serverEverythingStdio, startServerEverythingHttp } from '../helpers/server-everything.ts';
import { quietLogger } from './helpers.ts';
import { startSdkHttpServer } from './sdk-server.ts';

const text = (r: { content: readonly { type: string; text?: string }[] }) => r.content.map((c) => c.text ?? '').join('\n');

/** Handlers that record what they were asked, keyed like MRTR answers would be. */
function recordingHandlers() {
  const asked: string[] = [];
  const handlers: InputHandlers = {
    elicit: (params, ctx) => {
      asked.push(`elicit ${ctx.method} ${ctx.target} ${params.mode}`);
      return { action: 'accept', content: { name: 'Grace Hopper', check: true } };
    },
    sample: (params, ctx) => {
      asked.push(`sample ${ctx.method} ${ctx.target} ${params.messages.length}`);
      return { role: 'assistant', content: { type: 'text', text: 'sampled by the typed callback' }, model: 'test-model' };
    },
    listRoots: (ctx) => {
      asked.push(`roots ${ctx.method}`);
      return [{ uri: 'file:///workspace/eras', name: 'eras-root' }];
    },
  };
  return { asked, handlers };
}

async function exerciseServerEverything(target: Pick<ClientOptions, 'url' | 'stdio'>) {
  const { asked, handlers } = recordingHandlers();
  const client = createClient({ ...target, clientInfo: { name: 'eras-test', version: '1.0.0' }, handlers, logger: quietLogger, timeoutMs: 30_000 });
  try {
    const tools = await client.listTools();
    expect(client.era).toBe('legacy');
    expect(client.protocolVersion).toBe('2025-11-25');
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['get-sum', 'trigger-elicitation-request', 'trigger-sampling-request', 'get-roots-list']));
    const discovered = await client.discover();
    expect(discovered.supportedVersions).toEqual(['2025-11-25']);
    expect(discovered.capabilities).toHaveProperty('tools');

    expect(text(await client.callTool('get-sum', { a: 19, b: 23 }))).toContain('42');
    expect(text(await client.callTool('trigger-elicitation-request', {}))).toContain('Grace Hopper');
    expect(text(await client.callTool('trigger-sampling-request', { prompt: 'hi' }))).toContain('sampled by the typed callback');
    expect(text(await client.callTool('get-roots-list', {}))).toContain('file:///workspace/eras');
    const progress: number[] = [];
    await client.callTool('trigger-long-running-operation', { duration: 0.3, steps: 3 }, { onProgress: (p) => progress.push(p.progress) });
    expect(progress).toEqual([1, 2, 3]);
    expect(asked).toEqual(
      expect.arrayContaining(['elicit tools/call trigger-elicitation-request form', 'sample tools/call trigger-sampling-request 1']),
    );
    expect(asked.some((a) => a.startsWith('roots '))).toBe(true);

    // listen(): the honoured part of the filter is what the server's capabilities allow on this era.
    const subscription = client.listen({ toolsListChanged: true, resourceSubscriptions: ['demo://resource/static/document/architecture.md'] });
    expect(await subscription.acknowledged).toEqual({ toolsListChanged: true, resourceSubscriptions: ['demo://resource/static/document/architecture.md'] });
    subscription.close();
    // An unknown tool: this server reports it as an isError result, returned as such.
    const unknown = await client.callTool('no-such-tool', {});
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toContain('no-such-tool');
    // A method the server lacks is the typed McpRpcError, as on the modern wire.
    await expect(client.request('no/such-method', {})).rejects.toBeInstanceOf(McpRpcError);
  } finally {
    await client.close();
  }
}

describe('generated-client runtime against server-everything (2025-11-25)', () => {
  it('stdio: detects the era, answers elicitation, sampling and roots through the typed handlers', async () => {
    await exerciseServerEverything({ stdio: { ...serverEverythingStdio, stderr: 'ignore' } });
  }, 60_000);

  it('Streamable HTTP: the same over a session (Mcp-Session-Id, GET stream, server requests on the POST stream)', async () => {
    const server = await startServerEverythingHttp();
    try {
      await exerciseServerEverything({ url: server.url });
    } finally {
      await server.stop();
    }
  }, 60_000);
});

describe('against the official SDK v2 server in its legacy modes', () => {
  const sdkServer = join(REPO_ROOT, 'test/client/sdk-server.ts');

  it('stdio, era pinned to legacy: initialize-based session; an MRTR tool becomes two elicitation requests answered by the same typed callback', async () => {
    const asked: string[] = [];
    const client = createClient({
      era: 'legacy',
      stdio: { command: process.execPath, args: ['--import', 'tsx', sdkServer, '--stdio'], stderr: 'ignore' },
      logger: quietLogger,
      handlers: {
        elicit: (params, ctx) => {
          asked.push(`${ctx.target}: ${'message' in params ? params.message : ''}`);
          return { action: 'accept', content: { name: 'Ada', colour: 'teal' } };
        },
      },
    });
    try {
      expect((await client.listTools()).map((t) => t.name)).toEqual(expect.arrayContaining(['greet', 'add', 'wizard']));
      expect(client.protocolVersion).toBe('2025-11-25');
      expect((await client.callTool('add', { a: 2, b: 5 })).structured).toEqual({ sum: 7 });
      expect(text(await client.callTool('wizard', {}))).toBe('Ada likes teal');
      expect(asked).toEqual(['wizard: Your name?', 'wizard: Favourite colour?']);
    } finally {
      await client.close();
    }
  }, 60_000);

  it('HTTP, legacy: stateless (the SDK default): list and call per request, no session', async () => {
    const sdk = await startSdkHttpServer({ legacy: 'stateless' });
    const client = createClient({ era: 'legacy', url: sdk.url, logger: quietLogger });
    try {
      expect((await client.listTools()).map((t) => t.name)).toContain('greet');
      expect(text(await client.callTool('greet', { name: 'Lin' }))).toBe('Hello, Lin!');
    } finally {
      await client.close();
      await sdk.close();
    }
  }, 60_000);
});

/** A minimal sessionful 2025-11-25 server: what it saw, and a switch that makes it forget sessions. */
describe('session mechanics (scripted 2025-11-25 server)', () => {
  const seen: { method: string; verb: string; session?: string; version?: string }[] = [];
  const sessions = new Set<string>();
  let next = 0;
  let server: ReturnType<typeof createServer>;
  let url: string;
  const body = async (req: IncomingMessage) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    return raw ? (JSON.parse(raw) as { id?: number; method?: string }) : {};
  };
  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const session = req.headers['mcp-session-id'] as string | undefined;
      const version = req.headers['mcp-protocol-version'] as string | undefined;
      const message = req.method === 'POST' ? await body(req) : {};
      seen.push({ verb: req.method!, method: message.method ?? '', session, version });
      if (req.method === 'GET') return res.writeHead(405).end();
      if (req.method === 'DELETE') return res.writeHead(sessions.delete(session ?? '') ? 200 : 404).end();
      if (message.method === 'initialize') {
        const id = `s${++next}`;
        sessions.add(id);
        res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': id });
        return res.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'scripted', version: '1' } } }));
      }
      if (!session || !sessions.has(session)) return res.writeHead(404).end();
      if (message.id === undefined) return res.writeHead(202).end();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { tools: [{ name: 'only', inputSchema: { type: 'object' } }] } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends the session headers, starts one new session after a 404, and DELETEs the session on close', async () => {
    const client = createClient({ url, logger: quietLogger, cache: false });
    await client.listTools();
    expect(client.era).toBe('legacy');
    sessions.clear(); // the server forgets: the next request gets 404
    expect((await client.listTools()).map((t) => t.name)).toEqual(['only']);
    await client.close();
    const posts = seen.filter((s) => s.verb === 'POST').map((s) => `${s.method}@${s.session ?? '-'}/${s.version ?? '-'}`);
    expect(posts).toEqual([
      'tools/list@-/2026-07-28', // the modern attempt (404 without a modern error body → legacy)
      'initialize@-/-',
      'notifications/initialized@s1/2025-11-25',
      'tools/list@s1/2025-11-25',
      'tools/list@s1/2025-11-25', // 404: session gone
      'initialize@-/-',
      'notifications/initialized@s2/2025-11-25',
      'tools/list@s2/2025-11-25',
    ]);
    expect(seen.filter((s) => s.verb === 'DELETE').map((s) => s.session)).toEqual(['s2']);
    expect(sessions.size).toBe(0);
  });
});
