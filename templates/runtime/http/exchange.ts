import type { HttpAuthorization } from '../authorization.ts';
import type { AuthInfo } from '../context.ts';
import type { McpServer } from '../create-server.ts';
import type { HeaderLookup } from '../mirrored-headers.ts';
import { exactIdText, stringifyMessage } from '../json.ts';
import { ErrorCode, type JsonRpcErrorResponse, type JsonRpcNotification } from '../wire.ts';
import { checkOrigin, isWellFormedHost, type OriginPolicy } from './security.ts';
import { SseStream } from './sse.ts';
import { handleSessionDelete, handleSessionGet, handleSessionPost, isSessionMessage, SESSION_HEADER } from '../legacy/http.ts';

/**
 * Streamable HTTP (basic/transports/streamable-http.mdx), independent of node:http and the Fetch
 * API: both adapters translate to and from these shapes.
 */
export interface HttpExchangeOptions extends OriginPolicy {
  /** The MCP endpoint path. Default `/mcp`. */
  path?: string;
  /** Larger bodies get 413. Default 4 MiB. */
  maxBodyBytes?: number;
  /** A body not fully received this long after the request started gets 408 (slow-body clients). Default 30 s. */
  bodyTimeoutMs?: number;
  /** Interval of SSE keep-alive comments. Default 15 s; 0 disables. */
  keepAliveMs?: number;
  /**
   * Authenticates each request (there is no session to remember it: SEP-2575). Return the caller,
   * undefined for anonymous, or an HTTP reply (e.g. 401 with WWW-Authenticate) to refuse.
   */
  authenticate?: (headers: HeaderLookup) => Promise<AuthInfo | undefined | HttpReply> | AuthInfo | undefined | HttpReply;
  /**
   * OAuth 2.1 resource server (runtime/auth/, basic/authorization/): bearer tokens, per-operation
   * scopes, RFC 9728 metadata. Default: the server's own (`auth:` in the manifest). Ignored when
   * `authenticate` is given.
   */
  authorization?: HttpAuthorization;
}

export interface IncomingHttpRequest {
  method: string;
  /** Path without query string. */
  path: string;
  headers: HeaderLookup;
  /**
   * Reads the raw body up to `limit` bytes: 'too-large' past it, 'timeout' when it has not fully
   * arrived within `timeoutMs` (the adapter then closes the connection).
   */
  readBody(limit: number, timeoutMs: number): Promise<Uint8Array | BodyFailure>;
  /** Aborts when the client disconnects: cancellation (basic/patterns/cancellation.mdx). */
  signal: AbortSignal;
}

export type HttpReply =
  | { kind: 'body'; status: number; headers: Record<string, string>; body?: string }
  | { kind: 'stream'; status: number; headers: Record<string, string>; stream: SseStream };

export type BodyFailure = 'too-large' | 'timeout';

const DEFAULT_MAX_BODY = 4 * 1024 * 1024;
export const DEFAULT_BODY_TIMEOUT_MS = 30_000;
/** Fatal: invalid UTF-8 is a parse error, never silently replaced with U+FFFD. BOMs are kept (and fail JSON.parse). */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const jsonReply = (status: number, body: unknown, headers: Record<string, string> = {}): HttpReply => ({
  kind: 'body',
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** Transport-level refusals carry a JSON-RPC error without id (the spec's MAY for 403/400 bodies). */
const refusal = (status: number, code: number, message: string, headers?: Record<string, string>): HttpReply =>
  jsonReply(status, { jsonrpc: '2.0', error: { code, message } } satisfies JsonRpcErrorResponse, headers);

function isHttpReply(value: unknown): value is HttpReply {
  return typeof value === 'object' && value !== null && 'kind' in value && 'status' in value;
}

interface AcceptFlags {
  json: boolean;
  sse: boolean;
}

function readAccept(header: string | undefined): AcceptFlags | undefined {
  if (header === undefined || header.trim() === '') return { json: true, sse: true };
  const types = header.split(',').map((part) => part.split(';')[0]!.trim().toLowerCase());
  const any = types.includes('*/*');
  const flags = {
    json: any || types.includes('application/json') || types.includes('application/*'),
    sse: any || types.includes('text/event-stream') || types.includes('text/*'),
  };
  return flags.json || flags.sse ? flags : undefined;
}

export async function handleHttpExchange(server: McpServer, request: IncomingHttpRequest, options: HttpExchangeOptions = {}): Promise<HttpReply> {
  const endpointPath = options.path ?? '/mcp';
  const authorization = options.authenticate ? undefined : (options.authorization ?? server.authorization);
  // Protected-resource metadata (RFC 9728) is public and lives beside the endpoint, under /.well-known/.
  if (authorization && request.method === 'GET' && request.path.startsWith('/.well-known/') && isWellFormedHost(request.headers.get('host') ?? 'localhost')) {
    const document = authorization.metadata(request.path, endpointPath, request.headers);
    if (document) return document;
  }
  if (request.path !== endpointPath) return { kind: 'body', status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' };

  // Exactly one well-formed Host (RFC 9112 §3.2): adapters join repeated headers with ", ", which is
  // malformed, as is a userinfo trick like `127.0.0.1:1@evil.com`. Absent Host is left to the policy.
  const host = request.headers.get('host');
  if (host !== undefined && !isWellFormedHost(host)) return refusal(400, ErrorCode.InvalidRequest, 'Bad Request: exactly one well-formed Host header is required');

  const denied = checkOrigin(request.headers, options);
  if (denied) return refusal(403, ErrorCode.InvalidRequest, `Forbidden: ${denied}`);

  // GET streams and DELETE exist on the 2025-11-25 session wire only (legacy/http.ts); a
  // modern-only endpoint answers 405 ("Backward Compatibility").
  const sessions = server.sessions;
  const sessionVerb = sessions !== undefined && (request.method === 'GET' || request.method === 'DELETE');
  if (request.method !== 'POST' && !sessionVerb)
    return { kind: 'body', status: 405, headers: { allow: sessions ? 'GET, POST, DELETE' : 'POST', 'content-type': 'text/plain' }, body: 'Method Not Allowed' };

  let auth: AuthInfo | undefined;
  if (options.authenticate) {
    const outcome = await options.authenticate(request.headers);
    if (isHttpReply(outcome)) return outcome;
    auth = outcome;
  } else if (authorization) {
    const outcome = await authorization.authenticate(request.headers, endpointPath);
    if (isHttpReply(outcome)) return outcome;
    auth = outcome;
  }
  // A session's GET stream or DELETE is never anonymous, even where server/discover may be.
  if (sessionVerb && authorization && auth === undefined) return authorization.authorize({ method: request.method }, undefined, request.headers, endpointPath)!;
  if (sessionVerb)
    return request.method === 'GET'
      ? handleSessionGet(sessions, request, readAccept(request.headers.get('accept')), options.keepAliveMs ?? 15_000, auth)
      : handleSessionDelete(sessions, request, auth);

  const contentType = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') return refusal(415, ErrorCode.InvalidRequest, 'Unsupported Media Type: POST bodies must be application/json');
  const accept = readAccept(request.headers.get('accept'));
  if (!accept) return refusal(406, ErrorCode.InvalidRequest, 'Not Acceptable: accept application/json and text/event-stream');

  const bytes = await request.readBody(options.maxBodyBytes ?? DEFAULT_MAX_BODY, options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS);
  if (bytes === 'too-large') return refusal(413, ErrorCode.InvalidRequest, 'Payload Too Large');
  if (bytes === 'timeout') return refusal(408, ErrorCode.InvalidRequest, 'Request Timeout: the body did not arrive in time', { connection: 'close' });

  let body: string;
  let message: unknown;
  try {
    body = utf8.decode(bytes);
    message = JSON.parse(body);
  } catch {
    return refusal(400, ErrorCode.ParseError, 'Parse error');
  }
  // One request or notification per POST; batches are not part of MCP ("Sending Messages").
  if (Array.isArray(message)) return refusal(400, ErrorCode.InvalidRequest, 'Invalid Request: batches are not supported');
  // Scopes depend on the operation (403 insufficient_scope names all it needs), so they are checked once it is known.
  const refused = authorization?.authorize(message, auth, request.headers, endpointPath);
  if (refused) return refused;

  // Per request, the era: a session id or an initialize runs the 2025-11-25 session wire.
  if (sessions && isSessionMessage(message, request.headers.get(SESSION_HEADER)))
    return handleSessionPost(sessions, message, exactIdText(body, message), request, accept, auth, options.keepAliveMs ?? 15_000);

  const isListen = typeof message === 'object' && message !== null && (message as { method?: unknown }).method === 'subscriptions/listen';
  if (isListen && !accept.sse) return refusal(406, ErrorCode.InvalidRequest, 'Not Acceptable: subscriptions/listen answers with text/event-stream');

  return respond(server, message, exactIdText(body, message), request, accept, auth, options.keepAliveMs ?? 15_000);
}

/**
 * JSON or SSE is chosen per request: a handler that never streams gets one JSON body; the first
 * progress/log/listen notification switches the response to SSE, which then ends with the final
 * response ("Sending Messages" 6, "Receiving Messages").
 */
async function respond(
  server: McpServer,
  message: unknown,
  exactId: string | undefined,
  request: IncomingHttpRequest,
  accept: AcceptFlags,
  auth: AuthInfo | undefined,
  keepAliveMs: number,
): Promise<HttpReply> {
  const sseHeaders = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' };
  let stream: SseStream | undefined;
  const early: JsonRpcNotification[] = [];
  let switchToStream: (() => void) | undefined;
  const firstNotification = new Promise<'stream'>((resolve) => (switchToStream = () => resolve('stream')));

  const send = accept.sse
    ? (notification: JsonRpcNotification) => {
        if (stream) stream.pushMessage(notification);
        else {
          early.push(notification);
          switchToStream?.();
        }
      }
    : undefined;

  const handled = server.handle(message, { signal: request.signal, send, headers: request.headers, auth });
  const first = await Promise.race([handled, firstNotification]);

  if (first !== 'stream') {
    if (!first.response) return { kind: 'body', status: first.httpStatus === 202 ? 202 : 204, headers: {} };
    const text = stringifyMessage(first.response, exactId);
    if (accept.json) return { kind: 'body', status: first.httpStatus, headers: { 'content-type': 'application/json' }, body: text };
    // A client that accepts only SSE gets the lone response as one event, with the same status.
    const single = new SseStream(0);
    single.pushJson(text);
    single.end();
    return { kind: 'stream', status: first.httpStatus, headers: sseHeaders, stream: single };
  }

  const live = new SseStream(keepAliveMs);
  stream = live;
  for (const notification of early.splice(0)) live.pushMessage(notification);
  handled.then(
    (outcome) => {
      // The final response terminates the stream; a cancelled request just ends it.
      if (outcome.response) live.pushJson(stringifyMessage(outcome.response, exactId));
      live.end();
    },
    () => live.end(),
  );
  return { kind: 'stream', status: 200, headers: sseHeaders, stream: live };
}
