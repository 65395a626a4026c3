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
  McpTransportError,
  UnsupportedProtocolVersionError,
} from './errors.ts';
import { buildRequest, type ResponseMessage } from './json-rpc.ts';
import { resultKindOf } from './result-type.ts';
import type { ClientTransport } from './transport.ts';

/**
 * One logical request on the wire: per-request `_meta` (basic/index.mdx "_meta"), protocol
 * version negotiation on -32022 (basic/versioning.mdx), era detection (versioning.mdx "Backward
 * Compatibility", streamable-http.mdx and stdio.mdx "Backward Compatibility"), timeouts and
 * cancellation (basic/patterns/cancellation.mdx), progress and log routing, and re-issuing a
 * request whose SSE stream broke (changelog.mdx: no resumption, a new id instead).
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

export interface SessionConfig {
  transport: ClientTransport;
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
  #legacy: LegacyServerError | undefined;
  #probing: Promise<void> | undefined;
  #probeResult: JsonObject | undefined;
  #nextId = 1;
  #nextToken = 1;

  constructor(config: SessionConfig) {
    this.#config = config;
    this.#version = config.protocolVersion;
  }

  get protocolVersion(): string {
    return this.#version;
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
    if (this.#legacy) throw this.#legacy;
    if (this.#config.probe && this.#era === 'unknown' && method !== 'server/discover') await (this.#probing ??= this.#probe());
    const ceiling = this.#ceilingFor(method, options);
    try {
      return await this.#request(method, params, options, ceiling.signal);
    } finally {
      ceiling.clear();
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
        if (error instanceof McpTransportError && error.httpStatus !== undefined && ERA_SIGNAL_STATUSES.has(error.httpStatus) && this.#era !== 'modern')
          throw await this.#becomeLegacy(`HTTP ${error.httpStatus} without a modern JSON-RPC error body (${method})`);
        throw error;
      }
      const { message, httpStatus } = answer;
      if (message.kind === 'error') {
        await this.#checkEraFromError(method, message.error, httpStatus);
        if (message.error.code === ErrorCode.UnsupportedProtocolVersion && !negotiated) {
          this.#era = 'modern';
          this.#adoptVersion(supportedFrom(message.error.data));
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
    if (!mutual) throw new UnsupportedProtocolVersionError(serverSupported, this.#config.supportedVersions);
    this.#version = mutual;
  }

  async #checkEraFromError(method: string, error: JsonRpcErrorObject, httpStatus: number | undefined): Promise<void> {
    // Every modern server implements server/discover (server/discover.mdx).
    if (method === 'server/discover' && error.code === ErrorCode.MethodNotFound)
      throw await this.#becomeLegacy(`server/discover is not implemented (${error.message})`);
    if (this.#era === 'modern' || httpStatus === undefined || !ERA_SIGNAL_STATUSES.has(httpStatus)) return;
    if (!MODERN_ERROR_CODES.has(error.code))
      throw await this.#becomeLegacy(`HTTP ${httpStatus} with non-modern error ${error.code} '${error.message}' (${method})`);
  }

  async #becomeLegacy(evidence: string): Promise<LegacyServerError> {
    this.#era = 'legacy';
    const version = await this.#config.transport.probeLegacyVersion?.(this.#config.probeTimeoutMs);
    this.#legacy = new LegacyServerError(`${evidence} at ${this.#config.transport.describe}`, version);
    return this.#legacy;
  }

  /** stdio probe (basic/transports/stdio.mdx "Backward Compatibility"). */
  async #probe(): Promise<void> {
    let answer: { message: ResponseMessage; httpStatus?: number };
    try {
      answer = await this.#attempt('server/discover', {}, this.#version, { timeoutMs: this.#config.probeTimeoutMs });
    } catch (error) {
      if (error instanceof McpTimeoutError) throw await this.#becomeLegacy(`no answer to the server/discover probe within ${this.#config.probeTimeoutMs} ms`);
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
      this.#era = 'modern';
      return this.#adoptVersion(supportedFrom(message.error.data));
    }
    // Any other error means legacy; never keyed to one code (stdio.mdx).
    throw await this.#becomeLegacy(`server/discover probe answered with error ${message.error.code} '${message.error.message}'`);
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
  ): Promise<{ message: ResponseMessage; httpStatus?: number }> {
    if (options.signal?.aborted) return Promise.reject(new McpAbortError(method, options.signal.reason));
    if (ceiling?.aborted) return Promise.reject(ceiling.reason);
    const progressToken = options.onProgress ? `p${this.#nextToken++}` : undefined;
    const body: JsonObject = { ...params, _meta: { ...(isPlainObject(params._meta) ? params._meta : {}), ...this.#metaFor(version, options, progressToken) } };
    const message = buildRequest(this.#nextId++, method, body);

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
        } else options.onNotification?.(notification);
      } catch (error) {
        this.#config.logger.warn(`a notification callback for ${method} threw: ${error instanceof Error ? error.message : String(error)}`);
      }
    };

    return this.#config.transport
      .send({ message, headers: options.headers, signal: controller.signal, onNotification })
      .catch((error: unknown) => {
        if (controller.signal.aborted && error === controller.signal.reason) throw error;
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
