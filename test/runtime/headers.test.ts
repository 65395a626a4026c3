import { describe, expect, it } from 'vitest';
import { checkParamHeaders, checkStandardHeaders, compileUriTemplate, decodeHeaderValue } from './runtime-under-test.ts';

const lookup = (headers: Record<string, string>) => ({ get: (name: string) => Object.entries(headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] });
const mismatch = expect.objectContaining({ code: -32020, httpStatus: 400 });

describe('Base64 sentinel values', () => {
  it.each([
    ['us-west1', 'us-west1'],
    ['  padded-by-OWS  ', 'padded-by-OWS'],
    ['=?base64?SGVsbG8sIOS4lueVjA==?=', 'Hello, 世界'],
    ['=?base64?IHBhZGRlZCA=?=', ' padded '],
    ['=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=', '=?base64?literal?='],
    ['=?base64?SGVsbG8=', '=?base64?SGVsbG8='],
    ['SGVsbG8=?=', 'SGVsbG8=?='],
  ])('%j → %j', (raw, decoded) => expect(decodeHeaderValue(raw)).toBe(decoded));

  it.each(['=?base64?SGVsbG8?=', '=?base64?SGVs!!!bG8=?=', 'caf\u00e9', 'a\u0001b', '=?base64?/w==?='])('rejects %j', (raw) =>
    expect(decodeHeaderValue(raw)).toBeUndefined(),
  );
});

describe('standard headers', () => {
  const params = { name: 'get_weather' };
  const ok = { 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'tools/call', 'Mcp-Name': 'get_weather' };

  it('accepts matching headers in any name case, with OWS', () => {
    expect(() => checkStandardHeaders(lookup({ 'mcp-protocol-version': '2026-07-28', 'MCP-METHOD': ' tools/call ', 'mcp-name': ' get_weather' }), 'tools/call', params, '2026-07-28')).not.toThrow();
    expect(() => checkStandardHeaders(lookup({ ...ok, 'Mcp-Name': '=?base64?Z2V0X3dlYXRoZXI=?=' }), 'tools/call', params, '2026-07-28')).not.toThrow();
  });

  it.each([
    ['version missing', { 'MCP-Protocol-Version': undefined }],
    ['version differs from _meta', { 'MCP-Protocol-Version': '2025-11-25' }],
    ['method missing', { 'Mcp-Method': undefined }],
    ['method case differs', { 'Mcp-Method': 'TOOLS/CALL' }],
    ['name missing', { 'Mcp-Name': undefined }],
    ['name differs', { 'Mcp-Name': 'other' }],
  ])('rejects: %s', (_label, change) => {
    const headers = Object.fromEntries(Object.entries({ ...ok, ...change }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    expect(() => checkStandardHeaders(lookup(headers), 'tools/call', params, '2026-07-28')).toThrow(mismatch);
  });

  it('uses params.uri for resources/read and nothing for lists', () => {
    expect(() => checkStandardHeaders(lookup({ ...ok, 'Mcp-Method': 'resources/read', 'Mcp-Name': 'file:///a' }), 'resources/read', { uri: 'file:///a' }, '2026-07-28')).not.toThrow();
    expect(() => checkStandardHeaders(lookup({ 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'tools/list' }), 'tools/list', {}, '2026-07-28')).not.toThrow();
  });
});

describe('Mcp-Param headers', () => {
  const params = [
    { header: 'Region', path: ['region'] },
    { header: 'Level', path: ['opts', 'level'] },
    { header: 'Dry', path: ['dry'] },
  ];
  it('accepts matching, base64 and numerically equal values, and absent/null ones', () => {
    expect(() => checkParamHeaders(lookup({ 'Mcp-Param-Region': '=?base64?SGVsbG8=?=', 'mcp-param-level': '42.0', 'Mcp-Param-Dry': 'true' }), params, { region: 'Hello', opts: { level: 42 }, dry: true })).not.toThrow();
    expect(() => checkParamHeaders(lookup({}), params, { region: null })).not.toThrow();
  });
  it.each([
    ['missing header', {}, { region: 'x' }],
    ['bad padding', { 'Mcp-Param-Region': '=?base64?SGVsbG8?=' }, { region: 'Hello' }],
    ['mismatch', { 'Mcp-Param-Region': 'a' }, { region: 'b' }],
    ['header without body value', { 'Mcp-Param-Region': 'a' }, {}],
    ['boolean case', { 'Mcp-Param-Dry': 'TRUE' }, { dry: true }],
  ])('rejects: %s', (_label, headers, args) => expect(() => checkParamHeaders(lookup(headers as Record<string, string>), params, args)).toThrow(mismatch));
});

describe('URI templates', () => {
  it.each([
    ['test://template/{id}/data', 'test://template/123/data', { id: '123' }],
    ['file:///{+path}', 'file:///a/b%20c.txt', { path: 'a/b c.txt' }],
    ['x://s{/a,b}', 'x://s/1/2', { a: '1', b: '2' }],
    ['x://q{?x,y}', 'x://q?y=2&x=1', { x: '1', y: '2' }],
    ['x://{a}.{b}', 'x://one.two', { a: 'one', b: 'two' }],
  ])('%s matches %s', (template, uri, params) => expect(compileUriTemplate(template).match(uri)).toEqual(params));

  it('does not match other shapes', () => {
    expect(compileUriTemplate('test://template/{id}/data').match('test://template/1/2/data')).toBeUndefined();
    expect(compileUriTemplate('test://template/{id}/data').match('test://other')).toBeUndefined();
  });
});
