/**
 * Both eras behind one nginx upstream (docs/deploy.md "2025-11-25 sessions behind the balancer"):
 * two replicas of the conformance-style registry, sessions in a store both can read (a shared
 * directory standing in for Redis), and nginx hashing `Mcp-Session-Id` when present while
 * requests without it stay plain round robin. Driven by the official client
 * @modelcontextprotocol/client 2.4.0: pinned to 2026-07-28 for the stateless traffic, in its default
 * (2025-11-25, initialize) mode for a whole session: initialize, list, calls, an elicitation.
 *
 * Skipped, with a message, when nginx is not installed (CI installs it; a skip there is a failure).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findNginx, freePort, startNginx, startReplica, type Nginx, type Replica } from './cluster.ts';

const nginxBin = findNginx();
const SKIP_REASON = 'nginx is not installed (apt-get install -y nginx); skipping the two-era nginx deploy test';
if (!nginxBin) console.warn(`[scale] ${SKIP_REASON}`);
it.runIf(!nginxBin && Boolean(process.env.CI))('nginx is installed', () => expect.fail(SKIP_REASON));

const SECRET = 'sessions-test-shared-secret-0123456789abcdef';
type CallResult = { content?: { type: string; text?: string }[]; structuredContent?: Record<string, unknown>; isError?: boolean };
const pidOf = (result: CallResult): number => {
  const pid = result.structuredContent?.pid;
  if (typeof pid !== 'number' || result.isError) throw new Error(`no pid in ${JSON.stringify(result)}`);
  return pid;
};

describe.skipIf(!nginxBin)(nginxBin ? 'both eras behind one nginx upstream' : `both eras behind nginx — ${SKIP_REASON}`, () => {
  let dir: string;
  const replicas: Replica[] = [];
  let nginx: Nginx | undefined;
  const clients: Client[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-sessions-'));
    const env = { MCP_SESSION_DIR: join(dir, 'sessions') };
    replicas.push(...(await Promise.all([0, 1].map(() => startReplica(SECRET, 20_000, env)))));
    nginx = await startNginx(nginxBin!, { dir, listenPort: await freePort(), upstreams: replicas.map((r) => `127.0.0.1:${r.port}`), sessionAffinity: true });
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await nginx?.stop();
    await Promise.allSettled(replicas.map((r) => r.kill('SIGKILL')));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('2026-07-28 traffic (no session id) stays plain round robin on the hashed upstream', async () => {
    const client = new Client({ name: 'modern', version: '1.0.0' }, { capabilities: {}, versionNegotiation: { mode: { pin: '2026-07-28' } } });
    clients.push(client);
    await client.connect(new StreamableHTTPClientTransport(new URL(nginx!.url)));
    const pids: number[] = [];
    for (let i = 0; i < 8; i++) pids.push(pidOf((await client.callTool({ name: 'whoami', arguments: {} })) as CallResult));
    console.info(`[scale/sessions] 2026 whoami sequence: ${pids.join(',')}`);
    // Round robin over two replicas: consecutive calls alternate.
    for (let i = 1; i < pids.length; i++) expect(pids[i]).not.toBe(pids[i - 1]);
    expect(new Set(pids)).toEqual(new Set(replicas.map((r) => r.pid)));
  }, 60_000);

  it('a 2025-11-25 client runs a whole session through the balancer: initialize, list, calls, elicitation — all on its hashed replica', async () => {
    const sessions: { pids: number[]; sessionId: string }[] = [];
    // Sessions until both replicas hold some (the hash spreads random ids; ≥ 4, at most 16 sessions).
    const holders = () => new Set(sessions.map((s) => s.pids[0])).size;
    for (let n = 0; n < 16 && (n < 4 || holders() < 2); n++) {
      const client = new Client({ name: `legacy-${n}`, version: '1.0.0' }, { capabilities: { elicitation: {} } });
      clients.push(client);
      client.setRequestHandler('elicitation/create', async (request) => {
        expect((request.params as { message?: string }).message).toBe(`who is ${n}?`);
        return { action: 'accept' as const, content: { response: `session-${n}` } };
      });
      const transport = new StreamableHTTPClientTransport(new URL(nginx!.url));
      await client.connect(transport);
      expect(client.getServerVersion()?.name).toBe('mcp-conformance-test-server');
      const sessionId = transport.sessionId ?? '';
      expect(sessionId).toMatch(/^[A-Za-z0-9_-]{32,}$/);
      const tools = await client.listTools();
      expect(tools.tools.map((t) => t.name)).toContain('test_elicitation');
      const pids: number[] = [];
      for (let i = 0; i < 4; i++) pids.push(pidOf((await client.callTool({ name: 'whoami', arguments: {} })) as CallResult));
      // A real server→client elicitation/create on the tool call's SSE stream, answered by a POST that nginx routes to the same replica.
      const elicited = (await client.callTool({ name: 'test_elicitation', arguments: { message: `who is ${n}?` } })) as CallResult;
      expect(elicited.content?.[0]?.text).toBe(`User response: action=accept, content={"response":"session-${n}"}`);
      await client.ping();
      pids.push(pidOf((await client.callTool({ name: 'whoami', arguments: {} })) as CallResult));
      sessions.push({ pids, sessionId });
    }
    console.info(`[scale/sessions] 2025 sessions → replica pids: ${sessions.map((s) => [...new Set(s.pids)].join('/')).join(', ')}`);
    // Sticky: every request of a session after initialize reached one replica.
    for (const { pids } of sessions) expect(new Set(pids).size).toBe(1);
    // The sessions live in the shared store, and the hash put them on both replicas.
    expect(readdirSync(join(dir, 'sessions')).length).toBe(sessions.length);
    expect(new Set(sessions.map((s) => s.pids[0]))).toEqual(new Set(replicas.map((r) => r.pid)));

    // DELETE ends a session for every replica; its id is then 404 through the balancer.
    const last = clients[clients.length - 1]!;
    const lastId = sessions[sessions.length - 1]!.sessionId;
    await (last.transport as StreamableHTTPClientTransport).terminateSession();
    const after = await fetch(nginx!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': lastId, 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(after.status).toBe(404);
  }, 90_000);
});
