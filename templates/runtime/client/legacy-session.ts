import { isPlainObject } from '../json.ts';
import type { RuntimeLogger } from '../log.ts';
import { ErrorCode, META, type ClientCapabilities, type Implementation, type JsonObject, type JsonRpcNotification, type JsonRpcRequest, type LoggingLevel } from '../wire.ts';
import { McpAbortError, McpClientError, McpProtocolError, MissingInputHandlerError, UnsupportedProtocolVersionError } from './errors.ts';
import { answerServerRequest, type InputHandlers } from './input-requests.ts';
import type { ResponseMessage } from './json-rpc.ts';
import type { LegacyWire, ServerRequestAnswer } from './transport.ts';

/**
 * The client side of the 2025-11-25 lifecycle (../shared/spec/2025-11-25/docs/basic/lifecycle.mdx):
 * `initialize` with the client's capabilities and info, the version check, then
 * `notifications/initialized`; again whenever the transport says the server forgot us (a new
 * stdio process, an expired HTTP session). It also answers the server→client requests of that
 * era — `elicitation/create`, `sampling/createMessage`, `roots/list` through the very handlers that
 * answer MRTR asks, `ping` itself (basic/utilities/ping.mdx) — and fans out notifications that
 * belong to no request (list changes, resource updates, logs) to `listen()` and `onNotification`.
 */

/** Initialization-based revisions this client speaks, preferred first (all share the Streamable HTTP and stdio wire it implements). */
export const LEGACY_PROTOCOL_VERSIONS: readonly string[] = ['2025-11-25', '2025-06-18', '2025-03-26'];

export interface InitializeResult {
  protocolVersion: string;
  capabilities: JsonObject;
  serverInfo: Implementation;
  instructions?: string;
}

/** Sends one request on the legacy wire (rpc-session.ts owns ids, timeouts and cancellation). */
export type LegacySend = (method: string, params: JsonObject, protocolVersion: string | undefined) => Promise<ResponseMessage>;

export interface LegacySessionConfig {
  wire: LegacyWire;
  describe: string;
  clientInfo: Implementation | undefined;
  capabilities: ClientCapabilities;
  handlers: InputHandlers;
  /** Preferred legacy revision (default 2025-11-25). */
  protocolVersion: string;
  logger: RuntimeLogger;
  send: LegacySend;
  /** Also told about every notification outside a request (the client's `onNotification`). */
  onNotification?: (notification: JsonRpcNotification) => void;
}

export class LegacySession {
  readonly #config: LegacySessionConfig;
  #initialized: InitializeResult | undefined;
  #epoch = -1;
  #opening: Promise<InitializeResult> | undefined;
  #logLevel: LoggingLevel | undefined;
  readonly #listeners = new Set<(notification: JsonRpcNotification) => void>();
  /** Server requests being answered, by id, so the server's `notifications/cancelled` can stop them. */
  readonly #answering = new Map<string, AbortController>();

  constructor(config: LegacySessionConfig) {
    this.#config = config;
    config.wire.attach({
      onServerRequest: (request, related) => this.#answer(request, related),
      onNotification: (notification) => this.notify(notification),
    });
  }

  /** The initialize result of the current session, once it is open. */
  get initializeResult(): InitializeResult | undefined {
    return this.#initialized;
  }

  /** The negotiated revision, once the session is open. */
  get protocolVersion(): string | undefined {
    return this.#initialized?.protocolVersion;
  }

  /** Opens a session unless the current one is still known to the server. */
  async ensure(): Promise<InitializeResult> {
    if (this.#initialized && this.#epoch === this.#config.wire.epoch) return this.#initialized;
    return (this.#opening ??= this.#open().finally(() => (this.#opening = undefined)));
  }

  async #open(): Promise<InitializeResult> {
    this.#initialized = undefined;
    this.#logLevel = undefined;
    const config = this.#config;
    const answer = await config.send(
      'initialize',
      {
        protocolVersion: config.protocolVersion,
        capabilities: config.capabilities as JsonObject,
        clientInfo: (config.clientInfo ?? { name: 'mcp-gen-client', version: '0' }) as unknown as JsonObject,
      },
      undefined,
    );
    if (answer.kind === 'error') {
      const supported = isPlainObject(answer.error.data) && Array.isArray(answer.error.data.supported) ? answer.error.data.supported.filter((v): v is string => typeof v === 'string') : [];
      if (supported.length > 0 && !supported.some((v) => LEGACY_PROTOCOL_VERSIONS.includes(v))) throw new UnsupportedProtocolVersionError(supported, LEGACY_PROTOCOL_VERSIONS);
      throw new McpProtocolError(`initialize failed at ${config.describe}: ${answer.error.message} (${answer.error.code})`, { kind: 'initialize_failed' });
    }
    const result = answer.result;
    if (typeof result.protocolVersion !== 'string' || !isPlainObject(result.capabilities) || !isPlainObject(result.serverInfo))
      throw new McpProtocolError(`initialize result from ${config.describe} lacks protocolVersion, capabilities or serverInfo`);
    // lifecycle.mdx "Version Negotiation": a version the client does not support ends the attempt.
    if (!LEGACY_PROTOCOL_VERSIONS.includes(result.protocolVersion)) {
      await config.wire.end().catch(() => {});
      throw new UnsupportedProtocolVersionError([result.protocolVersion], LEGACY_PROTOCOL_VERSIONS);
    }
    const initialized: InitializeResult = {
      protocolVersion: result.protocolVersion,
      capabilities: result.capabilities,
      serverInfo: result.serverInfo as unknown as Implementation,
      ...(typeof result.instructions === 'string' ? { instructions: result.instructions } : {}),
    };
    await config.wire.notify({ jsonrpc: '2.0', method: 'notifications/initialized' }, initialized.protocolVersion);
    this.#epoch = config.wire.epoch;
    this.#initialized = initialized;
    config.wire.opened(initialized.protocolVersion);
    return initialized;
  }

  /** The era has no per-request log level: `logging/setLevel` sets it for the session (server/utilities/logging.mdx). */
  async setLogLevel(level: LoggingLevel): Promise<void> {
    if (this.#logLevel === level || !this.#initialized?.capabilities.logging) return;
    const answer = await this.#config.send('logging/setLevel', { level }, this.#initialized.protocolVersion);
    if (answer.kind === 'result') this.#logLevel = level;
  }

  /** A DiscoverResult-shaped view of the initialize result, so `discover()` works on both eras. */
  discoverResult(): JsonObject {
    const init = this.#initialized!;
    return {
      supportedVersions: [init.protocolVersion],
      capabilities: init.capabilities,
      ...(init.instructions !== undefined ? { instructions: init.instructions } : {}),
      _meta: { [META.serverInfo]: init.serverInfo as unknown as JsonObject },
    };
  }

  /** Listens to notifications outside any request; returns the unsubscribe function. */
  subscribe(listener: (notification: JsonRpcNotification) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  notify(notification: JsonRpcNotification): void {
    if (notification.method === 'notifications/cancelled') {
      const id = notification.params?.requestId;
      if (typeof id === 'string' || typeof id === 'number') this.#answering.get(String(id))?.abort(new McpAbortError('server request', 'cancelled by the server'));
    }
    for (const listener of [...this.#listeners, ...(this.#config.onNotification ? [this.#config.onNotification] : [])]) {
      try {
        listener(notification);
      } catch (error) {
        this.#config.logger.warn(`a notification listener threw: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  async #answer(request: JsonRpcRequest, related: JsonRpcRequest | undefined): Promise<ServerRequestAnswer> {
    if (request.method === 'ping') return { result: {} };
    const controller = new AbortController();
    const key = String(request.id);
    this.#answering.set(key, controller);
    const target = typeof related?.params?.name === 'string' ? related.params.name : typeof related?.params?.uri === 'string' ? related.params.uri : undefined;
    try {
      const result = await answerServerRequest(request.method, request.params ?? {}, this.#config.handlers, {
        key,
        method: related?.method ?? request.method,
        target,
        round: 1,
        signal: controller.signal,
      });
      return { result: (isPlainObject(result) ? result : {}) as JsonObject };
    } catch (error) {
      if (error instanceof MissingInputHandlerError || (error instanceof McpProtocolError && error.kind === 'invalid_input_request'))
        return { error: { code: ErrorCode.MethodNotFound, message: `Method not found: ${request.method}` } };
      const message = error instanceof Error ? error.message : String(error);
      if (!(error instanceof McpClientError)) this.#config.logger.warn(`the handler for ${request.method} threw: ${message}`);
      return { error: { code: ErrorCode.InternalError, message } };
    } finally {
      this.#answering.delete(key);
    }
  }
}
