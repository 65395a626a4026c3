/**
 * Reused JSON-RPC request ids within one 2025-11-25 session: ../shared/spec/2025-11-25/docs/basic/
 * index.mdx "Requests" says the requestor MUST NOT reuse an id within a session. The server refuses
 * a reuse with -32600 naming it (HTTP 400), remembers ids in flight and the newest
 * REMEMBERED_REQUEST_IDS finished ones (bounded memory), and keys ids by type (1 ≠ "1").
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, serveHttp, serveStdio, type HttpServerHandle } from './runtime-under-test.ts';
import { LiveSession, REMEMBERED_REQUEST_IDS } from '../../templates/runtime/legacy/live-session.ts';
import { testServer } from './helpers.ts';

const LEGACY = '2025-11-25';
type Message = { id?: string | number; method?: string; result?: Record<string, unknown>; error?: { code: number; message: string } };

let release: (() => void) | undefined;
const tools = [
  defineTool({
    name: 'slow',
    description: 'waits until the test releases it',
    inputSchema: { type: 'object' },
    input: z.looseObject({}),
    handler: async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return { content: [{ type: 'text', text: 'done' }] };
    },
  }),
];

describe('over HTTP', () => {
  let http: HttpServerHandle;
  beforeAll(async () => {
    http = await serveHttp(testServer({ tools }), { port: 0, handleSignals: false });
  });
  afterAll(async () => {
    await http.close();
  });
  const post = (message: unknown, headers: Record<string, string> = {}) =>
    fetch(http.url, { method: 'POST', body: JSON.stringify(message), headers: { 'content-type': 'application/json', accept: 'application/json', ...headers } });

  async function session() {
    const res = await post({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    await res.text();
    const headers = { 'mcp-session-id': res.headers.get('mcp-session-id')!, 'mcp-protocol-version': LEGACY };
    await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
    return headers;
  }

  it('a finished id used again is 400 + -32600 naming the reuse; other ids and other sessions are unaffected', async () => {
    const headers = await session();
    expect(((await (await post({ jsonrpc: '2.0', id: 7, method: 'tools/list' }, headers)).json()) as Message).result).toBeDefined();
    const again = await post({ jsonrpc: '2.0', id: 7, method: 'ping' }, headers);
    expect(again.status).toBe(400);
    const body = (await again.json()) as Message;
    expect(body.id).toBe(7);
    expect(body.error?.code).toBe(-32600);
    expect(body.error?.message).toMatch(/request id 7 was already used in this session/);
    // The same value as a string is another id; the initialize id counts as used.
    expect(((await (await post({ jsonrpc: '2.0', id: '7', method: 'ping' }, headers)).json()) as Message).result).toEqual({});
    expect(((await (await post({ jsonrpc: '2.0', id: 'init', method: 'ping' }, headers)).json()) as Message).error?.code).toBe(-32600);
    // Ids belong to a session: another session may use 7.
    expect(((await (await post({ jsonrpc: '2.0', id: 7, method: 'ping' }, await session())).json()) as Message).result).toEqual({});
  });

  it('an id still in flight is refused without disturbing the running request', async () => {
    const headers = await session();
    const running = post({ jsonrpc: '2.0', id: 'busy', method: 'tools/call', params: { name: 'slow', arguments: {} } }, headers);
    for (let i = 0; i < 400 && !release; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    const twin = (await (await post({ jsonrpc: '2.0', id: 'busy', method: 'tools/list' }, headers)).json()) as Message;
    expect(twin.error?.code).toBe(-32600);
    release!();
    release = undefined;
    expect(((await (await running).json()) as Message).result).toMatchObject({ content: [{ type: 'text', text: 'done' }] });
  });

  it('a client response to a server request is not a request: its id is not claimed', async () => {
    const headers = await session();
    // Nothing waits for server id "s-1": accepted (202) and ignored, and the id stays free for a request.
    expect((await post({ jsonrpc: '2.0', id: 's-1', result: {} }, headers)).status).toBe(202);
    expect(((await (await post({ jsonrpc: '2.0', id: 's-1', method: 'ping' }, headers)).json()) as Message).result).toEqual({});
  });
});

describe('over stdio', () => {
  it('a reused id on the connection’s session is -32600; the first use was answered normally', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const lines: Message[] = [];
    let buffer = '';
    output.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let i; (i = buffer.indexOf('\n')) >= 0; buffer = buffer.slice(i + 1)) lines.push(JSON.parse(buffer.slice(0, i)) as Message);
    });
    const handle = serveStdio(testServer({ tools }), { input, output, redirectConsole: false, exitOnEnd: false });
    const send = (message: unknown) => input.write(`${JSON.stringify(message)}\n`);
    const until = async (predicate: () => boolean) => {
      for (let i = 0; i < 400 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(predicate()).toBe(true);
    };
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'c', version: '1' } } });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'ping' });
    await until(() => lines.some((l) => l.id === 2));
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    send({ jsonrpc: '2.0', id: 1, method: 'ping' });
    await until(() => lines.filter((l) => l.id === 2).length === 2 && lines.filter((l) => l.id === 1).length === 2);
    expect(lines.filter((l) => l.id === 2).map((l) => l.result ?? l.error?.code)).toEqual([{}, -32600]);
    expect(lines.filter((l) => l.id === 1)[1]!.error?.message).toMatch(/already used in this session/);
    input.end();
    await handle.closed;
  });
});

describe('bounded memory', () => {
  it(`remembers the newest ${REMEMBERED_REQUEST_IDS} finished ids, and every id in flight`, () => {
    const session = new LiveSession({ id: 's', protocolVersion: LEGACY, clientCapabilities: {}, subscriptions: [], initialized: true, createdAt: 0, lastSeenAt: 0 });
    session.inbound.set(0, new AbortController()); // in flight, never claimed through the set
    expect(session.claimRequestId(0)).toBe(false);
    for (let i = 1; i <= REMEMBERED_REQUEST_IDS + 1; i++) expect(session.claimRequestId(i)).toBe(true);
    expect(session.claimRequestId(1)).toBe(true); // pushed out of the window: no longer detected
    expect(session.claimRequestId(REMEMBERED_REQUEST_IDS + 1)).toBe(false);
    expect(session.claimRequestId(`${REMEMBERED_REQUEST_IDS + 1}`)).toBe(true);
  });
});
