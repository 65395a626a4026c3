/**
 * Malformed servers must produce typed errors quickly: never a hang, never an unhandled
 * rejection. Named behaviours first, then a seeded fuzz of mutated responses.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createClient,
  InputRoundsExceededError,
  LegacyServerError,
  McpClientError,
  McpProtocolError,
  McpResponseTooLargeError,
  McpRpcError,
  McpTimeoutError,
  McpTransportError,
  UnsupportedProtocolVersionError,
  type ClientOptions,
  type McpClient,
} from '../../templates/runtime/client/index.ts';
import { behaviours, startHostileServer, type HostileServer, type Script } from './hostile-server.ts';
import { quietLogger } from './helpers.ts';

let server: HostileServer;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  server = await startHostileServer();
  process.on('unhandledRejection', onUnhandled);
  // The first fetch of a process loads undici, which on a busy machine alone outlasts the 300 ms timeout below.
  await (await fetch(server.url('http-500'), { method: 'POST', body: '{}' })).text();
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await server.close();
});
beforeEach(() => void (unhandled.length = 0));
afterEach(async () => {
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(unhandled).toEqual([]);
});

const client = (behaviour: string, url = server.url(behaviour), extra: Partial<ClientOptions> = {}): McpClient =>
  createClient({
    ...extra,
    url,
    timeoutMs: 300,
    maxResponseBytes: 100_000,
    maxInputRounds: 3,
    logger: quietLogger,
    handlers: { elicit: () => ({ action: 'accept', content: {} }) },
  });

async function failure(promise: Promise<unknown>): Promise<McpClientError> {
  const started = Date.now();
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(Date.now() - started).toBeLessThan(2_000);
  expect(error).toBeInstanceOf(McpClientError);
  return error as McpClientError;
}

describe('named hostile behaviours', () => {
  it.each([
    ['non-json', McpProtocolError],
    ['wrong-id', McpProtocolError],
    ['missing-result', McpProtocolError],
    ['result-not-object', McpProtocolError],
    ['no-jsonrpc', McpProtocolError],
    ['batch-array', McpProtocolError],
    ['error-without-message', McpProtocolError],
    ['server-request', McpProtocolError],
    ['text-plain', McpProtocolError],
    ['accepted-no-body', McpProtocolError],
    ['empty-json', McpProtocolError],
    ['unknown-result-type', McpProtocolError],
    ['input-required-on-list', McpProtocolError],
    ['oversized-json', McpResponseTooLargeError],
    ['oversized-declared', McpResponseTooLargeError],
    ['oversized-sse', McpResponseTooLargeError],
    ['broken-sse-json', McpProtocolError],
    ['sse-ends-early', McpTransportError],
    ['sse-binary-garbage', McpProtocolError],
    ['never-ends', McpTimeoutError],
    ['never-responds', McpTimeoutError],
    ['slow-drip', McpTimeoutError],
    ['http-500', McpTransportError],
    ['redirect', McpTransportError],
    ['reset', McpTransportError],
  ])('%s', async (behaviour, type) => {
    const c = client(behaviour);
    expect(await failure(c.listTools())).toBeInstanceOf(type);
    await c.close();
  });

  it('re-issues a request whose SSE stream broke, once, with a new id', async () => {
    const before = server.hits.length;
    const c = client('sse-ends-early');
    const error = await failure(c.listTools());
    expect(error.kind).toBe('stream_broken');
    expect(server.hits.slice(before).map((h) => h.method)).toEqual(['tools/list', 'tools/list']);
  });

  it.each([
    ['mrtr-forever', InputRoundsExceededError],
    ['mrtr-empty', McpProtocolError],
    ['mrtr-unknown-input', McpProtocolError],
    ['mrtr-bad-state', McpProtocolError],
  ])('tools/call %s', async (behaviour, type) => {
    expect(await failure(client(behaviour).callTool('t'))).toBeInstanceOf(type);
  });

  const modernOnly = (behaviour: string) => client(behaviour, undefined, { era: 'modern' });

  it('pinned to the modern era: names the legacy era, probing the announced revision', async () => {
    const error = await failure(modernOnly('legacy-400').listTools());
    expect(error).toBeInstanceOf(LegacyServerError);
    expect((error as LegacyServerError).serverProtocolVersion).toBe('2025-06-18');
    expect(error.message).toMatch(/legacy, initialize-based MCP revision \(2025-06-18\)/);
    expect(await failure(modernOnly('legacy-404-html').listTools())).toBeInstanceOf(LegacyServerError);
    expect(await failure(modernOnly('legacy-no-discover').discover())).toBeInstanceOf(LegacyServerError);
  });

  it('by default falls back to initialize on the same evidence, then speaks 2025 (a server that forgets sessions fails typed)', async () => {
    const before = server.hits.length;
    const c = client('legacy-400');
    const error = await failure(c.listTools());
    expect(c.era).toBe('legacy');
    expect(c.protocolVersion).toBe('2025-06-18');
    expect(server.hits.slice(before).map((h) => h.method)).toEqual(['tools/list', 'initialize', 'notifications/initialized', 'tools/list']);
    expect(error).toBeInstanceOf(McpRpcError);
    expect((error as McpRpcError).code).toBe(-32000);
    expect(await failure(client('legacy-404-html').listTools())).toBeInstanceOf(McpClientError);
  });

  it('caches the legacy verdict: later requests fail without touching the server', async () => {
    const c = modernOnly('legacy-400');
    await failure(c.listTools());
    const before = server.hits.length;
    expect(await failure(c.listPrompts())).toBeInstanceOf(LegacyServerError);
    expect(server.hits.length).toBe(before);
  });

  it('surfaces -32022 without a mutual version', async () => {
    expect(await failure(client('version-none-mutual').listTools())).toBeInstanceOf(UnsupportedProtocolVersionError);
  });

  it('never fetches a network $ref from a listed schema', async () => {
    const canary = server.url('canary');
    const hostile = await startHostileServer((r, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          jsonrpc: '2.0',
          id: r.id,
          result: { resultType: 'complete', tools: [{ name: 'lookup', inputSchema: { type: 'object', properties: { p: { $ref: canary } } } }] },
        }),
      ),
    );
    const before = server.hits.length;
    const tools = await createClient({ url: hostile.url('mcp'), logger: quietLogger }).listTools();
    expect(tools[0]!.inputSchema).toEqual({ type: 'object', properties: { p: { $ref: canary } } });
    expect(server.hits.length).toBe(before);
    await hostile.close();
  });
});

// ---- seeded fuzz --------------------------------------------------------------------------

function prng(seed: number) {
  return () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

const FUZZ_VALUES = [null, 0, -1, 1.5, '', 'x', true, [], {}, [1, 'a'], { a: { b: [] } }, 'complete', 'input_required', 2 ** 53];

function mutateResponse(random: () => number, id: unknown): { contentType: string; status: number; body: string | Buffer } {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const base: any = { jsonrpc: '2.0', id, result: { resultType: 'complete', tools: [{ name: 't', inputSchema: { type: 'object' } }], ttlMs: 0 } };
  const strategy = Math.floor(random() * 7);
  let text: string;
  if (strategy === 0) {
    // replace a random field with a random value
    const target = pick([base, base.result, base.result.tools[0], base.result.tools[0].inputSchema]);
    target[pick(Object.keys(target))] = pick(FUZZ_VALUES);
    text = JSON.stringify(base);
  } else if (strategy === 1) {
    text = JSON.stringify(base).slice(0, Math.floor(random() * 60)); // truncated
  } else if (strategy === 2) {
    const bytes = Buffer.from(JSON.stringify(base));
    for (let i = 0; i < 3; i++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    return { contentType: pick(['application/json', 'text/event-stream']), status: 200, body: bytes };
  } else if (strategy === 3) {
    text = JSON.stringify(pick(FUZZ_VALUES));
  } else if (strategy === 4) {
    const frame = pick(['data: ', 'data:', 'event: message\ndata: ', 'event: other\ndata: ', ': c\ndata: ', 'id: 1\nretry: x\ndata: ']);
    const end = pick(['\n\n', '\r\n\r\n', '\r\r', '\n', '']);
    return { contentType: 'text/event-stream', status: 200, body: `${frame}${JSON.stringify(base)}${end}`.repeat(1 + Math.floor(random() * 2)) };
  } else if (strategy === 5) {
    base.result = pick([{ resultType: 'input_required', inputRequests: pick(FUZZ_VALUES) }, { resultType: pick(FUZZ_VALUES) }, pick(FUZZ_VALUES)]);
    text = JSON.stringify(base);
  } else {
    return { contentType: pick(['application/json', 'text/html', '']), status: pick([200, 201, 204, 301, 400, 401, 404, 405, 413, 500, 503]), body: JSON.stringify(base) };
  }
  return { contentType: pick(['application/json', 'application/json; charset=utf-8', 'text/event-stream']), status: 200, body: text };
}

describe('fuzz: mutated responses', () => {
  it('every outcome is a result or a typed McpClientError, within the timeout, with no unhandled rejection', async () => {
    const random = prng(20260728);
    const script: Script = (r, res) => {
      const response = mutateResponse(random, r.id);
      if (response.contentType === 'text/event-stream' && response.status === 200) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        return res.end(typeof response.body === 'string' ? response.body : Buffer.concat([Buffer.from('data: '), response.body, Buffer.from('\n\n')]));
      }
      res.writeHead(response.status, response.contentType ? { 'content-type': response.contentType } : {}).end(response.body);
    };
    const fuzz = await startHostileServer(script);
    const outcomes = { ok: 0, typed: 0 };
    try {
      for (let i = 0; i < 250; i++) {
        const c = createClient({ url: fuzz.url('mcp'), timeoutMs: 500, maxResponseBytes: 50_000, logger: quietLogger, cache: false });
        const started = Date.now();
        try {
          await (i % 2 === 0 ? c.listTools() : c.callTool('t', { a: 1 }));
          outcomes.ok += 1;
        } catch (error) {
          if (!(error instanceof McpClientError)) throw new Error(`iteration ${i}: untyped ${String(error)}`, { cause: error });
          outcomes.typed += 1;
        }
        expect(Date.now() - started).toBeLessThan(3_000);
      }
    } finally {
      await fuzz.close();
    }
    expect(outcomes.ok + outcomes.typed).toBe(250);
    expect(outcomes.typed).toBeGreaterThan(100);
  });
});

it('exports every behaviour it tests', () => {
  expect(Object.keys(behaviours).length).toBeGreaterThan(30);
});
