/**
 * Stateless at scale: three replicas of the conformance-style registry (separate node processes,
 * one MCP_STATE_SECRET) behind Debian nginx doing plain round robin — no stickiness — driven by
 * the official client @modelcontextprotocol/client. The client fulfils MRTR itself (input_required
 * → the elicitation/create handler → retry with inputResponses + requestState), so a multi-round
 * flow's rounds land on whichever replica nginx picks.
 *
 * Skipped, with a message, when nginx is not installed (CI: `apt-get install -y nginx`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findNginx, freePort, SLOW_STARTED, startNginx, startReplica, stderrCount, waitForStderrLines, type Nginx, type Replica } from './cluster.ts';

const nginxBin = findNginx();
const SKIP_REASON = 'nginx is not installed (apt-get install -y nginx); skipping the nginx round-robin scale test';
if (!nginxBin) console.warn(`[scale] ${SKIP_REASON}`);

const SECRET = 'scale-test-shared-secret-0123456789abcdef';

type CallResult = { content?: { type: string; text?: string }[]; structuredContent?: Record<string, unknown>; isError?: boolean };

function newClient(url: string): { client: Client; connect: () => Promise<void> } {
  const client = new Client(
    { name: 'scale-test', version: '1.0.0' },
    { capabilities: { elicitation: {} }, versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  client.setRequestHandler('elicitation/create', async (request) => {
    const message = String((request.params as { message?: unknown }).message ?? '');
    const content: Record<string, string> = message.includes('color') ? { color: 'teal' } : message.includes('context') ? { context: 'scale' } : { name: 'Ada' };
    return { action: 'accept' as const, content };
  });
  return { client, connect: () => client.connect(new StreamableHTTPClientTransport(new URL(url))) };
}

const pidOf = (result: CallResult): number => {
  const pid = result.structuredContent?.pid;
  if (typeof pid !== 'number' || result.isError) throw new Error(`no pid in ${JSON.stringify(result)}`);
  return pid;
};

/** Runs `jobs` with at most `limit` in flight; resolves every outcome (never rejects). */
async function pool<T>(jobs: (() => Promise<T>)[], limit: number): Promise<PromiseSettledResult<T>[]> {
  const results: PromiseSettledResult<T>[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await jobs[index]!() };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

// In CI (.ci/run installs nginx) a missing nginx is a failure, not a skip.
it.runIf(!nginxBin && Boolean(process.env.CI))('nginx is installed', () => expect.fail(SKIP_REASON));

describe.skipIf(!nginxBin)(nginxBin ? 'stateless replicas behind nginx round robin' : `stateless replicas behind nginx — ${SKIP_REASON}`, () => {
  let dir: string;
  const replicas: Replica[] = [];
  let nginx: Nginx | undefined;
  const clients: Client[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-scale-'));
    replicas.push(...(await Promise.all([0, 1, 2].map(() => startReplica(SECRET)))));
    nginx = await startNginx(nginxBin!, { dir, listenPort: await freePort(), upstreams: replicas.map((r) => `127.0.0.1:${r.port}`) });
    for (let i = 0; i < 6; i++) {
      const { client, connect } = newClient(nginx.url);
      await connect();
      clients.push(client);
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await nginx?.stop();
    await Promise.allSettled(replicas.map((r) => r.kill('SIGKILL')));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves 200 mixed requests (20 of them 3-round MRTR flows) with 0 errors, spread over all replicas', async () => {
    const whoamiPids: number[] = [];
    const flowPids: number[][] = [];
    type Job = () => Promise<void>;
    const kinds: [number, (c: Client) => Promise<void>][] = [
      [60, async (c) => void whoamiPids.push(pidOf((await c.callTool({ name: 'whoami', arguments: {} })) as CallResult))],
      [
        20,
        async (c) => {
          const result = (await c.callTool({ name: 'whoami_rounds', arguments: {} })) as CallResult;
          const { pids, answers } = result.structuredContent as { pids: number[]; answers: string[] };
          expect(answers).toEqual(['Ada', 'Ada']);
          expect(pids).toHaveLength(3);
          flowPids.push(pids);
        },
      ],
      [
        15,
        async (c) => {
          const result = (await c.callTool({ name: 'test_input_required_result_multi_round', arguments: {} })) as CallResult;
          expect(result.content?.[0]?.text).toBe('Multi-round complete for Ada who likes teal');
        },
      ],
      [15, async (c) => void expect((await c.listTools({}, { cacheMode: 'bypass' })).tools.length).toBeGreaterThan(20)],
      [15, async (c) => void expect((await c.readResource({ uri: 'test://template/42/data' }, { cacheMode: 'bypass' })).contents[0]).toMatchObject({ uri: 'test://template/42/data' })],
      [15, async (c) => void expect((await c.readResource({ uri: 'test://static-text' }, { cacheMode: 'bypass' })).contents[0]).toMatchObject({ uri: 'test://static-text' })],
      [
        15,
        async (c) => {
          const prompt = await c.getPrompt({ name: 'test_prompt_with_arguments', arguments: { arg1: 'a', arg2: 'b' } });
          expect((prompt.messages[0]?.content as { text?: string }).text).toContain("arg1='a'");
        },
      ],
      [
        15,
        async (c) => {
          // SSE through the proxy: progress notifications must arrive unbuffered, before the result.
          const seen: number[] = [];
          await c.callTool({ name: 'test_tool_with_progress', arguments: {} }, { onprogress: (p: { progress: number }) => seen.push(p.progress) });
          expect(seen).toEqual([0, 50, 100]);
        },
      ],
      [15, async (c) => void expect(((await c.callTool({ name: 'test_simple_text', arguments: {} })) as CallResult).content?.[0]?.text).toContain('simple text')],
      [15, async (c) => void expect((await c.listPrompts({}, { cacheMode: 'bypass' })).prompts.length).toBe(5)],
    ];
    const jobs: Job[] = [];
    for (const [count, run] of kinds) for (let i = 0; i < count; i++) jobs.push(() => run(clients[jobs.length % clients.length]!));
    expect(jobs).toHaveLength(200);
    // Interleave the kinds deterministically so every replica sees every kind.
    const shuffled = jobs.map((job, i) => ({ job, key: (i * 7919) % 200 })).sort((a, b) => a.key - b.key).map((x) => x.job);

    const outcomes = await pool(shuffled, 12);
    const errors = outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason));
    expect(errors).toEqual([]);

    // Round robin spread: each replica answered a fair share of the 60 whoami calls.
    const perReplica = new Map(replicas.map((r) => [r.pid, 0]));
    for (const pid of whoamiPids) perReplica.set(pid, (perReplica.get(pid) ?? 0) + 1);
    console.info(`[scale] whoami per replica: ${JSON.stringify(Object.fromEntries(perReplica))}`);
    expect([...perReplica.keys()].sort()).toEqual(replicas.map((r) => r.pid).sort());
    for (const count of perReplica.values()) expect(count).toBeGreaterThanOrEqual(10);

    // MRTR rounds crossed replicas: requestState sealed by one replica was opened by another.
    const crossing = flowPids.filter((pids) => new Set(pids).size > 1).length;
    console.info(`[scale] MRTR flows whose rounds hit more than one replica: ${crossing}/20`);
    expect(flowPids).toHaveLength(20);
    expect(crossing).toBeGreaterThanOrEqual(5);
  }, 60_000);

  it('SIGKILL of one replica mid-run fails only its in-flight requests, and their retries succeed', async () => {
    const victim = replicas[0]!;
    // Each slow call stays in its handler until the gate file exists, and says so on stderr: the kill
    // lands when all 30 provably reached a replica, however slow the machine is.
    const gate = join(dir, `gate-${Date.now()}`);
    const before = replicas.map((r) => stderrCount(r, SLOW_STARTED));
    const running = Promise.allSettled(
      Array.from({ length: 30 }, async (_, i) => pidOf((await clients[i % clients.length]!.callTool({ name: 'slow_whoami', arguments: { ms: 0, gate } })) as CallResult)),
    );
    await waitForStderrLines(replicas, SLOW_STARTED, before.reduce((a, b) => a + b, 0) + 30);
    const onVictim = stderrCount(victim, SLOW_STARTED) - before[0]!;
    await victim.kill('SIGKILL');
    writeFileSync(gate, 'released');
    const outcomes = await running;

    const failed = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [i] : []));
    const servedBy = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    console.info(`[scale] in flight at kill: 30, ${onVictim} on the victim; failed: ${failed.length}; survivors served by ${JSON.stringify([...new Set(servedBy)])}`);
    // Exactly the requests that were on the killed replica fail (a third of them under round robin).
    expect(servedBy).not.toContain(victim.pid);
    expect(onVictim).toBeGreaterThan(0);
    expect(failed.length).toBe(onVictim);

    // A retry of each failed request succeeds on a surviving replica.
    for (const i of failed) {
      const pid = pidOf((await clients[i % clients.length]!.callTool({ name: 'whoami', arguments: {} })) as CallResult);
      expect(pid).not.toBe(victim.pid);
    }

    // After the kill, new traffic (MRTR included) sees no errors at all.
    const after = await pool(
      Array.from({ length: 40 }, (_, i) => async () => {
        const client = clients[i % clients.length]!;
        if (i % 4 === 0) {
          const result = (await client.callTool({ name: 'whoami_rounds', arguments: {} })) as CallResult;
          const pids = (result.structuredContent as { pids: number[] }).pids;
          expect(pids).not.toContain(victim.pid);
          return pids[0]!;
        }
        return pidOf((await client.callTool({ name: 'whoami', arguments: {} })) as CallResult);
      }),
      8,
    );
    const afterErrors = after.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason));
    expect(afterErrors).toEqual([]);
    const afterPids = new Set(after.map((o) => (o as PromiseFulfilledResult<number>).value));
    expect(afterPids.has(victim.pid)).toBe(false);
    expect(afterPids.size).toBe(2);
  }, 60_000);
});
