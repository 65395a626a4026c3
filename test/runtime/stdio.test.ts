import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, serveStdio } from './runtime-under-test.ts';
import { request, testServer } from './helpers.ts';

function harness() {
  const slow = defineTool({
    name: 'slow',
    description: 'waits',
    inputSchema: { type: 'object' },
    input: z.looseObject({ ms: z.number() }),
    handler: async (input, ctx) => {
      ctx.progress(1);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, input.ms);
        ctx.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()));
      });
      return { content: [{ type: 'text', text: `slept ${input.ms}` }] };
    },
  });
  const input = new PassThrough();
  const output = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  let buffer = '';
  output.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buffer.slice(0, i)) as Record<string, unknown>);
      buffer = buffer.slice(i + 1);
    }
  });
  const handle = serveStdio(testServer({ tools: [slow] }), { input, output, redirectConsole: false, exitOnEnd: false });
  const send = (message: unknown) => input.write(`${JSON.stringify(message)}\n`);
  const until = async (predicate: () => boolean) => {
    for (let i = 0; i < 200 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  return { input, lines, handle, send, until };
}

describe('stdio transport', () => {
  it('frames one JSON message per line, answers concurrently, reports parse errors without id', async () => {
    const { input, lines, handle, send, until } = harness();
    send(request('tools/call', { name: 'slow', arguments: { ms: 60 } }, { id: 'a' }));
    send(request('tools/call', { name: 'slow', arguments: { ms: 1 } }, { id: 'b' }));
    input.write('{not json\n');
    await until(() => lines.filter((l) => 'result' in l).length === 2);
    const responses = lines.filter((l) => 'id' in l || 'error' in l);
    expect(responses.map((l) => l.id ?? 'parse-error')).toEqual(['parse-error', 'b', 'a']);
    expect(responses[0]).toEqual({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' } });
    input.end();
    await handle.closed;
  });

  it('notifications/cancelled aborts the handler and suppresses its response', async () => {
    const { input, lines, handle, send, until } = harness();
    send(request('tools/call', { name: 'slow', arguments: { ms: 5_000 } }, { id: 7, meta: { progressToken: 't' } }));
    await until(() => lines.length === 1);
    send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 7, reason: 'user' } });
    send(request('server/discover', {}, { id: 8 }));
    await until(() => lines.some((l) => l.id === 8));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines.map((l) => l.method ?? l.id)).toEqual(['notifications/progress', 8]);
    input.end();
    await handle.closed;
  });

  it('ends listen streams gracefully on EOF', async () => {
    const { input, lines, handle, send, until } = harness();
    send(request('subscriptions/listen', { notifications: { toolsListChanged: true } }, { id: 'sub' }));
    await until(() => lines.length === 1);
    input.end();
    await handle.closed;
    expect(lines.map((l) => l.method ?? l.id)).toEqual(['notifications/subscriptions/acknowledged', 'sub']);
  });
});

describe('stdio shutdown', () => {
  it('a handler that never settles does not keep the server alive after stdin ends', async () => {
    const hung = defineTool({
      name: 'hung',
      description: 'never returns',
      inputSchema: { type: 'object' },
      input: z.looseObject({}),
      handler: () => new Promise<{ content: [] }>(() => undefined),
    });
    const input = new PassThrough();
    const output = new PassThrough();
    output.resume();
    const handle = serveStdio(testServer({ tools: [hung] }), { input, output, redirectConsole: false, exitOnEnd: false, drainTimeoutMs: 100 });
    input.write(`${JSON.stringify(request('tools/call', { name: 'hung', arguments: {} }))}\n`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    input.end();
    const outcome = await Promise.race([handle.closed.then(() => 'closed'), new Promise((resolve) => setTimeout(() => resolve('still running'), 4_000))]);
    expect(outcome).toBe('closed');
  });
});
