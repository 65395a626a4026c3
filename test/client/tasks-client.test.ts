import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMcpServer, defineTool, McpError, serveHttp, type HttpServerHandle } from '../../templates/runtime/index.ts';
import { createTypedClient, defineToolCall, McpAbortError, McpRpcError, McpTaskCancelledError } from '../../templates/runtime/client/index.ts';
import { officialClient } from '../helpers/official-client.ts';
import { quietLogger, recordingFetch } from './helpers.ts';

/** Handlers wait on these instead of sleeping: the test decides when work ends. */
const aborts: string[] = [];
let release!: () => void;
let released = new Promise<void>((r) => (release = r));
const rearm = () => (released = new Promise<void>((r) => (release = r)));
const untilAborted = (signal: AbortSignal) => new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));

const server = createMcpServer({
  info: { name: 'tasks-client-test', version: '1.0.0' },
  logger: quietLogger,
  stateSecret: 'tasks-client-test-secret-0123456789abcdef',
  tasks: { pollIntervalMs: 20 },
  tools: [
    defineTool({
      name: 'crunch',
      description: 'works until released or cancelled',
      inputSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
      outputSchema: { type: 'object', properties: { doubled: { type: 'number' } }, required: ['doubled'] },
      input: z.object({ n: z.number() }),
      output: z.object({ doubled: z.number() }),
      task: { mode: 'optional', pollIntervalMs: 20 },
      handler: async ({ n }, ctx) => {
        await ctx.task.start(`crunching ${n}`);
        await Promise.race([released, untilAborted(ctx.signal)]);
        if (ctx.signal.aborted) {
          aborts.push(`crunch ${n}`);
          throw ctx.signal.reason;
        }
        return { structured: { doubled: n * 2 } };
      },
    }),
    defineTool({
      name: 'ask_color',
      description: 'asks inside the task',
      inputSchema: { type: 'object' },
      input: z.object({}),
      task: { mode: 'required' },
      handler: async (_input, ctx) => {
        await ctx.task.start();
        const answer = await ctx.elicit('color', { message: 'Color?', schema: z.object({ color: z.string() }) });
        return { content: [{ type: 'text', text: answer.action === 'accept' ? `color ${answer.content.color}` : answer.action }] };
      },
    }),
    defineTool({
      name: 'quick',
      description: 'answers before any task is made',
      inputSchema: { type: 'object' },
      input: z.object({}),
      task: { mode: 'optional' },
      handler: () => ({ content: [{ type: 'text', text: 'quick' }] }),
    }),
    defineTool({
      name: 'broken',
      description: 'fails with a protocol error inside the task',
      inputSchema: { type: 'object' },
      input: z.object({}),
      task: { mode: 'optional' },
      handler: async (_input, ctx) => {
        await ctx.task.start();
        throw new McpError(-32001, 'quota exhausted', { retryAfterS: 30 });
      },
    }),
  ],
});

const manifest = {
  tools: {
    crunch: defineToolCall({ name: 'crunch', input: z.object({ n: z.number() }), output: z.object({ doubled: z.number() }) }),
    ask_color: defineToolCall({ name: 'ask_color', input: z.object({}) }),
    quick: defineToolCall({ name: 'quick', input: z.object({}) }),
    broken: defineToolCall({ name: 'broken', input: z.object({}) }),
  },
};

let http: HttpServerHandle;
beforeAll(async () => {
  http = await serveHttp(server, { port: 0, handleSignals: false });
});
afterAll(async () => {
  await http.close();
});

const clientFor = (extra: Parameters<typeof createTypedClient>[0] = {}) =>
  createTypedClient({ url: http.url, logger: quietLogger, handlers: { elicit: async () => ({ action: 'accept', content: { color: 'teal' } }) }, ...extra }, manifest);

describe('typed client over the Tasks extension', () => {
  it('client.tools.x(args) resolves the final typed result of a task, polling tasks/get with Mcp-Name = taskId', async () => {
    rearm();
    const recorder = recordingFetch();
    const client = clientFor({ fetch: recorder.fetch });
    const pending = client.tools.crunch({ n: 21 });
    // Released only once the client has polled at least once: the result really came through tasks/get.
    const polled = setInterval(() => recorder.requests.some((r) => r.body?.method === 'tasks/get') && release(), 5);
    const result = await pending;
    clearInterval(polled);
    expect(result.isError).toBe(false);
    expect(result.structured).toEqual({ doubled: 42 });
    const call = recorder.requests.find((r) => r.body?.method === 'tools/call')!;
    expect(call.body.params._meta['io.modelcontextprotocol/clientCapabilities'].extensions).toEqual({ 'io.modelcontextprotocol/tasks': {} });
    const gets = recorder.requests.filter((r) => r.body?.method === 'tasks/get');
    expect(gets.length).toBeGreaterThan(0);
    for (const get of gets) expect(get.headers['mcp-name']).toBe(get.body.params.taskId);
  });

  it('start() gives a handle: status, cancel (the handler sees its signal), result rejects as cancelled', async () => {
    rearm();
    const client = clientFor();
    const handle = await client.tools.crunch.start({ n: 5 });
    expect(handle.taskId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await handle.status()).toMatchObject({ status: 'working', statusMessage: 'crunching 5' });
    await handle.cancel();
    await expect(handle.result()).rejects.toBeInstanceOf(McpTaskCancelledError);
    expect(aborts).toContain('crunch 5');
    expect((await handle.status()).status).toBe('cancelled');
  });

  it('an AbortSignal on client.tools.x(...) sends tasks/cancel', async () => {
    rearm();
    const recorder = recordingFetch();
    const client = clientFor({ fetch: recorder.fetch });
    const controller = new AbortController();
    const pending = client.tools.crunch({ n: 7 }, { signal: controller.signal });
    const aborting = setInterval(() => recorder.requests.some((r) => r.body?.method === 'tasks/get') && controller.abort(), 5);
    await expect(pending).rejects.toBeInstanceOf(McpAbortError);
    clearInterval(aborting);
    expect(recorder.requests.some((r) => r.body?.method === 'tasks/cancel')).toBe(true);
    await expect.poll(() => aborts.includes('crunch 7')).toBe(true);
  });

  it('asks inside a task are answered with the input handlers (tasks/update), or by hand with respond()', async () => {
    const client = clientFor();
    expect((await client.tools.ask_color()).content).toEqual([{ type: 'text', text: 'color teal' }]);

    const handle = await client.tools.ask_color.start();
    let task = await handle.status();
    while (task.status !== 'input_required') task = await handle.status();
    expect(Object.keys(task.inputRequests!)).toEqual(['color']);
    await handle.respond({ color: { action: 'accept', content: { color: 'plum' } } });
    expect((await handle.result({ answerInputs: false })).content).toEqual([{ type: 'text', text: 'color plum' }]);
  });

  it('a call the server answered at once needs no task; a failed task rejects with its JSON-RPC error', async () => {
    const client = clientFor();
    const handle = await client.tools.quick.start();
    expect(handle.taskId).toBeUndefined();
    expect((await handle.result()).content).toEqual([{ type: 'text', text: 'quick' }]);

    const failure = await client.tools.broken().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(McpRpcError);
    expect(failure).toMatchObject({ code: -32001, data: { retryAfterS: 30 } });
  });

  it('tasks: false declares nothing: optional tools answer in the request, required ones are -32021', async () => {
    rearm();
    release();
    const client = clientFor({ tasks: false });
    expect((await client.tools.crunch({ n: 1 })).structured).toEqual({ doubled: 2 });
    await expect(client.tools.ask_color()).rejects.toMatchObject({ code: -32021 });
  });

  // @modelcontextprotocol/client 2.4.0 has no Tasks API (its callTool answers `resultType: "task"`
  // with "Unsupported result type"; tasks-peers.test.ts drives a task with its generic requests).
  // Without the extension declared it must get plain results for optional tools, -32021 naming the extension for required ones.
  it('the official client 2.4.0, which does not declare the extension, gets plain results or -32021', async () => {
    rearm();
    release();
    const { client, http: transport } = await officialClient({ elicitation: {} });
    await client.connect(transport(http.url));
    try {
      const plain = await client.callTool({ name: 'crunch', arguments: { n: 4 } });
      expect(plain.structuredContent).toEqual({ doubled: 8 });
      const refused = await client.callTool({ name: 'ask_color', arguments: {} }).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: -32021 });
      expect(JSON.stringify((refused as { data?: unknown }).data)).toContain('io.modelcontextprotocol/tasks');
    } finally {
      await client.close();
    }
  });
});
