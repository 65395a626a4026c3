/** Pure pieces: header value encoding, x-mcp-header validation, URI template expansion, SSE parsing, the result cache. */
import { describe, expect, it } from 'vitest';
import { decodeHeaderValue } from '../../templates/runtime/mirrored-headers.ts';
import { McpResponseTooLargeError, ResultCache, checkHeaderParams, encodeHeaderText, expandUriTemplate } from '../../templates/runtime/client/index.ts';
import { paramHeaders } from '../../templates/runtime/client/tool-header-params.ts';
import { readSseEvents } from '../../templates/runtime/client/sse-reader.ts';

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
