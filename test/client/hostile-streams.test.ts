/**
 * Streams that never end, a line that never ends and an event flood (issue 14, items 7–8): each
 * request ends by its deadline or a limit with a typed error, the client stops reading (the
 * server sees its response's connection close) and memory stays bounded. Every wait is on an
 * event or on the client's own deadline; the numbers measured are printed for the record.
 *
 * The hang these guard against was intermittent: Node 20's undici stops honouring a fetch's
 * AbortSignal once the fetch's Request object has been garbage-collected (nodejs/undici#4627), so
 * whether an aborted body kept streaming depended on when the collector ran. The client's fetch
 * here forces a collection as soon as each response arrives, which makes it happen every time.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClient,
  McpAbortError,
  McpClientError,
  McpResponseTooLargeError,
  McpSubscriptionOverflowError,
  McpTimeoutError,
  type ClientOptions,
  type ListenEvent,
} from '../../templates/runtime/client/index.ts';
import { quietLogger } from './helpers.ts';
import { startHostileServer, type HostileServer } from './hostile-server.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** `fetch`, then a full garbage collection once the response headers are in. */
const collectingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  gc();
  return response;
};

let server: HostileServer;
beforeAll(async () => {
  server = await startHostileServer();
  // The first fetch of a process loads undici; keep that out of the deadlines measured below.
  await (await fetch(server.url('http-500'), { method: 'POST', body: '{}' })).text();
});
afterAll(async () => server.close());

const MiB = 1 << 20;
/** Scheduling slack on a loaded shared machine; a hang is unbounded, so this still tells them apart. */
const SLACK_MS = 3_000;
const rssMiB = () => process.memoryUsage().rss / MiB;
const report = (line: string) => console.info(`[hostile-streams] ${line}`);

const client = (behaviour: string, options: Partial<ClientOptions> = {}) =>
  createClient({ url: server.url(behaviour), fetch: collectingFetch, logger: quietLogger, cache: false, ...options });

/** Resolves with the time the server sees the next response on `path` close. */
function nextClose(path: string): Promise<number> {
  return new Promise((resolve) => {
    const onClosed = (event: { path: string }) => {
      if (event.path !== path) return;
      server.events.off('closed', onClosed);
      resolve(performance.now());
    };
    server.events.on('closed', onClosed);
  });
}

/**
 * Runs `call`, which must fail within `boundMs`, and returns its error and timing. Past the bound
 * it gives up waiting and fails the test ("still running"), so a hang is reported, not waited out.
 */
async function failure(call: () => Promise<unknown>, boundMs: number): Promise<{ error: unknown; ms: number; at: number }> {
  const started = performance.now();
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<Error>((resolve) => (watchdog = setTimeout(() => resolve(new Error(`still running after ${boundMs} ms`)), boundMs)));
  const settled = call().then(
    () => new Error('expected a failure, got a result'),
    (e: unknown) => e,
  );
  const error = await Promise.race([settled, hung]);
  clearTimeout(watchdog);
  const at = performance.now();
  expect(error).toBeInstanceOf(McpClientError);
  return { error, ms: at - started, at };
}

describe('one deadline stops reading the body', () => {
  it('endless progress after an aborted streaming request: each follow-up ends by its deadline', async () => {
    const c = client('endless-progress', { timeoutMs: 1_000, maxTimeoutMs: 1_500 });
    const user = new AbortController();
    let closed = nextClose('endless-progress');
    // No deadline on this one (timeoutMs 0): only the caller's abort ends it.
    const aborted = await failure(() => c.callTool('t', {}, { timeoutMs: 0, signal: user.signal, onProgress: () => user.abort(new Error('user stop')) }), 10_000);
    expect(aborted.error).toBeInstanceOf(McpAbortError);
    await closed;

    const before = rssMiB();
    const times: number[] = [];
    const lags: number[] = [];
    let progress = 0;
    for (let i = 0; i < 3; i++) {
      closed = nextClose('endless-progress');
      const { error, ms, at } = await failure(() => c.callTool('t', {}, { onProgress: () => void progress++ }), 1_500 + SLACK_MS);
      expect(error).toBeInstanceOf(McpTimeoutError);
      // Progress restarts the 1 s idle timeout, so it is normally the 1.5 s ceiling that ends it.
      expect([1_000, 1_500]).toContain((error as McpTimeoutError).timeoutMs);
      lags.push((await closed) - at);
      times.push(Math.round(ms));
    }
    const grown = rssMiB() - before;
    report(`endless progress: ${progress} progress events; requests ended after ${times.join(', ')} ms; server saw the close ≤ ${Math.round(Math.max(...lags))} ms after the error; RSS ${grown >= 0 ? '+' : ''}${grown.toFixed(1)} MiB`);
    expect(Math.max(...lags)).toBeLessThan(SLACK_MS);
    expect(grown).toBeLessThan(64);
  });

  it('endless keep-alive after an aborted request: each follow-up ends at timeoutMs', async () => {
    const c = client('endless-keepalive', { timeoutMs: 1_000, maxTimeoutMs: 1_500 });
    const user = new AbortController();
    server.events.once('request', () => user.abort(new Error('user stop')));
    let closed = nextClose('endless-keepalive');
    expect((await failure(() => c.listTools({ signal: user.signal }), SLACK_MS)).error).toBeInstanceOf(McpAbortError);
    await closed;

    const before = rssMiB();
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      closed = nextClose('endless-keepalive');
      const { error, ms, at } = await failure(() => c.listTools(), 1_000 + SLACK_MS);
      expect(error).toBeInstanceOf(McpTimeoutError);
      expect((error as McpTimeoutError).timeoutMs).toBe(1_000); // comments are not progress: the idle timeout ends it
      expect((await closed) - at).toBeLessThan(SLACK_MS);
      times.push(Math.round(ms));
    }
    const grown = rssMiB() - before;
    report(`endless keep-alive: requests ended after ${times.join(', ')} ms; RSS ${grown >= 0 ? '+' : ''}${grown.toFixed(1)} MiB`);
    expect(grown).toBeLessThan(64);
  });

  it('a JSON body that drips forever ends at timeoutMs too', async () => {
    const c = client('slow-drip', { timeoutMs: 1_000 });
    for (let i = 0; i < 2; i++) {
      const closed = nextClose('slow-drip');
      const { error, at } = await failure(() => c.listTools(), 1_000 + SLACK_MS);
      expect(error).toBeInstanceOf(McpTimeoutError);
      expect((await closed) - at).toBeLessThan(SLACK_MS);
    }
  });

  it("with no deadline at all, the caller's AbortSignal alone stops an endless stream", async () => {
    const c = client('endless-progress', { timeoutMs: 0 });
    for (let i = 0; i < 3; i++) {
      const user = new AbortController();
      let seen = 0;
      const closed = nextClose('endless-progress');
      const { error, at } = await failure(() => c.callTool('t', {}, { signal: user.signal, onProgress: () => void (++seen === 100 && user.abort()) }), 10_000);
      expect(error).toBeInstanceOf(McpAbortError);
      expect((await closed) - at).toBeLessThan(SLACK_MS);
    }
  });
});

describe('SSE line limit', () => {
  it('a 24 MiB unterminated line fails fast as too large, not as a timeout', async () => {
    const c = client('huge-sse-line', { timeoutMs: 20_000 }); // default limit: 16 MiB
    const before = rssMiB();
    const cpu = process.cpuUsage();
    const closed = nextClose('huge-sse-line');
    const { error, ms } = await failure(() => c.listTools(), 20_000 + SLACK_MS);
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1_000;
    await closed;
    const grown = rssMiB() - before;
    report(`huge SSE line: ${(error as Error).name} after ${Math.round(ms)} ms, ${Math.round(cpuMs)} ms CPU (client and server together); RSS ${grown >= 0 ? '+' : ''}${grown.toFixed(1)} MiB`);
    expect(error).toBeInstanceOf(McpResponseTooLargeError);
    expect((error as McpResponseTooLargeError).limit).toBe(16 * MiB);
    expect((error as Error).message).toMatch(/SSE line exceeds/);
    expect(ms).toBeLessThan(10_000);
    expect(cpuMs).toBeLessThan(5_000);
    expect(grown).toBeLessThan(200);
  });
});

describe('listen queue', () => {
  it('an event flood the consumer does not keep up with ends the subscription with a typed error', async () => {
    const c = client('listen-flood', { timeoutMs: 5_000 });
    const before = rssMiB();
    const closed = nextClose('listen-flood');
    const subscription = c.listen({ resourceSubscriptions: ['flood://item/*'] });
    await subscription.acknowledged;
    await closed; // the client closed the stream itself, although nobody read the queue yet
    const events: ListenEvent[] = [];
    let ended: unknown;
    try {
      for await (const event of subscription) events.push(event);
    } catch (error) {
      ended = error;
    }
    const grown = rssMiB() - before;
    report(`listen flood: ${events.length} queued events delivered, then ${(ended as Error)?.name}; RSS ${grown >= 0 ? '+' : ''}${grown.toFixed(1)} MiB`);
    expect(ended).toBeInstanceOf(McpSubscriptionOverflowError);
    expect((ended as McpSubscriptionOverflowError).kind).toBe('subscription_overflow');
    expect(events.length).toBe(1_000); // the default maxQueuedEvents; everything queued is still delivered
    expect(events[0]).toEqual({ kind: 'resourceUpdated', uri: 'flood://item/0' });
    expect(events.at(-1)).toEqual({ kind: 'resourceUpdated', uri: 'flood://item/999' });
    expect(grown).toBeLessThan(64);
  });

  it('the byte bound applies too: a few large events end it before the count does', async () => {
    const c = client('listen-flood', { timeoutMs: 5_000 });
    const closed = nextClose('listen-flood');
    const subscription = c.listen({ resourceSubscriptions: ['flood://item/*'] }, { maxQueuedBytes: 10_000 });
    await closed;
    const events: ListenEvent[] = [];
    const ended = await (async () => {
      for await (const event of subscription) events.push(event);
    })().catch((e: unknown) => e);
    expect(ended).toBeInstanceOf(McpSubscriptionOverflowError);
    expect((ended as McpSubscriptionOverflowError).maxQueuedBytes).toBe(10_000);
    // Each `flood://item/n` event is costed at 64 + 2 × its URI length (about 100 bytes).
    expect(events.length).toBeGreaterThan(50);
    expect(events.length).toBeLessThan(200);
  });
});
