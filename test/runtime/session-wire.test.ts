/**
 * The 2025-11-25 initialize/session wire of the runtime (templates/runtime/legacy/), over real
 * HTTP and stdio, next to the stateless 2026-07-28 wire on the same endpoint.
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineResource, defineTool, serveHttp, serveStdio, type HttpServerHandle } from './runtime-under-test.ts';
import { InMemorySessionStore } from '../../templates/runtime/legacy/session-store.ts';
import { meta, testServer, VERSION } from './helpers.ts';
import { sseEvents } from '../helpers/sse-events.ts';

const LEGACY = '2025-11-25';
let released = false;

const tools = [
  defineTool({
    name: 'ask_name',
    description: 'elicits a name, then samples, then lists roots',
    inputSchema: { type: 'object' },
    input: z.looseObject({}),
    handler: async (_input, ctx) => {
      const answer = await ctx.elicit({ message: 'Who are you?', schema: z.object({ name: z.string() }) });
      if (answer.action !== 'accept') return { content: [{ type: 'text', text: `no name (${answer.action})` }] };
      const roots = ctx.supports({ roots: {} }) ? await ctx.roots() : [];
      return { content: [{ type: 'text', text: `hello ${answer.content.name}, roots=${roots.map((r) => r.uri).join(',')}` }] };
    },
  }),
  defineTool({
    name: 'chatty',
    description: 'logs at info and debug, reports progress',
    inputSchema: { type: 'object' },
    input: z.looseObject({}),
    handler: async (_input, ctx) => {
      ctx.log('debug', 'debug line');
      ctx.log('info', 'info line');
      ctx.progress(1, 2);
      return { content: [{ type: 'text', text: `level=${ctx.meta.logLevel ?? 'none'} version=${ctx.meta.protocolVersion}` }] };
    },
  }),
  defineTool({
    name: 'hang',
    description: 'waits for cancellation',
    inputSchema: { type: 'object' },
    input: z.looseObject({}),
    handler: async (_input, ctx) => {
      ctx.progress(1);
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
      released = true;
      return { content: [] };
    },
  }),
];
const resources = [defineResource({ uri: 'test://watched', name: 'watched', mimeType: 'text/plain', read: () => ({ text: 'x' }) })];

type Message = Record<string, unknown> & { id?: string | number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: { code: number; message: string; data?: unknown } };

/** The JSON-RPC messages of an SSE response, in order (the priming event carries none). */
function sseReader(res: Response) {
  const stream = sseEvents(res);
  return { next: async () => (await stream.nextMessage<Message>())?.message, cancel: stream.cancel };
}

const server = testServer({ tools, resources, sessions: { maxSessions: 50 } });
let http: HttpServerHandle;
beforeAll(async () => {
  http = await serveHttp(server, { port: 0, handleSignals: false });
});
afterAll(async () => {
  await http.close();
});

function post(message: unknown, headers: Record<string, string> = {}, method = 'POST') {
  return fetch(http.url, {
    method,
    body: method === 'POST' ? JSON.stringify(message) : undefined,
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
  });
}

async function initialize(capabilities: Record<string, unknown> = { elicitation: {}, roots: {} }, version = LEGACY) {
  const res = await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: version, capabilities, clientInfo: { name: 'old-client', version: '1.0.0' } } });
  const body = (await res.json()) as Message;
  const session = res.headers.get('mcp-session-id') ?? '';
  const headers = { 'mcp-session-id': session, 'mcp-protocol-version': LEGACY };
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
  return { res, body, session, headers };
}

describe('2025-11-25 session wire over HTTP', () => {
  it('initialize issues an unguessable visible-ASCII session id and negotiates the version', async () => {
    const { res, body, session } = await initialize();
    expect(res.status).toBe(200);
    expect(session).toMatch(/^[\x21-\x7e]{32,}$/);
    expect((await initialize()).session).not.toBe(session);
    expect(body.result).toMatchObject({ protocolVersion: LEGACY, serverInfo: { name: 'test-server' }, capabilities: { tools: { listChanged: true }, logging: {} } });
    expect(body.result).not.toHaveProperty('resultType');
    // An older dated version is answered with ours (basic/lifecycle.mdx "Version Negotiation").
    expect((await initialize({}, '2025-06-18')).body.result?.protocolVersion).toBe(LEGACY);
  });

  it('an initialize asking for something that is not a version gets -32602 with the supported list', async () => {
    const { body, session } = await initialize({}, 'v999');
    expect(session).toBe('');
    expect(body.error).toEqual({ code: -32602, message: 'Unsupported protocol version', data: { supported: [LEGACY], requested: 'v999' } });
  });

  it('serves ping and logging/setLevel as exactly {}, and feature methods without 2026 result fields', async () => {
    const { headers } = await initialize();
    expect(((await (await post({ jsonrpc: '2.0', id: 1, method: 'ping' }, headers)).json()) as Message).result).toEqual({});
    expect(((await (await post({ jsonrpc: '2.0', id: 2, method: 'logging/setLevel', params: { level: 'info' } }, headers)).json()) as Message).result).toEqual({});
    const list = (await (await post({ jsonrpc: '2.0', id: 3, method: 'tools/list' }, headers)).json()) as Message;
    expect(list.result?.tools).toHaveLength(3);
    expect(list.result).not.toHaveProperty('resultType');
    expect(list.result).not.toHaveProperty('ttlMs');
    const bad = (await (await post({ jsonrpc: '2.0', id: 4, method: 'logging/setLevel', params: { level: 'loud' } }, headers)).json()) as Message;
    expect(bad.error?.code).toBe(-32602);
    // The stateless wire's methods do not exist on a session, and an unknown method is -32601 with HTTP 200 (404 would mean "session gone").
    for (const method of ['server/discover', 'subscriptions/listen', 'nope/nope']) {
      const res = await post({ jsonrpc: '2.0', id: `m-${method}`, method, params: {} }, headers);
      expect(res.status).toBe(200);
      expect(((await res.json()) as Message).error?.code).toBe(-32601);
    }
  });

  it('an unknown resource is -32002 on the session wire and -32602 on the stateless one, both with data.uri (server/resources.mdx of each revision)', async () => {
    const { headers } = await initialize();
    const uri = 'test://no/such%20thing';
    const onSession = (await (await post({ jsonrpc: '2.0', id: 'nf', method: 'resources/read', params: { uri } }, headers)).json()) as Message;
    expect(onSession.error).toMatchObject({ code: -32002, data: { uri } });
    const stateless = await post({ jsonrpc: '2.0', id: 'nf', method: 'resources/read', params: { uri, _meta: meta() } }, { 'mcp-protocol-version': VERSION, 'mcp-method': 'resources/read', 'mcp-name': uri });
    expect(((await stateless.json()) as Message).error).toMatchObject({ code: -32602, data: { uri } });
    // Other -32602s keep their code on the session wire.
    const badParams = (await (await post({ jsonrpc: '2.0', id: 'bp', method: 'resources/read', params: { uri: 42 } }, headers)).json()) as Message;
    expect(badParams.error?.code).toBe(-32602);
  });

  it('unknown, deleted and version-mismatched sessions are refused', async () => {
    const unknown = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { 'mcp-session-id': 'no-such-session' });
    expect(unknown.status).toBe(404);
    const { headers } = await initialize();
    expect((await post(undefined, headers, 'DELETE')).status).toBe(200);
    expect((await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, headers)).status).toBe(404);
    expect((await post(undefined, headers, 'DELETE')).status).toBe(404);
    expect((await post(undefined, headers, 'GET')).status).toBe(404);
    const live = await initialize();
    expect((await post({ jsonrpc: '2.0', id: 1, method: 'ping' }, { ...live.headers, 'mcp-protocol-version': '1999-01-01' })).status).toBe(400);
    // Absent MCP-Protocol-Version is tolerated (basic/transports.mdx "Protocol Version Header").
    expect((await post({ jsonrpc: '2.0', id: 1, method: 'ping' }, { 'mcp-session-id': live.session })).status).toBe(200);
    // initialize inside a session is refused; GET/DELETE without a session are 400.
    expect(((await (await post({ jsonrpc: '2.0', id: 2, method: 'initialize', params: { protocolVersion: LEGACY, capabilities: {} } }, live.headers)).json()) as Message).error?.code).toBe(-32600);
    expect((await post(undefined, {}, 'GET')).status).toBe(400);
    expect((await post(undefined, {}, 'DELETE')).status).toBe(400);
  });

  it('mixing eras (a session id with 2026 _meta version fields) is -32600 naming the conflict', async () => {
    const { headers } = await initialize();
    const res = await post({ jsonrpc: '2.0', id: 9, method: 'tools/list', params: { _meta: meta() } }, headers);
    expect(res.status).toBe(400);
    const body = (await res.json()) as Message;
    expect(body.id).toBe(9);
    expect(body.error?.code).toBe(-32600);
    expect(body.error?.message).toMatch(/mixed protocol eras.*io\.modelcontextprotocol\/protocolVersion/);
    // Even for a session this server does not know: the conflict is reported, not a 404.
    expect((await post({ jsonrpc: '2.0', id: 9, method: 'tools/list', params: { _meta: meta() } }, { 'mcp-session-id': 'gone' })).status).toBe(400);
  });

  it('an initialize carrying 2026 _meta stays on the stateless wire (-32601, HTTP 404)', async () => {
    const res = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { _meta: meta() } }, { 'mcp-protocol-version': VERSION, 'mcp-method': 'initialize' });
    expect(res.status).toBe(404);
    expect(res.headers.get('mcp-session-id')).toBeNull();
    expect(((await res.json()) as Message).error?.code).toBe(-32601);
  });

  it("a handler's ctx.elicit and ctx.roots become real server→client requests on the POST's SSE stream", async () => {
    const { headers } = await initialize();
    const res = await post({ jsonrpc: '2.0', id: 'call-1', method: 'tools/call', params: { name: 'ask_name', arguments: {} } }, headers);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const stream = sseReader(res);
    const elicit = (await stream.next())!;
    expect(elicit).toMatchObject({ method: 'elicitation/create', params: { message: 'Who are you?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } } });
    expect(elicit.id).toBeDefined();
    const answered = await post({ jsonrpc: '2.0', id: elicit.id, result: { action: 'accept', content: { name: 'Ada' } } }, headers);
    expect(answered.status).toBe(202);
    const roots = (await stream.next())!;
    expect(roots.method).toBe('roots/list');
    await post({ jsonrpc: '2.0', id: roots.id, result: { roots: [{ uri: 'file:///work', name: 'work' }] } }, headers);
    const final = (await stream.next())!;
    expect(final).toMatchObject({ id: 'call-1', result: { content: [{ type: 'text', text: 'hello Ada, roots=file:///work' }] } });
    expect(final.result).not.toHaveProperty('resultType');
    expect(await stream.next()).toBeUndefined();
  });

  it('a malformed client answer to an ask is -32602', async () => {
    const { headers } = await initialize();
    const stream = sseReader(await post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'ask_name', arguments: {} } }, headers));
    const elicit = (await stream.next())!;
    await post({ jsonrpc: '2.0', id: elicit.id, result: { action: 'accept', content: { name: 42 } } }, headers);
    expect((await stream.next())!.error?.code).toBe(-32602);
  });

  it('capability gating uses the capabilities from initialize', async () => {
    const { headers } = await initialize({});
    const res = await post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'ask_name', arguments: {} } }, headers);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Message;
    expect(body.error?.code).toBe(-32021);
    expect(body.error?.data).toEqual({ requiredCapabilities: { elicitation: {} } });
  });

  it('logging/setLevel filters notifications/message; progress uses the request progressToken', async () => {
    const { headers } = await initialize();
    const quiet = (await (await post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'chatty', arguments: {} } }, headers)).json()) as Message;
    expect(quiet.result?.content).toEqual([{ type: 'text', text: `level=none version=${LEGACY}` }]);
    await post({ jsonrpc: '2.0', id: 2, method: 'logging/setLevel', params: { level: 'info' } }, headers);
    const stream = sseReader(await post({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'chatty', arguments: {}, _meta: { progressToken: 'pt' } } }, headers));
    const seen: Message[] = [];
    for (let m = await stream.next(); m; m = await stream.next()) seen.push(m);
    expect(seen.map((m) => m.method ?? 'response')).toEqual(['notifications/message', 'notifications/progress', 'response']);
    expect(seen[0]!.params).toEqual({ level: 'info', data: 'info line' });
    expect(seen[1]!.params).toMatchObject({ progressToken: 'pt', progress: 1, total: 2 });
  });

  it('the GET stream carries resource updates for subscribed URIs and list_changed; one GET per session', async () => {
    const { headers } = await initialize();
    const get = await post(undefined, headers, 'GET');
    expect(get.status).toBe(200);
    expect((await post(undefined, headers, 'GET')).status).toBe(409);
    const stream = sseReader(get);
    await post({ jsonrpc: '2.0', id: 1, method: 'resources/subscribe', params: { uri: 'test://watched' } }, headers);
    await server.notify.resourceUpdated('test://other');
    await server.notify.resourceUpdated('test://watched');
    expect(await stream.next()).toEqual({ jsonrpc: '2.0', method: 'notifications/resources/updated', params: { uri: 'test://watched' } });
    await post({ jsonrpc: '2.0', id: 2, method: 'resources/unsubscribe', params: { uri: 'test://watched' } }, headers);
    await server.notify.resourceUpdated('test://watched');
    await server.notify.toolsListChanged();
    expect(await stream.next()).toEqual({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
    // DELETE ends the session and its GET stream.
    await post(undefined, headers, 'DELETE');
    expect(await stream.next()).toBeUndefined();
  });

  it('notifications/cancelled stops a running request; closing the POST stream does not', async () => {
    const { headers } = await initialize();
    released = false;
    const stream = sseReader(await post({ jsonrpc: '2.0', id: 'h', method: 'tools/call', params: { name: 'hang', arguments: {}, _meta: { progressToken: 1 } } }, headers));
    expect((await stream.next())!.method).toBe('notifications/progress');
    const cancel = await post({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'h', reason: 'user' } }, headers);
    expect(cancel.status).toBe(202);
    expect(await stream.next()).toBeUndefined();
    expect(released).toBe(true);
  });

  it('the stateless wire is untouched on the same endpoint', async () => {
    const res = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: meta() } }, { 'mcp-protocol-version': VERSION, 'mcp-method': 'tools/list' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Message).result).toMatchObject({ resultType: 'complete' });
  });
});

describe('served versions and session bounds', () => {
  it('protocolVersions without 2025-11-25 refuses initialize and has no GET/DELETE', async () => {
    const modern = testServer({ protocolVersions: [VERSION] });
    expect(modern.sessions).toBeUndefined();
    const handle = await serveHttp(modern, { port: 0, handleSignals: false });
    try {
      const init = await fetch(handle.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: LEGACY, capabilities: {} } }),
      });
      expect(init.status).toBe(400);
      expect(((await init.json()) as Message).error?.data).toEqual({ supported: [VERSION], requested: LEGACY });
      expect((await fetch(handle.url, { method: 'GET' })).status).toBe(405);
    } finally {
      await handle.close();
    }
  });

  it('a 2025-only server answers 2026 requests as a legacy server does (400 + -32600, no 2026 error code)', async () => {
    const old = testServer({ protocolVersions: [LEGACY] });
    const outcome = await old.handle({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: meta() } });
    expect(outcome.httpStatus).toBe(400);
    expect(outcome.response).toMatchObject({ error: { code: -32600, message: expect.stringMatching(/2025-11-25 only.*send initialize/) } });
    expect(() => testServer({ protocolVersions: ['2024-11-05'] })).toThrow(/not implemented/);
  });

  it('the in-memory store evicts the least recently used session past maxSessions and expires idle ones', async () => {
    let now = 1_000;
    const store = new InMemorySessionStore({ maxSessions: 2, idleTimeoutMs: 60_000, now: () => now });
    const record = (id: string) => ({ id, protocolVersion: LEGACY, clientCapabilities: {}, subscriptions: [], initialized: true, createdAt: now, lastSeenAt: now });
    const evicted: string[] = [];
    store.onEvicted((id) => evicted.push(id));
    await store.create(record('a'));
    await store.create(record('b'));
    await store.get('a');
    await store.create(record('c'));
    expect(evicted).toEqual(['b']);
    expect(await store.get('b')).toBeUndefined();
    now += 60_001;
    expect(await store.get('a')).toBeUndefined();
    expect(evicted).toEqual(['b', 'a']);
    await store.close();
  });

  it('a session belongs to the authenticated subject that created it: another subject gets 404', async () => {
    const guarded = testServer({ tools });
    const handle = await serveHttp(guarded, { port: 0, handleSignals: false, authenticate: (headers) => ({ subject: headers.get('x-user') }) });
    const call = (user: string, body: unknown, extra: Record<string, string> = {}, method = 'POST') =>
      fetch(handle.url, { method, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'x-user': user, ...extra }, body: method === 'POST' ? JSON.stringify(body) : undefined });
    try {
      const init = await call('alice', { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: LEGACY, capabilities: {} } });
      const sid = { 'mcp-session-id': init.headers.get('mcp-session-id')! };
      expect((await call('alice', { jsonrpc: '2.0', id: 2, method: 'ping' }, sid)).status).toBe(200);
      expect((await call('bob', { jsonrpc: '2.0', id: 3, method: 'ping' }, sid)).status).toBe(404);
      expect((await call('bob', undefined, sid, 'GET')).status).toBe(404);
      expect((await call('bob', undefined, sid, 'DELETE')).status).toBe(404);
      expect((await call('alice', undefined, sid, 'DELETE')).status).toBe(200);
    } finally {
      await handle.close();
    }
  });

  it('an evicted session is 404 over HTTP', async () => {
    const small = testServer({ tools, sessions: { maxSessions: 1 } });
    const handle = await serveHttp(small, { port: 0, handleSignals: false });
    const init = () =>
      fetch(handle.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: LEGACY, capabilities: {} } }),
      }).then((r) => r.headers.get('mcp-session-id')!);
    try {
      const first = await init();
      await init();
      const res = await fetch(handle.url, { method: 'POST', headers: { 'content-type': 'application/json', 'mcp-session-id': first }, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }) });
      expect(res.status).toBe(404);
    } finally {
      await handle.close();
    }
  });
});

describe('2025-11-25 session wire over stdio', () => {
  function harness(options: Parameters<typeof testServer>[0] = {}) {
    const input = new PassThrough();
    const output = new PassThrough();
    const lines: Message[] = [];
    let buffer = '';
    output.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let i;
      while ((i = buffer.indexOf('\n')) >= 0) {
        lines.push(JSON.parse(buffer.slice(0, i)) as Message);
        buffer = buffer.slice(i + 1);
      }
    });
    const stdioServer = testServer({ tools, resources, ...options });
    const handle = serveStdio(stdioServer, { input, output, redirectConsole: false, exitOnEnd: false });
    const send = (message: unknown) => input.write(`${JSON.stringify(message)}\n`);
    const until = async (predicate: () => boolean) => {
      for (let i = 0; i < 400 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(predicate()).toBe(true);
    };
    return { input, lines, handle, send, until, stdioServer };
  }

  it('a first initialize selects the session wire: asks become requests on stdout, answers come back on stdin', async () => {
    const { input, lines, handle, send, until, stdioServer } = harness();
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: LEGACY, capabilities: { elicitation: {} }, clientInfo: { name: 'c', version: '1' } } });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'ping' });
    await until(() => lines.some((l) => l.id === 2));
    expect(lines[0]).toMatchObject({ id: 1, result: { protocolVersion: LEGACY } });
    expect(lines.find((l) => l.id === 2)).toEqual({ jsonrpc: '2.0', id: 2, result: {} });
    send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'ask_name', arguments: {} } });
    await until(() => lines.some((l) => l.method === 'elicitation/create'));
    const ask = lines.find((l) => l.method === 'elicitation/create')!;
    send({ jsonrpc: '2.0', id: ask.id, result: { action: 'decline' } });
    await until(() => lines.some((l) => l.id === 3));
    expect(lines.find((l) => l.id === 3)?.result).toEqual({ content: [{ type: 'text', text: 'no name (decline)' }] });
    // Unsolicited notifications go to stdout (the connection's standalone stream).
    send({ jsonrpc: '2.0', id: 4, method: 'resources/subscribe', params: { uri: 'test://watched' } });
    await until(() => lines.some((l) => l.id === 4));
    await stdioServer.notify.resourceUpdated('test://watched');
    await until(() => lines.some((l) => l.method === 'notifications/resources/updated'));
    // Mixing eras on the connection is refused.
    send({ jsonrpc: '2.0', id: 5, method: 'tools/list', params: { _meta: meta() } });
    await until(() => lines.some((l) => l.id === 5));
    expect(lines.find((l) => l.id === 5)?.error?.code).toBe(-32600);
    input.end();
    await handle.closed;
  });

  // stdio.mdx "Backward Compatibility": a client probes with server/discover, and on an error that
  // is not a modern version refusal it falls back to initialize on the same connection.
  for (const [label, options, probeError] of [
    ['a 2025-only server', { protocolVersions: [LEGACY] }, -32600],
    ['a dual-era server refusing a malformed probe', {}, -32602],
  ] as const) {
    it(`${label}: initialize after a failed server/discover probe opens a session`, async () => {
      const { input, lines, handle, send, until } = harness(options);
      const probeMeta = label.startsWith('a dual') ? meta({ 'io.modelcontextprotocol/protocolVersion': 42 }) : meta();
      send({ jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: probeMeta } });
      await until(() => lines.some((l) => l.id === 1));
      expect(lines.find((l) => l.id === 1)?.error?.code).toBe(probeError);
      send({ jsonrpc: '2.0', id: 2, method: 'initialize', params: { protocolVersion: LEGACY, capabilities: { elicitation: {} }, clientInfo: { name: 'c', version: '1' } } });
      send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'ask_name', arguments: {} } });
      await until(() => lines.some((l) => l.method === 'elicitation/create'));
      expect(lines.find((l) => l.id === 2)?.result).toMatchObject({ protocolVersion: LEGACY });
      const ask = lines.find((l) => l.method === 'elicitation/create')!;
      send({ jsonrpc: '2.0', id: ask.id, result: { action: 'accept', content: { name: 'Ada' } } });
      await until(() => lines.some((l) => l.id === 3));
      expect(lines.find((l) => l.id === 3)?.result).toEqual({ content: [{ type: 'text', text: 'hello Ada, roots=' }] });
      // The connection is now a session: the 2026 wire is refused as mixing eras, a second initialize too.
      send({ jsonrpc: '2.0', id: 4, method: 'tools/list', params: { _meta: meta() } });
      send({ jsonrpc: '2.0', id: 5, method: 'initialize', params: { protocolVersion: LEGACY, capabilities: {} } });
      await until(() => lines.some((l) => l.id === 4) && lines.some((l) => l.id === 5));
      expect(lines.find((l) => l.id === 4)?.error?.code).toBe(-32600);
      expect(lines.find((l) => l.id === 5)?.error).toBeDefined();
      input.end();
      await handle.closed;
    });
  }

  it('a first 2026 request keeps the connection stateless', async () => {
    const { input, lines, handle, send, until } = harness();
    send({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: meta() } });
    send({ jsonrpc: '2.0', id: 2, method: 'initialize', params: { protocolVersion: LEGACY, capabilities: {} } });
    await until(() => lines.length === 2);
    expect(lines.find((l) => l.id === 1)?.result).toMatchObject({ resultType: 'complete' });
    expect(lines.find((l) => l.id === 2)?.error?.code).toBe(-32602);
    input.end();
    await handle.closed;
  });
});
