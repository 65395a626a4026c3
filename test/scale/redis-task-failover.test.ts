/**
 * Tasks across replicas on Redis, and tasks surviving a replica: a real redis-server on a random
 * port, three replicas of a *generated* project (test/scale/generated-replicas.ts, `state: {backend:
 * redis}`, `server.tasks.leaseMs` short) behind Debian nginx doing plain round robin. Each replica is
 * its own node process, so whatever crosses replicas crossed Redis, and a replica dies for real
 * (SIGKILL: no shutdown code runs, its leases simply stop being renewed).
 *
 * (a) a task started through the balancer is polled, answered (tasks/update on a parked ask) and
 *     cancelled through the other replicas; the cancel fires the handler's signal on its replica;
 * (b) SIGKILL of the replica running a retryable task: another replica runs it again (attempt 2,
 *     isRetry) and completes it within the lease; a `taskRetry: false` task fails with the clear error;
 * (c) 200 tasks, one SIGKILL mid-run: every task reaches a terminal state, 0 lost; counted.
 *
 * Skipped, with a message, when nginx or redis-server is not installed; under CI (.ci/run
 * installs both) a missing one is a failure instead.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRedisServer, startRedisServer, type RedisServer } from '../helpers/redis.ts';
import { findNginx, freePort, startNginx, type Nginx, type Replica } from './cluster.ts';
import { generateRedisProbe, PROBE_LEASE_MS, startGeneratedReplica } from './generated-replicas.ts';
import { openListen, rpc, type JsonRpcMessage, type ListenStream } from './mcp-http.ts';

const nginxBin = findNginx();
const redisBin = findRedisServer();
const missing = [nginxBin ? '' : 'nginx', redisBin ? '' : 'redis-server'].filter(Boolean);
const SKIP_REASON = `${missing.join(' and ')} not installed (apt-get install -y nginx redis-server); skipping the Redis task failover test`;
if (missing.length) console.warn(`[scale/tasks] ${SKIP_REASON}`);

it.runIf(missing.length > 0 && Boolean(process.env.CI))('nginx and redis-server are installed', () => expect.fail(SKIP_REASON));

const SECRET = 'redis-task-failover-shared-secret-0123456789';
const TASKS = { elicitation: {}, extensions: { 'io.modelcontextprotocol/tasks': {} } };
/** How long after a kill a dead replica's task may take to settle: a lease, a sweep interval, and room for a loaded machine. */
const TAKEOVER_BUDGET_MS = PROBE_LEASE_MS * 1.5 + 3_000;
/** A first attempt that runs until it is killed or cancelled (the tests never wait for it). */
const FOREVER_MS = 10 * 60_000;

type Task = Record<string, unknown> & { taskId: string; status: string };
const isTerminal = (status: unknown) => status === 'completed' || status === 'failed' || status === 'cancelled';

/**
 * One request that tolerates the moment a replica dies: nginx does not re-send a POST that already
 * reached the dead upstream (it is not idempotent), so the caller sees a 502; a poll simply asks again.
 */
async function call(url: string, method: string, params: Record<string, unknown>, attempts = 5): Promise<{ response: JsonRpcMessage; upstream?: string }> {
  for (let i = 1; ; i++) {
    try {
      return await rpc(url, method, params, TASKS);
    } catch (error) {
      if (i >= attempts || method === 'tools/call') throw error;
    }
  }
}

async function getTask(url: string, taskId: string): Promise<Task> {
  const { response } = await call(url, 'tasks/get', { taskId });
  if (!response.result) throw new Error(`tasks/get ${taskId}: ${JSON.stringify(response.error)}`);
  return response.result as Task;
}

/** Polls tasks/get, rotating over `urls` (other replicas), until `predicate` holds. */
async function pollUntil(urls: string[], taskId: string, predicate: (task: Task) => boolean, what: string, timeoutMs = 20_000): Promise<Task> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; ; i++) {
    const task = await getTask(urls[i % urls.length]!, taskId);
    if (predicate(task)) return task;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(task)}`);
    await new Promise((resolve) => setTimeout(resolve, 50)); // poll pacing, not a wait for an outcome
  }
}

const structuredOf = (task: Task) => (task.result as { structuredContent?: { pid: number; attempt: number; isRetry: boolean } } | undefined)?.structuredContent;
const textOf = (task: Task) => ((task.result as { content?: { text?: string }[] } | undefined)?.content?.[0]?.text ?? '');

/** Runs `work` over `items` with at most `limit` in flight. */
async function pooled<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        out[index] = await work(items[index]!, index);
      }
    }),
  );
  return out;
}

describe.skipIf(missing.length > 0)(missing.length ? `Tasks across replicas — ${SKIP_REASON}` : `Tasks across replicas on Redis behind nginx round robin (lease ${PROBE_LEASE_MS} ms)`, () => {
  let dir: string | undefined;
  let project: string | undefined;
  let redis: RedisServer | undefined;
  let nginx: Nginx | undefined;
  let env: Record<string, string> = {};
  const replicas: Replica[] = [];

  const byUpstream = (upstream: string | undefined) => {
    const replica = replicas.find((r) => upstream === `127.0.0.1:${r.port}`);
    if (!replica) throw new Error(`no replica behind upstream ${upstream}`);
    return replica;
  };
  const othersThan = (replica: Replica) => replicas.filter((r) => r !== replica);
  /** A new process on the dead one's port, so nginx's upstream list stays right. */
  const replace = async (dead: Replica) => {
    const fresh = await startGeneratedReplica(project!, { ...env, PORT: String(dead.port) });
    replicas[replicas.indexOf(dead)] = fresh;
  };

  beforeAll(async () => {
    project = await generateRedisProbe();
    redis = await startRedisServer(redisBin!);
    env = { MCP_STATE_SECRET: SECRET, MCP_REDIS_URL: redis.url };
    replicas.push(...(await Promise.all([0, 1, 2].map(() => startGeneratedReplica(project!, env)))));
    dir = mkdtempSync(join(tmpdir(), 'mcp-redis-tasks-'));
    nginx = await startNginx(nginxBin!, { dir, listenPort: await freePort(), upstreams: replicas.map((r) => `127.0.0.1:${r.port}`) });
  }, 90_000);

  afterAll(async () => {
    await nginx?.stop();
    await Promise.allSettled(replicas.map((r) => r.kill('SIGKILL')));
    await redis?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('(a) a task started through the balancer is polled, answered and cancelled through the other replicas', async () => {
    const started = await call(nginx!.url, 'tools/call', { name: 'confirm', arguments: {} });
    const runner = byUpstream(started.upstream);
    expect(started.response.result).toMatchObject({ resultType: 'task', status: 'working', statusMessage: `started on ${runner.pid}`, pollIntervalMs: 200 });
    const taskId = started.response.result!.taskId as string;
    const [p, q] = othersThan(runner).map((r) => r.url) as [string, string];

    const parked = await pollUntil([p, q], taskId, (t) => t.status === 'input_required', 'the parked ask');
    expect(parked.inputRequests).toMatchObject({ ok: { method: 'elicitation/create' } });
    // An answer that does not fit the ask is refused on any replica; the right one resumes the handler on its own.
    const wrong = await call(p, 'tasks/update', { taskId, inputResponses: { ok: { action: 'accept', content: { ok: 'yes' } } } });
    expect(wrong.response.error).toMatchObject({ code: -32602 });
    const answered = await call(q, 'tasks/update', { taskId, inputResponses: { ok: { action: 'accept', content: { ok: true } } } });
    expect(answered.response.result).toMatchObject({ resultType: 'complete' });
    const done = await pollUntil([p, q], taskId, (t) => isTerminal(t.status), 'the answered task to finish');
    expect(done.status).toBe('completed');
    expect(textOf(done)).toBe(`confirmed on ${runner.pid}`); // resumed where it was parked

    // Cancel: through a replica other than the one running it; the handler's signal fires there,
    // which its run-for helper announces on listen streams (test://aborted/<tag>).
    const tag = `cancel-${Date.now()}`;
    const streams: ListenStream[] = [];
    try {
      for (const replica of replicas) streams.push(await openListen(replica.url, { resourceSubscriptions: [`test://aborted/${tag}`] }));
      const long = await call(nginx!.url, 'tools/call', { name: 'work', arguments: { ms: FOREVER_MS, tag } });
      const holder = byUpstream(long.upstream);
      const longId = long.response.result!.taskId as string;
      const [r1, r2] = othersThan(holder).map((r) => r.url) as [string, string];
      expect((await call(r1, 'tasks/cancel', { taskId: longId })).response.result).toMatchObject({ resultType: 'complete' });
      expect(await pollUntil([r2], longId, (t) => t.status !== 'working', 'the cancellation')).toMatchObject({ status: 'cancelled' });
      await streams[0]!.waitFor((m) => m.some((x) => x.method === 'notifications/resources/updated' && x.params?.uri === `test://aborted/${tag}`), 'the handler to see its signal fire');
      console.info(`[scale/tasks] answered via ${new URL(q).port}, cancelled via ${new URL(r1).port}; handlers ran on ${runner.port} and ${holder.port}`);
    } finally {
      for (const stream of streams) stream.close();
    }
  }, 60_000);

  it('(b) SIGKILL of the replica running a task: a retryable one completes on another replica, a taskRetry: false one fails cleanly, within the lease', async () => {
    const started = await call(nginx!.url, 'tools/call', { name: 'work', arguments: { ms: FOREVER_MS, retryMs: 50 } });
    const victim = byUpstream(started.upstream);
    const workId = started.response.result!.taskId as string;
    expect(started.response.result).toMatchObject({ resultType: 'task', statusMessage: `running on ${victim.pid} attempt 1` });
    // The non-retryable one on the same replica (directly: round robin would put it elsewhere).
    const charge = await call(victim.url, 'tools/call', { name: 'charge', arguments: { ms: FOREVER_MS } });
    const chargeId = charge.response.result!.taskId as string;
    const survivors = othersThan(victim).map((r) => r.url);

    const killedAt = Date.now();
    await victim.kill('SIGKILL');
    const [work, charged] = await Promise.all([
      pollUntil(survivors, workId, (t) => isTerminal(t.status), 'the retried task', TAKEOVER_BUDGET_MS + 5_000).then((t) => ({ t, ms: Date.now() - killedAt })),
      pollUntil(survivors, chargeId, (t) => isTerminal(t.status), 'the non-retryable task', TAKEOVER_BUDGET_MS + 5_000).then((t) => ({ t, ms: Date.now() - killedAt })),
    ]);
    console.info(`[scale/tasks] lease ${PROBE_LEASE_MS} ms: after SIGKILL of ${victim.pid}, the retryable task completed in ${work.ms} ms (on ${structuredOf(work.t)?.pid}), the non-retryable one failed in ${charged.ms} ms`);
    expect(work.t.status).toBe('completed');
    expect(structuredOf(work.t)).toMatchObject({ attempt: 2, isRetry: true });
    expect(structuredOf(work.t)!.pid).not.toBe(victim.pid);
    expect(othersThan(victim).map((r) => r.pid)).toContain(structuredOf(work.t)!.pid);
    expect(charged.t).toMatchObject({
      status: 'failed',
      error: { code: -32603, message: expect.stringContaining('The server replica running this task stopped before it finished, and tool charge is not retried automatically') },
    });
    expect(work.ms).toBeLessThan(TAKEOVER_BUDGET_MS);
    expect(charged.ms).toBeLessThan(TAKEOVER_BUDGET_MS);
    await replace(victim);
  }, 90_000);

  it('(c) 200 tasks with one SIGKILL mid-run: every one reaches a terminal state, 0 lost, counted', async () => {
    const N = 200;
    // Every first attempt runs until the test releases its gate (a file), so the kill provably lands
    // mid-run however slow the machine is; a retry (attempt 2) runs 100 ms. One in five must not run twice.
    const gate = join(dir!, `gate-${Date.now()}`);
    const specs = Array.from({ length: N }, (_, i) => (i % 5 === 0 ? { name: 'charge', arguments: { ms: FOREVER_MS, gate } } : { name: 'work', arguments: { ms: FOREVER_MS, retryMs: 100, gate } }));
    const createdAt = Date.now();
    const tasks = await pooled(specs, 8, async (spec) => {
      const { response, upstream } = await call(nginx!.url, 'tools/call', spec);
      if (response.result?.resultType !== 'task') throw new Error(`no task for ${spec.name}: ${JSON.stringify(response)}`);
      const on = byUpstream(upstream);
      // The answer carries the handler's first status: attempt 1 is running on the replica that answered.
      expect(response.result.statusMessage).toBe(`running on ${on.pid} attempt 1`);
      return { id: response.result.taskId as string, tool: spec.name, on };
    });
    const createMs = Date.now() - createdAt;
    const perReplica = replicas.map((r) => tasks.filter((t) => t.on === r).length);
    const victim = replicas[perReplica.indexOf(Math.max(...perReplica))]!;
    const killedAt = Date.now();
    await victim.kill('SIGKILL');
    // The victim is gone with all its first attempts unfinished; the survivors' ones may finish now.
    writeFileSync(gate, 'released');
    const survivorUrls = othersThan(victim).map((r) => r.url);
    const onVictim = tasks.filter((t) => t.on === victim);

    // Poll every task through the survivors until all are terminal (or the budget runs out: then they count as lost).
    const finals = new Map<string, { task: Task; at: number }>();
    const deadline = Date.now() + TAKEOVER_BUDGET_MS + 60_000;
    while (finals.size < N && Date.now() < deadline) {
      const pending = tasks.filter((t) => !finals.has(t.id));
      await pooled(pending, 8, async (t, i) => {
        const task = await getTask(survivorUrls[i % survivorUrls.length]!, t.id);
        if (isTerminal(task.status)) finals.set(t.id, { task, at: Date.now() });
      });
      if (finals.size < N) await new Promise((resolve) => setTimeout(resolve, 200)); // poll pacing
    }

    const count = (filter: (t: (typeof tasks)[number], final?: Task) => boolean) => tasks.filter((t) => filter(t, finals.get(t.id)?.task)).length;
    const counts = {
      tasks: N,
      onVictim: onVictim.length,
      completed: count((_, f) => f?.status === 'completed'),
      failed: count((_, f) => f?.status === 'failed'),
      cancelled: count((_, f) => f?.status === 'cancelled'),
      lost: count((_, f) => !f),
      retried: count((_, f) => f?.status === 'completed' && structuredOf(f)?.isRetry === true),
      failedNotRetryable: count((t, f) => f?.status === 'failed' && t.tool === 'charge' && String((f.error as { message?: string }).message).includes('not retried automatically')),
    };
    const victimSettledMs = Math.max(...onVictim.map((t) => (finals.get(t.id)?.at ?? Date.now()) - killedAt));
    console.info(
      `[scale/tasks] 200 tasks created in ${createMs} ms (per replica ${perReplica.join('/')}), SIGKILL of ${victim.pid} mid-run: ${JSON.stringify(counts)}; the killed replica's last task settled ${victimSettledMs} ms after the kill`,
    );
    expect(counts.lost).toBe(0);
    expect(counts.completed + counts.failed + counts.cancelled).toBe(N);
    expect(counts.cancelled).toBe(0);
    // Retryable work always completes; only the killed replica's non-retryable tasks fail, with the clear error.
    for (const t of tasks) {
      const final = finals.get(t.id)!.task;
      if (t.tool === 'work' || t.on !== victim) expect(final.status, `${t.tool} on ${t.on.port}`).toBe('completed');
      else expect(final).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('tool charge is not retried automatically') } });
      if (t.tool === 'work' && t.on === victim) expect(structuredOf(final)).toMatchObject({ attempt: 2, isRetry: true });
      if (t.on !== victim) expect(structuredOf(final)).toMatchObject({ attempt: 1, isRetry: false });
    }
    expect(counts.retried).toBe(onVictim.filter((t) => t.tool === 'work').length);
    expect(counts.failedNotRetryable).toBe(onVictim.filter((t) => t.tool === 'charge').length);
    expect(counts.retried).toBeGreaterThan(0);
    expect(counts.failedNotRetryable).toBeGreaterThan(0);
  }, 180_000);
});
