import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, InMemoryTaskStore, McpError } from './runtime-under-test.ts';
import { request, roundTrip, testServer } from './helpers.ts';

const TASKS = { extensions: { 'io.modelcontextprotocol/tasks': {} } };
const WITH_TASKS = { elicitation: {}, ...TASKS };

/** Resolves when `signal` aborts; how the test tools wait without fixed sleeps. */
const aborted = (signal: AbortSignal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const gates = { release: deferred(), sawAbort: deferred<string>() };

const tools = [
  defineTool({
    name: 'sync_only',
    description: 'never a task',
    inputSchema: { type: 'object' },
    input: z.object({}),
    handler: () => ({ content: [{ type: 'text', text: 'sync' }] }),
  }),
  defineTool({
    name: 'gated',
    description: 'waits for the test, or for cancellation',
    inputSchema: { type: 'object' },
    input: z.object({}),
    task: { mode: 'optional', ttlMs: 30_000, pollIntervalMs: 250 },
    handler: async (_input, ctx) => {
      await ctx.task.status('waiting for the gate');
      await Promise.race([gates.release.promise, aborted(ctx.signal)]);
      if (ctx.signal.aborted) {
        gates.sawAbort.resolve(String((ctx.signal.reason as Error).name));
        throw ctx.signal.reason;
      }
      return { content: [{ type: 'text', text: `done ${ctx.task.id}` }] };
    },
  }),
  defineTool({
    name: 'instant',
    description: 'answers at once',
    inputSchema: { type: 'object' },
    input: z.object({}),
    task: { mode: 'optional' },
    handler: () => ({ content: [{ type: 'text', text: 'instant' }] }),
  }),
  defineTool({
    name: 'must_task',
    description: 'required task; asks before and during',
    inputSchema: { type: 'object' },
    input: z.object({}),
    task: { mode: 'required' },
    handler: async (_input, ctx) => {
      const who = await ctx.elicit('who', { message: 'Name?', schema: z.object({ name: z.string() }) });
      await ctx.task.start('started');
      const [a, b] = await Promise.all([
        ctx.elicit('color', { message: 'Color?', schema: z.object({ color: z.string() }) }),
        ctx.elicit('ok', { message: 'OK?', schema: z.object({ ok: z.boolean() }) }),
      ]);
      const name = who.action === 'accept' ? who.content.name : '?';
      return { content: [{ type: 'text', text: `${name} ${a.action === 'accept' ? a.content.color : '-'} ${b.action === 'accept' ? b.content.ok : '-'}` }] };
    },
  }),
  defineTool({
    name: 'broken',
    description: 'protocol error inside the task',
    inputSchema: { type: 'object' },
    input: z.object({}),
    task: { mode: 'optional' },
    handler: async (_input, ctx) => {
      await ctx.task.start();
      throw new McpError(-32603, 'backend exploded', { where: 'db' });
    },
  }),
];

let server: ReturnType<typeof testServer>;
afterEach(async () => {
  await server?.close(100);
});

async function call(method: string, params: Record<string, unknown>, capabilities: Record<string, unknown> = WITH_TASKS, transport = {}) {
  return roundTrip(server, request(method, params, { capabilities }), transport);
}

async function until(taskId: string, predicate: (task: Record<string, unknown>) => boolean, transport = {}) {
  for (let i = 0; i < 200; i += 1) {
    const got = await call('tasks/get', { taskId }, WITH_TASKS, transport);
    if (got.result && predicate(got.result)) return got.result;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`task ${taskId} never matched`);
}

describe('Tasks extension on the dispatcher', () => {
  it('advertises the extension only when some tool can run as a task', async () => {
    server = testServer({ tools });
    expect((await call('server/discover', {})).result!.capabilities).toMatchObject({ extensions: { 'io.modelcontextprotocol/tasks': {} } });
    await server.close(10);
    server = testServer({ tools: [tools[0]!] });
    expect(((await call('server/discover', {})).result!.capabilities as { extensions?: unknown }).extensions).toBeUndefined();
    expect((await call('tasks/get', { taskId: 'x' })).error!.code).toBe(-32601);
  });

  it('creates a task only for requests declaring the extension; get, cancel fires the signal, status cancelled', async () => {
    gates.release = deferred();
    gates.sawAbort = deferred();
    server = testServer({ tools });
    const plain = await call('tools/call', { name: 'instant', arguments: {} }, {});
    expect(plain.result).toMatchObject({ resultType: 'complete', content: [{ text: 'instant' }] });

    // Asking for progress means following this request's stream: no task for an optional tool.
    gates.release.resolve();
    const withProgress = await roundTrip(server, request('tools/call', { name: 'gated', arguments: {} }, { capabilities: WITH_TASKS, meta: { progressToken: 'p1' } }));
    expect(withProgress.result).toMatchObject({ resultType: 'complete' });
    gates.release = deferred();

    const created = await call('tools/call', { name: 'gated', arguments: {} });
    expect(created.result).toMatchObject({ resultType: 'task', status: 'working', ttlMs: 30_000, pollIntervalMs: 250 });
    for (const key of ['result', 'error', 'inputRequests', 'requestState', 'task']) expect(created.result).not.toHaveProperty(key);
    const taskId = created.result!.taskId as string;
    expect(taskId.length).toBeGreaterThanOrEqual(32);
    const working = await until(taskId, (t) => t.statusMessage === 'waiting for the gate');
    expect(working).toMatchObject({ resultType: 'complete', status: 'working' });

    // Without the extension on *this* request: -32021 naming it, whatever the task id.
    for (const method of ['tasks/get', 'tasks/update', 'tasks/cancel']) {
      const refused = await call(method, { taskId, inputResponses: {} }, {});
      expect(refused.error).toMatchObject({ code: -32021, data: { requiredCapabilities: TASKS } });
    }

    const ack = await call('tasks/cancel', { taskId });
    expect(ack.result).toEqual({ resultType: 'complete', _meta: expect.any(Object) });
    expect(await gates.sawAbort.promise).toBe('AbortError');
    expect(await until(taskId, (t) => t.status !== 'working')).toMatchObject({ status: 'cancelled' });
    // Idempotent on a terminal task, and nothing can revive it.
    expect((await call('tasks/cancel', { taskId })).result).toMatchObject({ resultType: 'complete' });
  });

  it('completes with the result inlined; unknown, foreign and expired ids are -32602', async () => {
    gates.release = deferred();
    server = testServer({ tools });
    const alice = { auth: { subject: 'alice' } };
    const created = await call('tools/call', { name: 'gated', arguments: {} }, WITH_TASKS, alice);
    const taskId = created.result!.taskId as string;
    // Bound to its creator: another principal cannot see, update or cancel it.
    for (const method of ['tasks/get', 'tasks/update', 'tasks/cancel'])
      expect((await call(method, { taskId, inputResponses: {} }, WITH_TASKS, { auth: { subject: 'mallory' } })).error).toMatchObject({ code: -32602, message: 'Failed to retrieve task: Task not found' });
    gates.release.resolve();
    const done = await until(taskId, (t) => t.status === 'completed', alice);
    expect(done.result).toMatchObject({ resultType: 'complete', content: [{ type: 'text', text: `done ${taskId}` }] });
    expect((await call('tasks/get', { taskId: 'nope' })).error).toMatchObject({ code: -32602 });
  });

  it('expired tasks answer -32602 "Task has expired"', async () => {
    const store = new InMemoryTaskStore(0);
    server = testServer({ tools, tasks: { store, ttlMs: 1 } });
    const created = await call('tools/call', { name: 'broken', arguments: {} });
    const taskId = created.result!.taskId as string;
    const record = (await store.get(taskId))!;
    await store.compareAndSet(taskId, record.version, { ...record, createdAt: new Date(Date.now() - 5_000).toISOString(), version: record.version + 1 });
    expect((await call('tasks/get', { taskId })).error).toMatchObject({ code: -32602, message: 'Failed to retrieve task: Task has expired' });
  });

  it('a required tool refuses non-declaring requests with -32021; MRTR before the task, parked asks inside it', async () => {
    server = testServer({ tools });
    expect((await call('tools/call', { name: 'must_task', arguments: {} }, { elicitation: {} })).error).toMatchObject({ code: -32021, data: { requiredCapabilities: TASKS } });

    const round1 = await call('tools/call', { name: 'must_task', arguments: {} });
    expect(round1.result).toMatchObject({ resultType: 'input_required', inputRequests: { who: { method: 'elicitation/create' } } });
    expect(round1.result).not.toHaveProperty('taskId');
    const round2 = await call('tools/call', { name: 'must_task', arguments: {}, requestState: round1.result!.requestState, inputResponses: { who: { action: 'accept', content: { name: 'Alice' } } } });
    expect(round2.result).toMatchObject({ resultType: 'task', statusMessage: 'started' });
    expect(round2.result).not.toHaveProperty('requestState');
    const taskId = round2.result!.taskId as string;

    const parked = await until(taskId, (t) => t.status === 'input_required' && Object.keys(t.inputRequests as object).length === 2);
    expect(Object.keys(parked.inputRequests as object).sort()).toEqual(['color', 'ok']);
    // An answer that does not fit its ask is refused; unknown keys are ignored.
    expect((await call('tasks/update', { taskId, inputResponses: { ok: { action: 'accept', content: { ok: 'yes' } } } })).error).toMatchObject({ code: -32602 });
    expect((await call('tasks/update', { taskId, inputResponses: { ok: { action: 'maybe' } } })).error).toMatchObject({ code: -32602 });
    expect((await call('tasks/update', { taskId, inputResponses: { bogus: { x: 1 } } })).result).toMatchObject({ resultType: 'complete' });
    // Partial: the task stays input_required with only the unanswered key.
    await call('tasks/update', { taskId, inputResponses: { color: { action: 'accept', content: { color: 'teal' } } } });
    const partial = (await call('tasks/get', { taskId })).result!;
    expect(partial.status).toBe('input_required');
    expect(Object.keys(partial.inputRequests as object)).toEqual(['ok']);
    await call('tasks/update', { taskId, inputResponses: { ok: { action: 'accept', content: { ok: true } } } });
    const done = await until(taskId, (t) => t.status === 'completed');
    expect(done.result).toMatchObject({ content: [{ text: 'Alice teal true' }] });
  });

  it('a protocol error inside the task is failed with the error inlined, never result', async () => {
    server = testServer({ tools });
    const created = await call('tools/call', { name: 'broken', arguments: {} });
    const failed = await until(created.result!.taskId as string, (t) => t.status === 'failed');
    expect(failed.error).toEqual({ code: -32603, message: 'backend exploded', data: { where: 'db' } });
    expect(failed).not.toHaveProperty('result');
    expect(failed.statusMessage).toMatch(/backend exploded/);
  });

  it('a cancel on another replica sharing the store reaches the handler running here', async () => {
    gates.release = deferred();
    gates.sawAbort = deferred();
    const store = new InMemoryTaskStore(0);
    server = testServer({ tools, tasks: { store } });
    const other = testServer({ tools, tasks: { store } });
    try {
      const created = await call('tools/call', { name: 'gated', arguments: {} });
      const taskId = created.result!.taskId as string;
      const viaOther = await roundTrip(other, request('tasks/cancel', { taskId }, { capabilities: WITH_TASKS }));
      expect(viaOther.result).toMatchObject({ resultType: 'complete' });
      expect(await gates.sawAbort.promise).toBe('AbortError');
      expect((await roundTrip(other, request('tasks/get', { taskId }, { capabilities: WITH_TASKS }))).result).toMatchObject({ status: 'cancelled' });
    } finally {
      await other.close(10);
    }
  });

  it('notifications/tasks reach a listen stream that asked for the task id; taskIds without the extension is -32021', async () => {
    gates.release = deferred();
    server = testServer({ tools });
    const created = await call('tools/call', { name: 'gated', arguments: {} });
    const taskId = created.result!.taskId as string;
    const refused = await call('subscriptions/listen', { notifications: { taskIds: [taskId] } }, {});
    expect(refused.error).toMatchObject({ code: -32021 });

    const seen: { method: string; params?: Record<string, unknown> }[] = [];
    const completed = deferred();
    const listening = server.handle(request('subscriptions/listen', { notifications: { taskIds: [taskId, 'not-a-task'] } }, { capabilities: TASKS, id: 'listen-1' }), {
      send: (n) => {
        seen.push(n as never);
        if ((n.params as { status?: string } | undefined)?.status === 'completed') completed.resolve();
      },
    });
    await until(taskId, () => seen.length > 0);
    expect(seen[0]).toMatchObject({ method: 'notifications/subscriptions/acknowledged', params: { notifications: { taskIds: [taskId] } } });
    gates.release.resolve();
    await completed.promise;
    const note = seen.find((n) => n.method === 'notifications/tasks' && n.params?.status === 'completed')!;
    expect(note.params).toMatchObject({ taskId, status: 'completed', result: { content: [{ text: `done ${taskId}` }] }, _meta: { 'io.modelcontextprotocol/subscriptionId': 'listen-1' } });
    await server.close(50);
    await listening;
  });
});
