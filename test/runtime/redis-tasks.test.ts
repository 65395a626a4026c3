/**
 * The Redis task store and task leases on a real redis-server. Two RedisConnections stand for two
 * replicas. Covers: a record created on one replica is read and watched on another; compare-and-set
 * has one winner when a cancel races a completion (counted over many races); TTLs reach Redis;
 * a replica that stops renewing its lease has its task taken over by exactly one other replica
 * (re-run when retryable, failed with a clear error when not), never left `working`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryTaskLeases, RedisTaskLeases, TaskLeaseKeeper } from '../../templates/runtime/tasks/lease.ts';
import { RedisTaskStore } from '../../templates/runtime/tasks/redis-store.ts';
import { TaskRuntime, type TaskCallInput } from '../../templates/runtime/tasks/runner.ts';
import { EXPIRED_GRACE_MS, InMemoryTaskStore, updateTask, type TaskRecord, type TaskStore } from '../../templates/runtime/tasks/store.ts';
import { RedisConnection } from '../../templates/runtime/state/redis-connection.ts';
import { findRedisServer, REDIS_SKIP_REASON, startRedisServer, type RedisServer } from '../helpers/redis.ts';
import { silentLoggerForTests } from './runtime-under-test.ts';

const redisBin = findRedisServer();
it.runIf(!redisBin && Boolean(process.env.CI))('redis-server is installed', () => expect.fail(REDIS_SKIP_REASON));

let n = 0;
function record(overrides: Partial<TaskRecord> = {}): TaskRecord {
  const now = new Date().toISOString();
  return {
    taskId: `t-${process.pid}-${++n}-${Math.random().toString(36).slice(2)}`,
    owner: null,
    status: 'working',
    createdAt: now,
    lastUpdatedAt: now,
    ttlMs: 60_000,
    request: { method: 'tools/call', name: 'slow', arguments: { n: 1 }, meta: {} },
    inputRequests: {},
    issuedKeys: [],
    answers: {},
    state: {},
    version: 1,
    ...overrides,
  };
}

/** Resolves when `probe` holds; polls because lease expiry is a clock, not an event. */
async function eventually(probe: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('lease keeper (in memory)', () => {
  it('a lapsed task is failed with a clear error when not retryable, re-run when retryable', async () => {
    let now = 0;
    const store = new InMemoryTaskStore(0);
    const leases = new InMemoryTaskLeases(() => now);
    const [a, b] = [record({ request: { method: 'tools/call', name: 'once', arguments: {}, meta: {} } }), record()];
    await store.create(a);
    await store.create(b);
    const dead = new TaskLeaseKeeper({ store, leases, holder: 'A', leaseMs: 1_000, logger: silentLoggerForTests, takeOver: () => true });
    await dead.hold(a.taskId);
    await dead.hold(b.taskId);
    const retried: TaskRecord[] = [];
    const survivor = new TaskLeaseKeeper({ store, leases, holder: 'B', leaseMs: 1_000, logger: silentLoggerForTests, takeOver: (r) => (retried.push(r), r.request.name !== 'once') });
    expect(await survivor.sweep()).toEqual({ retried: [], failed: [] }); // A's leases are live
    now = 1_001; // A stopped renewing
    expect(await survivor.sweep()).toEqual({ retried: [b.taskId], failed: [a.taskId] });
    expect(await store.get(a.taskId)).toMatchObject({ status: 'failed', error: { code: -32603, message: expect.stringContaining('not retried automatically') } });
    expect((await store.get(b.taskId))?.status).toBe('working');
    expect(retried.map((r) => r.taskId).sort()).toEqual([a.taskId, b.taskId].sort());
    expect(await survivor.sweep()).toEqual({ retried: [], failed: [] }); // b is B's now, a settled
    dead.close();
    survivor.close();
  });
});

describe.skipIf(!redisBin)(redisBin ? 'tasks on Redis' : `tasks on Redis — ${REDIS_SKIP_REASON}`, () => {
  let redis: RedisServer;
  const connections: RedisConnection[] = [];
  const prefix = `tt${process.pid}:`;
  const replica = () => {
    const connection = new RedisConnection({ url: redis.url, keyPrefix: prefix, logger: silentLoggerForTests });
    connections.push(connection);
    return { connection, store: new RedisTaskStore(connection), leases: new RedisTaskLeases(connection) };
  };

  beforeAll(async () => {
    redis = await startRedisServer(redisBin!);
  }, 20_000);

  afterAll(async () => {
    await Promise.allSettled(connections.map((c) => c.close()));
    await redis?.dispose();
  });

  it('a task created on one replica is read and watched on another; TTLs reach Redis', async () => {
    const [a, b] = [replica(), replica()];
    const seen: TaskRecord[] = [];
    const unwatch = await b.store.watch((r) => seen.push(r));
    const task = record({ ttlMs: 30_000 });
    await a.store.create(task);
    await expect(a.store.create(task)).rejects.toThrow(/already exists/);
    expect(await b.store.get(task.taskId)).toEqual(task);
    const { record: updated } = await updateTask(b.store, task.taskId, () => ({ statusMessage: '1 of 3' }));
    expect(updated?.version).toBe(2);
    expect((await a.store.get(task.taskId))?.statusMessage).toBe('1 of 3');
    await eventually(async () => seen.length === 2, 'both writes on the watch feed');
    expect(seen.map((r) => r.version)).toEqual([1, 2]);
    const pttl = Number(await a.connection.run('test', ['PTTL', `${prefix}task:${task.taskId}`]));
    expect(pttl).toBeGreaterThan(30_000 + EXPIRED_GRACE_MS - 5_000);
    expect(pttl).toBeLessThanOrEqual(30_000 + EXPIRED_GRACE_MS);
    const forever = record({ ttlMs: null });
    await a.store.create(forever);
    expect(Number(await a.connection.run('test', ['PTTL', `${prefix}task:${forever.taskId}`]))).toBe(-1);
    unwatch();
  });

  it('a cancel racing a completion on two replicas has exactly one winner, every time (100 races)', async () => {
    const [a, b] = [replica(), replica()];
    const outcomes = { completed: 0, cancelled: 0, both: 0 };
    for (let i = 0; i < 100; i++) {
      const task = record();
      await a.store.create(task);
      const [done, cancel] = await Promise.all([
        updateTask(a.store, task.taskId, (c) => (c.status === 'working' ? { status: 'completed', result: { content: [] } } : undefined)),
        updateTask(b.store, task.taskId, (c) => (c.status === 'working' ? { status: 'cancelled' } : undefined)),
      ]);
      if (done.applied && cancel.applied) outcomes.both += 1;
      const final = (await a.store.get(task.taskId))!;
      if (final.status === 'completed') outcomes.completed += 1;
      if (final.status === 'cancelled') outcomes.cancelled += 1;
      expect(final.version).toBe(2);
    }
    console.info(`[redis-tasks] 100 cancel/complete races: ${JSON.stringify(outcomes)}`);
    expect(outcomes.both).toBe(0);
    expect(outcomes.completed + outcomes.cancelled).toBe(100);
  });

  it('a replica that stops renewing: one other replica takes each task over within the lease', async () => {
    const [a, b, c] = [replica(), replica(), replica()];
    const leaseMs = 400;
    const retryable = record();
    const once = record({ request: { method: 'tools/call', name: 'charge_card', arguments: {}, meta: {} } });
    for (const task of [retryable, once]) await a.store.create(task);
    const dead = new TaskLeaseKeeper({ store: a.store, leases: a.leases, holder: 'A', leaseMs, logger: silentLoggerForTests, takeOver: () => true });
    await dead.hold(retryable.taskId);
    await dead.hold(once.taskId);
    const takenBy: Record<string, string[]> = {};
    const keeper = (name: string, store: TaskStore, leases: RedisTaskLeases) =>
      new TaskLeaseKeeper({ store, leases, holder: name, leaseMs, logger: silentLoggerForTests, takeOver: (r) => ((takenBy[r.taskId] ??= []).push(name), r.request.name !== 'charge_card') });
    const [kb, kc] = [keeper('B', b.store, b.leases), keeper('C', c.store, c.leases)];
    dead.start();
    expect([...(await kb.sweep()).retried, ...(await kc.sweep()).retried]).toEqual([]); // A renews
    const killedAt = Date.now();
    dead.close(); // A dies: no release, no more renewals
    await eventually(async () => {
      await Promise.all([kb.sweep(), kc.sweep()]);
      return Object.keys(takenBy).length === 2;
    }, 'the takeover');
    const tookMs = Date.now() - killedAt;
    console.info(`[redis-tasks] lease ${leaseMs} ms: both tasks taken over ${tookMs} ms after the holder stopped; by ${JSON.stringify(takenBy)}`);
    expect(tookMs).toBeLessThan(leaseMs * 3);
    for (const holders of Object.values(takenBy)) expect(holders).toHaveLength(1); // one winner each
    expect((await b.store.get(retryable.taskId))?.status).toBe('working');
    expect(await b.store.get(once.taskId)).toMatchObject({ status: 'failed', statusMessage: expect.stringContaining('charge_card is not retried automatically') });
    // The new holder keeps the retried task's lease: further sweeps leave it alone.
    const holder = takenBy[retryable.taskId]![0] === 'B' ? kb : kc;
    holder.start();
    await new Promise((resolve) => setTimeout(resolve, leaseMs * 2));
    const later = [await kb.sweep(), await kc.sweep()];
    expect(later.flatMap((o) => [...o.retried, ...o.failed])).toEqual([]);
    await holder.release(retryable.taskId);
    kb.close();
    kc.close();
  });

  it('a task run by the runtime takes its lease with the create and gives it up with the terminal write: one script each', async () => {
    const [a, b] = [replica(), replica()];
    const sent: string[] = [];
    const [run, runScript] = [a.connection.run.bind(a.connection), a.connection.runScript.bind(a.connection)];
    a.connection.run = (what, args) => (sent.push(args[0]!), run(what, args));
    a.connection.runScript = (what, script, keys, args) => (sent.push(`EVAL ${what}`), runScript(what, script, keys, args));
    // Long leases: no renewal or sweep lands inside the test, so every command counted is the task's.
    const rtA = new TaskRuntime({ store: a.store, leases: a.leases, leaseMs: 60_000 }, silentLoggerForTests);
    const rtB = new TaskRuntime({ store: b.store, leases: b.leases, leaseMs: 60_000 }, silentLoggerForTests);
    const leaseOf = async (taskId: string) => ({
      holder: await b.connection.run('test', ['GET', `${prefix}lease:${taskId}`]),
      expiry: await b.connection.run('test', ['ZSCORE', `${prefix}leases`, taskId]),
    });
    const start = (gate: Promise<void>, seen?: (signal: AbortSignal) => void): Promise<{ taskId?: unknown }> => {
      const input: TaskCallInput = {
        toolName: 'job',
        args: {},
        meta: {},
        owner: null,
        task: { mode: 'required' },
        requestSignal: new AbortController().signal,
        consumed: () => ({}),
        state: () => ({}),
        supply: () => undefined,
        execute: async (hooks) => {
          seen?.(hooks.signal);
          await hooks.task.start();
          await Promise.race([gate, new Promise((_, reject) => hooks.signal.addEventListener('abort', () => reject(hooks.signal.reason), { once: true }))]);
          return { content: [] };
        },
      };
      return rtA.runToolCall(input);
    };
    try {
      let finish!: () => void;
      const created = await start(new Promise((resolve) => (finish = resolve)));
      const taskId = String(created.taskId);
      expect(sent).toEqual(['EVAL creating a task']);
      const held = await leaseOf(taskId);
      expect(held.holder).toEqual(expect.any(String));
      expect(held.expiry).not.toBeNull();
      finish();
      await eventually(async () => (await b.store.get(taskId))?.status === 'completed', 'the completion');
      await eventually(async () => (await leaseOf(taskId)).holder === null, 'the lease to go');
      expect(await leaseOf(taskId)).toEqual({ holder: null, expiry: null });
      // Create (+ lease) and complete (+ release); the completion needed no read first.
      expect(sent).toEqual(['EVAL creating a task', 'EVAL settling a task']);

      // Cancelled on another replica: the terminal write is not this replica's, the lease still goes.
      sent.length = 0;
      let signal!: AbortSignal;
      const second = String((await start(new Promise(() => undefined), (s) => (signal = s))).taskId);
      await rtB.cancel({ taskId: second }, null);
      await eventually(async () => signal.aborted, 'the handler to be stopped');
      await eventually(async () => (await leaseOf(second)).holder === null, 'the lease of the cancelled task to go');
      expect(await leaseOf(second)).toEqual({ holder: null, expiry: null });
      expect((await b.store.get(second))?.status).toBe('cancelled');
      expect(sent).toContain('EVAL releasing a task lease');
    } finally {
      await rtA.close();
      await rtB.close();
    }
  });

  it('scripts run by SHA; a Redis that lost its script cache (restart, SCRIPT FLUSH) gets the body again', async () => {
    const { connection, store } = replica();
    const task = record();
    await store.create(task);
    const before = Number(/cmdstat_evalsha:calls=(\d+)/.exec(String(await connection.run('test', ['INFO', 'commandstats'])))?.[1] ?? 0);
    await updateTask(store, task.taskId, () => ({ statusMessage: 'cached' }));
    const after = Number(/cmdstat_evalsha:calls=(\d+)/.exec(String(await connection.run('test', ['INFO', 'commandstats'])))?.[1] ?? 0);
    expect(after).toBeGreaterThan(before);
    await connection.run('test', ['SCRIPT', 'FLUSH']);
    const { applied } = await updateTask(store, task.taskId, () => ({ status: 'completed', result: { content: [] } }));
    expect(applied).toBe(true);
    expect((await store.get(task.taskId))?.status).toBe('completed');
  });

  it('Redis down: store calls fail with -32603; they work again when it returns', async () => {
    const { store } = replica();
    const task = record();
    await store.create(task);
    await redis.stop(true);
    await expect(store.get(task.taskId)).rejects.toMatchObject({ code: -32603 });
    await redis.restart(); // no persistence: the record is gone, which the caller reports as not found
    await eventually(async () => store.get(task.taskId).then(() => true, () => false), 'the store to answer again');
    await store.create(record());
  }, 30_000);
});

describe.skipIf(!redisBin)('2025-11-25 sessions on Redis', () => {
  it('a session created through one replica is read, updated and deleted through another; idle TTL refreshed on read', async () => {
    const { RedisSessionStore } = await import('../../templates/runtime/legacy/redis-session-store.ts');
    const server = await startRedisServer(redisBin!);
    const [ca, cb] = [0, 1].map(() => new RedisConnection({ url: server.url, keyPrefix: 'sess:', logger: silentLoggerForTests }));
    try {
      const [a, b] = [new RedisSessionStore(ca!, 5_000), new RedisSessionStore(cb!, 5_000)];
      const now = Date.now();
      await a.create({ id: 's1', protocolVersion: '2025-11-25', clientCapabilities: {}, subscriptions: [], initialized: false, createdAt: now, lastSeenAt: now });
      expect(await b.get('s1')).toMatchObject({ id: 's1', initialized: false });
      await b.update({ ...(await b.get('s1'))!, initialized: true, subscriptions: ['test://x'], logLevel: 'info' });
      expect(await a.get('s1')).toMatchObject({ initialized: true, subscriptions: ['test://x'], logLevel: 'info' });
      const ttl = Number(await ca!.run('test', ['PTTL', 'sess:session:s1']));
      expect(ttl).toBeGreaterThan(4_000);
      expect(await a.delete('s1')).toBe(true);
      expect(await b.get('s1')).toBeUndefined();
      await b.update({ id: 's1', protocolVersion: '2025-11-25', clientCapabilities: {}, subscriptions: [], initialized: true, createdAt: now, lastSeenAt: now });
      expect(await a.get('s1')).toBeUndefined(); // update never resurrects a deleted session
    } finally {
      await Promise.all([ca!.close(), cb!.close()]);
      await server.dispose();
    }
  });
});
