import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, serveHttp, toWebHandler, type HttpServerHandle } from './runtime-under-test.ts';
import { meta, testServer, VERSION } from './helpers.ts';

let released: (() => void) | undefined;
let cancelled = false;
const tools = [
  defineTool({
    name: 'progress',
    description: 'streams',
    inputSchema: { type: 'object' },
    input: z.looseObject({}),
    handler: async (_input, ctx) => {
      ctx.progress(1, 2);
      await new Promise((resolve) => setTimeout(resolve, 20));
      ctx.progress(2, 2);
      return { content: [{ type: 'text', text: 'done' }] };
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
      cancelled = true;
      released?.();
      return { content: [] };
    },
  }),
  defineTool({
    name: 'regional',
    description: 'x-mcp-header',
    inputSchema: { type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' } } },
    input: z.looseObject({ region: z.string().optional() }),
    handler: (input) => ({ content: [{ type: 'text', text: String(input.region) }] }),
  }),
];

const server = testServer({ tools });
let http: HttpServerHandle;
beforeAll(async () => {
  http = await serveHttp(server, { port: 0, handleSignals: false, maxBodyBytes: 2048 });
});
afterAll(async () => {
  await http.close();
});

function body(method: string, params: Record<string, unknown> = {}, id: number | string = 1) {
  return JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: meta({ progressToken: 'p' }) } });
}

function post(text: string, headers: Record<string, string> = {}, method = 'POST') {
  let m: { method?: string; params?: { name?: string; uri?: string } } = {};
  try {
    m = JSON.parse(text) as typeof m;
  } catch {
    // deliberately malformed bodies carry no routing headers
  }
  return fetch(http.url, {
    method,
    body: method === 'POST' ? text : undefined,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': VERSION,
      ...(m.method ? { 'mcp-method': m.method } : {}),
      ...(m.params?.name ? { 'mcp-name': m.params.name } : {}),
      ...headers,
    },
  });
}

const sseMessages = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);

describe('Streamable HTTP status codes', () => {
  it('answers plain requests with JSON 200', async () => {
    const res = await post(body('tools/list'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(((await res.json()) as { result: { tools: unknown[] } }).result.tools).toHaveLength(3);
  });

  it('GET and DELETE belong to the 2025-11-25 session wire: 400 without a session id, 405 for other verbs', async () => {
    for (const method of ['GET', 'DELETE']) expect((await post('', {}, method)).status).toBe(400);
    const put = await post('', {}, 'PUT');
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST, DELETE');
  });

  it('Content-Type, Accept, size, parse and batch rules', async () => {
    expect((await post(body('tools/list'), { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post(body('tools/list'), { accept: 'text/html' })).status).toBe(406);
    expect((await post(JSON.stringify({ pad: 'x'.repeat(4096) }))).status).toBe(413);
    const parse = await post('{nope');
    expect(parse.status).toBe(400);
    expect(await parse.json()).toEqual({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' } });
    expect((await post(`[${body('tools/list')}]`)).status).toBe(400);
  });

  it('notifications are 202 with no body', async () => {
    const res = await post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 9 } }));
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
  });

  it('header mismatches are 400/-32020; unsupported version 400/-32022; unknown method 404/-32601', async () => {
    const mismatch = await post(body('tools/list'), { 'mcp-method': 'prompts/list' });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.json()).toMatchObject({ id: 1, error: { code: -32020 } });
    expect((await post(body('tools/list'), { 'mcp-protocol-version': '2025-06-18' })).status).toBe(400);
    const unknown = await post(body('nope/nope'));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: -32601 } });
    const missingParam = await post(body('tools/call', { name: 'regional', arguments: { region: 'eu' } }));
    expect(missingParam.status).toBe(400);
    const withParam = await post(body('tools/call', { name: 'regional', arguments: { region: 'eu' } }), { 'mcp-param-region': 'eu' });
    expect(withParam.status).toBe(200);
  });

  it('Host and Origin allow-lists give 403', async () => {
    const raw = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(http.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end(body('server/discover'));
      });
    const port = new URL(http.url).port;
    expect(await raw({ host: 'evil.example.com' })).toBe(403);
    expect(await raw({ host: `127.0.0.1:${port}`, origin: 'http://evil.example.com' })).toBe(403);
    expect(await raw({ host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}`, 'mcp-protocol-version': VERSION, 'mcp-method': 'server/discover' })).toBe(200);
    expect(await raw({ host: `localhost:${port}`, origin: 'http://localhost:6274', 'mcp-protocol-version': VERSION, 'mcp-method': 'server/discover' })).toBe(200);
  });
});

describe('SSE responses', () => {
  it('switches to SSE when the handler streams, ending with the response', async () => {
    const res = await post(body('tools/call', { name: 'progress' }, 5));
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const messages = sseMessages(await res.text());
    expect(messages.map((m) => m.method ?? 'response')).toEqual(['notifications/progress', 'notifications/progress', 'response']);
    expect(messages[2]).toMatchObject({ id: 5, result: { resultType: 'complete' } });
  });

  it('closing the stream cancels the request', async () => {
    cancelled = false;
    const done = new Promise<void>((resolve) => (released = resolve));
    const controller = new AbortController();
    const res = await fetch(http.url, {
      method: 'POST',
      signal: controller.signal,
      body: body('tools/call', { name: 'hang' }),
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': VERSION, 'mcp-method': 'tools/call', 'mcp-name': 'hang' },
    });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await done;
    expect(cancelled).toBe(true);
  });

  it('holds a listen stream open with the ack first, then delivers changes', async () => {
    const controller = new AbortController();
    const res = await fetch(http.url, {
      method: 'POST',
      signal: controller.signal,
      body: body('subscriptions/listen', { notifications: { toolsListChanged: true } }, 'L'),
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': VERSION, 'mcp-method': 'subscriptions/listen' },
    });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('acknowledged')) text += decoder.decode((await reader.read()).value);
    await server.notify.toolsListChanged();
    while (!text.includes('list_changed')) text += decoder.decode((await reader.read()).value);
    expect(sseMessages(text).map((m) => m.method)).toEqual(['notifications/subscriptions/acknowledged', 'notifications/tools/list_changed']);
    controller.abort();
  });
});

describe('toWebHandler', () => {
  const handler = toWebHandler(testServer({ tools }), { allowedHosts: ['mcp.example.com'] });
  const make = (init: RequestInit & { headers?: Record<string, string> }) =>
    new Request('https://mcp.example.com/mcp', {
      method: 'POST',
      ...init,
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': VERSION, host: 'mcp.example.com', ...init.headers },
    });

  it('serves JSON and SSE and enforces the same rules', async () => {
    const list = await handler(make({ body: body('tools/list'), headers: { 'mcp-method': 'tools/list' } }));
    expect(list.status).toBe(200);
    const sse = await handler(make({ body: body('tools/call', { name: 'progress' }), headers: { 'mcp-method': 'tools/call', 'mcp-name': 'progress' } }));
    expect(sse.headers.get('content-type')).toBe('text/event-stream');
    expect(sseMessages(await sse.text())).toHaveLength(3);
    expect((await handler(new Request('https://mcp.example.com/mcp', { method: 'PUT' }))).status).toBe(405);
    expect((await handler(make({ body: body('tools/list'), headers: { 'mcp-method': 'tools/list', origin: 'https://evil.example' } }))).status).toBe(403);
  });
});

describe('graceful drain', () => {
  it('close() ends listen streams with their result and lets in-flight requests finish', async () => {
    const own = testServer({ tools });
    const handle = await serveHttp(own, { port: 0, handleSignals: false });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': VERSION };
    const listen = await fetch(handle.url, { method: 'POST', body: body('subscriptions/listen', { notifications: { toolsListChanged: true } }, 'S'), headers: { ...headers, 'mcp-method': 'subscriptions/listen' } });
    const working = fetch(handle.url, { method: 'POST', body: body('tools/call', { name: 'progress' }, 'W'), headers: { ...headers, 'mcp-method': 'tools/call', 'mcp-name': 'progress' } });
    // Both requests must be in flight before closing (a fixed sleep races under CPU load).
    for (let i = 0; i < 500 && own.inFlight < 2; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(own.inFlight).toBe(2);
    const closed = handle.close();
    const listenMessages = sseMessages(await listen.text());
    expect(listenMessages.at(-1)).toMatchObject({ id: 'S', result: { resultType: 'complete', _meta: { 'io.modelcontextprotocol/subscriptionId': 'S' } } });
    expect(sseMessages(await (await working).text()).at(-1)).toMatchObject({ id: 'W', result: { resultType: 'complete' } });
    await closed;
  });
});

describe('DNS rebinding on every entry point', () => {
  const discover = (host: string, origin: string) =>
    ({
      method: 'POST',
      headers: { host, origin, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': VERSION, 'mcp-method': 'server/discover' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: meta() } }),
    }) as const;

  it('a listener mounted on a loopback socket refuses a foreign Host, even with a matching Origin', async () => {
    const { createServer } = await import('node:http');
    const { createNodeRequestListener } = await import('./runtime-under-test.ts');
    const http = createServer(createNodeRequestListener(testServer({ tools })));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const port = (http.address() as { port: number }).port;
    const send = (host: string, origin: string) =>
      new Promise<number>((resolve, reject) => {
        const d = discover(host, origin);
        const req = httpRequest({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers: d.headers }, (res) => (res.resume(), resolve(res.statusCode!)));
        req.on('error', reject);
        req.end(d.body);
      });
    try {
      expect(await send('evil.example:8080', 'http://evil.example:8080')).toBe(403);
      expect(await send(`127.0.0.1:${port}`, `http://127.0.0.1:${port}`)).toBe(200);
    } finally {
      await new Promise((resolve) => http.close(resolve));
    }
  });

  it('the web handler without allow-lists refuses a same-origin browser request from a foreign host', async () => {
    const handler = toWebHandler(testServer({ tools }));
    const d = discover('evil.example:8080', 'http://evil.example:8080');
    const res = await handler(new Request('http://evil.example:8080/mcp', { method: 'POST', headers: d.headers, body: d.body }));
    expect(res.status).toBe(403);
    const allowed = toWebHandler(testServer({ tools }), { allowedHosts: ['app.example.com'] });
    const ok = discover('app.example.com', 'https://app.example.com');
    expect((await allowed(new Request('https://app.example.com/mcp', { method: 'POST', headers: ok.headers, body: ok.body }))).status).toBe(200);
  });
});

describe('web handler body limit', () => {
  it('stops reading a chunked body without Content-Length at the limit (413)', async () => {
    const handler = toWebHandler(testServer({ tools }), { maxBodyBytes: 1024, allowedHosts: ['localhost'] });
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        if (pulled > 10_000) return controller.close();
        controller.enqueue(new Uint8Array(512).fill(32));
      },
    });
    const res = await handler(
      new Request('http://localhost/mcp', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': VERSION, 'mcp-method': 'server/discover' },
        body,
        duplex: 'half',
      } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(10);
  });
});
