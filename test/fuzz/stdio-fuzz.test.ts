/**
 * stdio fuzz: a few thousand seeded hostile lines into one `serveStdio` process. Asserts that
 * stdout carries only JSON-RPC lines, every request with a readable id gets exactly one response
 * (none or one when we cancelled it), no -32603, no unhandled rejection, bounded RSS, a valid
 * request still works at the end, and EOF shuts the process down cleanly (exit 0).
 */
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import { createRng, deepText, malformedJson, meta, mutateTypes, randomJson, randomString, validRequest, type RealTokens } from './generators.ts';
import { rssMiB, spawnServer, type ServerProcess } from './harness.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20260728) + 7;
const LINES = 3_000;
const RSS_LIMIT_MIB = Number(process.env.FUZZ_RSS_LIMIT_MIB ?? 400);

let server: ServerProcess | undefined;

afterAll(() => {
  if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
});

type Rpc = { jsonrpc?: unknown; id?: unknown; result?: Record<string, unknown>; error?: { code?: unknown } };

/**
 * The server's stdout, line by line. `waitFor` resolves on the first message (already read or still
 * to come) that matches, and rejects as soon as the process exits without it: a wait is for the
 * event, never a clock — a slow start (tsx compiling the runtime on a loaded machine takes seconds)
 * is not a failure, a dead server is, at once. `exited` resolves with the exit code.
 */
function readMessages(server: ServerProcess) {
  const messages: Rpc[] = [];
  const nonJson: string[] = [];
  const waiters = new Set<{ match: (m: Rpc) => boolean; resolve: (m: Rpc) => void }>();
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => server.child.once('exit', resolve));
  createInterface({ input: server.child.stdout!, crlfDelay: Infinity }).on('line', (line) => {
    let message: Rpc;
    try {
      message = JSON.parse(line) as Rpc;
    } catch {
      nonJson.push(line.slice(0, 200));
      return;
    }
    messages.push(message);
    for (const waiter of waiters) if (waiter.match(message)) waiter.resolve(message);
  });
  const exitedWith = exited.then((code) => (exitCode = code));
  // A failing test shows what the server said on stderr.
  onTestFailed(() => console.error(`[fuzz/stdio] server stderr (tail):\n${server.stderr().slice(-4000)}`));
  const waitFor = (match: (m: Rpc) => boolean, what: string) =>
    new Promise<Rpc>((resolve, reject) => {
      const seen = messages.find(match);
      if (seen) return resolve(seen);
      const waiter = { match, resolve: (m: Rpc) => (waiters.delete(waiter), resolve(m)) };
      waiters.add(waiter);
      void exitedWith.then(() => {
        if (!waiters.delete(waiter)) return;
        reject(new Error(`the server exited (${String(exitCode)}) before ${what}: ${server.stderr().slice(-2000)}`));
      });
    });
  return { messages, nonJson, waitFor, exited };
}

describe('stdio fuzz of the runtime server', () => {
  it(`survives ${LINES} generated lines`, async () => {
    const spawnedAt = Date.now();
    server = spawnServer('stdio');
    const child = server.child;
    const { messages: responses, nonJson, waitFor, exited } = readMessages(server);
    const write = (text: string) =>
      new Promise<void>((resolve, reject) => {
        if (child.stdin!.write(text)) resolve();
        else child.stdin!.once('drain', resolve).once('error', reject);
      });
    const call = async (id: string, method: string, params: Record<string, unknown>) => {
      await write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: meta() } })}\n`);
      return waitFor((m) => m.id === id && !('method' in m), `the answer to ${id}`);
    };

    // Real tokens to forge from (pageSize 4 in the fuzz server gives cursors).
    const firstList = await call('t0', 'tools/list', {});
    const startMs = Date.now() - spawnedAt; // spawn to first answer: tsx compiling the runtime, slow under load
    const tokens: RealTokens = {
      toolsCursor: String(firstList.result?.nextCursor),
      promptsCursor: String((await call('t1', 'prompts/list', {})).result?.nextCursor),
      requestState: String((await call('t2', 'tools/call', { name: 'test_input_required_result_multi_round', arguments: {} })).result?.requestState),
    };
    const rng = createRng(SEED);
    /** How many lines carried each readable id, and which of them we cancelled (then fewer answers are fine). */
    const sends = new Map<string, number>();
    const cancelled = new Set<string>();
    let idLess = 0;
    const baselineRss = rssMiB(server.pid) ?? 0;
    let maxRss = baselineRss;

    for (let n = 0; n < LINES; n++) {
      const id: string | number = rng.bool(0.5) ? `s-${n}` : 100_000 + n;
      let line: string;
      switch (rng.int(10)) {
        case 0:
          line = malformedJson(rng, JSON.stringify(validRequest(rng, id, tokens))).toString('utf8').replace(/[\r\n]/g, ' ');
          break;
        case 1:
        case 2:
          line = JSON.stringify(mutateTypes(rng, validRequest(rng, id, tokens)));
          break;
        case 3:
          line = JSON.stringify({ jsonrpc: '2.0', id, method: rng.bool(0.5) ? randomString(rng, 30) : rng.pick(['ping', 'initialize', 'tasks/get', 'logging/setLevel']), params: { ...(randomJson(rng, 2) as object), _meta: meta() } });
          break;
        case 4: {
          // Cancel something in flight, or something that never existed.
          line = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: rng.bool(0.5) ? `s-${n - 1}` : randomJson(rng, 1), reason: 'fuzz' } });
          cancelled.add(`"s-${n - 1}"`);
          break;
        }
        case 5:
          line = rng.pick(['', '   ', '\t', '[]', '[1,2]', 'null', '42', '"str"', 'true', '{}', `[${JSON.stringify(validRequest(rng, id, tokens))}]`]);
          break;
        case 6: {
          const depth = rng.pick([100, 5_000, 50_000]);
          line = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"method":"tools/call","params":{"name":"${rng.pick(['test_simple_text', 'test_input_required_result_elicitation'])}","arguments":{"d":${deepText(depth, 'mixed')}},"_meta":${JSON.stringify(meta())}}}`;
          break;
        }
        case 7:
          line = rng.bool(0.05)
            ? JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'test_simple_text', arguments: { pad: 'p'.repeat(2 * 1024 * 1024) }, _meta: meta() } })
            : JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'test_tool_with_progress', arguments: {}, _meta: { ...meta(), progressToken: n } } });
          break;
        default:
          line = JSON.stringify(validRequest(rng, id, tokens));
      }
      // What should come back, judged from what the server can read in the line.
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = undefined;
      }
      if (line.trim() !== '') {
        const object = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
        const readableId = object && (typeof object.id === 'string' || (typeof object.id === 'number' && Number.isInteger(object.id))) ? JSON.stringify(object.id) : undefined;
        const plain = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
        if (readableId !== undefined) {
          // Ids are unique per line, except the small values mutateTypes plants (0, "", 2^64…): count sends.
          sends.set(readableId, (sends.get(readableId) ?? 0) + 1);
        } else if (!object || 'id' in object) idLess += 1;
        // A message without id but with a broken envelope is an invalid request, answered without id.
        else if (object.jsonrpc !== '2.0' || typeof object.method !== 'string' || (object.params !== undefined && !plain(object.params))) idLess += 1;
      }
      await write(`${line}\n`);
      if (n % 500 === 499) {
        maxRss = Math.max(maxRss, rssMiB(server.pid) ?? 0);
        const alive = await call(`alive-${n}`, 'tools/call', { name: 'test_simple_text', arguments: {} });
        expect(JSON.stringify(alive.result)).toContain('simple text');
      }
    }
    const last = await call('final', 'tools/call', { name: 'test_simple_text', arguments: {} });
    expect(JSON.stringify(last.result)).toContain('simple text');
    maxRss = Math.max(maxRss, rssMiB(server.pid) ?? 0);

    // EOF: listen streams end with their result, in-flight work drains, the process exits 0 (a
    // hang is caught by the test's own timeout: the runtime bounds its drain at 10 s + 1 s).
    child.stdin!.end();
    const code = await exited;
    expect(code).toBe(0);

    const counts = new Map<string, number>();
    let internal = 0;
    let malformedResponses = 0;
    let withoutId = 0;
    let notifications = 0;
    for (const r of responses) {
      if ('method' in r) {
        // Request-scoped notifications (progress, log) are fine; a server→client request is not (MRTR only).
        notifications += 1;
        if (r.id !== undefined || !['notifications/progress', 'notifications/message'].includes(String((r as { method?: unknown }).method))) malformedResponses += 1;
        continue;
      }
      if (r.jsonrpc !== '2.0' || (r.result === undefined) === (r.error === undefined)) malformedResponses += 1;
      if (r.error?.code === -32603) internal += 1;
      if (r.id === undefined) withoutId += 1;
      else counts.set(JSON.stringify(r.id), (counts.get(JSON.stringify(r.id)) ?? 0) + 1);
    }
    const ownIds = new Set(['"t0"', '"t1"', '"t2"', '"final"', ...[...counts.keys()].filter((k) => k.startsWith('"alive-'))]);
    const missing = [...sends].filter(([k, n]) => !cancelled.has(k) && (counts.get(k) ?? 0) < n).map(([k, n]) => `${k}:${counts.get(k) ?? 0}/${n}`);
    const extra = [...counts].filter(([k, n]) => !ownIds.has(k) && n > (sends.get(k) ?? 0)).map(([k, n]) => `${k}:${n}/${sends.get(k) ?? 0}`);
    const unhandled = server.stderr().split('\n').filter((l) => l.startsWith('FUZZ-UNHANDLED'));
    console.info(
      `[fuzz/stdio] seed ${SEED}: first answer ${startMs} ms after spawn; ${LINES} lines; ${responses.length - notifications} responses + ${notifications} notifications (${withoutId} without id, ≤ ${idLess} expected); ` +
        `RSS baseline ${baselineRss.toFixed(0)} MiB, max ${maxRss.toFixed(0)} MiB; -32603 ${internal}; missing ${missing.length}; unexpected ${extra.length}; exit ${String(code)}`,
    );
    expect(nonJson).toEqual([]);
    expect(malformedResponses).toBe(0);
    expect(internal).toBe(0);
    expect(missing.slice(0, 20)).toEqual([]);
    expect(extra.slice(0, 20)).toEqual([]);
    expect(withoutId).toBeLessThanOrEqual(idLess);
    expect(unhandled).toEqual([]);
    expect(maxRss).toBeLessThan(RSS_LIMIT_MIB);
  }, 120_000);

  /**
   * The 2025-11-25 session wire on stdio: a connection whose first line is `initialize` (no client
   * capabilities, so handler asks fail fast with -32021 instead of waiting for us). Every request
   * line with one of our ids gets exactly one response (or none once cancelled), stdout stays
   * JSON-RPC, no -32603, no unhandled rejection, and EOF still exits 0.
   */
  it('survives 1500 generated lines on a 2025-11-25 session', async () => {
    const child = spawnServer('stdio');
    const { messages: responses, nonJson, waitFor, exited } = readMessages(child);
    const write = (text: string) =>
      new Promise<void>((resolve, reject) => {
        if (child.child.stdin!.write(text)) resolve();
        else child.child.stdin!.once('drain', resolve).once('error', reject);
      });
    await write(`${JSON.stringify({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } } })}\n`);
    await waitFor((r) => r.id === 'init', 'the initialize result');
    expect(responses[0]?.result?.protocolVersion).toBe('2025-11-25');
    await write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);

    const rng = createRng(SEED + 2025);
    const tokens: RealTokens = { toolsCursor: 'x', promptsCursor: 'y', requestState: 'z' };
    const expected = new Set<string>();
    const cancelled = new Set<string>();
    const withoutMeta = (request: { params?: Record<string, unknown> }) => {
      if (request.params) delete request.params._meta;
      return request;
    };
    for (let n = 0; n < 1_500; n++) {
      const id = `q-${n}`;
      let message: unknown;
      switch (rng.int(8)) {
        case 0:
          message = withoutMeta(validRequest(rng, id, tokens));
          break;
        case 1:
          message = { jsonrpc: '2.0', id, method: rng.bool(0.7) ? rng.pick(['ping', 'logging/setLevel', 'resources/subscribe', 'resources/unsubscribe', 'initialize', 'server/discover', 'subscriptions/listen', 'tools/call']) : randomString(rng, 20), params: randomJson(rng, 2) };
          break;
        case 2:
          // Era mixing: 2026 _meta on the session connection → -32600.
          message = validRequest(rng, id, tokens);
          break;
        case 3:
          message = { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: rng.bool(0.5) ? `q-${n - 1}` : randomJson(rng, 1) } };
          cancelled.add(`"q-${n - 1}"`);
          break;
        case 4:
          // Responses to server requests that were never sent.
          message = { jsonrpc: '2.0', id: rng.pick([`s-${n}`, n, null]), ...(rng.bool(0.5) ? { result: randomJson(rng, 2) } : { error: randomJson(rng, 1) }) };
          break;
        case 5:
          message = { jsonrpc: '2.0', id, method: 'tools/call', params: { name: rng.pick(['test_simple_text', 'test_tool_with_progress', 'test_input_required_result_elicitation', 'test_input_required_result_multiple_inputs']), arguments: {}, _meta: { progressToken: n } } };
          break;
        case 6:
          message = mutateTypes(rng, withoutMeta(validRequest(rng, id, tokens)) as never);
          break;
        default:
          message = { jsonrpc: '2.0', id, method: 'logging/setLevel', params: { level: rng.pick(['debug', 'info', 'loud', 7]) } };
      }
      const line = JSON.stringify(message) ?? 'null';
      const object = typeof message === 'object' && message !== null && !Array.isArray(message) ? (message as Record<string, unknown>) : undefined;
      if (object && object.id === id && typeof object.method === 'string') expected.add(JSON.stringify(id));
      await write(`${line}\n`);
    }
    await write(`${JSON.stringify({ jsonrpc: '2.0', id: 'last', method: 'ping' })}\n`);
    expect((await waitFor((r) => r.id === 'last', 'the last ping')).result).toEqual({});
    child.child.stdin!.end();
    const code = await exited;

    const counts = new Map<string, number>();
    let internal = 0;
    let serverRequests = 0;
    for (const r of responses) {
      if ('method' in r) {
        if (r.id !== undefined) serverRequests += 1;
        continue;
      }
      if (r.error?.code === -32603) internal += 1;
      if (r.id !== undefined) counts.set(JSON.stringify(r.id), (counts.get(JSON.stringify(r.id)) ?? 0) + 1);
    }
    const missing = [...expected].filter((k) => !cancelled.has(k) && counts.get(k) !== 1).map((k) => `${k}:${counts.get(k) ?? 0}`);
    const doubled = [...counts].filter(([, n]) => n > 1).map(([k, n]) => `${k}:${n}`);
    const unhandled = child.stderr().split('\n').filter((l) => l.startsWith('FUZZ-UNHANDLED'));
    console.info(`[fuzz/stdio-session] seed ${SEED + 2025}: 1500 lines; ${responses.length} messages out; ${expected.size} requests; missing ${missing.length}; doubled ${doubled.length}; -32603 ${internal}; server requests ${serverRequests}; exit ${String(code)}`);
    expect(nonJson).toEqual([]);
    expect(internal).toBe(0);
    // No client capabilities were declared: the server never asks the client anything.
    expect(serverRequests).toBe(0);
    expect(missing.slice(0, 20)).toEqual([]);
    expect(doubled.slice(0, 20)).toEqual([]);
    expect(unhandled).toEqual([]);
    expect(code).toBe(0);
  }, 120_000);

  /**
   * Issue 14: one 100 MB line took the server from 58 MB to 288–388 MB. Now the line is scanned
   * without being kept (limit 4 MiB): the request is answered -32600 from its first bytes, the next
   * line works, and RSS grows by far less than the line.
   */
  it('a 100 MB line costs no memory: -32600 for its id, then the next request works', async () => {
    const big = spawnServer('stdio');
    const child = big.child;
    const { messages: responses, waitFor } = readMessages(big);
    const write = (chunk: string | Buffer) =>
      new Promise<void>((resolve, reject) => {
        if (child.stdin!.write(chunk)) resolve();
        else child.stdin!.once('drain', resolve).once('error', reject);
      });
    try {
      await write(`${JSON.stringify({ jsonrpc: '2.0', id: 'warm', method: 'tools/list', params: { _meta: meta() } })}\n`);
      // The baseline is taken once the server is up and answering (not while it still starts).
      await waitFor((r) => r.id === 'warm', 'the warm-up answer');
      const baseline = rssMiB(big.pid) ?? 0;
      let peak = baseline;
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      await write('{"jsonrpc":"2.0","id":"huge","method":"tools/call","params":{"name":"x","pad":"');
      for (let i = 0; i < 100; i++) {
        await write(chunk);
        if (i % 10 === 0) peak = Math.max(peak, rssMiB(big.pid) ?? 0);
      }
      await write(`"}}\n${JSON.stringify({ jsonrpc: '2.0', id: 'after', method: 'tools/list', params: { _meta: meta() } })}\n`);
      await waitFor((r) => r.id === 'after', 'the answer after the huge line');
      peak = Math.max(peak, rssMiB(big.pid) ?? 0);
      console.info(`[fuzz/stdio] 100 MiB line: RSS baseline ${baseline.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB`);
      expect(responses.find((r) => r.id === 'huge')?.error?.code).toBe(-32600);
      expect(responses.find((r) => r.id === 'after')?.result).toBeDefined();
      expect(peak - baseline).toBeLessThan(64);
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000);
});
