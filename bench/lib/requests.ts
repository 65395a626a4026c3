/** The two requests every benchmarked server answers, with the headers a 2026-07-28 client sends. */
export const PROTOCOL_VERSION = '2026-07-28';

const meta = {
  'io.modelcontextprotocol/protocolVersion': PROTOCOL_VERSION,
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1.0.0' },
};

export interface BenchRequest {
  name: 'tools/call' | 'tools/list' | 'tools/call+publish' | 'tools/call ping';
  body: string;
  headers: Record<string, string>;
  /**
   * Send a fresh JSON-RPC id each time (the body's `"id":1` replaced): a 2025-11-25 session refuses
   * a reused request id (2025-11-25 basic/index.mdx "Requests").
   */
  idPerRequest?: boolean;
}

/** The marker `idPerRequest` replaces: the id of a body written as JSON.stringify({ jsonrpc, id: 1, … }). */
export const ID_MARKER = '"id":1,';

const common = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': PROTOCOL_VERSION };

export const BENCH_REQUESTS: BenchRequest[] = [
  {
    name: 'tools/call',
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hello' }, _meta: meta } }),
    headers: { ...common, 'Mcp-Method': 'tools/call', 'Mcp-Name': 'echo' },
  },
  {
    name: 'tools/list',
    body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: { _meta: meta } }),
    headers: { ...common, 'Mcp-Method': 'tools/list' },
  },
];

/**
 * A tools/call that touches shared state: the `touch` tool publishes `resources/updated` on the
 * listen event bus (in-memory, or Redis PUBLISH with the Redis backend). Only the runtime servers
 * of the shared-state section answer it.
 */
export const STATE_REQUEST: BenchRequest = {
  name: 'tools/call+publish',
  body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'touch', arguments: {}, _meta: meta } }),
  headers: { ...common, 'Mcp-Method': 'tools/call', 'Mcp-Name': 'touch' },
};

/** tools/call of the generated kitchen-sink's `ping` (no arguments; answers "pong"). */
export const KITCHEN_SINK_REQUEST: BenchRequest = {
  name: 'tools/call ping',
  body: JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'ping', arguments: {}, _meta: meta } }),
  headers: { ...common, 'Mcp-Method': 'tools/call', 'Mcp-Name': 'ping' },
};

/** What a correct answer must contain, per request (checked once before measuring). */
export const EXPECTED_FRAGMENT: Record<BenchRequest['name'], string> = {
  'tools/call': '"text":"hello"',
  'tools/list': '"name":"echo"',
  'tools/call+publish': '"text":"touched"',
  'tools/call ping': '"text":"pong"',
};

/** The 2025-11-25 (initialize/session era) version the session-path section speaks. */
export const LEGACY_PROTOCOL_VERSION = '2025-11-25';

/** The 2025-11-25 initialize that opens the session the session-path section then calls on. */
export const LEGACY_INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: LEGACY_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'bench', version: '1.0.0' } },
});

/**
 * The same echo tools/call on the 2025-11-25 wire: no `_meta` version fields, the version in the
 * header, and the session id when the server issued one (the SDK's stateless legacy mode issues none).
 */
export function legacyToolsCall(sessionId: string | undefined): BenchRequest {
  return {
    name: 'tools/call',
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hello' } } }),
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'MCP-Protocol-Version': LEGACY_PROTOCOL_VERSION,
      ...(sessionId ? { 'Mcp-Session-Id': sessionId } : {}),
    },
    ...(sessionId ? { idPerRequest: true } : {}),
  };
}
