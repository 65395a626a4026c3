/**
 * HTTP fuzz cases: each is a complete POST (or other verb) with raw header pairs, so duplicate and
 * odd headers reach the server as sent. Deterministic for a given seed and token set.
 */
import {
  createRng,
  deepText,
  forgeToken,
  KNOWN_METHODS,
  malformedJson,
  meta,
  mutateTypes,
  randomJson,
  randomString,
  validRequest,
  VERSION,
  type RealTokens,
  type Rng,
  type RpcRequest,
} from './generators.ts';

export type Category =
  | 'valid'
  | 'malformed-json'
  | 'wrong-types'
  | 'huge'
  | 'deep'
  | 'headers'
  | 'base64'
  | 'forged'
  | 'random-method'
  | 'notification'
  | 'verb-path'
  | 'session';

export interface HttpCase {
  index: number;
  category: Category;
  note: string;
  method: string;
  path: string;
  headers: [string, string][];
  body: Buffer;
  /** Statuses this particular case must get (on top of the generic rules). */
  expectStatus?: number[];
  /** The JSON-RPC id the response must carry, when the case is a well-formed request. */
  expectId?: string | number;
  /** A valid request whose reply must be a result (not an error). */
  expectResult?: boolean;
  /** Used to tolerate an SSE stream that stays open (subscriptions/listen). */
  rpcMethod?: string;
  /** Send no Host header at all. */
  omitHost?: boolean;
  /** node's own HTTP parser may refuse the request and close the socket before we read a reply. */
  mayReset?: boolean;
}

const SAFE_ASCII = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** Mirrors a value the way a client must (basic/transports/streamable-http.mdx, base64 sentinel). */
export function headerValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
  if (text === undefined) return undefined;
  if (SAFE_ASCII.test(text) && !/^=\?base64\?.*\?=$/i.test(text)) return text;
  return `=?base64?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

/** The headers a conforming client sends for `request`. */
export function standardHeaders(request: RpcRequest): [string, string][] {
  const headers: [string, string][] = [
    ['Content-Type', 'application/json'],
    ['Accept', 'application/json, text/event-stream'],
    ['MCP-Protocol-Version', VERSION],
    ['Mcp-Method', request.method],
  ];
  const params = request.params ?? {};
  const name = request.method === 'resources/read' ? params.uri : request.method === 'tools/call' || request.method === 'prompts/get' ? params.name : undefined;
  const encodedName = headerValue(name);
  if (encodedName !== undefined) headers.push(['Mcp-Name', encodedName]);
  if (request.method === 'tools/call' && params.name === 'test_x_mcp_header') {
    const region = headerValue((params.arguments as Record<string, unknown> | undefined)?.region);
    if (region !== undefined) headers.push(['Mcp-Param-Region', region]);
  }
  return headers;
}

/** Header values node's client accepts (tab, printable ASCII, latin1); anything else is replaced. */
const headerSafe = (value: string): string => value.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');

const BASE64_VARIANTS = (plain: string): string[] => {
  const b64 = Buffer.from(plain).toString('base64');
  return [
    `=?base64?${b64}?=`,
    `=?base64?${b64.replace(/=+$/, '')}?=`,
    `=?base64?${b64}==?=`,
    `=?base64?${b64.slice(0, -2)}*!?=`,
    `=?base64??=`,
    `=?BASE64?${b64}?=`,
    `=?base64?${Buffer.from(`=?base64?${b64}?=`).toString('base64')}?=`,
    `=?base64?/w==?=`,
    `=?base64?wA==?=`,
    `=?base64? ${b64} ?=`,
    `=?base64?${b64}`,
    `${b64}?=`,
    `=?base64?${'QUFB'.repeat(2000)}?=`,
    `=?base64?${Buffer.from(plain).toString('base64url')}?=`,
    `=?base64?${b64}?= trailing`,
    `=?utf-8?q?${plain}?=`,
  ];
};

function encode(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

export interface CasePlanEntry {
  category: Category;
  count: number;
}

/** How the ≥10 000 cases split by category (huge and deep are costly, so fewer). */
export const HTTP_PLAN: CasePlanEntry[] = [
  { category: 'valid', count: 600 },
  { category: 'malformed-json', count: 1400 },
  { category: 'wrong-types', count: 2200 },
  { category: 'huge', count: 40 },
  { category: 'deep', count: 160 },
  { category: 'headers', count: 1600 },
  { category: 'base64', count: 800 },
  { category: 'forged', count: 1200 },
  { category: 'random-method', count: 1200 },
  { category: 'notification', count: 400 },
  { category: 'verb-path', count: 400 },
  { category: 'session', count: 800 },
];

export function* httpCases(seed: number, tokens: RealTokens): Generator<HttpCase> {
  const rng = createRng(seed);
  // Interleave categories deterministically so load and memory are spread over the run.
  const queue: Category[] = [];
  for (const { category, count } of HTTP_PLAN) for (let i = 0; i < count; i++) queue.push(category);
  for (let i = queue.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [queue[i], queue[j]] = [queue[j]!, queue[i]!];
  }
  let index = 0;
  for (const category of queue) yield build(rng, category, index++, tokens);
}

function post(index: number, category: Category, note: string, request: RpcRequest | undefined, body: Buffer, headers?: [string, string][]): HttpCase {
  return { index, category, note, method: 'POST', path: '/mcp', headers: headers ?? (request ? standardHeaders(request) : standardHeaders({ jsonrpc: '2.0', method: 'tools/list' })), body, rpcMethod: request?.method };
}

function build(rng: Rng, category: Category, index: number, tokens: RealTokens): HttpCase {
  const id = rng.bool(0.5) ? index : `fuzz-${index}`;
  switch (category) {
    case 'valid': {
      const request = validRequest(rng, id, tokens);
      const isError = request.method === 'resources/read' && request.params?.uri === 'test://nope';
      const isMrtrRetry = request.params?.requestState !== undefined;
      return { ...post(index, category, `valid ${request.method}`, request, encode(request)), expectStatus: [200], expectId: id, expectResult: !isError && !isMrtrRetry };
    }
    case 'malformed-json': {
      const request = validRequest(rng, id, tokens);
      return post(index, category, 'malformed body', request, malformedJson(rng, JSON.stringify(request)));
    }
    case 'wrong-types': {
      const request = validRequest(rng, id, tokens);
      const mutated = mutateTypes(rng, request);
      // Half the time the headers follow the mutated body, so the dispatcher's deeper checks are reached.
      const headers = rng.bool(0.5) && isRpc(mutated) ? safeHeaders(mutated) : standardHeaders(request);
      return { ...post(index, category, 'mutated types', request, encode(mutated), headers), rpcMethod: isRpc(mutated) ? mutated.method : undefined };
    }
    case 'huge':
      return huge(rng, index, id);
    case 'deep':
      return deep(rng, index, id);
    case 'headers':
      return headerCase(rng, index, id, tokens);
    case 'base64': {
      const useParam = rng.bool(0.4);
      const request: RpcRequest = useParam
        ? { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'test_x_mcp_header', arguments: { region: 'eu-west' }, _meta: meta() } }
        : { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'test_simple_text', arguments: {}, _meta: meta() } };
      const headers = standardHeaders(request).filter(([k]) => k !== (useParam ? 'Mcp-Param-Region' : 'Mcp-Name'));
      const value = rng.pick(BASE64_VARIANTS(useParam ? 'eu-west' : 'test_simple_text'));
      headers.push([useParam ? 'Mcp-Param-Region' : 'Mcp-Name', value]);
      return { ...post(index, category, `base64 ${useParam ? 'param' : 'name'} ${value.slice(0, 40)}`, request, encode(request), headers), expectId: id };
    }
    case 'forged':
      return forged(rng, index, id, tokens);
    case 'random-method': {
      const method = rng.bool(0.5) ? rng.pick(KNOWN_METHODS) : rng.bool(0.5) ? randomString(rng, 40) : `${rng.pick(KNOWN_METHODS)}${rng.pick(['/', 'x', ' ', '\u0000', '/list'])}`;
      if (method === 'subscriptions/listen' && rng.bool(0.8)) return build(rng, 'wrong-types', index, tokens);
      const params = rng.bool(0.6) ? { ...(randomJson(rng, 2) as object), _meta: meta() } : randomJson(rng, 3);
      const request = { jsonrpc: '2.0' as const, id, method, params: params as Record<string, unknown> };
      return { ...post(index, category, `method ${JSON.stringify(method).slice(0, 40)}`, request, encode(request), safeHeaders(request)), expectId: id, rpcMethod: method };
    }
    case 'notification': {
      const method = rng.pick(['notifications/cancelled', 'notifications/initialized', 'notifications/progress', randomString(rng, 20)]);
      const request = { jsonrpc: '2.0' as const, method, params: rng.bool(0.5) ? { requestId: randomJson(rng, 1), _meta: meta() } : (randomJson(rng, 2) as Record<string, unknown>) };
      return { ...post(index, category, `notification ${method.slice(0, 30)}`, request, encode(request), safeHeaders(request)), expectStatus: [202, 400] };
    }
    case 'session':
      return session(rng, index, id, tokens);
    case 'verb-path': {
      const request = validRequest(rng, id, tokens);
      const verb = rng.pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'POST', 'POST', 'TRACE']);
      const path = verb === 'POST' ? rng.pick(['/', '/mcp/', '/MCP', '/mcp%00', '//mcp', '/mcp/../mcp', '/mcp/x', '/.well-known/oauth-protected-resource', '/mcp?x=1#y']) : rng.pick(['/mcp', '/mcp?session=1', '/']);
      const body = verb === 'GET' || verb === 'HEAD' ? Buffer.alloc(0) : encode(request);
      // GET and DELETE on the endpoint belong to the 2025-11-25 session wire: 400 without a session id.
      const onEndpoint = path.split('?')[0] === '/mcp';
      const expect = verb === 'POST' ? (path.startsWith('/mcp?') ? [200] : [404]) : onEndpoint ? (verb === 'GET' || verb === 'DELETE' ? [400] : [405]) : [404];
      return { index, category, note: `${verb} ${path}`, method: verb, path, headers: standardHeaders(request), body, expectStatus: expect };
    }
  }
}

/** Session-wire headers: a session id and the 2025 version header, no 2026 mirroring. */
function sessionHeaders(sessionId: string, extra: [string, string][] = []): [string, string][] {
  return [['Content-Type', 'application/json'], ['Accept', 'application/json, text/event-stream'], ['Mcp-Session-Id', sessionId], ['MCP-Protocol-Version', '2025-11-25'], ...extra];
}

/** The 2025-11-25 session wire: initialize, requests on a live session, forged and unknown sessions, era mixing, stray responses. */
function session(rng: Rng, index: number, id: number | string, tokens: RealTokens): HttpCase {
  const live = tokens.sessionId ?? 'no-live-session';
  const forgedId = rng.pick([randomString(rng, 40).replace(/[^\x21-\x7e]/g, 'x') || 'x', live.slice(0, -1) + (live.endsWith('A') ? 'B' : 'A'), live + live, '0', 'a'.repeat(300)]);
  const base = { index, category: 'session' as const, path: '/mcp' };
  switch (rng.int(9)) {
    case 0: {
      // initialize with random or plausible params: a new session (200) or -32602 (200) or an envelope error (400).
      const params = rng.bool(0.5) ? { protocolVersion: rng.pick(['2025-11-25', '2025-06-18', '2024-11-05', 'v1', randomString(rng, 12)]), capabilities: rng.bool(0.8) ? {} : randomJson(rng, 2), clientInfo: randomJson(rng, 1) } : randomJson(rng, 2);
      const request = { jsonrpc: '2.0' as const, id, method: 'initialize', params: params as Record<string, unknown> };
      return { ...base, note: 'initialize', method: 'POST', headers: sessionHeaders(live).filter(([k]) => k !== 'Mcp-Session-Id'), body: encode(request), expectStatus: [200, 400], expectId: id, rpcMethod: 'initialize' };
    }
    case 1:
    case 2: {
      // A request on the live session, without _meta, with a known or random method and random params.
      const method = rng.bool(0.8) ? rng.pick(KNOWN_METHODS) : randomString(rng, 20);
      const params = rng.bool(0.7) ? validRequest(rng, id, tokens).params : randomJson(rng, 2);
      if (params && typeof params === 'object' && !Array.isArray(params)) delete (params as Record<string, unknown>)._meta;
      const request = { jsonrpc: '2.0' as const, id, method, params: params as Record<string, unknown> };
      return { ...base, note: `session ${method.slice(0, 30)}`, method: 'POST', headers: sessionHeaders(live), body: encode(request), expectStatus: [200, 202, 400], expectId: id, rpcMethod: method };
    }
    case 3: {
      const request = mutateTypes(rng, { jsonrpc: '2.0', id, method: rng.pick(['ping', 'tools/list', 'logging/setLevel', 'resources/subscribe']), params: { level: 'info', uri: 'test://static-text' } });
      return { ...base, note: 'session mutated', method: 'POST', headers: sessionHeaders(live), body: Buffer.from(JSON.stringify(request) ?? 'null'), expectStatus: [200, 202, 400], rpcMethod: 'ping' };
    }
    case 4: {
      // Era mixing: a session id on a request with 2026 _meta.
      const request = validRequest(rng, id, tokens);
      return { ...base, note: `mixed ${request.method}`, method: 'POST', headers: sessionHeaders(rng.bool(0.7) ? live : forgedId), body: encode(request), expectStatus: [400], expectId: id, rpcMethod: request.method };
    }
    case 5: {
      const request = { jsonrpc: '2.0' as const, id, method: 'tools/list', params: {} };
      return { ...base, note: 'unknown session', method: 'POST', headers: sessionHeaders(forgedId), body: encode(request), expectStatus: [404], rpcMethod: 'tools/list' };
    }
    case 6: {
      const verb = rng.pick(['GET', 'DELETE']);
      return { ...base, note: `${verb} unknown session`, method: verb, headers: sessionHeaders(forgedId), body: Buffer.alloc(0), expectStatus: [404] };
    }
    case 7: {
      // A response to a server request that was never sent, or garbage shaped like one.
      const reply = rng.bool(0.5) ? { jsonrpc: '2.0', id: rng.pick([id, 's-1', 's-999999', null]), result: randomJson(rng, 2) } : { jsonrpc: '2.0', id, error: randomJson(rng, 1) };
      return { ...base, note: 'stray response', method: 'POST', headers: sessionHeaders(live), body: Buffer.from(JSON.stringify(reply)), expectStatus: [202, 400] };
    }
    default: {
      const method = rng.pick(['notifications/cancelled', 'notifications/initialized', 'notifications/roots/list_changed', randomString(rng, 20)]);
      const request = { jsonrpc: '2.0' as const, method, params: rng.bool(0.5) ? { requestId: randomJson(rng, 1) } : (randomJson(rng, 2) as Record<string, unknown>) };
      return { ...base, note: `session notification ${method.slice(0, 30)}`, method: 'POST', headers: sessionHeaders(live), body: encode(request), expectStatus: [202, 400] };
    }
  }
}

function isRpc(value: unknown): value is RpcRequest {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { method?: unknown }).method === 'string';
}

/** standardHeaders for a request whose fields may be garbage: values the client cannot send are replaced. */
function safeHeaders(request: RpcRequest): [string, string][] {
  const params = typeof request.params === 'object' && request.params !== null && !Array.isArray(request.params) ? request.params : {};
  return standardHeaders({ ...request, params }).map(([k, v]) => [k, headerSafe(v)]);
}

function huge(rng: Rng, index: number, id: number | string): HttpCase {
  const MiB = 1024 * 1024;
  const call = (args: string) => `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"method":"tools/call","params":{"name":"test_simple_text","arguments":${args},"_meta":${JSON.stringify(meta())}}}`;
  const request: RpcRequest = { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'test_simple_text' } };
  const headers = standardHeaders(request);
  switch (rng.int(7)) {
    case 0:
      return { ...post(index, 'huge', '4 MiB + 1 body', request, Buffer.from(call(`{"pad":"${'x'.repeat(4 * MiB)}"}`)), headers), expectStatus: [413] };
    case 1:
      return { ...post(index, 'huge', '3.5 MiB string argument', request, Buffer.from(call(`{"pad":"${'y'.repeat(3.5 * MiB)}"}`)), headers), expectStatus: [200], expectId: id };
    case 2: {
      const keys = Array.from({ length: 120_000 }, (_, i) => `"k${i}":${i}`).join(',');
      return { ...post(index, 'huge', '120k-key arguments', request, Buffer.from(call(`{${keys}}`)), headers), expectStatus: [200], expectId: id };
    }
    case 3:
      return { ...post(index, 'huge', '400k-element array', request, Buffer.from(call(`{"a":[${'0,'.repeat(400_000)}0]}`)), headers), expectStatus: [200], expectId: id };
    case 4:
      return { ...post(index, 'huge', '16 MiB body', request, Buffer.alloc(16 * MiB, 0x20), headers), expectStatus: [413] };
    case 5: {
      // A huge method name and huge id: refused without echoing anything dangerous.
      const big = 'm'.repeat(2 * MiB);
      return { ...post(index, 'huge', '2 MiB method name', request, Buffer.from(`{"jsonrpc":"2.0","id":"${big}","method":"${big}","params":{"_meta":${JSON.stringify(meta())}}}`), headers.map(([k, v]) => [k, k === 'Mcp-Method' ? 'x' : v])) };
    }
    default: {
      const chunked = headers.filter(([k]) => k.toLowerCase() !== 'content-length');
      return { ...post(index, 'huge', '5 MiB chunked body (no content-length)', request, Buffer.from(call(`{"pad":"${'z'.repeat(5 * MiB)}"}`)), [...chunked, ['Transfer-Encoding', 'chunked']]), expectStatus: [413] };
    }
  }
}

function deep(rng: Rng, index: number, id: number | string): HttpCase {
  const depth = rng.pick([64, 512, 2_000, 10_000, 50_000, 200_000]);
  const kind = rng.pick(['array', 'object', 'mixed'] as const);
  const nested = deepText(depth, kind);
  const m = JSON.stringify(meta());
  const where = rng.int(8);
  const wrap = (method: string, params: string) => `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"method":"${method}","params":${params}}`;
  const bodies: [string, RpcRequest][] = [
    [wrap('tools/call', `{"name":"test_simple_text","arguments":{"d":${nested}},"_meta":${m}}`), { jsonrpc: '2.0', method: 'tools/call', params: { name: 'test_simple_text' } }],
    [wrap('tools/call', `{"name":"test_input_required_result_elicitation","arguments":{"d":${nested}},"_meta":${m}}`), { jsonrpc: '2.0', method: 'tools/call', params: { name: 'test_input_required_result_elicitation' } }],
    [wrap('tools/call', `{"name":"json_schema_2020_12_tool","arguments":{"email":"e","address":${nested}},"_meta":${m}}`), { jsonrpc: '2.0', method: 'tools/call', params: { name: 'json_schema_2020_12_tool' } }],
    [wrap('tools/list', `{"cursor":${nested},"_meta":${m}}`), { jsonrpc: '2.0', method: 'tools/list' }],
    [wrap('tools/list', `{"_meta":{"io.modelcontextprotocol/protocolVersion":"${VERSION}","io.modelcontextprotocol/clientCapabilities":${nested}}}`), { jsonrpc: '2.0', method: 'tools/list' }],
    [`{"jsonrpc":"2.0","id":${nested},"method":"tools/list","params":{"_meta":${m}}}`, { jsonrpc: '2.0', method: 'tools/list' }],
    [wrap('prompts/get', `{"name":"test_prompt_with_arguments","arguments":{"arg1":${nested},"arg2":"b"},"_meta":${m}}`), { jsonrpc: '2.0', method: 'prompts/get', params: { name: 'test_prompt_with_arguments' } }],
    [wrap('tools/call', `{"name":"test_input_required_result_elicitation","arguments":{},"inputResponses":{"user_name":${nested}},"_meta":${m}}`), { jsonrpc: '2.0', method: 'tools/call', params: { name: 'test_input_required_result_elicitation' } }],
  ];
  const [body, request] = bodies[where]!;
  return { ...post(index, 'deep', `depth ${depth} ${kind} at #${where}`, request, Buffer.from(body)), expectId: where === 5 ? undefined : id };
}

function headerCase(rng: Rng, index: number, id: number | string, tokens: RealTokens): HttpCase {
  const request = validRequest(rng, id, tokens);
  let headers = standardHeaders(request);
  const body = encode(request);
  const set = (name: string, value: string | undefined) => {
    headers = headers.filter(([k]) => k.toLowerCase() !== name.toLowerCase());
    if (value !== undefined) headers.push([name, value]);
  };
  const dup = (name: string, value: string) => headers.push([name, value]);
  let note: string;
  let expectStatus: number[] | undefined;
  let mayReset = false;
  switch (rng.int(16)) {
    case 0: {
      const name = rng.pick(['Content-Type', 'Accept', 'MCP-Protocol-Version', 'Mcp-Method', 'Mcp-Name', 'Host']);
      set(name, undefined);
      note = `missing ${name}`;
      if (name === 'Host') return { index, category: 'headers', note, method: 'POST', path: '/mcp', headers, body, omitHost: true, rpcMethod: request.method };
      break;
    }
    case 1: {
      const [name, value] = rng.pick(headers);
      dup(rng.bool(0.5) ? name.toUpperCase() : name, rng.bool(0.5) ? value : randomString(rng, 12).replace(/[^\x20-\x7e]/g, ''));
      note = `duplicate ${name}`;
      break;
    }
    case 2: {
      const value = rng.pick(['text/plain', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/jsonx', '', 'application/json, text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', ';', 'application/json;;;']);
      set('Content-Type', value);
      if (rng.bool(0.2)) dup('Content-Type', 'text/plain');
      note = `content-type ${value}`;
      break;
    }
    case 3: {
      const value = rng.pick(['text/html', '', '*/*', 'text/event-stream', 'application/json', 'application/*;q=0', 'image/png', ',,,', 'application/json;q=abc']);
      set('Accept', value);
      note = `accept ${value}`;
      break;
    }
    case 4: {
      const value = rng.pick(['2025-11-25', 'v999.0.0', ` ${VERSION} `, '', `${VERSION}, ${VERSION}`, '2026-07-28\u00e9', 'null', '2026-07-29']);
      set('MCP-Protocol-Version', value);
      note = `protocol version header ${JSON.stringify(value)}`;
      break;
    }
    case 5: {
      const value = rng.pick([request.method.toUpperCase(), ` ${request.method} `, `${request.method}\t`, 'tools/list', '', `=?base64?${Buffer.from(request.method).toString('base64')}?=`]);
      set('Mcp-Method', value);
      note = `mcp-method ${JSON.stringify(value)}`;
      break;
    }
    case 6: {
      const value = rng.pick(['http://evil.example.com', 'null', 'garbage', 'http://localhost:1', 'http://127.0.0.1', 'file://', 'http://[::1]:3', 'https://127.0.0.1.evil.com']);
      set('Origin', value);
      note = `origin ${value}`;
      if (value === 'http://evil.example.com' || value === 'https://127.0.0.1.evil.com') expectStatus = [403];
      break;
    }
    case 7: {
      const value = rng.pick(['evil.example.com', '', 'localhost', '[::1]:80', '127.0.0.1:99999', '127.0.0.1.evil.com', 'LOCALHOST', '[::1', '@', 'localhost:80:80']);
      set('Host', value);
      note = `host ${value}`;
      if (value === 'evil.example.com' || value === '127.0.0.1.evil.com') expectStatus = [403];
      break;
    }
    case 8:
      set('Mcp-Name', 'n'.repeat(rng.pick([8_000, 20_000, 70_000])));
      note = 'huge Mcp-Name';
      mayReset = true;
      break;
    case 9:
      for (let i = 0; i < rng.pick([50, 200, 1_000]); i++) dup(`Mcp-Param-X${i}`, String(i));
      note = 'many Mcp-Param-* headers';
      mayReset = true;
      break;
    case 10:
      set('Mcp-Name', String.fromCharCode(...Array.from({ length: 12 }, () => 0x80 + rng.int(0x80))));
      note = 'latin1 Mcp-Name';
      break;
    case 11:
      dup('Mcp-Param-Region', rng.pick(['eu', '', '=?base64?ZXU=?=', '\u00ff']));
      note = 'stray/duplicate Mcp-Param-Region';
      break;
    case 12:
      set('Content-Length', rng.pick(['-1', 'abc', '1e3', '0x10', `${body.length}, ${body.length}`]));
      note = 'bad content-length';
      mayReset = true;
      break;
    case 13:
      dup('Authorization', rng.pick(['Bearer x', 'Basic ' + 'A'.repeat(5000), '']));
      dup('Cookie', 'a=b; '.repeat(100));
      note = 'auth/cookie noise';
      break;
    case 14:
      dup('Transfer-Encoding', rng.pick(['gzip', 'chunked, gzip', 'identity']));
      dup('Content-Encoding', rng.pick(['gzip', 'br', 'deflate']));
      note = 'bogus encodings';
      mayReset = true;
      break;
    default:
      set('Mcp-Method', headerSafe(randomString(rng, 20)));
      set('Mcp-Name', headerSafe(randomString(rng, 20)));
      note = 'random Mcp-Method/Mcp-Name';
  }
  return { index, category: 'headers', note, method: 'POST', path: '/mcp', headers, body, expectStatus, rpcMethod: request.method, mayReset };
}

function forged(rng: Rng, index: number, id: number | string, tokens: RealTokens): HttpCase {
  const m = meta();
  let request: RpcRequest;
  switch (rng.int(6)) {
    case 0:
      request = { jsonrpc: '2.0', id, method: 'tools/list', params: { cursor: forgeToken(rng, tokens.toolsCursor, tokens.promptsCursor), _meta: m } };
      break;
    case 1:
      request = { jsonrpc: '2.0', id, method: rng.pick(['prompts/list', 'resources/list', 'resources/templates/list']), params: { cursor: forgeToken(rng, tokens.promptsCursor, tokens.toolsCursor), _meta: m } };
      break;
    case 2:
    case 3:
      request = {
        jsonrpc: '2.0',
        id,
        method: 'tools/call',
        params: {
          name: rng.pick(['test_input_required_result_multi_round', 'test_input_required_result_elicitation', 'test_simple_text']),
          arguments: rng.bool(0.8) ? {} : { x: 1 },
          requestState: forgeToken(rng, tokens.requestState, tokens.toolsCursor),
          inputResponses: { step2: { action: 'accept', content: { color: 'red' } } },
          _meta: m,
        },
      };
      break;
    case 4:
      request = {
        jsonrpc: '2.0',
        id,
        method: 'tools/call',
        params: {
          name: 'test_input_required_result_multi_round',
          arguments: {},
          requestState: tokens.requestState,
          inputResponses: rng.pick([
            randomJson(rng, 3),
            { step2: randomJson(rng, 2) },
            { step2: { action: rng.pick(['accept', 'decline', 'cancel', 'ACCEPT', '']), content: randomJson(rng, 2) } },
            { __proto__: { step2: { action: 'accept', content: { color: 'x' } } } },
          ]),
          _meta: m,
        },
      };
      break;
    default:
      request = {
        jsonrpc: '2.0',
        id,
        method: rng.pick(['prompts/get', 'resources/read']),
        params: { name: 'test_input_required_result_prompt', uri: 'test://static-text', requestState: forgeToken(rng, tokens.requestState, tokens.promptsCursor), _meta: m },
      };
  }
  return { ...post(index, 'forged', `forged ${request.method}`, request, encode(request), safeHeaders(request)), expectId: id };
}
