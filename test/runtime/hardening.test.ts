/**
 * Issue 14 (server runtime): one request must never freeze the server, template variables must
 * never walk the filesystem, hung handlers are released, slow bodies and huge stdio lines are
 * bounded, bodies are strict UTF-8, large ids are exact, Host is exactly one well-formed value.
 */
import { connect } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineResourceTemplate, defineTool, ErrorCode, McpError, serveHttp, serveStdio, type HttpServerHandle, type McpServerOptions, type RuntimeLogger } from './runtime-under-test.ts';
import { meta, request, roundTrip, testServer } from './helpers.ts';

/** A handler that only ever settles by noticing its signal; records how it was stopped. */
function hangingTool(name: string, seen: { reason?: unknown }[], timeoutMs?: number) {
  return defineTool({
    name,
    description: 'never returns on its own',
    inputSchema: { type: 'object' },
    input: z.looseObject({}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    handler: (_input, ctx) =>
      new Promise<{ content: [] }>(() => {
        ctx.signal.addEventListener('abort', () => seen.push({ reason: ctx.signal.reason }));
      }),
  });
}

describe('template variables are checked before the handler', () => {
  const reads: Record<string, string>[] = [];
  const server = testServer({
    resourceTemplates: [
      defineResourceTemplate({ uriTemplate: 'files://{name}', name: 'file', read: (params) => (reads.push(params), { text: 'x' }) }),
      defineResourceTemplate({ uriTemplate: 'tree://{+path}', name: 'tree', read: (params) => (reads.push(params), { text: 'x' }) }),
      defineResourceTemplate({ uriTemplate: 'open://{+path}', name: 'open', allowDotSegments: true, read: (params) => (reads.push(params), { text: 'x' }) }),
    ],
  });

  it.each([
    'files://..%2F..%2F..%2Fetc%2Fpasswd',
    'files://%2e%2e',
    'files://a%00b',
    'files://a%0Ab',
    'tree://orders/../../etc/passwd',
    'tree://orders/%2E%2E/%2e%2e/etc/passwd',
    'tree://a%00',
  ])('%s → -32602 echoing the URI as received; the handler never runs', async (uri) => {
    const { error } = await roundTrip(server, request('resources/read', { uri }));
    expect(error?.code).toBe(-32602);
    expect(error?.data).toEqual({ uri });
    expect(reads).toEqual([]);
  });

  it('accepts ordinary values, and `..` only where the template opts in', async () => {
    expect((await roundTrip(server, request('resources/read', { uri: 'tree://a/b%20c' }))).result).toBeDefined();
    expect((await roundTrip(server, request('resources/read', { uri: 'open://a/../b' }))).result).toBeDefined();
    expect(reads).toEqual([{ path: 'a/b c' }, { path: 'a/../b' }]);
  });

  it("a handler's own not-found without data gets data.uri as received, not rebuilt from decoded params", async () => {
    const shop = testServer({
      resourceTemplates: [
        defineResourceTemplate({ uriTemplate: 'shop://orders/{id}', name: 'order', read: () => Promise.reject(new McpError(ErrorCode.InvalidParams, 'Resource not found')) }),
        defineResourceTemplate({ uriTemplate: 'own://{id}', name: 'own', read: () => { throw new McpError(ErrorCode.InvalidParams, 'Nope', { mine: true }); } }),
      ],
    });
    const uri = 'shop://orders/%41%2D1';
    expect((await roundTrip(shop, request('resources/read', { uri }))).error).toEqual({ code: -32602, message: 'Resource not found', data: { uri } });
    expect((await roundTrip(shop, request('resources/read', { uri: 'own://x' }))).error?.data).toEqual({ mine: true });
  });

  it('a ReDoS-shaped URI against adjacent variables answers at once and blocks nobody', async () => {
    const adjacent = testServer({
      resourceTemplates: [defineResourceTemplate({ uriTemplate: 'adj://{a}{b}{c}{d}!', name: 'adj', read: () => ({ text: 'x' }) })],
    });
    const started = performance.now();
    const { error } = await roundTrip(adjacent, request('resources/read', { uri: `adj://${'a'.repeat(400)}` }));
    expect(error?.code).toBe(-32602);
    expect(performance.now() - started).toBeLessThan(50);
  });
});

describe('per-request deadlines', () => {
  it('a tool past its timeoutMs: signal aborts with TimeoutError, -32603, request released', async () => {
    const seen: { reason?: unknown }[] = [];
    const server = testServer({ tools: [hangingTool('hang', seen, 40)] });
    const started = performance.now();
    const { error } = await roundTrip(server, request('tools/call', { name: 'hang', arguments: {} }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    expect(error).toMatchObject({ code: -32603, message: 'Request timed out after 40 ms', data: { timeoutMs: 40 } });
    expect((seen[0]?.reason as Error).name).toBe('TimeoutError');
    expect(server.inFlight).toBe(0);
  });

  it('the server default applies to tools without their own, and to resource reads', async () => {
    const seen: { reason?: unknown }[] = [];
    const server = testServer({
      requestTimeoutMs: 30,
      tools: [hangingTool('hang', seen)],
      resourceTemplates: [defineResourceTemplate({ uriTemplate: 'slow://{id}', name: 'slow', read: () => new Promise(() => undefined) })],
    });
    expect((await roundTrip(server, request('tools/call', { name: 'hang', arguments: {} }))).error?.code).toBe(-32603);
    expect((await roundTrip(server, request('resources/read', { uri: 'slow://1' }))).error?.message).toBe('Request timed out after 30 ms');
    expect(seen).toHaveLength(1);
  });

  it('a tool timeoutMs of 0 disables the deadline', async () => {
    const server = testServer({
      requestTimeoutMs: 10,
      tools: [defineTool({ name: 'late', description: 'd', inputSchema: { type: 'object' }, input: z.looseObject({}), timeoutMs: 0, handler: async () => (await new Promise((r) => setTimeout(r, 40)), { content: [] }) })],
    });
    expect((await roundTrip(server, request('tools/call', { name: 'late', arguments: {} }))).result).toBeDefined();
  });

  it('an abandoned request (client gone) is aborted and released at once, with no response', async () => {
    const seen: { reason?: unknown }[] = [];
    const server = testServer({ tools: [hangingTool('hang', seen, 0)] });
    const client = new AbortController();
    const outcome = server.handle(request('tools/call', { name: 'hang', arguments: {} }), { signal: client.signal });
    await new Promise((resolve) => setImmediate(resolve));
    expect(server.inFlight).toBe(1);
    client.abort();
    expect((await outcome).response).toBeUndefined();
    expect(server.inFlight).toBe(0);
    expect(seen).toHaveLength(1);
  });

  it('close() drains with a bounded grace, then aborts what remains (-32603) and resolves', async () => {
    const seen: { reason?: unknown }[] = [];
    const server = testServer({ tools: [hangingTool('hang', seen, 0)] });
    const outcome = server.handle(request('tools/call', { name: 'hang', arguments: {} }));
    const started = performance.now();
    await server.close(50);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect((await outcome).response).toMatchObject({ error: { code: -32603, message: 'Server shutting down' } });
    expect(server.inFlight).toBe(0);
    expect(seen).toHaveLength(1);
  });

  it('3 000 abandoned calls to a hanging tool leave nothing in flight', async () => {
    const seen: { reason?: unknown }[] = [];
    const server = testServer({ tools: [hangingTool('hang', seen, 0)] });
    const clients = Array.from({ length: 3_000 }, () => new AbortController());
    const outcomes = clients.map((c) => server.handle(request('tools/call', { name: 'hang', arguments: {} }), { signal: c.signal }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(server.inFlight).toBe(3_000);
    for (const c of clients) c.abort();
    await Promise.all(outcomes);
    expect(server.inFlight).toBe(0);
    expect(seen).toHaveLength(3_000);
  });
});

/** Raw HTTP over a socket: duplicate headers and slow bodies are things node's client will not send. */
function rawHttp(port: number, text: string | Buffer, { keepOpen = false, timeoutMs = 5_000 } = {}): Promise<{ text: string; closedAfterMs: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('connect', () => (keepOpen ? socket.write(text) : socket.end(text)));
    socket.on('data', (chunk) => (received += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text: received, closedAfterMs: performance.now() - started });
    });
  });
}

describe('HTTP input hardening', () => {
  const server = testServer();
  let http: HttpServerHandle;
  beforeAll(async () => {
    http = await serveHttp(server, { port: 0, handleSignals: false, bodyTimeoutMs: 300 });
  });
  afterAll(async () => {
    await http.close();
  });

  const headersFor = (length: number, host = `127.0.0.1:${http?.port}`, extra = '') =>
    `POST /mcp HTTP/1.1\r\nHost: ${host}\r\n${extra}Content-Type: application/json\r\nAccept: application/json\r\nMCP-Protocol-Version: 2026-07-28\r\nMcp-Method: tools/list\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`;
  const listBody = (id: string) => `{"jsonrpc":"2.0","id":${id},"method":"tools/list","params":{"_meta":${JSON.stringify(meta())}}}`;

  it('echoes an id past 2^53 exactly as written', async () => {
    const body = listBody('9007199254740993');
    const { text } = await rawHttp(http.port, headersFor(Buffer.byteLength(body)) + body);
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(text).toContain('{"jsonrpc":"2.0","id":9007199254740993,');
  });

  it('echoes exact large ids in SSE-only replies and in errors too', async () => {
    const body = `{"jsonrpc":"2.0","id":-123456789012345678901,"method":"nope","params":{"_meta":${JSON.stringify(meta())}}}`;
    const head = headersFor(Buffer.byteLength(body)).replace('Accept: application/json', 'Accept: text/event-stream').replace('Mcp-Method: tools/list', 'Mcp-Method: nope');
    const { text } = await rawHttp(http.port, head + body);
    expect(text).toContain('data: {"jsonrpc":"2.0","id":-123456789012345678901,"error"');
  });

  it('rejects invalid UTF-8 with -32700 instead of replacing it', async () => {
    const body = Buffer.concat([Buffer.from('{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"x":"'), Buffer.from([0xc3, 0x28]), Buffer.from(`","_meta":${JSON.stringify(meta())}}}`)]);
    const { text } = await rawHttp(http.port, Buffer.concat([Buffer.from(headersFor(body.length)), body]));
    expect(text).toMatch(/^HTTP\/1\.1 400/);
    expect(text).toContain('"code":-32700');
  });

  it.each([
    ['two Host headers', headersFor(0, `127.0.0.1`, `Host: evil.example.com\r\n`)],
    ['userinfo in Host', headersFor(0, '127.0.0.1:1@evil.com')],
    ['a path in Host', headersFor(0, '127.0.0.1/x')],
  ])('%s → 400', async (_label, head) => {
    const { text } = await rawHttp(http.port, head);
    expect(text).toMatch(/^HTTP\/1\.1 400/);
    expect(text).toContain('exactly one well-formed Host');
  });

  it('a body that trickles in past bodyTimeoutMs gets 408 and the connection is closed', async () => {
    const body = listBody('1');
    const { text, closedAfterMs } = await rawHttp(http.port, headersFor(Buffer.byteLength(body)) + body.slice(0, 10), { keepOpen: true });
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeGreaterThanOrEqual(250);
    expect(closedAfterMs).toBeLessThan(3_000);
  });
});

describe('stdio limits', () => {
  function stdio(options: { maxLineBytes?: number; maxConcurrentRequests?: number; tools?: McpServerOptions['tools'] } = {}) {
    const warnings: string[] = [];
    const logger: RuntimeLogger = { error: () => undefined, warn: (m) => warnings.push(m), info: () => undefined };
    const input = new PassThrough();
    const output = new PassThrough();
    const lines: Record<string, unknown>[] = [];
    const raw: string[] = [];
    let buffer = '';
    output.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let i;
      while ((i = buffer.indexOf('\n')) >= 0) {
        raw.push(buffer.slice(0, i));
        lines.push(JSON.parse(buffer.slice(0, i)) as Record<string, unknown>);
        buffer = buffer.slice(i + 1);
      }
    });
    const server = testServer({ logger, ...(options.tools ? { tools: options.tools } : {}) });
    const handle = serveStdio(server, { input, output, redirectConsole: false, exitOnEnd: false, drainTimeoutMs: 50, ...options });
    const until = async (predicate: () => boolean) => {
      for (let i = 0; i < 400 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    return { input, lines, raw, warnings, handle, until, server };
  }

  it('an oversized line with a readable id gets -32600; without one it is dropped and logged; the next line works', async () => {
    const { input, lines, warnings, handle, until } = stdio({ maxLineBytes: 1024 });
    // 8 MiB streamed in 64 KiB chunks: the id is in the first bytes.
    input.write('{"jsonrpc":"2.0","id":"big","method":"tools/list","params":{"pad":"');
    for (let i = 0; i < 128; i++) input.write('a'.repeat(64 * 1024));
    input.write('"}}\n');
    input.write(`{"jsonrpc":"2.0","method":"tools/list","params":{"pad":"${'b'.repeat(4096)}"},"id":"late"}\n`);
    input.write(`${JSON.stringify(request('tools/list', {}, { id: 'next' }))}\n`);
    await until(() => lines.some((l) => l.id === 'next'));
    expect(lines[0]).toEqual({ jsonrpc: '2.0', id: 'big', error: { code: -32600, message: 'Invalid Request: message larger than 1024 bytes' } });
    expect(lines.map((l) => l.id)).toEqual(['big', 'next']);
    expect(warnings.join('\n')).toMatch(/dropped a \d+-byte line \(limit 1024 bytes\)/);
    input.end();
    await handle.closed;
  });

  it('invalid UTF-8 is -32700; a large integer id comes back exactly', async () => {
    const { input, lines, raw, handle, until } = stdio();
    input.write(Buffer.concat([Buffer.from('{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"x":"'), Buffer.from([0xff]), Buffer.from('"}}\n')]));
    input.write(`{"jsonrpc":"2.0","id":9007199254740993,"method":"tools/list","params":{"_meta":${JSON.stringify(meta())}}}\n`);
    await until(() => lines.length === 2);
    expect(lines[0]).toEqual({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' } });
    expect(raw[1]).toMatch(/^\{"jsonrpc":"2\.0","id":9007199254740993,"result"/);
    input.end();
    await handle.closed;
  });

  it('bounds concurrent requests: the third waits until a slot frees', async () => {
    let started = 0;
    const gates: (() => void)[] = [];
    const gated = defineTool({
      name: 'gated',
      description: 'waits for the test',
      inputSchema: { type: 'object' },
      input: z.looseObject({}),
      handler: () => new Promise<{ content: [] }>((resolve) => (started++, gates.push(() => resolve({ content: [] })))),
    });
    const { input, lines, handle, until } = stdio({ maxConcurrentRequests: 2, tools: [gated] });
    // All three in one chunk: the bound must hold within a chunk too.
    input.write([1, 2, 3].map((id) => JSON.stringify(request('tools/call', { name: 'gated', arguments: {} }, { id }))).join('\n') + '\n');
    await until(() => started === 2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started).toBe(2);
    gates.shift()!();
    await until(() => started === 3);
    expect(started).toBe(3);
    for (const open of gates.splice(0)) open();
    await until(() => lines.length === 3);
    expect(lines.map((l) => l.id).sort()).toEqual([1, 2, 3]);
    input.end();
    await handle.closed;
  });

  it('close() with requests queued behind the bound answers each of them once (-32603 Server shutting down), none started', async () => {
    let started = 0;
    const gated = defineTool({
      name: 'gated',
      description: 'waits for the signal',
      inputSchema: { type: 'object' },
      input: z.looseObject({}),
      handler: (_input, ctx) => new Promise<{ content: [] }>((resolve) => (started++, ctx.signal.addEventListener('abort', () => resolve({ content: [] })))),
    });
    const { input, lines, handle, until } = stdio({ maxConcurrentRequests: 1, tools: [gated] });
    input.write([1, 2, 3].map((id) => JSON.stringify(request('tools/call', { name: 'gated', arguments: {} }, { id }))).join('\n') + '\n');
    await until(() => started === 1);
    await handle.close();
    await handle.closed;
    expect(started).toBe(1);
    const queued = lines.filter((l) => l.id === 2 || l.id === 3);
    expect(queued).toEqual([2, 3].map((id) => ({ jsonrpc: '2.0', id, error: { code: -32603, message: 'Server shutting down' } })));
    // No id answered twice.
    const ids = lines.map((l) => l.id).filter((id) => id !== undefined);
    expect(new Set(ids).size).toBe(ids.length);
    input.end();
  });
});
