import { randomBytes } from 'node:crypto';
import type { DispatchOutcome, TransportContext } from '../create-server.ts';
import { invalidParams, invalidRequest, McpError, methodNotFound } from '../errors.ts';
import { isPlainObject } from '../json.ts';
import type { RuntimeLogger } from '../log.ts';
import type { EventBus, ServerEvent } from '../subscriptions.ts';
import {
  ErrorCode,
  LOGGING_LEVELS,
  type ClientCapabilities,
  type Implementation,
  type JsonObject,
  type JsonRpcNotification,
  type JsonValue,
  type LoggingLevel,
  type RequestId,
  type ServerCapabilities,
} from '../wire.ts';
import { LiveSession, type MessageSink } from './live-session.ts';
import { eraConflict, type LegacyScope } from './scope.ts';
import type { SessionRecord, SessionStore } from './session-store.ts';

/**
 * The 2025-11-25 initialize/session wire (basic/lifecycle.mdx, basic/transports.mdx), transport
 * independent: HTTP (legacy/http.ts) and stdio feed it messages of one session. It owns the
 * session-only methods (initialize, ping, logging/setLevel, resources/subscribe|unsubscribe, the
 * client's notifications and responses) and hands every feature request to the era-neutral
 * dispatcher with a {@link LegacyScope}, so the same handlers serve both eras.
 */
export interface SessionWireOptions {
  /** 2025-era versions served, newest first (McpServerOptions.protocolVersions). */
  versions: readonly string[];
  capabilities: ServerCapabilities;
  info: Implementation;
  instructions?: string;
  events: EventBus;
  store: SessionStore;
  logger: RuntimeLogger;
  /** The era-neutral dispatcher (create-server.ts `handle`). */
  dispatch(message: unknown, transport: TransportContext): Promise<DispatchOutcome>;
}

/** Where one incoming message came from, and where messages about it may go. */
export interface SessionIo {
  /** The stream of this client request (a POST's SSE response, stdout); undefined: JSON-only reply. */
  send?: MessageSink;
  auth?: TransportContext['auth'];
}

const ACCEPTED: DispatchOutcome = { httpStatus: 202 };
const VERSION_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

const okResponse = (id: RequestId, result: JsonObject): DispatchOutcome => ({ response: { jsonrpc: '2.0', id, result }, httpStatus: 200 });
const errorOutcome = (id: RequestId | undefined, error: McpError): DispatchOutcome => ({
  response: { jsonrpc: '2.0', ...(id !== undefined ? { id } : {}), error: { code: error.sessionWireCode ?? error.code, message: error.message, ...(error.data !== undefined ? { data: error.data } : {}) } },
  httpStatus: error.httpStatus,
});

/** A request id the client already used in this session (2025-11-25 basic/index.mdx "Requests": ids MUST NOT be reused within a session). */
const reusedRequestId = (id: RequestId): McpError =>
  invalidRequest(`Invalid Request: request id ${JSON.stringify(id)} was already used in this session; a client must not reuse request ids within a session`);

/** The capabilities object of `initialize`: the 2026 one without what 2025-11-25 has no field for. */
function legacyCapabilities(capabilities: ServerCapabilities): JsonObject {
  const { extensions: _extensions, ...rest } = capabilities;
  return rest as JsonObject;
}

function eventNotification(event: ServerEvent, record: SessionRecord, capabilities: ServerCapabilities): JsonRpcNotification | undefined {
  switch (event.type) {
    case 'tools/list_changed':
      return capabilities.tools?.listChanged ? { jsonrpc: '2.0', method: 'notifications/tools/list_changed' } : undefined;
    case 'prompts/list_changed':
      return capabilities.prompts?.listChanged ? { jsonrpc: '2.0', method: 'notifications/prompts/list_changed' } : undefined;
    case 'resources/list_changed':
      return capabilities.resources?.listChanged ? { jsonrpc: '2.0', method: 'notifications/resources/list_changed' } : undefined;
    case 'resources/updated':
      return record.subscriptions.includes(event.uri) ? { jsonrpc: '2.0', method: 'notifications/resources/updated', params: { uri: event.uri } } : undefined;
  }
}

export class SessionWire {
  readonly versions: readonly string[];
  readonly store: SessionStore;
  private readonly live = new Map<string, LiveSession>();

  constructor(private readonly options: SessionWireOptions) {
    this.versions = options.versions;
    this.store = options.store;
    options.store.onEvicted?.((id) => this.forget(id));
  }

  /**
   * `initialize` (basic/lifecycle.mdx "Initialization", "Version Negotiation"): a served version is
   * echoed, any other date-shaped one is answered with our newest; something that is not a version
   * at all gets -32602 with the supported list. `persist: false` keeps the session out of the
   * store (stdio: one connection is one session).
   */
  async initialize(id: RequestId, params: JsonObject | undefined, persist: boolean, principal?: string): Promise<{ outcome: DispatchOutcome; session?: LiveSession }> {
    const requested = params?.protocolVersion;
    if (typeof requested !== 'string' || !VERSION_SHAPE.test(requested))
      return {
        outcome: errorOutcome(
          id,
          new McpError(ErrorCode.InvalidParams, 'Unsupported protocol version', { supported: [...this.versions], ...(typeof requested === 'string' ? { requested } : {}) }),
        ),
      };
    const capabilities = params?.capabilities;
    if (capabilities !== undefined && !isPlainObject(capabilities)) return { outcome: errorOutcome(id, invalidParams('Invalid params: capabilities must be an object')) };
    const clientInfo = isPlainObject(params?.clientInfo) ? (params.clientInfo as unknown as Implementation) : undefined;
    const protocolVersion = this.versions.includes(requested) ? requested : this.versions[0]!;
    const now = Date.now();
    const record: SessionRecord = {
      // 192 random bits, base64url: unguessable and visible ASCII only (basic/transports.mdx "Session Management").
      id: randomBytes(24).toString('base64url'),
      protocolVersion,
      ...(clientInfo ? { clientInfo } : {}),
      clientCapabilities: (capabilities ?? {}) as ClientCapabilities,
      subscriptions: [],
      initialized: false,
      ...(principal !== undefined ? { principal } : {}),
      createdAt: now,
      lastSeenAt: now,
    };
    if (persist) await this.store.create(record);
    const session = this.attach(record);
    session.claimRequestId(id);
    const result: JsonObject = {
      protocolVersion,
      capabilities: legacyCapabilities(this.options.capabilities),
      serverInfo: this.options.info as unknown as JsonValue,
      ...(this.options.instructions ? { instructions: this.options.instructions } : {}),
    };
    return { outcome: okResponse(id, result), session };
  }

  /**
   * The live session for an id from the store; undefined when unknown, expired, or created by
   * another authenticated subject (→ HTTP 404, which reveals nothing about foreign sessions).
   */
  async open(id: string, principal?: string): Promise<LiveSession | undefined> {
    const record = await this.store.get(id);
    if (record && record.principal !== principal) return undefined;
    if (!record) {
      this.forget(id);
      return undefined;
    }
    const held = this.live.get(id);
    if (held) {
      held.record = record;
      return held;
    }
    // Known to the (shared) store but not to this process: its streams are gone, its facts are not.
    return this.attach(record);
  }

  /** DELETE (basic/transports.mdx "Session Management" 5). True when the session existed. */
  async end(id: string, principal?: string): Promise<boolean> {
    const record = await this.store.get(id);
    if (!record || record.principal !== principal) return false;
    const existed = await this.store.delete(id);
    this.forget(id);
    return existed;
  }

  /** One message of an established session: a request, a notification or a response to us. */
  async handle(session: LiveSession, message: unknown, io: SessionIo): Promise<DispatchOutcome> {
    if (!isPlainObject(message)) return errorOutcome(undefined, invalidRequest('Invalid Request: expected a single JSON-RPC object'));
    const rawId = message.id;
    const id = typeof rawId === 'string' || (typeof rawId === 'number' && Number.isInteger(rawId)) ? (rawId as RequestId) : undefined;
    // A readable id is echoed even when the rest of the envelope is broken (basic/index.mdx "Messages").
    if (message.jsonrpc !== '2.0' || ('id' in message && id === undefined)) return errorOutcome(id, invalidRequest('Invalid Request'));
    // A response to one of our requests (elicitation/create, sampling/createMessage, roots/list).
    if (typeof message.method !== 'string') {
      if (id !== undefined && ('result' in message || 'error' in message)) {
        session.deliver(message);
        return ACCEPTED;
      }
      return errorOutcome(id, invalidRequest('Invalid Request'));
    }
    if (message.params !== undefined && !isPlainObject(message.params)) return errorOutcome(id, invalidRequest('Invalid Request: params must be an object'));
    const params = message.params as JsonObject | undefined;
    const conflict = eraConflict(message);
    if (conflict) return errorOutcome(id, conflict);
    if (id === undefined) return this.notification(session, message.method, params);
    if (!session.claimRequestId(id)) return errorOutcome(id, reusedRequestId(id));
    try {
      return await this.request(session, id, message, message.method, params, io);
    } catch (error) {
      if (error instanceof McpError) return errorOutcome(id, error);
      this.options.logger.error(`${message.method} failed`, error);
      return errorOutcome(id, new McpError(ErrorCode.InternalError, 'Internal error'));
    }
  }

  /** Ends every live session of this process (shutdown). Store records stay for other replicas. */
  closeAll(): void {
    for (const session of this.live.values()) session.end();
    this.live.clear();
  }

  private attach(record: SessionRecord): LiveSession {
    const session = new LiveSession(record);
    this.live.set(record.id, session);
    const listener = (event: ServerEvent) => {
      const notification = eventNotification(event, session.record, this.options.capabilities);
      if (notification) session.standalone?.(notification);
    };
    const subscribed = this.options.events.subscribe(listener);
    session.cleanups.push(() => {
      void Promise.resolve(subscribed).then((unsubscribe) => unsubscribe());
    });
    return session;
  }

  private forget(id: string): void {
    const session = this.live.get(id);
    if (!session) return;
    this.live.delete(id);
    session.end();
  }

  private async notification(session: LiveSession, method: string, params: JsonObject | undefined): Promise<DispatchOutcome> {
    if (method === 'notifications/initialized') {
      if (!session.record.initialized) {
        session.record.initialized = true;
        await this.store.update(session.record);
      }
    } else if (method === 'notifications/cancelled') {
      // basic/utilities/cancellation.mdx: stop the request, send nothing more for it.
      const requestId = params?.requestId;
      if (typeof requestId === 'string' || typeof requestId === 'number') session.inbound.get(requestId)?.abort(new DOMException('Cancelled by the client', 'AbortError'));
    }
    // Other client notifications (roots/list_changed, progress) need nothing from a server without state for them.
    return ACCEPTED;
  }

  private async request(session: LiveSession, id: RequestId, message: JsonObject, method: string, params: JsonObject | undefined, io: SessionIo): Promise<DispatchOutcome> {
    const capabilities = this.options.capabilities;
    switch (method) {
      case 'initialize':
        throw invalidRequest('Invalid Request: this session is already initialized; send initialize without a session to start a new one');
      case 'ping':
        return okResponse(id, {});
      case 'logging/setLevel': {
        if (!capabilities.logging) throw methodNotFound(method);
        const level = params?.level;
        if (typeof level !== 'string' || !(LOGGING_LEVELS as readonly string[]).includes(level))
          throw invalidParams(`Invalid params: level must be one of ${LOGGING_LEVELS.join(', ')}`);
        session.record.logLevel = level as LoggingLevel;
        await this.store.update(session.record);
        return okResponse(id, {});
      }
      case 'resources/subscribe':
      case 'resources/unsubscribe': {
        if (!capabilities.resources?.subscribe) throw methodNotFound(method);
        const uri = params?.uri;
        if (typeof uri !== 'string') throw invalidParams('Invalid params: uri must be a string');
        const others = session.record.subscriptions.filter((u) => u !== uri);
        session.record.subscriptions = method === 'resources/subscribe' ? [...others, uri] : others;
        await this.store.update(session.record);
        return okResponse(id, {});
      }
    }

    const aborter = new AbortController();
    session.inbound.set(id, aborter);
    const record = session.record;
    const send = io.send;
    const scope: LegacyScope = {
      protocolVersion: record.protocolVersion,
      clientCapabilities: record.clientCapabilities,
      clientInfo: record.clientInfo,
      logLevel: record.logLevel,
      request: (m, p, signal) => session.request(m, p, send, signal),
    };
    try {
      return await this.options.dispatch(message, {
        signal: aborter.signal,
        // Request-scoped notifications go on the request's stream, else on the standalone one.
        send: (notification) => (send ?? session.standalone)?.(notification),
        // No `headers`: Mcp-Method/Mcp-Name/Mcp-Param-* mirroring is a 2026-07-28 rule.
        auth: io.auth,
        legacy: scope,
      });
    } finally {
      if (session.inbound.get(id) === aborter) session.inbound.delete(id);
    }
  }
}
