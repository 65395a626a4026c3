import { isPlainObject } from '../json.ts';
import type { RuntimeLogger } from '../log.ts';
import { ErrorCode, META, type ClientCapabilities, type Implementation, type JsonObject, type JsonRpcErrorObject, type JsonRpcNotification, type JsonValue, type LoggingLevel } from '../wire.ts';
import {
  isBrokenStream,
  LegacyServerError,
  McpAbortError,
  McpClientError,
  McpRpcError,
  McpTimeoutError,
  McpProtocolError,
  McpSessionExpiredError,
  McpTransportError,
  UnsupportedProtocolVersionError,
} from './errors.ts';
import type { InputHandlers } from './input-requests.ts';
import { buildRequest, type ResponseMessage } from './json-rpc.ts';
import { LEGACY_PROTOCOL_VERSIONS, LegacySession } from './legacy-session.ts';
import { resultKindOf } from './result-type.ts';
import type { ClientTransport } from './transport.ts';

/**
 * One logical request on the wire: per-request `_meta` (basic/index.mdx "_meta"), protocol
 * version negotiation on -32022 (basic/versioning.mdx), era detection (versioning.mdx "Backward
 * Compatibility", streamable-http.mdx and stdio.mdx "Backward Compatibility"), timeouts and
 * cancellation (basic/patterns/cancellation.mdx), progress and log routing, and re-issuing a
 * request whose SSE stream broke (changelog.mdx: no resumption, a new id instead).
 *
 * With `era: 'auto'` (the default) a legacy verdict is not an error: the session falls back to
 * `initialize` as versioning.mdx's compatibility matrix prescribes for a dual-era client ("Dual-era
 * / Legacy: Works") and every later request runs on the 2025-11-25 wire (legacy-session.ts).
 * `era: 'legacy'` skips detection; `era: 'modern'` keeps the old refusal (`LegacyServerError`).
 *
 * The verdict, per transport (../shared/spec/2026-07-28/docs/basic/transports/stdio.mdx and
 * streamable-http.mdx "Backward Compatibility", versioning.mdx "Backward Compatibility with
 * Initialization-Based Versions"):
 *   - stdio: `server/discover` first. A DiscoverResult or -32022 means modern; any other error, or
 *     silence past `probeTimeoutMs`, means legacy (never keyed to one code).
 *   - HTTP: the modern request itself. A 400/404/405 whose body is a recognised modern error
 *     (-32020, -32021, -32022, -32601, and -32602, the 400 of a request without `_meta`) means
 *     modern; any other 4xx of those, with or without a body, means legacy.
 *   - On either transport a -32022 is a modern answer: the client retries with a version from
 *     `data.supported` and never falls back to `initialize`, even when that list names only
 *     initialize-based revisions; no mutual version is an `UnsupportedProtocolVersionError`.
 */
export interface ProgressUpdate {
  progress: number;
  total?: number;
  message?: string;
}
export interface LogMessage {
  level: LoggingLevel;
  logger?: string;
  data: JsonValue;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Per-request timeout in ms; 0 disables it. Default: the client's `timeoutMs`. */
  timeoutMs?: number;
  onProgress?: (update: ProgressUpdate) => void;
  onLog?: (message: LogMessage) => void;
  /** Sets `_meta["io.modelcontextprotocol/logLevel"]` (server/utilities/logging.mdx). */
  logLevel?: LoggingLevel;
  /** Extra `_meta` keys (trace context, extension keys). Reserved keys are always the client's. */
  meta?: JsonObject;
  /** Extra HTTP headers for this request. */
  headers?: Record<string, string>;
  /** Any other notification scoped to this request. */
  onNotification?: (notification: JsonRpcNotification) => void;
}

/** Which wire to speak: detect (default), or pin one. */
export type EraPreference = 'auto' | 'modern' | 'legacy';

export interface SessionConfig {
  transport: ClientTransport;
  era: EraPreference;
  /** Preferred initialization-based revision for the fallback. */
  legacyProtocolVersion: string;
  /** Answers server→client requests on the legacy wire (the MRTR handlers). */
  handlers: InputHandlers;
  /** Notifications that belong to no request. */
  onNotification?: (notification: JsonRpcNotification) => void;
  clientInfo?: Implementation;
  capabilities: ClientCapabilities;
  /** Modern revisions this client speaks, preferred first. */
  supportedVersions: readonly string[];
  protocolVersion: string;
  timeoutMs: number;
  /** Hard ceiling even when progress resets the timer; 0 = none. */
  maxTimeoutMs: number;
  resetTimeoutOnProgress: boolean;
  /** Probe with `server/discover` before the first request (recommended on stdio). */
  probe: boolean;
  probeTimeoutMs: number;
  /** `resultType` values of extensions the client advertises (e.g. `task`). */
  extensionResultTypes: ReadonlySet<string>;
  logger: RuntimeLogger;
}

export type ServerEra = 'unknown' | 'modern' | 'legacy';

/** A modern-only method reached a legacy server; the caller maps it to that era (subscription.ts). */
export class NotOnLegacyWireError extends McpClientError {
  constructor(method: string) {
    super('not_on_legacy_wire', `${method} does not exist on the 2025-11-25 wire`);
    this.name = 'NotOnLegacyWireError';
  }
}

/** Codes only a modern server sends with 400/404 (streamable-http.mdx "Backward Compatibility"). */
const MODERN_ERROR_CODES: ReadonlySet<number> = new Set([
  ErrorCode.HeaderMismatch,
  ErrorCode.MissingRequiredClientCapability,
  ErrorCode.UnsupportedProtocolVersion,
  ErrorCode.MethodNotFound,
  ErrorCode.InvalidParams,
]);
const ERA_SIGNAL_STATUSES: ReadonlySet<number> = new Set([400, 404, 405]);

function supportedFrom(data: JsonValue | undefined): string[] {
  const list = isPlainObject(data) ? data.supported : undefined;
  return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : [];
}

export class RpcSession {
  readonly #config: SessionConfig;
  #version: string;
  #era: ServerEra = 'unknown';
  #legacyError: LegacyServerError | undefined;
  #probing: Promise<void> | undefined;
  #probeResult: JsonObject | undefined;
  #nextId = 1;
  #nextToken = 1;
  #legacySession: LegacySession | undefined;

  constructor(config: SessionConfig) {
    this.#config = config;
    this.#version = config.protocolVersion;
    if (config.era === 'legacy') this.#era = 'legacy';
  }

  get protocolVersion(): string {
    return this.#era === 'legacy' ? (this.#legacySession?.protocolVersion ?? this.#config.legacyProtocolVersion) : this.#version;
  }
  /** The 2025-11-25 session, once the server turned out to be legacy. */
  get legacy(): LegacySession | undefined {
    return this.#era === 'legacy' ? this.#legacy() : undefined;
  }
  get era(): ServerEra {
    return this.#era;
  }
  get transport(): ClientTransport {
    return this.#config.transport;
  }
  /** The `server/discover` result the probe received, once (the client seeds its cache with it). */
  takeProbeResult(): JsonObject | undefined {
    const result = this.#probeResult;
    this.#probeResult = undefined;
    return result;
  }

  /** Sends `method` and returns its result (complete or input_required); throws typed errors otherwise. */
  async request(method: string, params: JsonObject, options: RequestOptions = {}): Promise<JsonObject> {
    if (this.#legacyError) throw this.#legacyError;
    if (this.#config.probe && this.#era === 'unknown' && method !== 'server/discover') await (this.#probing ??= this.#probe());
    const ceiling = this.#ceilingFor(method, options);
    try {
      if (this.#era === 'legacy') return await this.#legacyRequest(method, params, options, ceiling.signal);
      return await this.#request(method, params, options, ceiling.signal);
    } finally {
      ceiling.clear();
    }
  }

  /** The server is legacy: fall back (era 'auto'), or refuse (era 'modern', or a transport without the legacy wire). */
  async #legacyVerdict(evidence: string): Promise<void> {
    if (this.#config.era === 'auto' && this.#config.transport.legacy) {
      this.#era = 'legacy';
      return;
    }
    throw await this.#becomeLegacy(evidence);
  }

  #legacy(): LegacySession {
    const transport = this.#config.transport;
    if (!transport.legacy) throw new McpProtocolError(`the ${transport.kind} transport cannot speak the 2025-11-25 wire (era: 'legacy' needs the built-in HTTP or stdio transport)`);
    return (this.#legacySession ??= new LegacySession({
      wire: transport.legacy,
      describe: transport.describe,
      clientInfo: this.#config.clientInfo,
      capabilities: withoutTasksExtension(this.#config.capabilities),
      handlers: this.#config.handlers,
      protocolVersion: this.#config.legacyProtocolVersion,
      logger: this.#config.logger,
      onNotification: this.#config.onNotification,
      send: (method, params, version) => this.#attempt(method, params, version ?? this.#config.legacyProtocolVersion, {}, undefined, { protocolVersion: version }).then((a) => a.message),
    }));
  }

  /**
   * One request on the 2025-11-25 wire: open the session if needed, set the log level the
   * session way, and start a new session once if the server forgot this one (HTTP 404,
   * 2025-11-25 basic/transports.mdx "Session Management").
   */
  async #legacyRequest(method: string, params: JsonObject, options: RequestOptions, ceiling: AbortSignal | undefined): Promise<JsonObject> {
    const session = this.#legacy();
    for (let renewed = false; ; renewed = true) {
      try {
        const init = await session.ensure();
        if (method === 'server/discover') return session.discoverResult();
        if (method === 'subscriptions/listen') throw new NotOnLegacyWireError(method);
        if (options.logLevel) await session.setLogLevel(options.logLevel);
        const { message, httpStatus } = await this.#attempt(method, params, init.protocolVersion, options, ceiling, { protocolVersion: init.protocolVersion });
        if (message.kind === 'error') throw new McpRpcError(method, message.error.code, message.error.message, message.error.data, httpStatus);
        return message.result;
      } catch (error) {
        if (error instanceof McpSessionExpiredError && !renewed) continue;
        throw error;
      }
    }
  }

  /**
   * The hard ceiling of one logical request (`maxTimeoutMs`): counted from its start, never
   * restarted by progress, and shared by a version retry and a re-issue, so one request has one
   * deadline however many wire attempts it takes.
   */
  #ceilingFor(method: string, options: RequestOptions): { signal: AbortSignal | undefined; clear(): void } {
    const timeoutMs = options.timeoutMs ?? this.#config.timeoutMs;
    const maxTimeoutMs = this.#config.maxTimeoutMs;
    if (!(timeoutMs > 0 && maxTimeoutMs > 0)) return { signal: undefined, clear: () => {} };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new McpTimeoutError(method, maxTimeoutMs)), maxTimeoutMs);
    return { signal: controller.signal, clear: () => clearTimeout(timer) };
  }

  async #request(method: string, params: JsonObject, options: RequestOptions, ceiling: AbortSignal | undefined): Promise<JsonObject> {
    let negotiated = false;
    let reissued = false;
    for (;;) {
      const version = this.#version;
      let answer: { message: ResponseMessage; httpStatus?: number };
      try {
        answer = await this.#attempt(method, params, version, options, ceiling);
      } catch (error) {
        if (isBrokenStream(error) && !reissued) {
          reissued = true; // a broken stream loses the request: re-issue it once with a new id
          continue;
        }
        if (error instanceof McpTransportError && error.httpStatus !== undefined && ERA_SIGNAL_STATUSES.has(error.httpStatus) && this.#era !== 'modern') {
          await this.#legacyVerdict(`HTTP ${error.httpStatus} without a modern JSON-RPC error body (${method})`);
          return this.#legacyRequest(method, params, options, ceiling);
        }
        throw error;
      }
      const { message, httpStatus } = answer;
      if (message.kind === 'error') {
        const evidence = this.#legacyEvidence(method, message.error, httpStatus);
        if (evidence !== undefined) {
          await this.#legacyVerdict(evidence);
          return this.#legacyRequest(method, params, options, ceiling);
        }
        if (message.error.code === ErrorCode.UnsupportedProtocolVersion && !negotiated) {
          const supported = supportedFrom(message.error.data);
          this.#era = 'modern';
          this.#adoptVersion(supported);
          negotiated = true;
          continue;
        }
        throw new McpRpcError(method, message.error.code, message.error.message, message.error.data, httpStatus);
      }
      this.#era = 'modern';
      resultKindOf(method, message.result, this.#config.extensionResultTypes);
      return message.result;
    }
  }

  #adoptVersion(serverSupported: readonly string[]): void {
    const mutual = this.#config.supportedVersions.find((v) => serverSupported.includes(v));
    if (!mutual) {
      const initializeBased = serverSupported.filter((v) => LEGACY_PROTOCOL_VERSIONS.includes(v));
      // -32022 comes from a modern server, so this is no fallback case (stdio.mdx); say how to reach it anyway.
      const hint = initializeBased.length > 0 ? `; the server named initialize-based revisions (${initializeBased.join(', ')}) in a -32022, which a dual-era client does not fall back to: create the client with era: 'legacy' to speak them` : '';
      throw new UnsupportedProtocolVersionError(serverSupported, this.#config.supportedVersions, hint);
    }
    this.#version = mutual;
  }

  /** Why an error answer means a legacy server, or undefined when it does not. */
  #legacyEvidence(method: string, error: JsonRpcErrorObject, httpStatus: number | undefined): string | undefined {
    // Every modern server implements server/discover (server/discover.mdx).
    if (method === 'server/discover' && error.code === ErrorCode.MethodNotFound && this.#era !== 'modern') return `server/discover is not implemented (${error.message})`;
    if (this.#era === 'modern' || httpStatus === undefined || !ERA_SIGNAL_STATUSES.has(httpStatus)) return undefined;
    if (!MODERN_ERROR_CODES.has(error.code)) return `HTTP ${httpStatus} with non-modern error ${error.code} '${error.message}' (${method})`;
    return undefined;
  }

  async #becomeLegacy(evidence: string): Promise<LegacyServerError> {
    this.#era = 'legacy';
    const version = await this.#config.transport.probeLegacyVersion?.(this.#config.probeTimeoutMs);
    this.#legacyError = new LegacyServerError(`${evidence} at ${this.#config.transport.describe}`, version);
    return this.#legacyError;
  }

  /** stdio probe (basic/transports/stdio.mdx "Backward Compatibility"). */
  async #probe(): Promise<void> {
    let answer: { message: ResponseMessage; httpStatus?: number };
    try {
      answer = await this.#attempt('server/discover', {}, this.#version, { timeoutMs: this.#config.probeTimeoutMs });
    } catch (error) {
      if (error instanceof McpTimeoutError) return this.#legacyVerdict(`no answer to the server/discover probe within ${this.#config.probeTimeoutMs} ms`);
      this.#probing = undefined; // transport trouble is not an era signal: probe again next time
      throw error;
    }
    const { message } = answer;
    if (message.kind === 'result') {
      this.#era = 'modern';
      const supported = Array.isArray(message.result.supportedVersions) ? message.result.supportedVersions.filter((v): v is string => typeof v === 'string') : [];
      if (supported.length > 0 && !supported.includes(this.#version)) this.#adoptVersion(supported);
      this.#probeResult = message.result;
      return;
    }
    if (message.error.code === ErrorCode.UnsupportedProtocolVersion) {
      // A recognised modern error: do not fall back to initialize (stdio.mdx "Backward Compatibility").
      const supported = supportedFrom(message.error.data);
      this.#era = 'modern';
      return this.#adoptVersion(supported);
    }
    // Any other error means legacy; never keyed to one code (stdio.mdx).
    return this.#legacyVerdict(`server/discover probe answered with error ${message.error.code} '${message.error.message}'`);
  }

  #metaFor(version: string, options: RequestOptions, progressToken: string | undefined): JsonObject {
    const meta: JsonObject = { ...options.meta };
    meta[META.protocolVersion] = version;
    meta[META.clientCapabilities] = this.#config.capabilities as JsonObject;
    if (this.#config.clientInfo) meta[META.clientInfo] = this.#config.clientInfo as unknown as JsonObject;
    if (options.logLevel) meta[META.logLevel] = options.logLevel;
    if (progressToken !== undefined) meta.progressToken = progressToken;
    return meta;
  }

  /**
   * One wire request. Its signal fires on the idle timeout (`timeoutMs`, restarted by progress),
   * on the request's `ceiling` and on the caller's abort; the transport stops reading the body
   * when it fires (http-transport.ts, stop-reading.ts).
   */
  #attempt(
    method: string,
    params: JsonObject,
    version: string,
    options: RequestOptions,
    ceiling?: AbortSignal,
    legacy?: { protocolVersion?: string },
  ): Promise<{ message: ResponseMessage; httpStatus?: number }> {
    if (options.signal?.aborted) return Promise.reject(new McpAbortError(method, options.signal.reason));
    if (ceiling?.aborted) return Promise.reject(ceiling.reason);
    const progressToken = options.onProgress ? `p${this.#nextToken++}` : undefined;
    const message = buildRequest(this.#nextId++, method, legacy ? legacyBody(params, options, progressToken) : { ...params, _meta: { ...(isPlainObject(params._meta) ? params._meta : {}), ...this.#metaFor(version, options, progressToken) } });

    const controller = new AbortController();
    const timeoutMs = options.timeoutMs ?? this.#config.timeoutMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      if (timeoutMs > 0) timer = setTimeout(() => controller.abort(new McpTimeoutError(method, timeoutMs)), timeoutMs);
    };
    arm();
    const onCeiling = () => controller.abort(ceiling?.reason);
    ceiling?.addEventListener('abort', onCeiling, { once: true });
    const onUserAbort = () => controller.abort(new McpAbortError(method, options.signal?.reason));
    options.signal?.addEventListener('abort', onUserAbort, { once: true });

    const onNotification = (notification: JsonRpcNotification) => {
      const p = notification.params ?? {};
      try {
        if (notification.method === 'notifications/progress' && progressToken !== undefined && p.progressToken === progressToken) {
          if (this.#config.resetTimeoutOnProgress) arm();
          if (typeof p.progress === 'number')
            options.onProgress?.({ progress: p.progress, ...(typeof p.total === 'number' ? { total: p.total } : {}), ...(typeof p.message === 'string' ? { message: p.message } : {}) });
        } else if (notification.method === 'notifications/message' && options.onLog) {
          options.onLog({ level: p.level as LoggingLevel, ...(typeof p.logger === 'string' ? { logger: p.logger } : {}), data: (p.data ?? null) as JsonValue });
        } else if (options.onNotification) options.onNotification(notification);
        // On the legacy wire, list changes and resource updates may ride on any response stream.
        else if (legacy) this.#legacySession?.notify(notification);
      } catch (error) {
        this.#config.logger.warn(`a notification callback for ${method} threw: ${error instanceof Error ? error.message : String(error)}`);
      }
    };

    return this.#config.transport
      .send({ message, headers: options.headers, signal: controller.signal, onNotification, ...(legacy ? { legacy, wantsLogs: options.logLevel !== undefined || options.onLog !== undefined } : {}) })
      .catch((error: unknown) => {
        if (controller.signal.aborted && error === controller.signal.reason) {
          // 2025-11-25: closing an HTTP stream is not a cancellation; say so (basic/utilities/cancellation.mdx).
          if (legacy && method !== 'initialize' && this.#config.transport.kind === 'http')
            void this.#config.transport.legacy?.notify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: message.id, reason: String((error as Error)?.message ?? 'cancelled') } }, legacy.protocolVersion).catch(() => {});
          throw error;
        }
        if (error instanceof McpClientError) throw error;
        throw new McpTransportError(`${method} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      })
      .finally(() => {
        clearTimeout(timer);
        ceiling?.removeEventListener('abort', onCeiling);
        options.signal?.removeEventListener('abort', onUserAbort);
      });
  }
}

/** Legacy params: no per-request `_meta` envelope beyond the caller's keys and `progressToken`. */
function legacyBody(params: JsonObject, options: RequestOptions, progressToken: string | undefined): JsonObject {
  const meta: JsonObject = { ...(isPlainObject(params._meta) ? params._meta : {}), ...options.meta };
  if (progressToken !== undefined) meta.progressToken = progressToken;
  const body: JsonObject = { ...params };
  delete body._meta;
  if (Object.keys(meta).length > 0) body._meta = meta;
  return body;
}

/**
 * The 2025-11-25 `initialize` carries no 2026 extensions: the Tasks extension (tasks.md) is
 * wire-incompatible with that era's core tasks, so it is never declared there.
 */
function withoutTasksExtension(capabilities: ClientCapabilities): ClientCapabilities {
  const extensions = capabilities.extensions;
  if (!extensions || !('io.modelcontextprotocol/tasks' in extensions)) return capabilities;
  const { ['io.modelcontextprotocol/tasks']: _tasks, ...rest } = extensions;
  const { extensions: _all, ...others } = capabilities;
  return Object.keys(rest).length > 0 ? { ...others, extensions: rest } : others;
}
