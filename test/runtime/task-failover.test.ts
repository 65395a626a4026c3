/**
 * Tasks surviving a replica, in one process: two servers ("replicas" A and B) share one task store
 * and one lease table, as replicas share Redis. A replica "dies" by freezing its leases (no more
 * renewals, like a killed or stalled process) while its handler keeps running as a zombie. Covers:
 * the other replica re-runs a retryable task with the original arguments, the answers and the
 * saved ctx.state, telling the handler it is a retry; a `retry: false` tool fails with a clear
 * error; the zombie is stopped and cannot overwrite the outcome; a graceful shutdown hands tasks
 * over at once; a retried task can still be cancelled from the other replica; the compare-and-set on
 * the attempt keeps a takeover single even if the lease table let two replicas in. The real multi-process
 * version (redis-server, nginx, SIGKILL) is test/scale/redis-task-failover.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { notRetriedMessage } from '../../templates/runtime/tasks/lease.ts';
import { TaskRuntime } from '../../templates/runtime/tasks/runner.ts';
import type { TaskRecord } from '../../templates/runtime/tasks/store.ts';
import { defineTool, InMemoryTaskLeases, InMemoryTaskStore, silentLoggerForTests, type TaskLeases } from './runtime-under-test.ts';
import { request, roundTrip, testServer } from './helpers.ts';

const WITH_TASKS = { elicitation: {}, extensions: { 'io.modelcontextprotocol/tasks': {} } };
const LEASE_MS = 150;
/**
 * Waits below are for an outcome (polled: takeover is a clock, the lease, not an event); this only
 * bounds a hang, so a loaded CI machine never turns a slow pass into a failure.
 */
const SETTLE = { timeout: 30_000 };
/** The takeover latency the tests measure: a couple of leases, plus room for a busy machine's timers. */
const TAKEOVER_BOUND_MS = LEASE_MS * 2 + 5_000;

const aborted = (signal: AbortSignal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

/** A replica's view of the shared lease table; `freeze()` makes it stop talking (the replica died). */
class FreezableLeases implements TaskLeases {
  private frozen = false;
  /** Task ids whose lease this replica gave up, in order. */
  readonly released: string[] = [];
  constructor(private readonly shared: TaskLeases) {}
  freeze(): void {
    this.frozen = true;
  }
  private gate<T>(run: () => Promise<T>): Promise<T> {
    return this.frozen ? new Promise<T>(() => undefined) : run();
  }
  acquire(taskId: string, holder: string, leaseMs: number) {
    return this.gate(() => this.shared.acquire(taskId, holder, leaseMs));
  }
  release(taskId: string, holder: string) {
    return this.gate(async () => {
      await this.shared.release(taskId, holder);
      this.released.push(taskId);
    });
  }
  lapsed(limit: number) {
    return this.gate(() => this.shared.lapsed(limit));
  }
}

interface Run {
  replica: string;
  tool: string;
  attempt: number;
  isRetry: boolean;
  args: unknown;
  state: Record<string, unknown>;
  auth?: string;
  abortedWith?: string;
}

function toolsFor(replica: string, runs: Run[]) {
  const begin = (tool: string, args: unknown, ctx: { task: { attempt: number; isRetry: boolean }; state: Record<string, unknown>; auth?: { subject?: string } }) => {
    const run: Run = { replica, tool, attempt: ctx.task.attempt, isRetry: ctx.task.isRetry, args, state: { ...ctx.state }, auth: ctx.auth?.subject };
    runs.push(run);
    return run;
  };
  /** First attempt: runs until its signal aborts (the test kills the replica meanwhile); a retry finishes at once. */
  const untilKilled = async (run: Run, signal: AbortSignal) => {
    if (run.isRetry) return;
    await aborted(signal);
    run.abortedWith = (signal.reason as Error).message;
    throw signal.reason;
  };
  return [
    defineTool({
      name: 'work',
      description: 'retryable long job',
      inputSchema: { type: 'object' },
      input: z.object({ n: z.number(), holdOnRetry: z.boolean().optional() }),
      task: { mode: 'optional' },
      handler: async (input, ctx) => {
        const run = begin('work', input, ctx);
        await ctx.task.status(`running on ${replica}`);
        if (input.holdOnRetry && run.isRetry) {
          await aborted(ctx.signal);
          run.abortedWith = (ctx.signal.reason as Error).message;
          throw ctx.signal.reason;
        }
        await untilKilled(run, ctx.signal);
        return { content: [{ type: 'text', text: `n=${input.n} by ${replica} attempt ${ctx.task.attempt}` }] };
      },
    }),
    defineTool({
      name: 'charge',
      description: 'must not run twice',
      inputSchema: { type: 'object' },
      input: z.object({}),
      task: { mode: 'optional', retry: false },
      handler: async (input, ctx) => {
        const run = begin('charge', input, ctx);
        await ctx.task.status(`running on ${replica}`);
        await untilKilled(run, ctx.signal);
        return { content: [{ type: 'text', text: 'charged' }] };
      },
    }),
    defineTool({
      name: 'interview',
      description: 'asks twice inside the task, checkpointing between the asks',
      inputSchema: { type: 'object' },
      input: z.object({}),
      task: { mode: 'optional' },
      handler: async (input, ctx) => {
        begin('interview', input, ctx);
        await ctx.task.start('interviewing');
        const who = await ctx.elicit('who', { message: 'Name?', schema: z.object({ name: z.string() }) });
        ctx.state.who = who.action === 'accept' ? who.content.name : '?';
        await ctx.task.status(`asked who on ${replica}`);
        const color = await ctx.elicit('color', { message: 'Color?', schema: z.object({ color: z.string() }) });
        return { content: [{ type: 'text', text: `${String(ctx.state.who)} likes ${color.action === 'accept' ? color.content.color : '-'}; by ${replica} attempt ${ctx.task.attempt}` }] };
      },
    }),
  ];
}

type Server = ReturnType<typeof testServer>;
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close(50)));
});

/** Two replicas sharing a store and a lease table; each with its own freezable view of the leases. */
function cluster(options: { leases?: boolean } = {}) {
  const store = new InMemoryTaskStore(0);
  const shared = new InMemoryTaskLeases();
  const runs: Run[] = [];
  const replica = (name: string) => {
    const leases = new FreezableLeases(shared);
    const server = testServer({ tools: toolsFor(name, runs), tasks: { store, ...(options.leases === false ? {} : { leases, leaseMs: LEASE_MS }) } });
    servers.push(server);
    return { server, leases };
  };
  return { store, runs, a: replica('A'), b: replica('B'), replica };
}

async function call(server: Server, method: string, params: Record<string, unknown>, transport = {}) {
  return roundTrip(server, request(method, params, { capabilities: WITH_TASKS }), transport);
}

/** Polls tasks/get until `predicate` holds: takeover is a clock (the lease), not an event. */
async function until(server: Server, taskId: string, predicate: (task: Record<string, unknown>) => boolean, what: string, timeoutMs = SETTLE.timeout, transport = {}) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const got = await call(server, 'tasks/get', { taskId }, transport);
    last = got.result ?? got.error;
    if (got.result && predicate(got.result)) return got.result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('tasks survive a replica (shared store and leases, in one process)', () => {
  it('a retryable task is re-run on the other replica with its arguments, told it is a retry; the zombie is stopped', async () => {
    const { a, b, runs } = cluster();
    const alice = { auth: { subject: 'alice' } };
    const created = await call(a.server, 'tools/call', { name: 'work', arguments: { n: 7 } }, alice);
    const taskId = created.result!.taskId as string;
    await until(b.server, taskId, (t) => t.statusMessage === 'running on A', 'the first run', SETTLE.timeout, alice);
    const killedAt = Date.now();
    a.leases.freeze(); // A stops renewing: it died (its handler runs on, as a stalled process would)
    const done = await until(b.server, taskId, (t) => t.status !== 'working', 'the takeover', SETTLE.timeout, alice);
    const tookMs = Date.now() - killedAt;
    expect(done).toMatchObject({ status: 'completed', result: { content: [{ text: 'n=7 by B attempt 2' }] } });
    expect(runs.map(({ replica, attempt, isRetry, args, auth }) => ({ replica, attempt, isRetry, args, auth }))).toEqual([
      { replica: 'A', attempt: 1, isRetry: false, args: { n: 7 }, auth: 'alice' },
      { replica: 'B', attempt: 2, isRetry: true, args: { n: 7 }, auth: 'alice' },
    ]);
    // The zombie on A learnt it was taken over and stopped; its outcome was never written.
    await expect.poll(() => runs[0]!.abortedWith, SETTLE).toBe('Task taken over by another replica');
    expect((await call(b.server, 'tasks/get', { taskId }, alice)).result).toMatchObject({ status: 'completed', result: { content: [{ text: 'n=7 by B attempt 2' }] } });
    console.info(`[task-failover] lease ${LEASE_MS} ms: completed on B ${tookMs} ms after A stopped renewing`);
    expect(tookMs).toBeLessThan(TAKEOVER_BOUND_MS);
  });

  it('a `retry: false` task fails with a clear error once the lease lapses; it never runs twice', async () => {
    const { a, b, runs } = cluster();
    const created = await call(a.server, 'tools/call', { name: 'charge', arguments: {} });
    const taskId = created.result!.taskId as string;
    await until(b.server, taskId, (t) => t.statusMessage === 'running on A', 'the first run');
    a.leases.freeze();
    const failed = await until(b.server, taskId, (t) => t.status !== 'working', 'the takeover');
    expect(failed).toMatchObject({ status: 'failed', error: { code: -32603, message: notRetriedMessage('charge') } });
    expect(failed.error).toMatchObject({ message: expect.stringContaining('tool charge is not retried automatically') });
    expect(runs.filter((r) => r.tool === 'charge')).toHaveLength(1);
    await expect.poll(() => runs[0]!.abortedWith, SETTLE).toBe('Task cancelled'); // A's handler sees the task failed
  });

  it('a task parked on its second ask: the retry gets the first answer and the checkpointed ctx.state, and parks on the same key', async () => {
    const { a, b, runs } = cluster();
    const created = await call(a.server, 'tools/call', { name: 'interview', arguments: {} });
    const taskId = created.result!.taskId as string;
    await until(b.server, taskId, (t) => t.status === 'input_required', 'the first ask');
    await call(b.server, 'tasks/update', { taskId, inputResponses: { who: { action: 'accept', content: { name: 'Ada' } } } });
    const parked = await until(b.server, taskId, (t) => t.status === 'input_required' && 'color' in (t.inputRequests as object), 'the second ask');
    expect(parked.statusMessage).toBe('asked who on A');
    a.leases.freeze();
    // B re-runs it: `who` is answered from the record, ctx.state.who was saved with the status.
    await expect.poll(() => runs.length, SETTLE).toBe(2);
    expect(runs[1]).toMatchObject({ replica: 'B', attempt: 2, isRetry: true, state: { who: 'Ada' } });
    const reparked = await until(b.server, taskId, (t) => t.statusMessage === 'asked who on B', 'the retry to reach the second ask');
    expect(reparked).toMatchObject({ status: 'input_required', inputRequests: { color: { method: 'elicitation/create' } } });
    // Answered through the dead replica's peer... and through A's store view too: any replica takes tasks/update.
    await call(a.server, 'tasks/update', { taskId, inputResponses: { color: { action: 'accept', content: { color: 'teal' } } } });
    const done = await until(b.server, taskId, (t) => t.status === 'completed', 'the retry to finish');
    expect(done.result).toMatchObject({ content: [{ text: 'Ada likes teal; by B attempt 2' }] });
  });

  it('three replicas, five tasks, one dies: the two survivors sweep concurrently, each task is taken over exactly once', async () => {
    const { a, b, runs, replica } = cluster();
    const c = replica('C');
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) ids.push((await call(a.server, 'tools/call', { name: 'work', arguments: { n } })).result!.taskId as string);
    for (const id of ids) await until(b.server, id, (t) => t.statusMessage === 'running on A', 'the first run');
    a.leases.freeze();
    for (const id of ids) await until(c.server, id, (t) => t.status === 'completed', 'the takeover');
    for (const [n] of ids.entries()) {
      const retries = runs.filter((r) => r.isRetry && (r.args as { n: number }).n === n);
      expect(retries, `task ${n}`).toHaveLength(1);
      expect(retries[0]!.attempt).toBe(2);
    }
    console.info(`[task-failover] 5 tasks of A taken over: ${runs.filter((r) => r.isRetry).map((r) => r.replica).join(' ')}`);
  });

  it('a retried task is cancelled from another replica: the retry\'s signal fires', async () => {
    const { a, b, runs } = cluster();
    const created = await call(a.server, 'tools/call', { name: 'work', arguments: { n: 5, holdOnRetry: true } });
    const taskId = created.result!.taskId as string;
    await until(b.server, taskId, (t) => t.statusMessage === 'running on A', 'the first run');
    a.leases.freeze();
    await until(a.server, taskId, (t) => t.statusMessage === 'running on B', 'the retry on B');
    expect((await call(a.server, 'tasks/cancel', { taskId })).result).toMatchObject({ resultType: 'complete' });
    await expect.poll(() => runs[1]?.abortedWith, SETTLE).toBe('Task cancelled');
    expect((await call(b.server, 'tasks/get', { taskId })).result).toMatchObject({ status: 'cancelled' });
  });

  it('a task cancelled while nobody holds it (its replica dead, not yet swept) stays cancelled', async () => {
    const { a, b, store } = cluster();
    const created = await call(a.server, 'tools/call', { name: 'work', arguments: { n: 1 } });
    const taskId = created.result!.taskId as string;
    await until(b.server, taskId, (t) => t.statusMessage === 'running on A', 'the first run');
    // Cancelled while nobody holds it (A dead, B not yet swept): the takeover must leave it cancelled.
    a.leases.freeze();
    expect((await call(a.server, 'tasks/cancel', { taskId })).result).toMatchObject({ resultType: 'complete' });
    // B's sweep takes the lapsed lease, finds the task terminal and drops the lease: nothing to run.
    await expect.poll(() => b.leases.released.includes(taskId), SETTLE).toBe(true);
    expect(await store.get(taskId)).toMatchObject({ status: 'cancelled', attempt: 1 });
  });

  it('graceful shutdown hands a retryable task over at once instead of failing it; a retry: false one fails', async () => {
    const { a, b, runs } = cluster();
    const work = (await call(a.server, 'tools/call', { name: 'work', arguments: { n: 3 } })).result!.taskId as string;
    const charge = (await call(a.server, 'tools/call', { name: 'charge', arguments: {} })).result!.taskId as string;
    await until(b.server, work, (t) => t.statusMessage === 'running on A', 'the first run');
    await until(b.server, charge, (t) => t.statusMessage === 'running on A', 'the first run');
    const closedAt = Date.now();
    await a.server.close(50);
    const done = await until(b.server, work, (t) => t.status !== 'working', 'the handover');
    expect(done).toMatchObject({ status: 'completed', result: { content: [{ text: 'n=3 by B attempt 2' }] } });
    expect(Date.now() - closedAt).toBeLessThan(TAKEOVER_BOUND_MS);
    expect((await call(b.server, 'tasks/get', { taskId: charge })).result).toMatchObject({ status: 'failed', error: { message: 'Server shutting down' } });
    expect(runs.filter((r) => r.replica === 'B').map((r) => r.tool)).toEqual(['work']);
  });

  it('without leases (the in-memory default) nothing is taken over: attempt 1, and shutdown fails the task as before', async () => {
    const { a, b, runs } = cluster({ leases: false });
    const created = await call(a.server, 'tools/call', { name: 'work', arguments: { n: 2 } });
    const taskId = created.result!.taskId as string;
    await until(b.server, taskId, (t) => t.statusMessage === 'running on A', 'the first run');
    expect(runs[0]).toMatchObject({ attempt: 1, isRetry: false });
    await a.server.close(50);
    expect((await call(b.server, 'tasks/get', { taskId })).result).toMatchObject({ status: 'failed', error: { message: 'Server shutting down' } });
    expect(runs).toHaveLength(1);
  });

  it('the attempt compare-and-set alone keeps a takeover single, even when a broken lease table lets two replicas in', async () => {
    let now = 0;
    const store = new InMemoryTaskStore(0);
    const shared = new InMemoryTaskLeases(() => now);
    // Acquire always succeeds: both survivors believe they hold the lapsed lease.
    const everyoneWins: TaskLeases = { acquire: async () => true, release: (id, holder) => shared.release(id, holder), lapsed: (limit) => shared.lapsed(limit) };
    const started: string[] = [];
    const runtime = (name: string) =>
      new TaskRuntime({ store, leases: everyoneWins, leaseMs: 60_000 }, silentLoggerForTests, () => ({
        supply: () => undefined,
        state: () => ({}),
        execute: async () => (started.push(name), { content: [{ type: 'text', text: `by ${name}` }] }),
      }));
    const [b, c] = [runtime('B'), runtime('C')];
    try {
      const iso = new Date().toISOString();
      const records: TaskRecord[] = Array.from({ length: 20 }, (_, i) => ({
        taskId: `t${i}`,
        owner: null,
        status: 'working',
        createdAt: iso,
        lastUpdatedAt: iso,
        ttlMs: 60_000,
        request: { method: 'tools/call', name: 'work', arguments: { n: i }, meta: {} },
        inputRequests: {},
        issuedKeys: [],
        answers: {},
        state: {},
        attempt: 1,
        version: 1,
      }));
      for (const record of records) {
        await store.create(record);
        await shared.acquire(record.taskId, 'A', 1_000); // held by A, which then dies
      }
      now = 1_001;
      await Promise.all([b.sweepLapsed(), c.sweepLapsed()]);
      await expect.poll(async () => (await Promise.all(records.map((r) => store.get(r.taskId)))).every((r) => r?.status === 'completed'), SETTLE).toBe(true);
      for (const record of records) expect(await store.get(record.taskId)).toMatchObject({ attempt: 2, status: 'completed' });
      console.info(`[task-failover] 20 tasks swept by two replicas at once with a lease table that lets both in: ${started.length} re-runs (B ${started.filter((n) => n === 'B').length}, C ${started.filter((n) => n === 'C').length})`);
      expect(started).toHaveLength(20);
    } finally {
      await Promise.all([b.close(), c.close()]);
    }
  });
});
