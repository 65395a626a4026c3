/**
 * State shared across replicas on Redis: a real redis-server and three replicas of a *generated*
 * project (manifest `state: { backend: redis }`) behind Debian nginx doing plain round robin.
 * Each replica is its own node process, so what crosses replicas can only have crossed Redis.
 *
 * Skipped, with a message, when nginx or redis-server is not installed; under CI (.ci/run
 * installs both) a missing one is a failure instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRedisServer, startRedisServer, type RedisServer } from '../helpers/redis.ts';
import { findNginx, freePort, startNginx, type Nginx, type Replica } from './cluster.ts';
import { generateRedisProbe, startGeneratedReplica } from './generated-replicas.ts';
import { openListen, rpc, type ListenStream } from './mcp-http.ts';

const nginxBin = findNginx();
const redisBin = findRedisServer();
const missing = [nginxBin ? '' : 'nginx', redisBin ? '' : 'redis-server'].filter(Boolean);
const SKIP_REASON = `${missing.join(' and ')} not installed (apt-get install -y nginx redis-server); skipping the Redis round-robin test`;
if (missing.length) console.warn(`[scale/redis] ${SKIP_REASON}`);

it.runIf(missing.length > 0 && Boolean(process.env.CI))('nginx and redis-server are installed', () => expect.fail(SKIP_REASON));

const SECRET = 'redis-scale-test-shared-secret-0123456789';
const ELICIT = { elicitation: {} };
const answer = { who: { action: 'accept', content: { name: 'Ada' } } };
const textOf = (m: { result?: Record<string, unknown> }) => ((m.result?.content as { text?: string }[] | undefined)?.[0]?.text ?? '');

describe.skipIf(missing.length > 0)(missing.length ? `Redis-shared state — ${SKIP_REASON}` : 'Redis-shared state across replicas behind nginx round robin', () => {
  let dir: string | undefined;
  let project: string | undefined;
  let redis: RedisServer | undefined;
  let nginx: Nginx | undefined;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    project = await generateRedisProbe();
    redis = await startRedisServer(redisBin!);
    const env = { MCP_STATE_SECRET: SECRET, MCP_REDIS_URL: redis.url };
    replicas.push(...(await Promise.all([0, 1, 2].map(() => startGeneratedReplica(project!, env)))));
    dir = mkdtempSync(join(tmpdir(), 'mcp-redis-scale-'));
    nginx = await startNginx(nginxBin!, { dir, listenPort: await freePort(), upstreams: replicas.map((r) => `127.0.0.1:${r.port}`) });
  }, 90_000);

  afterAll(async () => {
    await nginx?.stop();
    await Promise.allSettled(replicas.map((r) => r.kill('SIGKILL')));
    await redis?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('a resources/updated raised on one replica reaches the listeners on the other two (direct and through the balancer)', async () => {
    const uris = Array.from({ length: 6 }, (_, i) => `test://doc/${i}`);
    const streams: ListenStream[] = [];
    try {
      for (const replica of replicas) streams.push(await openListen(replica.url, { resourceSubscriptions: uris }));
      // Replica i raises test://doc/i itself; the others can only learn of it through Redis.
      for (const [i, replica] of replicas.entries()) {
        const touched = await rpc(replica.url, 'tools/call', { name: 'touch', arguments: { uri: uris[i] } });
        expect(textOf(touched.response)).toBe(`touched ${uris[i]} on ${replica.pid}`);
      }
      // Three more through nginx: round robin picks the publisher.
      const publishers = new Set<string>();
      for (const uri of uris.slice(3)) {
        const touched = await rpc(nginx!.url, 'tools/call', { name: 'touch', arguments: { uri } });
        expect(touched.response.error).toBeUndefined();
        publishers.add(touched.upstream ?? '');
      }
      for (const [i, stream] of streams.entries()) {
        await stream.waitFor((m) => uris.every((u) => m.some((x) => x.method === 'notifications/resources/updated' && x.params?.uri === u)), `all six updates on replica ${i}`);
        const updates = stream.messages.filter((x) => x.method === 'notifications/resources/updated');
        expect(updates).toHaveLength(6); // each exactly once
      }
      console.info(`[scale/redis] 3 listeners × 6 updates delivered; balancer publishers: ${[...publishers].join(', ')}`);
      expect(publishers.size).toBeGreaterThanOrEqual(2);
    } finally {
      for (const stream of streams) stream.close();
    }
  }, 60_000);

  it('a replayed requestState is refused by a different replica (-32602), directly and through the balancer', async () => {
    for (let i = 0; i < 3; i++) {
      const [first, second, third] = [replicas[i]!, replicas[(i + 1) % 3]!, replicas[(i + 2) % 3]!];
      const round1 = await rpc(first.url, 'tools/call', { name: 'greet', arguments: {} }, ELICIT);
      expect(round1.response.result?.resultType).toBe('input_required');
      const state = round1.response.result!.requestState;
      const round2 = await rpc(second.url, 'tools/call', { name: 'greet', arguments: {}, requestState: state, inputResponses: answer }, ELICIT);
      expect(textOf(round2.response)).toBe(`hello Ada from ${second.pid}`);
      const replay = await rpc(third.url, 'tools/call', { name: 'greet', arguments: {}, requestState: state, inputResponses: answer }, ELICIT);
      expect(replay.response.error).toMatchObject({ code: -32602, message: expect.stringContaining('already used') });
    }

    let completed = 0;
    let refused = 0;
    let crossReplica = 0;
    for (let i = 0; i < 30; i++) {
      const round1 = await rpc(nginx!.url, 'tools/call', { name: 'greet', arguments: {} }, ELICIT);
      const state = round1.response.result!.requestState;
      const round2 = await rpc(nginx!.url, 'tools/call', { name: 'greet', arguments: {}, requestState: state, inputResponses: answer }, ELICIT);
      if (textOf(round2.response).startsWith('hello Ada')) completed += 1;
      const replay = await rpc(nginx!.url, 'tools/call', { name: 'greet', arguments: {}, requestState: state, inputResponses: answer }, ELICIT);
      if (replay.response.error?.code === -32602) refused += 1;
      if (replay.upstream !== round2.upstream) crossReplica += 1;
    }
    console.info(`[scale/redis] 30 MRTR flows through nginx: ${completed} completed, ${refused} replays refused (${crossReplica} on another replica than the one that used the state)`);
    expect(completed).toBe(30);
    expect(refused).toBe(30);
    expect(crossReplica).toBeGreaterThanOrEqual(10);
  }, 60_000);
});
