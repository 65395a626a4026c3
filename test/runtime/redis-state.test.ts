/**
 * Shared state on a real redis-server (Debian package; CI installs it through .ci/run): two
 * servers in this process stand for two replicas, each with its own Redis connections. Covers the
 * listen bus crossing replicas, requestState single use across replicas, and Redis going away and
 * coming back (requests that need it fail with -32603 and a logged cause; nothing crashes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { findRedisServer, REDIS_SKIP_REASON, startRedisServer, type RedisServer } from '../helpers/redis.ts';
import { request, roundTrip, testServer } from './helpers.ts';
import { defineResource, defineTool, resolveStateBackend, type McpServer, type RuntimeLogger } from './runtime-under-test.ts';

const redisBin = findRedisServer();
if (!redisBin) console.warn(`[redis] ${REDIS_SKIP_REASON}; skipping the Redis state tests`);
// In CI (.ci/run installs redis-server) a missing redis-server is a failure, not a skip.
it.runIf(!redisBin && Boolean(process.env.CI))('redis-server is installed', () => expect.fail(REDIS_SKIP_REASON));

const caps = { elicitation: {} };
const ask = defineTool({
  name: 'ask',
  description: 'one elicitation, then done',
  inputSchema: { type: 'object' },
  input: z.looseObject({}),
  handler: async (_input, ctx) => {
    const who = await ctx.elicit('who', { message: 'Name?', schema: z.object({ name: z.string() }) });
    return { content: [{ type: 'text', text: `hello ${who.action === 'accept' ? who.content.name : '-'}` }] };
  },
});
const touch = defineTool({
  name: 'touch',
  description: 'announces an update of test://doc',
  inputSchema: { type: 'object' },
  input: z.looseObject({}),
  handler: async (_input, ctx) => {
    await ctx.changes.resourceUpdated('test://doc');
    return { content: [{ type: 'text', text: 'touched' }] };
  },
});
const doc = defineResource({ uri: 'test://doc', name: 'doc', read: () => ({ text: 'doc' }) });
const answer = { who: { action: 'accept', content: { name: 'Ada' } } };

function recordingLogger(): RuntimeLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    error: (m, e) => lines.push(`error ${m} ${e instanceof Error ? e.message : String(e ?? '')}`),
    warn: (m) => lines.push(`warn ${m}`),
    info: (m) => lines.push(`info ${m}`),
  };
}

/** Polls `probe` until it returns true (Redis reconnects on its own schedule); fails after timeoutMs. */
async function eventually(probe: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Opens a listen stream on `server`; resolves once acknowledged, collecting later notifications. */
async function listen(server: McpServer, uri: string) {
  const seen: { method: string; params?: Record<string, unknown> }[] = [];
  const controller = new AbortController();
  let acked!: () => void;
  const acknowledged = new Promise<void>((resolve) => (acked = resolve));
  let arrived: (() => void) | undefined;
  const done = server.handle(request('subscriptions/listen', { notifications: { resourceSubscriptions: [uri] } }), {
    signal: controller.signal,
    send: (n) => {
      seen.push(n as never);
      if (n.method === 'notifications/subscriptions/acknowledged') acked();
      else arrived?.();
    },
  });
  const outcome = await Promise.race([acknowledged.then(() => undefined), done]);
  if (outcome) return { outcome, seen, next: async () => undefined, stop: () => undefined };
  return {
    outcome: undefined,
    seen,
    /** Resolves at the next notification after the acknowledgement. */
    next: () => new Promise<void>((resolve) => (arrived = resolve)),
    stop: () => controller.abort(),
  };
}

describe.skipIf(!redisBin)(redisBin ? 'state on Redis' : `state on Redis — ${REDIS_SKIP_REASON}`, () => {
  let redis: RedisServer;
  const servers: McpServer[] = [];
  const logs: ReturnType<typeof recordingLogger>[] = [];
  const replica = (logger = recordingLogger()) => {
    logs.push(logger);
    const server = testServer({ tools: [ask, touch], resources: [doc], logger, state: { backend: 'redis', url: redis.url, keyPrefix: `t${process.pid}:` } });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    redis = await startRedisServer(redisBin!);
  }, 20_000);

  afterAll(async () => {
    await Promise.allSettled(servers.map((s) => s.close(100)));
    await redis?.dispose();
  });

  it('selects Redis from the config, and MCP_REDIS_URL wins over the config', () => {
    const logger = recordingLogger();
    const memory = resolveStateBackend({ serverName: 's', logger });
    expect(memory.kind).toBe('memory');
    const fromEnv = resolveStateBackend({ serverName: 's', logger, config: { backend: 'memory' }, env: { MCP_REDIS_URL: 'redis://:pw@127.0.0.1:1' } });
    expect(fromEnv.kind).toBe('redis');
    expect(fromEnv.redis?.where).toBe('redis://:***@127.0.0.1:1');
    expect(fromEnv.redis?.keyPrefix).toBe('mcp:s:');
    void fromEnv.close();
    expect(logger.lines.join('\n')).not.toContain(':pw@');
  });

  it('a resources/updated raised on one replica reaches listeners on every replica', async () => {
    const [a, b, c] = [replica(), replica(), replica()];
    const streams = [await listen(b, 'test://doc'), await listen(c, 'test://doc'), await listen(a, 'test://doc')];
    for (const s of streams) expect(s.outcome).toBeUndefined();
    const delivered = streams.map((s) => s.next());
    const touched = await roundTrip(a, request('tools/call', { name: 'touch', arguments: {} }));
    expect(touched.result).toMatchObject({ content: [{ text: 'touched' }] });
    await Promise.all(delivered);
    for (const s of streams) {
      expect(s.seen.map((n) => n.method)).toEqual(['notifications/subscriptions/acknowledged', 'notifications/resources/updated']);
      expect(s.seen[1]!.params).toMatchObject({ uri: 'test://doc' });
      s.stop();
    }
  });

  it('a requestState is used once across replicas: a replay on another replica is -32602', async () => {
    const [a, b, c] = [replica(), replica(), replica()];
    const r1 = await roundTrip(a, request('tools/call', { name: 'ask', arguments: {} }, { capabilities: caps }));
    const state = r1.result!.requestState;
    const r2 = await roundTrip(b, request('tools/call', { name: 'ask', arguments: {}, requestState: state, inputResponses: answer }, { capabilities: caps }));
    expect(r2.result).toMatchObject({ resultType: 'complete', content: [{ text: 'hello Ada' }] });
    const replay = await roundTrip(c, request('tools/call', { name: 'ask', arguments: {}, requestState: state, inputResponses: answer }, { capabilities: caps }));
    expect(replay.error).toMatchObject({ code: -32602, message: expect.stringContaining('already used') });
    // Two replicas handed the same fresh state at the same moment: exactly one wins.
    const fresh = (await roundTrip(a, request('tools/call', { name: 'ask', arguments: {} }, { capabilities: caps }))).result!.requestState;
    const race = await Promise.all([b, c, a].map((s) => roundTrip(s, request('tools/call', { name: 'ask', arguments: {}, requestState: fresh, inputResponses: answer }, { capabilities: caps }))));
    expect(race.filter((r) => r.result?.resultType === 'complete')).toHaveLength(1);
    expect(race.filter((r) => r.error?.code === -32602)).toHaveLength(2);
  });

  it('Redis down: requests that need it fail with -32603 and a logged cause, the rest still work; it recovers when Redis returns', async () => {
    const logger = recordingLogger();
    const a = replica(logger);
    const held = await listen(a, 'test://doc'); // open before the outage, must work again after it
    expect(held.outcome).toBeUndefined();
    const r1 = await roundTrip(a, request('tools/call', { name: 'ask', arguments: {} }, { capabilities: caps }));
    const state = r1.result!.requestState;

    await redis.stop(true);
    const retry = await roundTrip(a, request('tools/call', { name: 'ask', arguments: {}, requestState: state, inputResponses: answer }, { capabilities: caps }));
    expect(retry.error).toMatchObject({ code: -32603 });
    const publish = await roundTrip(a, request('tools/call', { name: 'touch', arguments: {} }));
    expect(publish.error).toMatchObject({ code: -32603 });
    // A new listen stream is refused once the subscriber connection has seen the outage (node
    // reads the socket's end on its own schedule, so poll rather than assume the same tick).
    await eventually(async () => {
      const attempt = await listen(a, 'test://doc');
      attempt.stop();
      return (attempt.outcome?.response as { error?: { code: number } } | undefined)?.error?.code === -32603;
    }, 'a listen stream to be refused');
    // What needs no shared state is unaffected, and the failure was quick (no queueing behind a reconnect).
    const started = Date.now();
    expect((await roundTrip(a, request('tools/call', { name: 'ask', arguments: {} }, { capabilities: caps }))).result?.resultType).toBe('input_required');
    expect((await roundTrip(a, request('tools/call', { name: 'touch', arguments: {} }))).error?.code).toBe(-32603);
    expect(Date.now() - started).toBeLessThan(1_000);
    const log = logger.lines.join('\n');
    expect(log).toMatch(/error .*Redis at redis:\/\/127\.0\.0\.1:\d+.* is unavailable/);
    expect(log).toMatch(/ECONNREFUSED|offline|closed|Socket/i);

    await redis.restart();
    // The state was never consumed (the claim failed), so the client's retry now succeeds.
    await eventually(async () => {
      const again = await roundTrip(a, request('tools/call', { name: 'ask', arguments: {}, requestState: state, inputResponses: answer }, { capabilities: caps }));
      return again.result?.resultType === 'complete';
    }, 'the replay guard to answer again');
    // The stream held across the outage was resubscribed by the client and receives again.
    const next = held.next();
    await eventually(async () => (await roundTrip(a, request('tools/call', { name: 'touch', arguments: {} }))).result !== undefined, 'publishing again');
    await next;
    expect(held.seen.at(-1)).toMatchObject({ method: 'notifications/resources/updated', params: { uri: 'test://doc' } });
    expect(logger.lines.join('\n')).toMatch(/info Redis .* restored/);
    held.stop();
  }, 30_000);

  it('a missing `redis` package is a clear error naming the install command, and the server stays up', async () => {
    const logger = recordingLogger();
    const backend = resolveStateBackend({
      serverName: 's',
      logger,
      config: { backend: 'redis', url: redis.url },
      loadRedis: () => Promise.reject(Object.assign(new Error("Cannot find package 'redis'"), { code: 'ERR_MODULE_NOT_FOUND' })),
    });
    await expect(backend.replayGuard.claim('x', Date.now() + 1_000)).rejects.toMatchObject({ code: -32603 });
    expect(logger.lines.join('\n')).toContain('npm install redis@6.3.1');
    await backend.close();
  });
});

describe.skipIf(!redisBin)('tasks across replicas on Redis', () => {
  it('a task created on one replica is polled and cancelled through another; the handler on the first sees the cancel', async () => {
    const server = await startRedisServer(redisBin!);
    let sawAbort!: () => void;
    const aborted = new Promise<void>((resolve) => (sawAbort = resolve));
    const slow = defineTool({
      name: 'slow',
      description: 'runs until cancelled',
      inputSchema: { type: 'object' },
      input: z.looseObject({}),
      task: { mode: 'required', ttlMs: 30_000, pollIntervalMs: 100 },
      handler: async (_input, ctx) => {
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
        sawAbort();
        throw ctx.signal.reason;
      },
    });
    const make = () => testServer({ tools: [slow], state: { backend: 'redis', url: server.url, keyPrefix: `tx${process.pid}:` } });
    const [a, b] = [make(), make()];
    const TASKS = { extensions: { 'io.modelcontextprotocol/tasks': {} } };
    try {
      const created = await roundTrip(a, request('tools/call', { name: 'slow', arguments: {} }, { capabilities: TASKS }));
      expect(created.result).toMatchObject({ resultType: 'task', status: 'working' });
      const taskId = created.result!.taskId as string;
      expect((await roundTrip(b, request('tasks/get', { taskId }, { capabilities: TASKS }))).result).toMatchObject({ taskId, status: 'working' });
      expect((await roundTrip(b, request('tasks/cancel', { taskId }, { capabilities: TASKS }))).result).toMatchObject({ resultType: 'complete' });
      await aborted; // replica A's handler was stopped by a cancel made on replica B
      expect((await roundTrip(a, request('tasks/get', { taskId }, { capabilities: TASKS }))).result).toMatchObject({ status: 'cancelled' });
    } finally {
      await Promise.allSettled([a.close(100), b.close(100)]);
      await server.dispose();
    }
  });
});
