/**
 * Tasks (../shared/spec/extensions/tasks.md) with real peers against the generated server: the
 * conformance fixture project (test/fixtures/conformance: `slow_compute` sleeps then answers,
 * `confirm_delete` asks inside its task), generated into test/tmp and served over Streamable HTTP
 * in-process and over stdio by a child process.
 *
 * - The official client @modelcontextprotocol/client 2.4.0 in auto mode (server/discover → the
 *   2026-07-28 wire). It has no Tasks API: its typed surface leaves out tasks/* (2025 vocabulary
 *   to it), and its 2026 result decoder rejects `resultType: "task"` as an unsupported result type
 *   before any schema runs, so `callTool` can start a task but never return its handle. What it
 *   does offer: the extension declared in `capabilities.extensions` (sent in every request's `_meta`
 *   clientCapabilities), `client.request({ method: 'tasks/get' | 'tasks/cancel' }, schema)` (the two
 *   names it lets through for the extension), and `Mcp-Name: <taskId>` set by its transport. The
 *   CreateTaskResult is read off the transport's `onmessage` (the public Transport interface),
 *   then the task is driven with those generic requests.
 * - The project's own generated typed client: `client.tools.slowCompute(args)` (final result,
 *   polling) and `.start(args)` → status / result / cancel / respond.
 *
 * Also the bad-input list of issue 16 through the generated server's HTTP endpoint (the dispatcher
 * level is in test/runtime/tasks.test.ts and redis-state.test.ts): unknown and expired task ids,
 * tampered and replayed requestState, tasks/update answers that do not fit the parked ask, and
 * Redis going away under a running server process and coming back.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { z } from 'zod';
import { prepareGeneratedProject, startGeneratedServer, type GeneratedProject } from '../conformance-generated/project.ts';
import { findRedisServer, REDIS_SKIP_REASON, startRedisServer } from '../helpers/redis.ts';
import { quietLogger, recordingFetch } from './helpers.ts';

const SECRET = 'tasks-peers-secret-0123456789abcdef';
process.env.MCP_STATE_SECRET ??= SECRET;
const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';
const PROTOCOL = '2026-07-28';

type TaskHandle = {
  taskId: string | undefined;
  status(): Promise<{ status: string; statusMessage?: string; inputRequests?: Record<string, unknown> }>;
  result(options?: { answerInputs?: boolean }): Promise<{ content: { type: string; text?: string }[] }>;
  cancel(): Promise<void>;
  respond(answers: Record<string, unknown>): Promise<void>;
};
type TaskTool<A> = ((args: A, options?: { signal?: AbortSignal }) => Promise<{ isError: boolean; content: { type: string; text?: string }[] }>) & { start(args: A): Promise<TaskHandle> };
type GeneratedClient = {
  era: string;
  tools: { slowCompute: TaskTool<{ seconds?: number; label?: string }>; confirmDelete: TaskTool<{ filename?: string }> };
  close(): Promise<void>;
};
type Runtime = { serveHttp(server: unknown, options: object): Promise<{ url: string; close(): Promise<void> }> };

let project: GeneratedProject;
let createClient: (options: object) => GeneratedClient;
let createServer: (overrides?: object) => unknown;
let runtime: Runtime;
let http: { url: string; close(): Promise<void> };

beforeAll(async () => {
  project = await prepareGeneratedProject(`tasks-peers-${process.pid}`);
  const generated = join(project.dir, 'src/generated');
  const clientModule = (await import(pathToFileURL(join(generated, 'client.ts')).href)) as Record<string, unknown>;
  createClient = clientModule[Object.keys(clientModule).find((k) => /^create\w+Client$/.test(k))!] as typeof createClient;
  ({ createServer } = (await import(pathToFileURL(join(generated, 'server.ts')).href)) as { createServer: typeof createServer });
  runtime = (await import(pathToFileURL(join(generated, 'runtime/index.ts')).href)) as Runtime;
  http = await runtime.serveHttp(createServer({ logger: quietLogger }), { port: 0, host: '127.0.0.1', handleSignals: false });
  writeFileSync(
    join(project.dir, 'serve-stdio.ts'),
    `import { createServer } from './src/generated/server.ts';\nimport { serveStdio } from './src/generated/runtime/index.ts';\nserveStdio(createServer({ stateSecret: '${SECRET}' }));\n`,
  );
}, 180_000);
afterAll(async () => {
  await http?.close();
  project?.remove();
});

const stdioServer = () => ({ command: process.execPath, args: ['--import', 'tsx', join(project.dir, 'serve-stdio.ts')], cwd: project.dir, stderr: 'ignore' as const });
const text = (r: { content: { text?: string }[] }) => r.content.map((c) => c.text ?? '').join(' ');

// ---- the official client 2.4.0 --------------------------------------------------------------

/** What this test reads back through `client.request(…, schema)` (zod 4 is a Standard Schema). */
const TaskSchema = z.looseObject({ taskId: z.string(), status: z.string(), pollIntervalMs: z.number().optional(), result: z.looseObject({}).optional() });
const AckSchema = z.looseObject({});
type Wire = { result?: Record<string, unknown> };

/**
 * The official client with the extension declared, and the CreateTaskResults its transport
 * delivered (the client itself rejects them; see the file comment).
 */
async function officialTasksClient(transport: StreamableHTTPClientTransport | StdioClientTransport) {
  const client = new Client({ name: 'official-2.4.0-tasks', version: '1.0.0' }, { capabilities: { extensions: { [TASKS_EXTENSION]: {} } }, versionNegotiation: { mode: 'auto' } });
  await client.connect(transport);
  const created: Record<string, unknown>[] = [];
  // Transport.onmessage (set by connect) is where every incoming message enters the client.
  const tapped = transport as unknown as { onmessage: (message: unknown, ...rest: unknown[]) => void };
  const deliver = tapped.onmessage;
  tapped.onmessage = (message, ...rest) => {
    const result = (message as Wire).result;
    if (result?.resultType === 'task') created.push(result);
    deliver(message, ...rest);
  };
  /** tools/call through the client; the task it made, read off the wire. */
  const startTask = async (name: string, args: Record<string, unknown>) => {
    const before = created.length;
    const refused = await client.callTool({ name, arguments: args }).then(
      (r) => r,
      (e: unknown) => e,
    );
    // 2.4.0 cannot hand a task to its caller; if a later version can, this test must use that instead.
    expect(refused).toMatchObject({ code: 'UNSUPPORTED_RESULT_TYPE', message: expect.stringContaining("'task'") });
    expect(created.length).toBe(before + 1);
    return created.at(-1)! as { taskId: string; status: string; pollIntervalMs?: number };
  };
  const get = (taskId: string) => client.request({ method: 'tasks/get', params: { taskId } }, TaskSchema);
  /** Polls tasks/get at the task's pollIntervalMs until it leaves `working`. */
  const settle = async (taskId: string) => {
    for (;;) {
      const task = await get(taskId);
      if (task.status !== 'working') return task;
      await new Promise((r) => setTimeout(r, task.pollIntervalMs ?? 200));
    }
  };
  return { client, startTask, get, settle, cancel: (taskId: string) => client.request({ method: 'tasks/cancel', params: { taskId } }, AckSchema) };
}

describe('the official client 2.4.0 (auto mode) drives tasks on the generated server', () => {
  const recorder = recordingFetch();
  const transports = {
    HTTP: () => new StreamableHTTPClientTransport(new URL(http.url), { fetch: recorder.fetch }),
    stdio: () => new StdioClientTransport(stdioServer()),
  };
  it.each(Object.keys(transports) as (keyof typeof transports)[])('over %s: one task to completion, one cancelled', async (kind) => {
    const peer = await officialTasksClient(transports[kind]());
    try {
      if (kind === 'HTTP')
        onTestFinished(() => {
          // The routing header the extension requires ("Streamable HTTP: Routing Headers"), set by the client itself.
          const taskRequests = recorder.requests.filter((r) => String(r.body?.method).startsWith('tasks/'));
          expect(taskRequests.map((r) => r.body.method)).toContain('tasks/cancel');
          for (const r of taskRequests) expect(r.headers['mcp-name']).toBe(r.body.params.taskId);
          const call = recorder.requests.find((r) => r.body?.method === 'tools/call')!;
          expect(call.body.params._meta['io.modelcontextprotocol/clientCapabilities'].extensions).toEqual({ [TASKS_EXTENSION]: {} });
        });
      expect(peer.client.getNegotiatedProtocolVersion()).toBe(PROTOCOL);
      const task = await peer.startTask('slow_compute', { seconds: 0.2, label: 'official' });
      expect(task).toMatchObject({ resultType: 'task', status: 'working', pollIntervalMs: 200 });
      const done = await peer.settle(task.taskId);
      expect(done).toMatchObject({ taskId: task.taskId, status: 'completed' }); // the client strips `resultType: "complete"`
      expect(text(done.result as never)).toBe('official: computed after 0.2s');

      const long = await peer.startTask('slow_compute', { seconds: 60, label: 'doomed' });
      expect((await peer.get(long.taskId)).status).toBe('working');
      expect(await peer.cancel(long.taskId)).toMatchObject({});
      const cancelled = await peer.settle(long.taskId);
      expect(cancelled.status).toBe('cancelled');
      expect(cancelled).not.toHaveProperty('result');
    } finally {
      await peer.client.close();
    }
  }, 60_000);

  it('without the extension declared it gets plain results for optional tools, never a task', async () => {
    const client = new Client({ name: 'official-2.4.0-plain', version: '1.0.0' }, { capabilities: {}, versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
    try {
      const result = await client.callTool({ name: 'slow_compute', arguments: { seconds: 0.05, label: 'plain' } });
      expect(text(result as never)).toBe('plain: computed after 0.05s');
    } finally {
      await client.close();
    }
  });
});

// ---- the generated typed client -------------------------------------------------------------

describe('the generated typed client drives tasks on the generated server', () => {
  const targets = {
    HTTP: () => ({ url: http.url }),
    stdio: () => ({ stdio: stdioServer() }),
  };
  it.each(Object.keys(targets) as (keyof typeof targets)[])('over %s: tools.x(args) and start() to completion, start() → cancel, respond() to a parked ask', async (kind) => {
    const client = createClient({ ...targets[kind](), clientInfo: { name: 'generated-tasks', version: '1' }, logger: quietLogger, handlers: { elicit: () => ({ action: 'accept', content: { confirm: true } }) } });
    try {
      expect(text(await client.tools.slowCompute({ seconds: 0.2, label: 'typed' }))).toBe('typed: computed after 0.2s');

      const started = await client.tools.slowCompute.start({ seconds: 0.2, label: 'handle' });
      expect(started.taskId).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(text(await started.result())).toBe('handle: computed after 0.2s');
      expect((await started.status()).status).toBe('completed');

      const doomed = await client.tools.slowCompute.start({ seconds: 60, label: 'doomed' });
      expect(await doomed.status()).toMatchObject({ status: 'working', statusMessage: 'doomed: computing for 60s' });
      await doomed.cancel();
      await expect(doomed.result()).rejects.toMatchObject({ name: 'McpTaskCancelledError' });
      expect((await doomed.status()).status).toBe('cancelled');

      // An ask inside the task parks it; answered by hand (the elicit handler would say "confirm").
      const parked = await client.tools.confirmDelete.start({ filename: 'notes.txt' });
      let task = await parked.status();
      while (task.status !== 'input_required') task = await parked.status();
      expect(Object.keys(task.inputRequests!)).toEqual(['confirm']);
      await parked.respond({ confirm: { action: 'accept', content: { confirm: false } } });
      expect(text(await parked.result({ answerInputs: false }))).toBe('Kept notes.txt');
    } finally {
      await client.close();
    }
  }, 60_000);
});

// ---- bad input through the generated server's HTTP endpoint ---------------------------------

let nextId = 1;
async function rpc(url: string, method: string, params: Record<string, unknown>, capabilities: Record<string, unknown> = { elicitation: {}, extensions: { [TASKS_EXTENSION]: {} } }, bearer?: string) {
  const name = typeof params.taskId === 'string' ? params.taskId : typeof params.name === 'string' ? params.name : undefined;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'MCP-Protocol-Version': PROTOCOL,
      'Mcp-Method': method,
      ...(name ? { 'Mcp-Name': name } : {}),
      ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: nextId++,
      method,
      params: { ...params, _meta: { 'io.modelcontextprotocol/protocolVersion': PROTOCOL, 'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': capabilities } },
    }),
  });
  const body = (await res.json()) as { result?: Record<string, any>; error?: { code: number; message: string; data?: unknown } };
  return { status: res.status, ...body };
}

async function until(url: string, taskId: string, predicate: (r: Awaited<ReturnType<typeof rpc>>) => boolean, bearer?: string) {
  for (;;) {
    const got = await rpc(url, 'tasks/get', { taskId }, undefined, bearer);
    if (predicate(got)) return got;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('bad input through the generated server (HTTP)', () => {
  it('unknown task ids: tasks/get, update and cancel answer -32602 "Task not found"', async () => {
    for (const method of ['tasks/get', 'tasks/update', 'tasks/cancel']) {
      const answer = await rpc(http.url, method, { taskId: 'no-such-task-0000000000000000000000', inputResponses: {} });
      expect(answer.error, method).toMatchObject({ code: -32602, message: 'Failed to retrieve task: Task not found' });
    }
  });

  it('a foreign task id (another principal, or none) answers -32602 "Task not found"; its owner still reaches it', async () => {
    // The bearer token stands for the verified principal (token checking is test/auth's subject):
    // what is under test is the binding of a task to the principal that created it.
    const authenticate = (headers: { get(name: string): string | null }) => {
      const subject = /^Bearer (\w+)$/.exec(headers.get('authorization') ?? '')?.[1];
      return subject ? { subject, scopes: [] } : undefined;
    };
    const owned = await runtime.serveHttp(createServer({ logger: quietLogger }), { port: 0, host: '127.0.0.1', handleSignals: false, authenticate });
    try {
      const created = await rpc(owned.url, 'tools/call', { name: 'slow_compute', arguments: { seconds: 0.2, label: 'alice' } }, undefined, 'alice');
      const taskId = created.result!.taskId as string;
      for (const stranger of ['mallory', undefined])
        for (const method of ['tasks/get', 'tasks/update', 'tasks/cancel']) {
          const answer = await rpc(owned.url, method, { taskId, inputResponses: {} }, undefined, stranger);
          expect(answer.error, `${method} as ${stranger ?? 'anonymous'}`).toMatchObject({ code: -32602, message: 'Failed to retrieve task: Task not found' });
        }
      const done = await until(owned.url, taskId, (r) => r.result?.status !== 'working', 'alice');
      expect(done.result).toMatchObject({ status: 'completed', result: { content: [{ text: 'alice: computed after 0.2s' }] } });
    } finally {
      await owned.close();
    }
  });

  it('an expired task answers -32602 "Task has expired" once its ttlMs has passed', async () => {
    const short = await runtime.serveHttp(createServer({ logger: quietLogger, tasks: { ttlMs: 50 } }), { port: 0, host: '127.0.0.1', handleSignals: false });
    try {
      const created = await rpc(short.url, 'tools/call', { name: 'slow_compute', arguments: { seconds: 30, label: 'ttl' } });
      expect(created.result).toMatchObject({ resultType: 'task', ttlMs: 50 });
      const expired = await until(short.url, created.result!.taskId, (r) => r.error !== undefined);
      expect(expired.error).toMatchObject({ code: -32602, message: 'Failed to retrieve task: Task has expired' });
    } finally {
      await short.close();
    }
  });

  it('a tampered requestState is -32602; a valid one replayed after use is -32602', async () => {
    const first = await rpc(http.url, 'tools/call', { name: 'test_input_required_result_request_state', arguments: {} });
    expect(first.result).toMatchObject({ resultType: 'input_required' });
    const state = first.result!.requestState as string;
    expect(Object.keys(first.result!.inputRequests)).toEqual(['confirm']);
    const inputResponses = { confirm: { action: 'accept', content: { ok: true } } };
    const flipped = state.slice(0, 20) + (state[20] === 'A' ? 'B' : 'A') + state.slice(21);
    const tampered = await rpc(http.url, 'tools/call', { name: 'test_input_required_result_request_state', arguments: {}, requestState: flipped, inputResponses });
    expect(tampered.error).toMatchObject({ code: -32602 });
    const used = await rpc(http.url, 'tools/call', { name: 'test_input_required_result_request_state', arguments: {}, requestState: state, inputResponses });
    expect(used.result).toMatchObject({ resultType: 'complete', content: [{ text: 'state-ok: requestState validated' }] });
    const replayed = await rpc(http.url, 'tools/call', { name: 'test_input_required_result_request_state', arguments: {}, requestState: state, inputResponses });
    expect(replayed.error).toMatchObject({ code: -32602, message: expect.stringContaining('already used') });
  });

  it('tasks/update answers that do not fit the parked ask are -32602; the task stays parked, then a fitting one finishes it', async () => {
    const created = await rpc(http.url, 'tools/call', { name: 'confirm_delete', arguments: { filename: 'a.txt' } });
    const taskId = created.result!.taskId as string;
    await until(http.url, taskId, (r) => r.result?.status === 'input_required');
    for (const wrong of [{ action: 'accept', content: { confirm: 'yes' } }, { action: 'accept', content: {} }, { action: 'maybe' }]) {
      const refused = await rpc(http.url, 'tasks/update', { taskId, inputResponses: { confirm: wrong } });
      expect(refused.error, JSON.stringify(wrong)).toMatchObject({ code: -32602 });
    }
    expect((await rpc(http.url, 'tasks/get', { taskId })).result).toMatchObject({ status: 'input_required', inputRequests: { confirm: { method: 'elicitation/create' } } });
    expect((await rpc(http.url, 'tasks/update', { taskId, inputResponses: { confirm: { action: 'accept', content: { confirm: true } } } })).result).toMatchObject({ resultType: 'complete' });
    const done = await until(http.url, taskId, (r) => r.result?.status === 'completed');
    expect(done.result!.result).toMatchObject({ content: [{ type: 'text', text: 'Deleted a.txt' }] });
  });
});

const redisBin = findRedisServer();
it.runIf(!redisBin && Boolean(process.env.CI))('redis-server is installed', () => expect.fail(REDIS_SKIP_REASON));

describe.skipIf(!redisBin)('Redis down under a running generated server process (HTTP)', () => {
  it('task requests fail with -32603 and a logged cause, the process stays up and serves the rest; tasks work again once redis-server is back', async () => {
    const redis = await startRedisServer(redisBin!);
    const server = await startGeneratedServer(project.dir, { MCP_REDIS_URL: redis.url, MCP_STATE_SECRET: SECRET });
    let stderr = '';
    server.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const before = await rpc(server.url, 'tools/call', { name: 'slow_compute', arguments: { seconds: 0.05, label: 'before' } });
      expect(before.result).toMatchObject({ resultType: 'task' });
      const running = await rpc(server.url, 'tools/call', { name: 'slow_compute', arguments: { seconds: 60, label: 'running' } });
      const runningId = running.result!.taskId as string;
      expect((await rpc(server.url, 'tasks/get', { taskId: runningId })).result).toMatchObject({ status: 'working' });

      await redis.stop(true);
      const read = await rpc(server.url, 'tasks/get', { taskId: runningId });
      expect(read.error).toMatchObject({ code: -32603 });
      const create = await rpc(server.url, 'tools/call', { name: 'slow_compute', arguments: { seconds: 0.05, label: 'during' } });
      expect(create.error).toMatchObject({ code: -32603 });
      expect((await rpc(server.url, 'tasks/cancel', { taskId: runningId })).error).toMatchObject({ code: -32603 });
      // What needs no shared state still works: the process is up and serving.
      expect((await rpc(server.url, 'tools/call', { name: 'greet', arguments: { name: 'Ada' } })).result).toMatchObject({ resultType: 'complete' });
      expect(server.child.exitCode).toBeNull();
      expect(stderr).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+.* is unavailable/);
      expect(stderr).toMatch(/ECONNREFUSED|offline|closed|Socket/i);

      await redis.restart();
      // Redis keeps nothing across the restart here (no persistence): new tasks run end to end again.
      let again: Awaited<ReturnType<typeof rpc>>;
      // The client reconnects on its own schedule: retry, as a client would, until it answers.
      while ((again = await rpc(server.url, 'tools/call', { name: 'slow_compute', arguments: { seconds: 0.05, label: 'after' } })).error?.code === -32603)
        await new Promise((r) => setTimeout(r, 50));
      expect(again.result).toMatchObject({ resultType: 'task' });
      const done = await until(server.url, again.result!.taskId, (r) => r.result?.status === 'completed');
      expect(done.result!.result).toMatchObject({ content: [{ text: 'after: computed after 0.05s' }] });
      expect(server.child.exitCode).toBeNull();
    } finally {
      await server.stop();
      await redis.dispose();
    }
  }, 60_000);
});
