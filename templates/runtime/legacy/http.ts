import type { AuthInfo } from '../context.ts';
import type { DispatchOutcome } from '../create-server.ts';
import { stringifyMessage } from '../json.ts';
import type { HttpReply, IncomingHttpRequest } from '../http/exchange.ts';
import { SseStream } from '../http/sse.ts';
import { ErrorCode, type JsonObject } from '../wire.ts';
import type { MessageSink } from './live-session.ts';
import type { SessionStream } from './resumable-streams.ts';
import { eraConflict } from './scope.ts';
import type { SessionWire } from './session-wire.ts';

/**
 * Streamable HTTP of the 2025-11-25 session wire (basic/transports.mdx): `initialize` issues an
 * `Mcp-Session-Id`; later POSTs carry it; GET opens the session's standalone SSE stream; DELETE
 * ends the session; an unknown or expired id is 404. The stateless 2026-07-28 exchange
 * (http/exchange.ts) hands a request here only when it has a session id or is an `initialize`.
 */
export const SESSION_HEADER = 'mcp-session-id';

export interface SessionAccept {
  json: boolean;
  sse: boolean;
}

const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' };

const jsonRpcError = (status: number, code: number, message: string, headers: Record<string, string> = {}): HttpReply => ({
  kind: 'body',
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify({ jsonrpc: '2.0', error: { code, message } }),
});

/** basic/transports.mdx "Session Management" 3: a session we do not hold is 404, so the client re-initializes. */
const unknownSession = (): HttpReply => jsonRpcError(404, ErrorCode.InvalidRequest, 'Session not found: it expired, was deleted, or never existed; send initialize to start a new one');

/** Is this POST for the session wire? `initialize` without the stateless wire's `_meta` version fields, or any message with a session id. */
export function isSessionMessage(message: unknown, sessionId: string | undefined): boolean {
  if (sessionId !== undefined) return true;
  if (typeof message !== 'object' || message === null || (message as { method?: unknown }).method !== 'initialize') return false;
  // `initialize` with 2026 `_meta` stays on the stateless wire, which answers -32601 (basic/versioning.mdx).
  return eraConflict(message) === undefined;
}

/** `MCP-Protocol-Version` on a session request: absent is allowed (basic/transports.mdx "Protocol Version Header"), an unserved one is 400. */
function badVersionHeader(request: IncomingHttpRequest, wire: SessionWire): HttpReply | undefined {
  const version = request.headers.get('mcp-protocol-version');
  if (version === undefined || wire.versions.includes(version.trim())) return undefined;
  return jsonRpcError(400, ErrorCode.InvalidRequest, `Bad Request: unsupported MCP-Protocol-Version '${version}' (supported on this session wire: ${wire.versions.join(', ')})`);
}

/**
 * HTTP status of a session-wire response: JSON-RPC errors travel with 200 (a 404 would tell the
 * client its session is gone), except malformed requests and era conflicts, which are 400.
 */
function statusOf(outcome: DispatchOutcome): number {
  const error = outcome.response && 'error' in outcome.response ? outcome.response.error : undefined;
  if (!error) return 200;
  return error.code === ErrorCode.InvalidRequest || error.code === ErrorCode.ParseError ? 400 : 200;
}

export async function handleSessionPost(
  wire: SessionWire,
  message: unknown,
  exactId: string | undefined,
  request: IncomingHttpRequest,
  accept: SessionAccept,
  auth: AuthInfo | undefined,
  keepAliveMs: number,
): Promise<HttpReply> {
  const sessionId = request.headers.get(SESSION_HEADER);
  const conflict = eraConflict(message);
  if (conflict) {
    const id = (message as { id?: unknown }).id;
    return {
      kind: 'body',
      status: 400,
      headers: { 'content-type': 'application/json' },
      body: stringifyMessage({ jsonrpc: '2.0', ...(typeof id === 'string' || typeof id === 'number' ? { id } : {}), error: { code: conflict.code, message: conflict.message } }, exactId),
    };
  }

  if (sessionId === undefined) {
    // initialize: a new session, its id in the response header.
    const init = message as { id?: unknown; params?: unknown };
    if (typeof init.id !== 'string' && typeof init.id !== 'number') return jsonRpcError(400, ErrorCode.InvalidRequest, 'Invalid Request: initialize must be a request with an id');
    const { outcome, session } = await wire.initialize(init.id, (typeof init.params === 'object' && init.params !== null ? init.params : undefined) as JsonObject | undefined, true, auth?.subject);
    const headers: Record<string, string> = session ? { [SESSION_HEADER]: session.id } : {};
    return single(outcome, exactId, accept, statusOf(outcome), headers);
  }

  const versionProblem = badVersionHeader(request, wire);
  if (versionProblem) return versionProblem;
  const session = await wire.open(sessionId, auth?.subject);
  if (!session) return unknownSession();

  // The request's stream opens with its first message; it is resumable (legacy/resumable-streams.ts),
  // so messages sent after the client lost the connection wait for its GET + Last-Event-ID.
  let stream: SessionStream | undefined;
  let switchToStream: (() => void) | undefined;
  const firstMessage = new Promise<'stream'>((resolve) => (switchToStream = () => resolve('stream')));
  // Without SSE in Accept, messages about this request go to the GET stream (LiveSession.standalone).
  const send: MessageSink | undefined = accept.sse
    ? (outgoing) => {
        if (!stream) {
          stream = session.streams.open('request');
          switchToStream?.();
        }
        stream.send(JSON.stringify(outgoing));
      }
    : undefined;

  const handled = wire.handle(session, message, { send, auth });
  const first = await Promise.race([handled, firstMessage]);
  if (first !== 'stream') {
    if (!first.response) return { kind: 'body', status: 202, headers: {} };
    return single(first, exactId, accept, statusOf(first), {});
  }
  const opened = stream!;
  const live = new SseStream(keepAliveMs);
  opened.attach(live, 0);
  handled.then(
    (outcome) => {
      if (outcome.response) opened.send(stringifyMessage(outcome.response, exactId));
      opened.finish();
    },
    () => opened.finish(),
  );
  return { kind: 'stream', status: 200, headers: SSE_HEADERS, stream: live };
}

function single(outcome: DispatchOutcome, exactId: string | undefined, accept: SessionAccept, status: number, headers: Record<string, string>): HttpReply {
  if (!outcome.response) return { kind: 'body', status: 202, headers };
  const text = stringifyMessage(outcome.response, exactId);
  if (accept.json) return { kind: 'body', status, headers: { 'content-type': 'application/json', ...headers }, body: text };
  const one = new SseStream(0);
  one.pushJson(text);
  one.end();
  return { kind: 'stream', status, headers: { ...SSE_HEADERS, ...headers }, stream: one };
}

/**
 * GET: with `Last-Event-ID` naming one of this session's streams, resumes that stream (the events
 * it missed, then the live rest; 2025-11-25 basic/transports.mdx "Resumability and Redelivery");
 * otherwise opens the session's standalone stream for server→client messages outside any request,
 * one connected at a time (409 otherwise).
 */
export async function handleSessionGet(wire: SessionWire, request: IncomingHttpRequest, accept: SessionAccept | undefined, keepAliveMs: number, auth?: AuthInfo): Promise<HttpReply> {
  const sessionId = request.headers.get(SESSION_HEADER);
  if (sessionId === undefined) return jsonRpcError(400, ErrorCode.InvalidRequest, 'Bad Request: GET needs an Mcp-Session-Id (the stateless wire has no GET stream)');
  if (!accept?.sse) return jsonRpcError(406, ErrorCode.InvalidRequest, 'Not Acceptable: GET answers with text/event-stream');
  const versionProblem = badVersionHeader(request, wire);
  if (versionProblem) return versionProblem;
  const session = await wire.open(sessionId, auth?.subject);
  if (!session) return unknownSession();
  const lastEventId = request.headers.get('last-event-id');
  const resumed = lastEventId === undefined ? undefined : session.streams.find(lastEventId);
  const connection = new SseStream(keepAliveMs);
  if (resumed) {
    resumed.stream.attach(connection, resumed.after);
    return { kind: 'stream', status: 200, headers: SSE_HEADERS, stream: connection };
  }
  const current = session.standaloneStream;
  if (current?.connected) return jsonRpcError(409, ErrorCode.InvalidRequest, 'Conflict: this session already has an open GET stream');
  // A plain GET replaces a standalone stream whose connection is gone: its log stays replayable.
  current?.finish();
  const stream = session.streams.open('standalone');
  session.standaloneStream = stream;
  session.standalone = (message) => stream.send(JSON.stringify(message));
  stream.attach(connection, 0);
  return { kind: 'stream', status: 200, headers: SSE_HEADERS, stream: connection };
}

/** DELETE: ends the session (basic/transports.mdx "Session Management" 5). */
export async function handleSessionDelete(wire: SessionWire, request: IncomingHttpRequest, auth?: AuthInfo): Promise<HttpReply> {
  const sessionId = request.headers.get(SESSION_HEADER);
  if (sessionId === undefined) return jsonRpcError(400, ErrorCode.InvalidRequest, 'Bad Request: DELETE needs an Mcp-Session-Id');
  const versionProblem = badVersionHeader(request, wire);
  if (versionProblem) return versionProblem;
  return (await wire.end(sessionId, auth?.subject)) ? { kind: 'body', status: 200, headers: {} } : unknownSession();
}
