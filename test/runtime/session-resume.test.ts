/**
 * Resumable SSE streams on the 2025-11-25 session wire (templates/runtime/legacy/resumable-streams.ts;
 * ../shared/spec/2025-11-25/docs/basic/transports.mdx "Resumability and Redelivery"): a client that
 * lost a POST stream or the GET stream reconnects with GET + Last-Event-ID and gets what it missed on
 * that stream only. Raw HTTP first, then the official @modelcontextprotocol/client 2.4.0 in its
 * default (legacy) mode with its POST stream, then its GET stream, cut.
 */
import { Client as ClientV2, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, serveHttp, type HttpServerHandle } from './runtime-under-test.ts';
import { ResumableStreams, REPLAY_EVENTS } from '../../templates/runtime/legacy/resumable-streams.ts';
import { SseStream } from '../../templates/runtime/http/sse.ts';
import { testServer } from './helpers.ts';
import { sseEvents } from '../helpers/sse-events.ts';

const LEGACY = '2025-11-25';

const tools = [
  defineTool({
    name: 'ask_name',
    description: 'elicits a name',
    inputSchema: { type: 'object' },
    input: z.looseObject({}),
    handler: async (_input, ctx) => {
      const answer = await ctx.elicit({ message: 'Who are you?', schema: z.object({ name: z.string() }) });
      return { content: [{ type: 'text', text: answer.action === 'accept' ? `hello ${answer.content.name}` : `no name (${answer.action})` }] };
    },
  }),
];

type Message = { id?: string | number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: { code: number; message: string } };
/** SSE events of a response, plus `message()`: the next JSON-RPC message, or a failure if the stream ends first. */
function events(res: Response) {
  const stream = sseEvents(res);
  return {
    ...stream,
    async message(): Promise<{ id?: string; message: Message }> {
      const next = await stream.nextMessage<Message>();
      if (!next) throw new Error('the stream ended before a message');
      return next;
    },
  };
}

const server = testServer({ tools });
let http: HttpServerHandle;
beforeAll(async () => {
  http = await serveHttp(server, { port: 0, handleSignals: false });
});
afterAll(async () => {
  await http.close();
});

const send = (message: unknown, headers: Record<string, string> = {}, method = 'POST') =>
  fetch(http.url, {
    method,
    body: method === 'POST' ? JSON.stringify(message) : undefined,
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
  });

async function initialize() {
  const res = await send({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: LEGACY, capabilities: { elicitation: {} }, clientInfo: { name: 'raw', version: '1' } } });
  await res.text();
  const headers = { 'mcp-session-id': res.headers.get('mcp-session-id')!, 'mcp-protocol-version': LEGACY };
  await send({ jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
  return headers;
}

describe('Last-Event-ID over raw HTTP', () => {
  it('a POST stream cut mid-request resumes on GET: the missed server request, then the response, then the end', async () => {
    const headers = await initialize();
    const post = events(await send({ jsonrpc: '2.0', id: 'call', method: 'tools/call', params: { name: 'ask_name', arguments: {} } }, headers));
    const priming = (await post.next())!;
    expect(priming).toEqual({ id: expect.stringMatching(/^\d+-0$/), data: '' });
    const ask = await post.message();
    expect(ask.message.method).toBe('elicitation/create');
    await post.cancel(); // the connection drops; the request keeps running (not a cancellation)

    // The answer goes in; the response is produced while no connection carries the stream.
    expect((await send({ jsonrpc: '2.0', id: ask.message.id, result: { action: 'accept', content: { name: 'Ada' } } }, headers)).status).toBe(202);
    const resumed = await send(undefined, { ...headers, 'last-event-id': ask.id! }, 'GET');
    expect(resumed.status).toBe(200);
    const replay = events(resumed);
    const response = await replay.message();
    expect(response.message).toMatchObject({ id: 'call', result: { content: [{ type: 'text', text: 'hello Ada' }] } });
    expect(response.id?.split('-')[0]).toBe(ask.id!.split('-')[0]);
    expect(await replay.next()).toBeUndefined(); // the request stream is finished: the connection ends

    // Resuming from the priming id replays everything that stream sent, in order, and nothing else.
    const again = events(await send(undefined, { ...headers, 'last-event-id': priming.id! }, 'GET'));
    expect((await again.message()).message.method).toBe('elicitation/create');
    expect((await again.message()).message.id).toBe('call');
    expect(await again.next()).toBeUndefined();
  });

  it('the GET stream resumes with what was sent while it was down, and never with another stream’s events', async () => {
    const headers = await initialize();
    const first = events(await send(undefined, headers, 'GET'));
    const priming = (await first.next())!;
    expect(priming.id).toMatch(/^\d+-0$/);
    await server.notify.toolsListChanged();
    const seen = await first.message();
    expect(seen.message.method).toBe('notifications/tools/list_changed');
    await first.cancel();
    // Sent while the connection is down (or dying: the log has it either way).
    await server.notify.toolsListChanged();
    const resumed = await send(undefined, { ...headers, 'last-event-id': seen.id! }, 'GET');
    expect(resumed.status).toBe(200);
    const reader = events(resumed);
    const missed = await reader.message();
    expect(missed.message.method).toBe('notifications/tools/list_changed');
    expect(missed.id).toBe(`${seen.id!.split('-')[0]}-${Number(seen.id!.split('-')[1]) + 1}`);
    // The resumed connection is the standalone stream again: later notifications arrive on it live.
    await server.notify.toolsListChanged();
    expect((await reader.message()).id).toBe(`${seen.id!.split('-')[0]}-${Number(seen.id!.split('-')[1]) + 2}`);
    // A POST stream of the same session has its own stream number; its events never show up here.
    const post = events(await send({ jsonrpc: '2.0', id: 'c', method: 'tools/call', params: { name: 'ask_name', arguments: {} } }, headers));
    expect((await post.next())!.id!.split('-')[0]).not.toBe(seen.id!.split('-')[0]);
    const ask = await post.message();
    await send({ jsonrpc: '2.0', id: ask.message.id, result: { action: 'decline' } }, headers);
    expect((await post.message()).message.id).toBe('c');
    await server.notify.toolsListChanged();
    expect((await reader.message()).message.method).toBe('notifications/tools/list_changed');
    await reader.cancel();
  });

  it('event ids are unique across the streams of a session', async () => {
    const headers = await initialize();
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const post = events(await send({ jsonrpc: '2.0', id: `u${i}`, method: 'tools/call', params: { name: 'ask_name', arguments: {} } }, headers));
      for (let e = await post.next(); e; e = await post.next()) {
        expect(ids.has(e.id!)).toBe(false);
        ids.add(e.id!);
        if (e.data && (JSON.parse(e.data) as Message).method === 'elicitation/create')
          await send({ jsonrpc: '2.0', id: (JSON.parse(e.data) as Message).id, result: { action: 'cancel' } }, headers);
      }
    }
    expect(ids.size).toBe(9); // priming, ask, response × 3
  });

  it('an unknown, forged or foreign Last-Event-ID opens a fresh standalone stream (priming first), not a replay', async () => {
    for (const lastEventId of ['999-1', '1-999999', 'not-an-id']) {
      const headers = await initialize();
      const res = await send(undefined, { ...headers, 'last-event-id': lastEventId }, 'GET');
      expect(res.status).toBe(200);
      const stream = events(res);
      const priming = (await stream.next())!;
      expect(priming.data).toBe('');
      expect(priming.id).toMatch(/^\d+-0$/);
      await stream.cancel();
    }
    // Another session's event id replays nothing of that session.
    const headers = await initialize();
    const other = await initialize();
    const post = events(await send({ jsonrpc: '2.0', id: 'x', method: 'tools/call', params: { name: 'ask_name', arguments: {} } }, other));
    await post.next();
    const ask = await post.message();
    await send({ jsonrpc: '2.0', id: ask.message.id, result: { action: 'decline' } }, other);
    await post.message();
    const foreign = events(await send(undefined, { ...headers, 'last-event-id': ask.id! }, 'GET'));
    const first = (await foreign.next())!;
    // This session never had that stream number, or has it as a different stream: either way no elicitation of the other session.
    expect(first.data === '' || (JSON.parse(first.data) as Message).method !== 'elicitation/create').toBe(true);
    await foreign.cancel();
  });
});

describe('the replay log is bounded', () => {
  it(`keeps the newest ${REPLAY_EVENTS} events per session and forgets finished streams it no longer holds`, () => {
    const streams = new ResumableStreams();
    const old = streams.open('request');
    old.send('{"n":0}');
    old.finish();
    expect(streams.find(`${old.number}-0`)).toBeDefined();
    const busy = streams.open('standalone');
    for (let i = 1; i <= REPLAY_EVENTS + 10; i++) busy.send(`{"n":${i}}`);
    expect(streams.find(`${old.number}-0`)).toBeUndefined(); // its only event was pushed out
    expect(streams.eventsOf(busy, 0)).toHaveLength(REPLAY_EVENTS);
    expect(streams.eventsOf(busy, 0)[0]!.seq).toBe(11);
    // A resume from before the window gets what is left, in order.
    const connection = new SseStream(0);
    const found = streams.find(`${busy.number}-3`)!;
    busy.attach(connection, found.after);
    connection.end();
  });

  it('caps the bytes too, but always keeps the newest event', () => {
    const streams = new ResumableStreams(100, 1000);
    const s = streams.open('request');
    s.send(JSON.stringify('x'.repeat(600)));
    s.send(JSON.stringify('y'.repeat(600)));
    expect(streams.eventsOf(s, 0).map((e) => e.seq)).toEqual([2]);
    s.send(JSON.stringify('z'.repeat(5000)));
    expect(streams.eventsOf(s, 0).map((e) => e.seq)).toEqual([3]);
  });
});

describe('@modelcontextprotocol/client 2.4.0 (legacy mode) resumes cut streams', () => {
  it('its tools/call completes after the POST stream is cut right after the priming event', async () => {
    let cut = 0;
    const resumedWith: string[] = [];
    // Cuts the first tools/call response stream after its first event, on both ends (the server sees the drop).
    const cuttingFetch: typeof fetch = async (input, init) => {
      const lastEventId = new Headers(init?.headers).get('last-event-id');
      if (lastEventId) resumedWith.push(lastEventId);
      const res = await fetch(input, init);
      const isCall = typeof init?.body === 'string' && init.body.includes('"tools/call"');
      if (!isCall || cut > 0 || !res.body || !(res.headers.get('content-type') ?? '').includes('text/event-stream')) return res;
      cut += 1;
      const reader = res.body.getReader();
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          let text = '';
          while (!text.includes('\n\n')) {
            const chunk = await reader.read();
            if (chunk.done) break;
            text += new TextDecoder().decode(chunk.value);
          }
          controller.enqueue(new TextEncoder().encode(text.slice(0, text.indexOf('\n\n') + 2)));
          await reader.cancel();
          controller.close();
        },
      });
      return new Response(body, { status: res.status, headers: res.headers });
    };
    const client = new ClientV2({ name: 'v2-resume', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { name: 'Grace' } }) as never);
    const transport = new StreamableHTTPClientTransport(new URL(http.url), {
      fetch: cuttingFetch,
      reconnectionOptions: { initialReconnectionDelay: 10, maxReconnectionDelay: 50, reconnectionDelayGrowFactor: 1, maxRetries: 3 },
    });
    await client.connect(transport);
    try {
      const result = (await client.callTool({ name: 'ask_name', arguments: {} })) as { content: { text: string }[] };
      expect(cut).toBe(1);
      expect(result.content[0]!.text).toBe('hello Grace');
      expect(resumedWith.some((id) => /^\d+-0$/.test(id))).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('its GET stream, cut after the priming event, resumes with Last-Event-ID and gets the list_changed sent meanwhile', async () => {
    let cut: (() => void) | undefined;
    const wasCut = new Promise<void>((resolve) => (cut = resolve));
    let open: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const resumedWith: string[] = [];
    const cuttingFetch: typeof fetch = async (input, init) => {
      if (init?.method !== 'GET') return fetch(input, init);
      const lastEventId = new Headers(init.headers).get('last-event-id');
      if (lastEventId) {
        resumedWith.push(lastEventId);
        await gate; // the reconnect waits until the notification went out while nobody listened
        return fetch(input, init);
      }
      const res = await fetch(input, init);
      if (!res.body || cut === undefined) return res;
      const reader = res.body.getReader();
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          let text = '';
          while (!text.includes('\n\n')) {
            const chunk = await reader.read();
            if (chunk.done) break;
            text += new TextDecoder().decode(chunk.value);
          }
          controller.enqueue(new TextEncoder().encode(text.slice(0, text.indexOf('\n\n') + 2)));
          await reader.cancel();
          controller.close();
          const done = cut!;
          cut = undefined;
          done();
        },
      });
      return new Response(body, { status: res.status, headers: res.headers });
    };
    const client = new ClientV2({ name: 'v2-resume-get', version: '1.0.0' }, { capabilities: {} });
    const changed = new Promise<void>((resolve) => client.setNotificationHandler('notifications/tools/list_changed', () => resolve()));
    const transport = new StreamableHTTPClientTransport(new URL(http.url), {
      fetch: cuttingFetch,
      reconnectionOptions: { initialReconnectionDelay: 10, maxReconnectionDelay: 50, reconnectionDelayGrowFactor: 1, maxRetries: 3 },
    });
    await client.connect(transport);
    try {
      await wasCut;
      await server.notify.toolsListChanged();
      open!();
      await changed;
      expect(resumedWith).toHaveLength(1);
      expect(resumedWith[0]).toMatch(/^\d+-0$/);
    } finally {
      await client.close();
    }
  });
});
