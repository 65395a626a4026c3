/** Pure pieces: header value encoding, x-mcp-header validation, URI template expansion, SSE parsing, the result cache. */
import { describe, expect, it } from 'vitest';
import { decodeHeaderValue } from '../../templates/runtime/mirrored-headers.ts';
import { McpResponseTooLargeError, ResultCache, checkHeaderParams, encodeHeaderText, expandUriTemplate } from '../../templates/runtime/client/index.ts';
import { paramHeaders } from '../../templates/runtime/client/tool-header-params.ts';
import { readSseEvents } from '../../templates/runtime/client/sse-reader.ts';
import { LineSplitter } from '../../templates/runtime/client/line-splitter.ts';

describe('header value encoding (streamable-http.mdx "Value Encoding")', () => {
  it.each([
    ['us-west1', 'us-west1'],
    ['us west 1', 'us west 1'],
    ['', ''],
    ['Hello, 世界', '=?base64?SGVsbG8sIOS4lueVjA==?='],
    [' padded ', '=?base64?IHBhZGRlZCA=?='],
    ['line1\nline2', '=?base64?bGluZTEKbGluZTI=?='],
    ['\tindented', `=?base64?${Buffer.from('\tindented').toString('base64')}?=`],
    ['=?base64?literal?=', '=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?='],
  ])('%j → %j, and the server runtime decodes it back', (value, encoded) => {
    expect(encodeHeaderText(value)).toBe(encoded);
    expect(decodeHeaderValue(encoded)).toBe(value);
  });

  it('mirrors params by path, omits null/absent, encodes integers and booleans', () => {
    const params = [
      { header: 'Region', path: ['region'] },
      { header: 'Priority', path: ['priority'] },
      { header: 'Verbose', path: ['verbose'] },
      { header: 'Deep', path: ['a', 'b'] },
      { header: 'Gone', path: ['gone'] },
    ];
    expect(paramHeaders(params, { region: 'eu', priority: 42, verbose: false, a: { b: 'x' }, gone: null })).toEqual({
      'Mcp-Param-Region': 'eu',
      'Mcp-Param-Priority': '42',
      'Mcp-Param-Verbose': 'false',
      'Mcp-Param-Deep': 'x',
    });
    expect(() => paramHeaders([{ header: 'N', path: ['n'] }], { n: 2 ** 60 })).toThrow(/2\^53/);
  });
});

describe('x-mcp-header validation (server/tools.mdx "x-mcp-header")', () => {
  const schema = (properties: object, extra: object = {}) => ({ type: 'object', properties, ...extra });
  it('accepts valid annotations, nested through properties only', () => {
    expect(checkHeaderParams(schema({ region: { type: 'string', 'x-mcp-header': 'Region' }, o: { type: 'object', properties: { n: { type: 'integer', 'x-mcp-header': 'N' } } } }))).toEqual({
      ok: true,
      params: [
        { header: 'Region', path: ['region'] },
        { header: 'N', path: ['o', 'n'] },
      ],
    });
    // A property *named* x-mcp-header is not an annotation; `default` data is not walked.
    expect(checkHeaderParams(schema({ 'x-mcp-header': { type: 'string' }, d: { type: 'object', default: { 'x-mcp-header': 1 } } })).ok).toBe(true);
  });
  it.each([
    ['empty', schema({ v: { type: 'string', 'x-mcp-header': '' } })],
    ['object type', schema({ v: { type: 'object', 'x-mcp-header': 'V' } })],
    ['array type', schema({ v: { type: 'array', 'x-mcp-header': 'V' } })],
    ['null type', schema({ v: { type: 'null', 'x-mcp-header': 'V' } })],
    ['number type', schema({ v: { type: 'number', 'x-mcp-header': 'V' } })],
    ['no type', schema({ v: { 'x-mcp-header': 'V' } })],
    ['duplicate', schema({ a: { type: 'string', 'x-mcp-header': 'R' }, b: { type: 'string', 'x-mcp-header': 'R' } })],
    ['duplicate ignoring case', schema({ a: { type: 'string', 'x-mcp-header': 'My' }, b: { type: 'string', 'x-mcp-header': 'my' } })],
    ['space', schema({ v: { type: 'string', 'x-mcp-header': 'My Region' } })],
    ['colon', schema({ v: { type: 'string', 'x-mcp-header': 'A:B' } })],
    ['non-ASCII', schema({ v: { type: 'string', 'x-mcp-header': 'Région' } })],
    ['control char', schema({ v: { type: 'string', 'x-mcp-header': 'A\tB' } })],
    ['inside items', schema({ v: { type: 'array', items: { type: 'string', 'x-mcp-header': 'I' } } })],
    ['inside anyOf', schema({}, { anyOf: [{ properties: { v: { type: 'string', 'x-mcp-header': 'V' } } }] })],
    ['inside $defs', schema({}, { $defs: { d: { type: 'string', 'x-mcp-header': 'D' } } })],
    ['on the root', { type: 'object', 'x-mcp-header': 'Root' }],
  ])('rejects %s', (_label, inputSchema) => {
    expect(checkHeaderParams(inputSchema).ok).toBe(false);
  });
});

describe('URI template expansion', () => {
  it.each([
    ['weather://{city}/forecast', { city: 'New York' }, 'weather://New%20York/forecast'],
    ['file:///{+path}', { path: 'a/b c' }, 'file:///a/b%20c'],
    ['x://s{/seg}', { seg: 'a' }, 'x://s/a'],
    ['x://q{?a,b}', { a: '1', b: '' }, 'x://q?a=1&b='],
    ['x://q{?a,b}', { a: '1' }, 'x://q?a=1'],
    ['x://{id}/data', { id: '123' }, 'x://123/data'],
  ])('%s with %j', (template, values, expected) => {
    expect(expandUriTemplate(template, values)).toBe(expected);
  });
  it('reads only own values: variables named like Object.prototype members are unset, not inherited', () => {
    expect(expandUriTemplate('x://{constructor}/{toString}{?__proto__,hasOwnProperty}', {})).toBe('x:///');
    expect(expandUriTemplate('x://{constructor}{?__proto__}', JSON.parse('{"constructor":"c","__proto__":"p"}'))).toBe('x://c?__proto__=p');
  });
});

describe('x-mcp-header values', () => {
  it('reads own properties only: a `constructor` path never mirrors Object', () => {
    const params = [{ header: 'C', path: ['constructor'] }, { header: 'P', path: ['__proto__', 'x'] }];
    expect(paramHeaders(params, {})).toEqual({});
    expect(paramHeaders(params, JSON.parse('{"constructor":"own","__proto__":{"x":7}}'))).toEqual({ 'Mcp-Param-C': 'own', 'Mcp-Param-P': '7' });
  });
});

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}
async function collect(stream: ReadableStream<Uint8Array>, limit = 1_000) {
  const events = [];
  for await (const event of readSseEvents(stream, limit)) events.push(event);
  return events;
}

describe('SSE reader', () => {
  it('handles comments, CRLF, CR, split chunks and multi-line data', async () => {
    expect(await collect(streamOf(':keep-alive\r\n', 'event: message\r\nda', 'ta: {"a":1}\r\n\r\n', 'data: x\rdata: y\r\r', 'data:z\n\n'))).toEqual([
      { event: 'message', data: '{"a":1}' },
      { event: 'message', data: 'x\ny' },
      { event: 'message', data: 'z' },
    ]);
  });
  it('drops an unterminated trailing event and bounds event size', async () => {
    expect(await collect(streamOf('data: 1\n\ndata: 2'))).toEqual([{ event: 'message', data: '1' }]);
    await expect(collect(streamOf(`data: ${'x'.repeat(2_000)}\n\n`))).rejects.toBeInstanceOf(McpResponseTooLargeError);
    await expect(collect(streamOf('x'.repeat(2_000)))).rejects.toBeInstanceOf(McpResponseTooLargeError);
  });
  it('keeps CRLF split across chunks as one line end, and UTF-8 split across chunks whole', async () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    const euro = bytes('€'); // three bytes
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes('data: a\r'));
        controller.enqueue(bytes('\ndata: b'));
        controller.enqueue(euro.subarray(0, 1));
        controller.enqueue(euro.subarray(1));
        controller.enqueue(bytes('\r\n\r'));
        controller.enqueue(bytes('\n'));
        controller.close();
      },
    });
    expect(await collect(stream)).toEqual([{ event: 'message', data: 'a\nb€' }]);
  });
  it('strips a BOM only at the start of the stream', async () => {
    expect(await collect(streamOf('\ufeffdata: 1\n\n\ufeffdata: 2\n\n'))).toEqual([{ event: 'message', data: '1' }]);
  });
  it('delivers the events before an oversized line in the same chunk, then fails', async () => {
    const events: unknown[] = [];
    const failed = (async () => {
      for await (const event of readSseEvents(streamOf(`data: ok\n\ndata: ${'x'.repeat(2_000)}`), 1_000)) events.push(event);
    })();
    await expect(failed).rejects.toThrow(/SSE line exceeds the 1000-byte limit/);
    expect(events).toEqual([{ event: 'message', data: 'ok' }]);
  });
  it('finds an oversized line in linear time: 16 MiB in 64 KiB chunks', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x78);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 16 * 16 + 1) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const started = performance.now();
    const error = await collect(stream, 16 * 1024 * 1024).catch((e: unknown) => e);
    const ms = performance.now() - started;
    console.info(`[sse-reader] 16 MiB unterminated line rejected after ${Math.round(ms)} ms (${sent} chunks read)`);
    expect(error).toBeInstanceOf(McpResponseTooLargeError);
    expect(sent).toBeLessThanOrEqual(16 * 16 + 2); // it read up to the limit (and the stream pulled one ahead), no further
    expect(ms).toBeLessThan(3_000); // quadratic rescanning took 12.8 s of CPU here
  });
  it('stops at once when its signal aborts, cancelling the stream', async () => {
    let cancelled: unknown;
    let pulls = 0;
    const deadline = new AbortController();
    const endless = new ReadableStream<Uint8Array>({
      pull: (source) => {
        if (++pulls === 50) deadline.abort(new Error('deadline'));
        // "Endless", but finite, so a reader that ignores the signal fails this test instead of hanging it.
        if (pulls > 10_000) source.close();
        else source.enqueue(new TextEncoder().encode(': keep-alive\n\n'));
      },
      cancel: (reason) => void (cancelled = reason),
    });
    const reading = (async () => {
      for await (const _event of readSseEvents(endless, 1_000, deadline.signal));
    })();
    await expect(reading).rejects.toThrow('deadline');
    expect(pulls).toBeLessThan(53);
    expect(cancelled).toBe(deadline.signal.reason);
  });
});

describe('line splitter', () => {
  it("'lf' ends lines at LF only and drops one CR before it", () => {
    const lines = new LineSplitter(100, 'lf');
    const bytes = (text: string) => new TextEncoder().encode(text);
    expect(lines.push(bytes('a\r\nb\rc\n\nd'))).toEqual(['a', 'b\rc', '']);
    expect(lines.push(bytes('e\r'))).toEqual([]);
    expect(lines.push(bytes('\n'))).toEqual(['de']);
  });
  it('counts a line across chunks against the limit and keeps the lines before it', () => {
    const lines = new LineSplitter(10, 'lf', 'A test line');
    const bytes = (text: string) => new TextEncoder().encode(text);
    expect(lines.push(bytes('12345'))).toEqual([]);
    expect(lines.push(bytes('67890\nok\n'))).toEqual(['1234567890', 'ok']);
    expect(lines.failure).toBeUndefined();
    expect(lines.push(bytes('fine\n123456'))).toEqual(['fine']);
    expect(lines.push(bytes('7890a'))).toEqual([]);
    expect(lines.failure).toBeInstanceOf(McpResponseTooLargeError);
    expect(lines.failure!.message).toBe('A test line exceeds the 10-byte limit');
    expect(lines.push(bytes('\nlater\n'))).toEqual([]); // a broken stream stays broken
  });
});

describe('result cache (server/utilities/caching.mdx)', () => {
  it('honours ttlMs, keys by params, and scopes private entries by identity', () => {
    let now = 1_000;
    const cache = new ResultCache({ now: () => now });
    const pub = { tools: [], ttlMs: 100, cacheScope: 'public' };
    const priv = { contents: [], ttlMs: 100, cacheScope: 'private' };
    expect(cache.set('tools/list', {}, pub, 'alice')).toBe(true);
    expect(cache.set('resources/read', { uri: 'a://1' }, priv, 'alice')).toBe(true);
    expect(cache.get('tools/list', { _meta: { x: 1 } }, 'bob')).toBe(pub); // public is shared, _meta is not part of the key
    expect(cache.get('tools/list', { cursor: 'c' }, 'alice')).toBeUndefined();
    expect(cache.get('resources/read', { uri: 'a://1' }, 'alice')).toBe(priv);
    expect(cache.get('resources/read', { uri: 'a://1' }, 'bob')).toBeUndefined();
    now += 100;
    expect(cache.get('tools/list', {}, 'alice')).toBeUndefined();
  });
  it('does not store ttl 0, negative or absent ttl, unknown scope is private, invalidates by method and params', () => {
    const cache = new ResultCache();
    expect(cache.set('tools/list', {}, { ttlMs: 0 }, 'a')).toBe(false);
    expect(cache.set('tools/list', {}, { ttlMs: -5 }, 'a')).toBe(false);
    expect(cache.set('tools/list', {}, {}, 'a')).toBe(false);
    expect(cache.set('tools/call', {}, { ttlMs: 10_000 }, 'a')).toBe(false);
    cache.set('tools/list', {}, { ttlMs: 10_000 }, 'a');
    expect(cache.get('tools/list', {}, 'b')).toBeUndefined();
    cache.set('resources/read', { uri: 'x' }, { ttlMs: 10_000, cacheScope: 'public' }, 'a');
    cache.set('resources/read', { uri: 'y' }, { ttlMs: 10_000, cacheScope: 'public' }, 'a');
    cache.invalidate('resources/read', (p) => p.uri === 'x');
    expect(cache.get('resources/read', { uri: 'x' }, 'a')).toBeUndefined();
    expect(cache.get('resources/read', { uri: 'y' }, 'a')).toBeDefined();
    cache.invalidate('tools/list');
    expect(cache.get('tools/list', {}, 'a')).toBeUndefined();
  });
});
