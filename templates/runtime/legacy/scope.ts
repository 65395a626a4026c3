import { McpError } from '../errors.ts';
import { isPlainObject } from '../json.ts';
import type { RequestMeta } from '../request-meta.ts';
import { ErrorCode, META, type ClientCapabilities, type Implementation, type InputRequest, type JsonObject, type LoggingLevel } from '../wire.ts';

/**
 * What the era-neutral dispatcher (create-server.ts) needs from the 2025-11-25 wire for one
 * request: the session's negotiated facts instead of `_meta`, and a way to ask the client.
 */
export interface LegacyScope {
  protocolVersion: string;
  clientCapabilities: ClientCapabilities;
  clientInfo?: Implementation;
  logLevel?: LoggingLevel;
  /** Sends a server→client request and resolves with the client's result. */
  request(method: string, params: JsonObject, signal: AbortSignal): Promise<unknown>;
}

/** Versions of the initialize/session era this runtime implements, newest first. */
export const SESSION_WIRE_VERSIONS: readonly string[] = ['2025-11-25'];

/** The two methods of the 2026-07-28 wire that the session wire does not have. */
export const MODERN_ONLY_METHODS: ReadonlySet<string> = new Set(['server/discover', 'subscriptions/listen']);

/** A handler's view of a session request: the same RequestMeta shape the `_meta` wire builds. */
export function legacyRequestMeta(params: JsonObject | undefined, scope: LegacyScope): RequestMeta {
  const raw = isPlainObject(params?._meta) ? params._meta : {};
  const progressToken = raw.progressToken;
  const text = (key: string) => (typeof raw[key] === 'string' ? (raw[key] as string) : undefined);
  return {
    protocolVersion: scope.protocolVersion,
    clientCapabilities: scope.clientCapabilities,
    clientInfo: scope.clientInfo,
    logLevel: scope.logLevel,
    progressToken: typeof progressToken === 'string' || (typeof progressToken === 'number' && Number.isInteger(progressToken)) ? progressToken : undefined,
    traceparent: text('traceparent'),
    tracestate: text('tracestate'),
    baggage: text('baggage'),
    raw,
  };
}

/**
 * A request that carries both eras' markers (a session, and `_meta` version fields of the
 * stateless wire) is refused rather than guessed at.
 */
export function eraConflict(message: unknown): McpError | undefined {
  if (!isPlainObject(message) || !isPlainObject(message.params)) return undefined;
  const meta = message.params._meta;
  if (!isPlainObject(meta) || !(META.protocolVersion in meta || META.clientCapabilities in meta)) return undefined;
  return new McpError(
    ErrorCode.InvalidRequest,
    `Invalid Request: mixed protocol eras: the request belongs to a 2025-11-25 session (Mcp-Session-Id or initialize) but params._meta carries the 2026-07-28 field "${META.protocolVersion in meta ? META.protocolVersion : META.clientCapabilities}"; send one or the other`,
    undefined,
    400,
  );
}

/** Fetches every missing ask from the client at once, as real server→client requests. */
export function askClient(scope: LegacyScope, signal: AbortSignal) {
  return async (requests: Record<string, InputRequest>): Promise<Record<string, unknown>> => {
    const entries = await Promise.all(
      Object.entries(requests).map(async ([key, request]) => [key, await scope.request(request.method, (request.params ?? {}) as JsonObject, signal)] as const),
    );
    return Object.fromEntries(entries);
  };
}

/** 2026-only result members (resultType, caching hints) are not part of the session wire's results. */
export function toLegacyResult(result: JsonObject): JsonObject {
  if (!('resultType' in result || 'ttlMs' in result || 'cacheScope' in result)) return result;
  const { resultType: _r, ttlMs: _t, cacheScope: _c, ...rest } = result;
  return rest;
}
