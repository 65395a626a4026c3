/**
 * Seeded, deterministic generators of hostile MCP traffic (shared by the HTTP and stdio fuzzers).
 * Every case is a plain description (headers, body bytes, expectations); nothing here does I/O.
 */

export interface Rng {
  /** [0, 1) */
  next(): number;
  int(maxExclusive: number): number;
  range(min: number, maxInclusive: number): number;
  bool(probability?: number): boolean;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: tiny, fast, good enough for test-case selection; the same seed gives the same cases. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    range: (min, max) => min + int(max - min + 1),
    bool: (p = 0.5) => next() < p,
    pick: (items) => items[int(items.length)]!,
  };
}

export const VERSION = '2026-07-28';

export const KNOWN_METHODS = [
  'server/discover',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'subscriptions/listen',
  // removed or never served
  'initialize',
  'ping',
  'notifications/initialized',
  'logging/setLevel',
  'resources/subscribe',
  'tasks/get',
  'sampling/createMessage',
  'elicitation/create',
  'roots/list',
] as const;

const NASTY_STRINGS = [
  '',
  ' ',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '\u0000',
  '\ud800',
  '\udfff',
  '\u202e',
  '\uffff',
  '😀',
  'TOOLS/CALL',
  'tools/call ',
  ' tools/call',
  'tools//call',
  '=?base64?dG9vbHMvY2FsbA==?=',
  '%00',
  '../../etc/passwd',
  'test://template/{id}/data',
  'test://template//data',
  'test://template/%2F/data',
  'x'.repeat(1000),
  '\r\n',
  '\\',
  '"',
  '1e309',
  'NaN',
  'null',
];

const NASTY_NUMBERS = [0, -0, 1, -1, 0.5, 1e308, -1e308, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), Number.MIN_VALUE, 4294967296, 1.5e-10];

export function randomString(rng: Rng, maxLength = 24): string {
  if (rng.bool(0.3)) return rng.pick(NASTY_STRINGS);
  const length = rng.int(maxLength + 1);
  let out = '';
  for (let i = 0; i < length; i++) {
    const roll = rng.next();
    out += roll < 0.7 ? String.fromCharCode(0x20 + rng.int(95)) : roll < 0.9 ? String.fromCharCode(rng.int(0x800)) : String.fromCharCode(rng.int(0x10000));
  }
  return out;
}

export function randomJson(rng: Rng, depth = 3): unknown {
  const roll = rng.int(depth > 0 ? 8 : 5);
  switch (roll) {
    case 0:
      return null;
    case 1:
      return rng.bool();
    case 2:
      return rng.bool(0.5) ? rng.pick(NASTY_NUMBERS) : rng.range(-1000, 1000);
    case 3:
    case 4:
      return randomString(rng);
    case 5:
      return Array.from({ length: rng.int(4) }, () => randomJson(rng, depth - 1));
    default: {
      const obj: Record<string, unknown> = {};
      for (let i = rng.int(4); i > 0; i--) obj[randomString(rng, 8)] = randomJson(rng, depth - 1);
      return obj;
    }
  }
}

/** Nested arrays/objects `depth` levels deep, as text (building it as a value would be slower). */
export function deepText(depth: number, kind: 'array' | 'object' | 'mixed', leaf = '1'): string {
  if (kind === 'array') return '['.repeat(depth) + leaf + ']'.repeat(depth);
  if (kind === 'object') return '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    if (i % 2) {
      open += '[';
      close = ']' + close;
    } else {
      open += '{"k":';
      close = '}' + close;
    }
  }
  return open + leaf + close;
}

export function meta(capabilities: Record<string, unknown> = { elicitation: {}, sampling: {}, roots: {} }) {
  return {
    'io.modelcontextprotocol/protocolVersion': VERSION,
    'io.modelcontextprotocol/clientCapabilities': capabilities,
    'io.modelcontextprotocol/clientInfo': { name: 'fuzz', version: '1.0.0' },
  };
}

export interface RpcRequest {
  jsonrpc: '2.0';
  id?: unknown;
  method: string;
  params?: Record<string, unknown>;
}

/** A well-formed request of a random served method (the seed of most mutations). */
export function validRequest(rng: Rng, id: number | string, tokens: RealTokens): RpcRequest {
  const params = (extra: Record<string, unknown>): Record<string, unknown> => ({ ...extra, _meta: meta() });
  switch (rng.int(11)) {
    case 0:
      return { jsonrpc: '2.0', id, method: 'server/discover', params: params({}) };
    case 1:
      return { jsonrpc: '2.0', id, method: 'tools/list', params: params(rng.bool(0.3) ? { cursor: tokens.toolsCursor } : {}) };
    case 2:
      return { jsonrpc: '2.0', id, method: 'tools/call', params: params({ name: 'test_simple_text', arguments: {} }) };
    case 3:
      return { jsonrpc: '2.0', id, method: 'tools/call', params: params({ name: 'test_x_mcp_header', arguments: { region: rng.pick(['eu', 'us-west', 'ü', ' x ']), level: rng.int(5) } }) };
    case 4:
      return { jsonrpc: '2.0', id, method: 'tools/call', params: params({ name: 'test_input_required_result_elicitation', arguments: {} }) };
    case 5:
      return {
        jsonrpc: '2.0',
        id,
        method: 'tools/call',
        params: params({ name: 'test_input_required_result_multi_round', arguments: {}, requestState: tokens.requestState, inputResponses: { step1: { action: 'accept', content: { name: 'A' } } } }),
      };
    case 6:
      return { jsonrpc: '2.0', id, method: 'resources/read', params: params({ uri: rng.pick(['test://static-text', 'test://template/7/data', 'test://nope']) }) };
    case 7:
      return { jsonrpc: '2.0', id, method: 'prompts/get', params: params({ name: 'test_prompt_with_arguments', arguments: { arg1: 'a', arg2: 'b' } }) };
    case 8:
      return { jsonrpc: '2.0', id, method: 'prompts/list', params: params(rng.bool(0.3) ? { cursor: tokens.promptsCursor } : {}) };
    case 9:
      return { jsonrpc: '2.0', id, method: 'completion/complete', params: params({ ref: { type: 'ref/resource', uri: 'test://template/{id}/data' }, argument: { name: 'id', value: '1' } }) };
    default:
      return { jsonrpc: '2.0', id, method: 'resources/templates/list', params: params({}) };
  }
}

export interface RealTokens {
  toolsCursor: string;
  promptsCursor: string;
  /** requestState of test_input_required_result_multi_round's first round. */
  requestState: string;
  /** A live 2025-11-25 session (initialized with no client capabilities, so asks fail fast). */
  sessionId?: string;
}

/** Bit flips, truncation, re-encoding and splicing of a real sealed token. */
export function forgeToken(rng: Rng, real: string, other: string): unknown {
  switch (rng.int(10)) {
    case 0:
      return real.slice(0, rng.int(real.length));
    case 1: {
      const i = rng.int(real.length);
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      return real.slice(0, i) + alphabet[rng.int(alphabet.length)] + real.slice(i + 1);
    }
    case 2:
      return real + real.slice(0, rng.int(8));
    case 3:
      return other;
    case 4:
      return Buffer.from(randomString(rng, 64)).toString('base64url');
    case 5:
      return real.split('').reverse().join('');
    case 6:
      return randomJson(rng, 2);
    case 7:
      return real.replace(/[-_]/g, (c) => (c === '-' ? '+' : '/'));
    case 8:
      return `${real.slice(0, real.length >> 1)}.${real.slice(real.length >> 1)}`;
    default:
      return 'A'.repeat(rng.range(1, 400));
  }
}

/** Sets `value` at a random place in the request (JSON-RPC envelope, params, _meta or arguments). */
export function mutateTypes(rng: Rng, request: RpcRequest): unknown {
  const copy = structuredClone(request) as unknown as Record<string, unknown>;
  const params = (copy.params ?? {}) as Record<string, unknown>;
  const m = (params._meta ?? {}) as Record<string, unknown>;
  const value = randomJson(rng, 2);
  switch (rng.int(12)) {
    case 0:
      copy.jsonrpc = value;
      break;
    case 1:
      copy.id = rng.bool(0.5) ? value : rng.pick([1.5, -0, true, null, {}, [], '', 2 ** 64]);
      break;
    case 2:
      copy.method = value;
      break;
    case 3:
      copy.params = rng.bool(0.5) ? value : rng.pick([[], 'x', 1, null, true]);
      break;
    case 4:
      params._meta = value;
      break;
    case 5:
      m[rng.pick(Object.keys(meta()))] = value;
      break;
    case 6:
      m[rng.pick(['io.modelcontextprotocol/logLevel', 'progressToken', 'traceparent', 'io.modelcontextprotocol/clientCapabilities'])] = value;
      break;
    case 7:
      params.name = value;
      break;
    case 8:
      params.arguments = value;
      break;
    case 9:
      params[rng.pick(['uri', 'cursor', 'ref', 'argument', 'context', 'filter'])] = value;
      break;
    case 10:
      params.inputResponses = rng.bool(0.5) ? value : { [randomString(rng, 8)]: value };
      break;
    default:
      delete (rng.bool(0.5) ? copy : params)[rng.pick(['jsonrpc', 'method', 'id', 'params', '_meta', 'name', 'arguments'])];
  }
  return copy;
}

/** Truncations, byte garbage, and near-JSON that JSON.parse rejects. */
export function malformedJson(rng: Rng, valid: string): Buffer {
  switch (rng.int(10)) {
    case 0:
      return Buffer.from(valid.slice(0, rng.int(valid.length)));
    case 1:
      return Buffer.from(Array.from({ length: rng.range(1, 200) }, () => rng.int(256)));
    case 2:
      return Buffer.from('');
    case 3:
      return Buffer.from(valid.replace(/"/g, "'"));
    case 4:
      return Buffer.from(valid.replace(/}$/, ',}'));
    case 5:
      return Buffer.from(rng.pick(['NaN', 'undefined', '{"a":NaN}', '{"id":1,}', '[1,]', '{"a":1}{"b":2}', '\u0000{}', '{"id":0x10}', '{"a":"\\x41"}', '{"a":"\\u12"}']));
    case 6: {
      const bytes = Buffer.from(valid);
      bytes[rng.int(bytes.length)] = rng.pick([0xff, 0xc0, 0x80, 0xfe, 0x00]);
      return bytes;
    }
    case 7:
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(valid)]);
    case 8:
      return Buffer.from(valid + rng.pick(['x', ']', '}', ',', ' garbage']));
    default:
      return Buffer.from(deepText(rng.range(5, 50), 'array').slice(0, -1));
  }
}
