/**
 * Wire behaviour against scripted servers: version negotiation, MRTR details, resultType rules,
 * header-mismatch recovery, pagination and cache scope, cancellation by closing the stream.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, McpAbortError, McpProtocolError, McpTimeoutError, ResultCache } from '../../templates/runtime/client/index.ts';
import { quietLogger } from './helpers.ts';
import { startHostileServer, type HostileServer, type Script } from './hostile-server.ts';

const reply = (res: Parameters<Script>[1], body: object, status = 200) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const complete = (id: unknown, result: object) => ({ jsonrpc: '2.0', id, result: { resultType: 'complete', ...result } });
type Seen = { id: unknown; method: string; params: any; headers: Record<string, string | string[] | undefined> };

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
async function scripted(script: (r: Seen, res: Parameters<Script>[1]) => void) {
  const seen: Seen[] = [];
  server = await startHostileServer((r, res) => {
    seen.push(r);
    script(r, res);
  });
  return { url: server.url('mcp'), seen };
}

describe('protocol version negotiation (basic/versioning.mdx)', () => {
  it('retries -32022 with a mutually supported version and keeps it', async () => {
    const { url, seen } = await scripted((r, res) => {
      const version = r.params._meta['io.modelcontextprotocol/protocolVersion'];
      if (version !== '2026-07-28')
        return reply(res, { jsonrpc: '2.0', id: r.id, error: { code: -32022, message: 'Unsupported protocol version', data: { supported: ['2026-07-28'], requested: version } } }, 400);
      reply(res, complete(r.id, { tools: [] }));
    });
    const client = createClient({ url, protocolVersion: '2027-01-01', supportedProtocolVersions: ['2027-01-01', '2026-07-28'], logger: quietLogger, cache: false });
    await client.listTools();
    await client.listTools();
    expect(client.protocolVersion).toBe('2026-07-28');
    expect(seen.map((s) => s.headers['mcp-protocol-version'])).toEqual(['2027-01-01', '2026-07-28', '2026-07-28']);
    expect(new Set(seen.map((s) => s.id)).size).toBe(3);
  });
});

describe('MRTR (basic/patterns/mrtr.mdx)', () => {
  it('echoes requestState byte for byte with a new id, sends only answers, and omits absent state', async () => {
    const state = '  ünïcode\n"quoted" \\ state  ';
    const { url, seen } = await scripted((r, res) => {
      const p = r.params;
      if (p.name === 'stateful' && !p.inputResponses)
        return reply(res, { jsonrpc: '2.0', id: r.id, result: { resultType: 'input_required', requestState: state, inputRequests: { a: { method: 'elicitation/create', params: { message: 'A?', requestedSchema: { type: 'object', properties: {} } } }, r: { method: 'roots/list' } } } });
      if (p.name === 'stateless' && !p.inputResponses)
        return reply(res, { jsonrpc: '2.0', id: r.id, result: { resultType: 'input_required', inputRequests: { s: { method: 'sampling/createMessage', params: { messages: [], maxTokens: 5 } } } } });
      if (p.name === 'state-only' && p.requestState === undefined) return reply(res, { jsonrpc: '2.0', id: r.id, result: { resultType: 'input_required', requestState: 'again' } });
      reply(res, { jsonrpc: '2.0', id: r.id, result: { content: [] } }); // no resultType: complete
    });
    const asked: string[] = [];
    const client = createClient({
      url,
      logger: quietLogger,
      handlers: {
        elicit: (params, ctx) => (asked.push(`${ctx.key}:${params.mode}:${ctx.target}`), { action: 'decline' }),
        sample: () => ({ role: 'assistant', model: 'm', content: { type: 'text', text: 'hi' } }),
        listRoots: () => [{ uri: 'file:///x' }],
      },
    });
    await client.callTool('stateful', { q: 1 });
    await client.callTool('stateless');
    await client.callTool('state-only');
    const [first, retry, second, secondRetry, third, thirdRetry] = seen;
    expect(retry!.id).not.toBe(first!.id);
    expect(retry!.params.requestState).toBe(state);
    expect(retry!.params.arguments).toEqual({ q: 1 });
    expect(retry!.params.inputResponses).toEqual({ a: { action: 'decline' }, r: { roots: [{ uri: 'file:///x' }] } });
    expect(asked).toEqual(['a:form:stateful']);
    expect(second!.params.requestState).toBeUndefined();
    expect('requestState' in secondRetry!.params).toBe(false);
    expect(secondRetry!.params.inputResponses.s.model).toBe('m');
    expect(third!.params.requestState).toBeUndefined();
    expect(thirdRetry!.params).toMatchObject({ requestState: 'again' });
    expect('inputResponses' in thirdRetry!.params).toBe(false);
  });

  it('keeps every input key in the retry, `__proto__` and `constructor` included', async () => {
    const ask = { method: 'elicitation/create', params: { message: '?', requestedSchema: { type: 'object', properties: {} } } };
    // Raw JSON: an object literal cannot carry an own `__proto__` key.
    const askJson = `{"resultType":"input_required","inputRequests":{"__proto__":${JSON.stringify(ask)},"constructor":${JSON.stringify(ask)},"toString":{"method":"roots/list"},"plain":${JSON.stringify(ask)}}}`;
    const { url, seen } = await scripted((r, res) => {
      if (!r.params.inputResponses) return res.writeHead(200, { 'content-type': 'application/json' }).end(`{"jsonrpc":"2.0","id":${JSON.stringify(r.id)},"result":${askJson}}`);
      reply(res, complete(r.id, { content: [] }));
    });
    const keys: string[] = [];
    const client = createClient({
      url,
      logger: quietLogger,
      handlers: { elicit: (_p, ctx) => (keys.push(ctx.key), { action: 'accept', content: { k: ctx.key } }), listRoots: () => [] },
    });
    await client.callTool('t');
    expect(keys.sort()).toEqual(['__proto__', 'constructor', 'plain']);
    const responses = seen[1]!.params.inputResponses; // parsed by JSON.parse: own keys, as sent
    expect(Object.keys(responses).sort()).toEqual(['__proto__', 'constructor', 'plain', 'toString']);
    expect(Object.getOwnPropertyDescriptor(responses, '__proto__')?.value).toEqual({ action: 'accept', content: { k: '__proto__' } });
    expect(responses.toString).toEqual({ roots: [] });
  });

  it('accepts extension resultTypes only when configured', async () => {
    const { url } = await scripted((r, res) => reply(res, { jsonrpc: '2.0', id: r.id, result: { resultType: 'task', task: { taskId: 't1' } } }));
    // `task` belongs to the Tasks extension, which clients declare by default: without it, refused.
    await expect(createClient({ url, logger: quietLogger, tasks: false }).request('tools/call', { name: 'x' })).rejects.toBeInstanceOf(McpProtocolError);
    expect((await createClient({ url, logger: quietLogger }).request('tools/call', { name: 'x' })).resultType).toBe('task');
    const result = await createClient({ url, logger: quietLogger, tasks: false, extensionResultTypes: ['task'] }).request('tools/call', { name: 'x' });
    expect(result.resultType).toBe('task');
  });
});

describe('x-mcp-header recovery (streamable-http.mdx "Client Behavior")', () => {
  it('on -32020, re-lists tools and retries with the new schema', async () => {
    let listed = 0;
    const { url, seen } = await scripted((r, res) => {
      if (r.method === 'tools/list') {
        listed += 1;
        const properties = listed === 1 ? { region: { type: 'string' } } : { region: { type: 'string', 'x-mcp-header': 'Region' } };
        return reply(res, complete(r.id, { tools: [{ name: 'route', inputSchema: { type: 'object', properties } }], ttlMs: 60_000, cacheScope: 'public' }));
      }
      if (r.headers['mcp-param-region'] !== 'eu') return reply(res, { jsonrpc: '2.0', id: r.id, error: { code: -32020, message: 'Header mismatch: Mcp-Param-Region header is required' } }, 400);
      reply(res, complete(r.id, { content: [{ type: 'text', text: 'routed' }] }));
    });
    const client = createClient({ url, logger: quietLogger });
    await client.listTools();
    expect((await client.callTool('route', { region: 'eu' })).content).toEqual([{ type: 'text', text: 'routed' }]);
    expect(seen.map((s) => s.method)).toEqual(['tools/list', 'tools/call', 'tools/list', 'tools/call']);
  });
});

describe('pagination and caching (server/utilities/pagination.mdx, caching.mdx)', () => {
  it('follows "" cursors, restarts once on an invalid cursor, and caches pages', async () => {
    let failCursor = true;
    const { url, seen } = await scripted((r, res) => {
      const cursor = r.params.cursor;
      if (cursor === 'p3' && failCursor) {
        failCursor = false;
        return reply(res, { jsonrpc: '2.0', id: r.id, error: { code: -32602, message: 'Invalid cursor' } });
      }
      const pages: Record<string, object> = {
        none: { tools: [{ name: 'a', inputSchema: {} }], nextCursor: '' },
        '': { tools: [{ name: 'b', inputSchema: {} }], nextCursor: 'p3' },
        p3: { tools: [{ name: 'c', inputSchema: {} }] },
      };
      reply(res, complete(r.id, { ...pages[cursor ?? 'none'], ttlMs: 60_000, cacheScope: 'public' }));
    });
    const client = createClient({ url, logger: quietLogger });
    expect((await client.listTools()).map((t) => t.name)).toEqual(['a', 'b', 'c']);
    expect(seen.map((s) => s.params.cursor ?? '-')).toEqual(['-', '', 'p3', '-', '', 'p3']);
    await client.listTools();
    expect(seen).toHaveLength(6); // all pages fresh in the cache
  });

  it('shares public entries across identities but never private ones', async () => {
    const { url, seen } = await scripted((r, res) =>
      reply(res, complete(r.id, r.method === 'tools/list' ? { tools: [], ttlMs: 60_000, cacheScope: 'public' } : { contents: [], ttlMs: 60_000, cacheScope: 'private' })),
    );
    const cache = new ResultCache();
    const alice = createClient({ url, cache, headers: { authorization: 'Bearer alice' }, logger: quietLogger });
    const bob = createClient({ url, cache, headers: { authorization: 'Bearer bob' }, logger: quietLogger });
    await alice.listTools();
    await bob.listTools();
    await alice.readResource('x://me');
    await alice.readResource('x://me');
    await bob.readResource('x://me');
    expect(seen.map((s) => s.method)).toEqual(['tools/list', 'resources/read', 'resources/read']);
  });
});

describe('cancellation and timeouts over HTTP (basic/patterns/cancellation.mdx)', () => {
  it('closes the response stream when aborted; progress extends the timeout', async () => {
    let closed = 0;
    const { url } = await scripted((r, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.on('close', () => (closed += 1));
      if (r.params.name !== 'progressing') return;
      let n = 0;
      const timer = setInterval(() => {
        n += 1;
        if (n < 5) return void res.write(`data: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: r.params._meta.progressToken, progress: n } })}\n\n`);
        clearInterval(timer);
        res.end(`data: ${JSON.stringify(complete(r.id, { content: [] }))}\n\n`);
      }, 60);
    });
    const client = createClient({ url, logger: quietLogger, timeoutMs: 150 });
    const controller = new AbortController();
    const pending = client.callTool('hang', {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await expect(pending).rejects.toBeInstanceOf(McpAbortError);
    await expect.poll(() => closed).toBe(1);
    await expect(client.callTool('hang')).rejects.toBeInstanceOf(McpTimeoutError);
    const progress: number[] = [];
    await client.callTool('progressing', {}, { onProgress: (p) => progress.push(p.progress) }); // 300 ms total, 60 ms apart
    expect(progress).toEqual([1, 2, 3, 4]);
  });

  it('one deadline per request: a re-issue after a broken stream does not restart maxTimeoutMs', async () => {
    // Both attempts keep the idle timeout alive with progress; the first breaks off after 1.5 s
    // (the server's own timer), the second never ends. Only the 2.5 s ceiling can end the request.
    const attempts: number[] = [];
    const { url } = await scripted((r, res) => {
      attempts.push(performance.now());
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let n = 0;
      const timer = setInterval(() => res.write(`data: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: r.params._meta.progressToken, progress: ++n } })}\n\n`), 100);
      res.on('close', () => clearInterval(timer));
      if (attempts.length === 1) setTimeout(() => res.end(), 1_500);
    });
    const client = createClient({ url, logger: quietLogger, timeoutMs: 1_000, maxTimeoutMs: 2_500 });
    const started = performance.now();
    const error = await client.callTool('t', {}, { onProgress: () => {} }).catch((e: unknown) => e);
    const ms = performance.now() - started;
    expect(error).toBeInstanceOf(McpTimeoutError);
    expect((error as McpTimeoutError).timeoutMs).toBe(2_500);
    expect(attempts).toHaveLength(2);
    // Restarted per attempt, the ceiling would end it at 1.5 s + 2.5 s = 4 s.
    expect(ms).toBeLessThan(3_700);
  });
});
