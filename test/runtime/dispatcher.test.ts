import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, definePrompt, defineResource, defineResourceTemplate, elicitation, listRoots, ToolError } from './runtime-under-test.ts';
import { meta, request, roundTrip, testServer, VERSION } from './helpers.ts';

describe('JSON-RPC envelope', () => {
  const server = testServer();

  it('rejects non-objects and batches with -32600 and no id', async () => {
    for (const message of [[], 'x', null]) {
      const { response, httpStatus } = await roundTrip(server, message);
      expect(httpStatus).toBe(400);
      expect(response).toEqual({ jsonrpc: '2.0', error: expect.objectContaining({ code: -32600 }) });
    }
  });

  it('rejects a null id, a missing jsonrpc and non-object params, echoing a valid id', async () => {
    expect((await roundTrip(server, { jsonrpc: '2.0', id: null, method: 'tools/list' })).response).not.toHaveProperty('id');
    const missing = await roundTrip(server, { id: 7, method: 'tools/list' });
    expect(missing.response).toMatchObject({ id: 7, error: { code: -32600 } });
    expect((await roundTrip(server, { jsonrpc: '2.0', id: 8, method: 'tools/list', params: [] })).error?.code).toBe(-32600);
  });

  it('accepts notifications without a response', async () => {
    const outcome = await roundTrip(server, { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } });
    expect(outcome.httpStatus).toBe(202);
    expect(outcome.response).toBeUndefined();
  });
});

describe('per-request _meta and versions', () => {
  const server = testServer();

  it.each([
    ['no params', { jsonrpc: '2.0', id: 1, method: 'server/discover' }],
    ['no protocolVersion', { jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: { 'io.modelcontextprotocol/clientCapabilities': {} } } }],
    ['no clientCapabilities', { jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': VERSION } } }],
  ])('%s → -32602 at HTTP 400', async (_label, message) => {
    const outcome = await roundTrip(server, message);
    expect(outcome.httpStatus).toBe(400);
    expect(outcome.response).toMatchObject({ id: 1, error: { code: -32602 } });
  });

  it('serves a request without clientInfo', async () => {
    const message = { jsonrpc: '2.0', id: 2, method: 'server/discover', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': VERSION, 'io.modelcontextprotocol/clientCapabilities': {} } } };
    expect((await roundTrip(server, message)).result?.resultType).toBe('complete');
  });

  it('answers an unsupported version with -32022 listing supported and requested', async () => {
    const outcome = await roundTrip(server, request('server/discover', {}, { meta: { 'io.modelcontextprotocol/protocolVersion': 'v999.0.0' } }));
    expect(outcome.httpStatus).toBe(400);
    expect(outcome.error).toEqual({ code: -32022, message: 'Unsupported protocol version', data: { supported: [VERSION], requested: 'v999.0.0' } });
  });

  it('rejects an unknown logLevel with -32602', async () => {
    expect((await roundTrip(server, request('tools/list', {}, { meta: { 'io.modelcontextprotocol/logLevel': 'loud' } }))).error?.code).toBe(-32602);
  });

  it('answers removed 2025-11-25 methods with -32601 at 404', async () => {
    for (const method of ['initialize', 'ping', 'logging/setLevel', 'resources/subscribe', 'unknown/method']) {
      const outcome = await roundTrip(server, request(method));
      expect(outcome.httpStatus).toBe(404);
      expect(outcome.error?.code).toBe(-32601);
    }
  });

  it('answers a legacy initialize (no _meta) naming the supported versions', async () => {
    const outcome = await roundTrip(server, { jsonrpc: '2.0', id: 3, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'old', version: '1' } } });
    expect(outcome.httpStatus).toBe(400);
    expect(outcome.error?.code).toBe(-32602);
    expect(outcome.error?.message).toContain(VERSION);
    expect(outcome.error?.data).toEqual({ supported: [VERSION], requested: '2025-11-25' });
  });
});

describe('server/discover and results', () => {
  it('declares exactly the served capabilities, with caching hints and serverInfo', async () => {
    const server = testServer({ instructions: 'be nice', caching: { discover: { ttlMs: 1234.7, cacheScope: 'private' } } });
    const { result } = await roundTrip(server, request('server/discover'));
    expect(result).toEqual({
      resultType: 'complete',
      supportedVersions: [VERSION],
      capabilities: { tools: { listChanged: true }, logging: {} },
      instructions: 'be nice',
      ttlMs: 1234,
      cacheScope: 'private',
      _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'test-server', version: '0.0.1' } },
    });
    // Not advertised → method not found.
    expect((await roundTrip(server, request('prompts/list'))).httpStatus).toBe(404);
  });
});

describe('tools', () => {
  const many = Array.from({ length: 5 }, (_, i) =>
    defineTool({ name: `t${i}`, description: `tool ${i}`, inputSchema: { type: 'object' }, input: z.looseObject({}), handler: () => ({ content: [] }) }),
  );

  it('lists deterministically with sealed cursors; a forged cursor is -32602', async () => {
    const server = testServer({ tools: many, pageSize: 2 });
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const { result } = await roundTrip(server, request('tools/list', cursor ? { cursor } : {}));
      expect(result).toMatchObject({ resultType: 'complete', ttlMs: 60_000, cacheScope: 'public' });
      names.push(...(result!.tools as { name: string }[]).map((t) => t.name));
      cursor = result!.nextCursor as string | undefined;
    } while (cursor);
    expect(names).toEqual(['t0', 't1', 't2', 't3', 't4']);
    for (const forged of ['abc', 'v1.AAAA', Buffer.from('{"o":2}').toString('base64url')]) {
      const { error } = await roundTrip(server, request('tools/list', { cursor: forged }));
      expect(error).toMatchObject({ code: -32602, message: 'Invalid cursor' });
    }
  });

  it('validates input into an isError result; the handler gets what the validator produced', async () => {
    const seen: unknown[] = [];
    const tool = (name: string, input: z.ZodType) =>
      defineTool({ name, description: 'd', inputSchema: { type: 'object' }, input, handler: (i) => (seen.push(i), { content: [{ type: 'text', text: 'ok' }] }) });
    // Generated validators are loose objects (unknown fields pass through); a stripping schema is respected.
    const server = testServer({ tools: [tool('loose', z.looseObject({ n: z.number() })), tool('stripping', z.object({ n: z.number() }))] });
    const bad = await roundTrip(server, request('tools/call', { name: 'loose', arguments: { n: 'x' } }));
    expect(bad.result).toMatchObject({ resultType: 'complete', isError: true, content: [{ type: 'text', text: expect.stringContaining('n:') }] });
    await roundTrip(server, request('tools/call', { name: 'loose', arguments: { n: 1, extra: true } }));
    await roundTrip(server, request('tools/call', { name: 'stripping', arguments: JSON.parse('{"n":2,"extra":true,"__proto__":{"polluted":1}}') }));
    expect(seen).toEqual([{ n: 1, extra: true }, { n: 2 }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('an ask made beside another in the same tick travels in the same round and never crashes the process', async () => {
    let unhandled = 0;
    const onUnhandled = () => unhandled++;
    process.on('unhandledRejection', onUnhandled);
    try {
      const form = { message: 'm', requestedSchema: { type: 'object', properties: {} } };
      const tool = defineTool({
        name: 'two_asks',
        description: 'd',
        inputSchema: { type: 'object' },
        input: z.looseObject({}),
        handler: async (_i, ctx) => {
          const a = ctx.elicit('a', form);
          const b = ctx.elicit('b', form);
          await a;
          await b;
          return { content: [{ type: 'text', text: 'done' }] };
        },
      });
      const server = testServer({ tools: [tool] });
      const caps = { elicitation: {} };
      const first = await roundTrip(server, request('tools/call', { name: 'two_asks', arguments: {} }, { capabilities: caps }));
      expect(Object.keys((first.result as { inputRequests: object }).inputRequests).sort()).toEqual(['a', 'b']);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toBe(0);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('mirrors structuredContent as text and validates output', async () => {
    const server = testServer();
    const { result } = await roundTrip(server, request('tools/call', { name: 'echo', arguments: { text: 'hi' } }));
    expect(result).toMatchObject({ structuredContent: { echoed: 'hi' }, content: [{ type: 'text', text: '{"echoed":"hi"}' }] });

    const liar = defineTool({
      name: 'liar',
      description: 'd',
      inputSchema: { type: 'object' },
      input: z.looseObject({}),
      output: z.object({ n: z.number() }),
      handler: () => ({ structured: { n: 'nope' } as unknown as { n: number } }),
    });
    const bad = await roundTrip(testServer({ tools: [liar] }), request('tools/call', { name: 'liar' }));
    expect(bad.error).toMatchObject({ code: -32603 });
  });

  it('turns handler exceptions into isError results without stack traces', async () => {
    const boom = defineTool({
      name: 'boom',
      description: 'd',
      inputSchema: { type: 'object' },
      input: z.looseObject({}),
      handler: () => {
        throw new Error('database down');
      },
    });
    const expected = defineTool({ name: 'expected', description: 'd', inputSchema: { type: 'object' }, input: z.looseObject({}), handler: () => { throw new ToolError('bad city'); } });
    const server = testServer({ tools: [boom, expected] });
    const { result } = await roundTrip(server, request('tools/call', { name: 'boom' }));
    expect(result).toMatchObject({ isError: true });
    expect(JSON.stringify(result)).not.toMatch(/at .*\.ts/);
    expect((await roundTrip(server, request('tools/call', { name: 'expected' }))).result).toMatchObject({ isError: true, content: [{ text: 'bad city' }] });
  });

  it('unknown tool is -32602; missing arguments mean {}', async () => {
    const server = testServer({ tools: [...many] });
    expect((await roundTrip(server, request('tools/call', { name: 'nope' }))).error).toMatchObject({ code: -32602, message: 'Unknown tool: nope' });
    expect((await roundTrip(server, request('tools/call', { name: 't0' }))).result).toEqual(expect.objectContaining({ resultType: 'complete', content: [] }));
  });

  it('enforces required client capabilities with -32021 and an object', async () => {
    const needy = defineTool({ name: 'needy', description: 'd', inputSchema: { type: 'object' }, input: z.looseObject({}), requiresClientCapabilities: { sampling: {} }, handler: () => ({ content: [] }) });
    const server = testServer({ tools: [needy] });
    const outcome = await roundTrip(server, request('tools/call', { name: 'needy' }));
    expect(outcome.httpStatus).toBe(400);
    expect(outcome.error).toMatchObject({ code: -32021, data: { requiredCapabilities: { sampling: {} } } });
    expect((await roundTrip(server, request('tools/call', { name: 'needy' }, { capabilities: { sampling: {} } }))).result?.resultType).toBe('complete');
  });
});

describe('logging and progress', () => {
  const chatty = defineTool({
    name: 'chatty',
    description: 'd',
    inputSchema: { type: 'object' },
    input: z.looseObject({}),
    handler: (_input, ctx) => {
      ctx.log('debug', 'fine detail');
      ctx.log('warning', { disk: 'low' });
      ctx.progress(1, 3);
      ctx.progress(1, 3); // not increasing: dropped
      ctx.progress(2, 3, 'halfway');
      return { content: [] };
    },
  });
  const server = testServer({ tools: [chatty] });

  it('sends no log messages without _meta logLevel, and filters by level', async () => {
    expect((await roundTrip(server, request('tools/call', { name: 'chatty' }))).notifications).toEqual([]);
    const { notifications } = await roundTrip(server, request('tools/call', { name: 'chatty' }, { meta: { 'io.modelcontextprotocol/logLevel': 'info' } }));
    expect(notifications).toEqual([{ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'warning', data: { disk: 'low' } } }]);
  });

  it('sends increasing progress only for a progressToken', async () => {
    const { notifications } = await roundTrip(server, request('tools/call', { name: 'chatty' }, { meta: { progressToken: 'tok' } }));
    expect(notifications.map((n) => n.params)).toEqual([
      { progressToken: 'tok', progress: 1, total: 3 },
      { progressToken: 'tok', progress: 2, total: 3, message: 'halfway' },
    ]);
  });
});

describe('cancellation', () => {
  it('fires the handler signal and sends nothing more', async () => {
    let aborted = false;
    const slow = defineTool({
      name: 'slow',
      description: 'd',
      inputSchema: { type: 'object' },
      input: z.looseObject({}),
      handler: async (_input, ctx) => {
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
        aborted = true;
        ctx.progress(1);
        return { content: [{ type: 'text', text: 'late' }] };
      },
    });
    const server = testServer({ tools: [slow] });
    const controller = new AbortController();
    const pending = roundTrip(server, request('tools/call', { name: 'slow' }, { meta: { progressToken: 1 } }), { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    const outcome = await pending;
    expect(aborted).toBe(true);
    expect(outcome.response).toBeUndefined();
    expect(outcome.notifications).toEqual([]);
  });
});

describe('resources', () => {
  const server = testServer({
    tools: [],
    resources: [defineResource({ uri: 'test://a', name: 'a', mimeType: 'text/plain', cache: { ttlMs: 5, cacheScope: 'public' }, read: () => ({ text: 'A' }) })],
    resourceTemplates: [
      defineResourceTemplate({
        uriTemplate: 'test://items/{id}{?fields}',
        name: 'item',
        mimeType: 'application/json',
        complete: { id: (value) => ['1', '2', '10'].filter((v) => v.startsWith(value)) },
        read: ({ id }) => [{ text: `item ${id}` }, { blob: new Uint8Array([1, 2]), mimeType: 'application/octet-stream' }],
      }),
    ],
  });

  it('reads static resources with caching hints', async () => {
    const { result } = await roundTrip(server, request('resources/read', { uri: 'test://a' }));
    expect(result).toMatchObject({ resultType: 'complete', contents: [{ uri: 'test://a', mimeType: 'text/plain', text: 'A' }], ttlMs: 5, cacheScope: 'public' });
  });

  it('reads through templates', async () => {
    const { result } = await roundTrip(server, request('resources/read', { uri: 'test://items/42?fields=x' }));
    expect(result?.contents).toEqual([
      { uri: 'test://items/42?fields=x', mimeType: 'application/json', text: 'item 42' },
      { uri: 'test://items/42?fields=x', mimeType: 'application/octet-stream', blob: 'AQI=' },
    ]);
    expect(result).toMatchObject({ ttlMs: 0, cacheScope: 'private' });
  });

  it('not found is -32602 with data.uri', async () => {
    expect((await roundTrip(server, request('resources/read', { uri: 'test://zzz' }))).error).toEqual({ code: -32602, message: 'Resource not found', data: { uri: 'test://zzz' } });
  });

  it('completes template variables', async () => {
    const { result } = await roundTrip(server, request('completion/complete', { ref: { type: 'ref/resource', uri: 'test://items/{id}{?fields}' }, argument: { name: 'id', value: '1' } }));
    expect(result).toMatchObject({ resultType: 'complete', completion: { values: ['1', '10'], total: 2, hasMore: false } });
  });
});

describe('prompts', () => {
  const server = testServer({
    prompts: [
      definePrompt({
        name: 'greet',
        description: 'd',
        arguments: [{ name: 'who', required: true }, { name: 'tone' }],
        complete: { who: () => ({ values: ['Ann'], total: 7, hasMore: true }) },
        get: ({ who, tone }) => [{ role: 'user', content: { type: 'text', text: `hi ${who} ${tone ?? ''}` } }],
      }),
    ],
  });

  it('validates arguments', async () => {
    expect((await roundTrip(server, request('prompts/get', { name: 'greet' }))).error?.code).toBe(-32602);
    expect((await roundTrip(server, request('prompts/get', { name: 'greet', arguments: { who: 1 } }))).error?.code).toBe(-32602);
    expect((await roundTrip(server, request('prompts/get', { name: 'nope' }))).error?.code).toBe(-32602);
    const { result } = await roundTrip(server, request('prompts/get', { name: 'greet', arguments: { who: 'Bo' } }));
    expect(result).toMatchObject({ resultType: 'complete', messages: [{ role: 'user', content: { text: 'hi Bo ' } }] });
  });

  it('completes arguments', async () => {
    const { result } = await roundTrip(server, request('completion/complete', { ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'who', value: 'A' } }));
    expect(result?.completion).toEqual({ values: ['Ann'], total: 7, hasMore: true });
  });
});

describe('MRTR', () => {
  const flow = defineTool({
    name: 'flow',
    description: 'two rounds',
    inputSchema: { type: 'object' },
    input: z.looseObject({ topic: z.string().optional() }),
    handler: async (input, ctx) => {
      ctx.state.started ??= `topic:${input.topic ?? ''}`;
      const who = await ctx.elicit('who', { message: 'Name?', schema: z.object({ name: z.string() }) });
      const where = await ctx.ask({ roots: listRoots(), city: elicitation({ message: 'City?', requestedSchema: { type: 'object', properties: { city: { type: 'string' } } } }) });
      const name = who.action === 'accept' ? who.content.name : '-';
      return { content: [{ type: 'text', text: `${ctx.state.started} ${name} ${where.roots.length} ${where.city.content?.city}` }] };
    },
  });
  const server = testServer({ tools: [flow] });
  const caps = { elicitation: {}, roots: {} };
  const call = (extra: Record<string, unknown> = {}, capabilities: Record<string, unknown> = caps) =>
    roundTrip(server, request('tools/call', { name: 'flow', arguments: { topic: 't' }, ...extra }, { capabilities }));

  it('runs a multi-round flow with replayed answers and carried state', async () => {
    const r1 = await call();
    expect(r1.result).toMatchObject({ resultType: 'input_required', inputRequests: { who: { method: 'elicitation/create' } } });
    expect(r1.result).not.toHaveProperty('ttlMs');
    const r2 = await call({ requestState: r1.result!.requestState, inputResponses: { who: { action: 'accept', content: { name: 'Al' } } } });
    expect(Object.keys(r2.result!.inputRequests as object).sort()).toEqual(['city', 'roots']);
    expect(r2.result!.requestState).not.toBe(r1.result!.requestState);
    const r3 = await call({
      requestState: r2.result!.requestState,
      inputResponses: { roots: { roots: [{ uri: 'file:///x' }] }, city: { action: 'accept', content: { city: 'Oslo' } }, extra: { ignored: true } },
    });
    expect(r3.result).toMatchObject({ resultType: 'complete', content: [{ text: 'topic:t Al 1 Oslo' }] });
  });

  it('re-asks when answers are missing, rejects malformed ones', async () => {
    expect((await call({ inputResponses: { wrong: {} } })).result?.resultType).toBe('input_required');
    expect((await call({ inputResponses: { who: 12345 } })).error?.code).toBe(-32602);
    expect((await call({ inputResponses: null })).error?.code).toBe(-32602);
  });

  it('rejects tampered, rebound and expired requestState with -32602', async () => {
    const r1 = await call();
    const state = r1.result!.requestState as string;
    expect((await call({ requestState: `${state}-TAMPERED` })).error?.code).toBe(-32602);
    const rebound = await roundTrip(server, request('tools/call', { name: 'flow', arguments: { topic: 'other' }, requestState: state }, { capabilities: caps }));
    expect(rebound.error?.code).toBe(-32602);
    const shortLived = testServer({ tools: [flow], requestStateTtlMs: -1 });
    const s1 = await roundTrip(shortLived, request('tools/call', { name: 'flow' }, { capabilities: caps }));
    const s2 = await roundTrip(shortLived, request('tools/call', { name: 'flow', requestState: s1.result!.requestState }, { capabilities: caps }));
    expect(s2.error).toMatchObject({ code: -32602, message: expect.stringContaining('requestState') });
  });

  it('takes each requestState once: a replay is -32602, even after the flow moved on', async () => {
    const r1 = await call();
    const state = r1.result!.requestState as string;
    const answer = { who: { action: 'accept', content: { name: 'Al' } } };
    const r2 = await call({ requestState: state, inputResponses: answer });
    expect(r2.result?.resultType).toBe('input_required');
    const replay = await call({ requestState: state, inputResponses: answer });
    expect(replay.error).toMatchObject({ code: -32602, message: expect.stringContaining('already used') });
    // A state refused for its binding is not consumed: the right request can still use it.
    const fresh = (await call()).result!.requestState as string;
    const wrongRequest = await roundTrip(server, request('tools/call', { name: 'flow', arguments: { topic: 'other' }, requestState: fresh, inputResponses: answer }, { capabilities: caps }));
    expect(wrongRequest.error?.code).toBe(-32602);
    expect((await call({ requestState: fresh, inputResponses: answer })).result?.resultType).toBe('input_required');
  });

  it('a replay guard that cannot answer fails the retry with -32603 and logs the cause', async () => {
    const logged: string[] = [];
    const broken = testServer({
      tools: [flow],
      replayGuard: { claim: async () => Promise.reject(new Error('store unreachable')) },
      logger: { error: (m, e) => logged.push(`${m}: ${String(e)}`), warn() {}, info() {} },
    });
    const r1 = await roundTrip(broken, request('tools/call', { name: 'flow', arguments: { topic: 't' } }, { capabilities: caps }));
    const r2 = await roundTrip(broken, request('tools/call', { name: 'flow', arguments: { topic: 't' }, requestState: r1.result!.requestState }, { capabilities: caps }));
    expect(r2.error).toMatchObject({ code: -32603 });
    expect(logged.join('\n')).toContain('store unreachable');
  });

  it('never asks for undeclared capabilities: -32021 instead', async () => {
    const outcome = await call({}, { roots: {} });
    expect(outcome.httpStatus).toBe(400);
    expect(outcome.error).toMatchObject({ code: -32021, data: { requiredCapabilities: { elicitation: {} } } });
  });

  it('supports MRTR on prompts/get and never on lists', async () => {
    const prompt = definePrompt({
      name: 'ctx',
      description: 'd',
      get: async (_args, ctx) => {
        const a = await ctx.elicit({ message: 'c?', requestedSchema: { type: 'object', properties: { c: { type: 'string' } } } });
        return [{ role: 'user', content: { type: 'text', text: String(a.content?.c) } }];
      },
    });
    const s = testServer({ prompts: [prompt] });
    const r1 = await roundTrip(s, request('prompts/get', { name: 'ctx' }, { capabilities: caps }));
    expect(r1.result).toMatchObject({ resultType: 'input_required', inputRequests: { 'elicitation-1': { method: 'elicitation/create' } } });
    const r2 = await roundTrip(s, request('prompts/get', { name: 'ctx', requestState: r1.result!.requestState, inputResponses: { 'elicitation-1': { action: 'accept', content: { c: 'yes' } } } }, { capabilities: caps }));
    expect(r2.result).toMatchObject({ resultType: 'complete', messages: [{ content: { text: 'yes' } }] });
    expect((await roundTrip(s, request('prompts/list'))).result?.resultType).toBe('complete');
  });
});

describe('subscriptions/listen', () => {
  it('acknowledges first, tags every notification, filters, and closes gracefully', async () => {
    const server = testServer({ resources: [defineResource({ uri: 'test://r', name: 'r', read: () => ({ text: '' }) })] });
    const notifications: { method: string; params?: Record<string, unknown> }[] = [];
    const listening = server.handle(
      request('subscriptions/listen', { notifications: { toolsListChanged: true, promptsListChanged: true, resourceSubscriptions: ['test://r'] } }, { id: 'sub-1' }),
      { send: (n) => notifications.push(n as never) },
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    await server.notify.toolsListChanged();
    await server.notify.promptsListChanged(); // no prompts: not honoured
    await server.notify.resourceUpdated('test://other');
    await server.notify.resourceUpdated('test://r');
    await server.close(100);
    const outcome = await listening;

    expect(notifications.map((n) => n.method)).toEqual(['notifications/subscriptions/acknowledged', 'notifications/tools/list_changed', 'notifications/resources/updated']);
    expect(notifications[0]!.params).toEqual({
      _meta: { 'io.modelcontextprotocol/subscriptionId': 'sub-1' },
      notifications: { toolsListChanged: true, resourceSubscriptions: ['test://r'] },
    });
    for (const n of notifications) expect((n.params!._meta as Record<string, unknown>)['io.modelcontextprotocol/subscriptionId']).toBe('sub-1');
    expect(outcome.response).toMatchObject({ id: 'sub-1', result: { resultType: 'complete', _meta: { 'io.modelcontextprotocol/subscriptionId': 'sub-1' } } });
  });

  it('sends nothing after the client cancels', async () => {
    const server = testServer();
    const controller = new AbortController();
    const sent: string[] = [];
    const listening = server.handle(request('subscriptions/listen', { notifications: { toolsListChanged: true } }), { signal: controller.signal, send: (n) => sent.push(n.method) });
    await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await server.notify.toolsListChanged();
    expect((await listening).response).toBeUndefined();
    expect(sent).toEqual(['notifications/subscriptions/acknowledged']);
  });

  it('requires a notifications filter', async () => {
    expect((await roundTrip(testServer(), request('subscriptions/listen'))).error?.code).toBe(-32602);
  });
});

describe('registry', () => {
  it('refuses duplicate names', () => {
    expect(() => testServer({ tools: [
      defineTool({ name: 'x', description: 'd', inputSchema: { type: 'object' }, input: z.looseObject({}), handler: () => ({ content: [] }) }),
      defineTool({ name: 'x', description: 'd', inputSchema: { type: 'object' }, input: z.looseObject({}), handler: () => ({ content: [] }) }),
    ] })).toThrow(/Duplicate tool "x"/);
  });

  it('keeps meta helpers consistent', () => {
    expect(meta()['io.modelcontextprotocol/protocolVersion']).toBe(VERSION);
  });
});
