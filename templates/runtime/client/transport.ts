import type { JsonObject, JsonRpcErrorObject, JsonRpcNotification, JsonRpcRequest } from '../wire.ts';
import type { ResponseMessage } from './json-rpc.ts';

/**
 * What the session needs from a transport: send one request and resolve with its response,
 * delivering the notifications that belong to it on the way. Each call is independent (MCP
 * 2026-07-28 is stateless), so a transport never has to remember anything between requests.
 */
export interface TransportRequest {
  message: JsonRpcRequest;
  /** Extra HTTP headers for this request (`Mcp-Param-*`); stdio ignores them. */
  headers?: Record<string, string>;
  /** Aborting closes the HTTP response stream or sends `notifications/cancelled` on stdio; the promise rejects with `signal.reason`. */
  signal: AbortSignal;
  /** Request-scoped notifications (progress, log, listen-stream events). */
  onNotification(notification: JsonRpcNotification): void;
  /** Send on the 2025-11-25 wire (session headers, no modern headers); see `LegacyWire`. */
  legacy?: { protocolVersion?: string };
  /** This request asked for log messages (stdio routes unattributed logs to it). */
  wantsLogs?: boolean;
}

export interface TransportResponse {
  message: ResponseMessage;
  /** HTTP status that carried the response (HTTP only). */
  httpStatus?: number;
}

export interface ClientTransport {
  readonly kind: 'http' | 'stdio';
  /** Where the server lives, for error messages. */
  readonly describe: string;
  send(request: TransportRequest): Promise<TransportResponse>;
  /**
   * Best-effort legacy probe: sends an `initialize` handshake and returns the revision a legacy
   * server announces, so the era error can name it (basic/versioning.mdx "Backward Compatibility").
   */
  probeLegacyVersion?(timeoutMs: number): Promise<string | undefined>;
  close(): Promise<void>;
  /** The 2025-11-25 wire; a transport without it can only talk to modern servers. */
  readonly legacy?: LegacyWire;
}

/** How a server→client request was answered: a result or a JSON-RPC error. */
export type ServerRequestAnswer = { result: JsonObject } | { error: JsonRpcErrorObject };

export interface LegacyHooks {
  /** Answers a server→client request; `related` is the client request it arrived under, when known. */
  onServerRequest(request: JsonRpcRequest, related: JsonRpcRequest | undefined): Promise<ServerRequestAnswer>;
  /** Notifications outside any request (the GET stream, stdio). */
  onNotification(notification: JsonRpcNotification): void;
}

/**
 * The stateful 2025-11-25 wire (../shared/spec/2025-11-25/docs/basic/lifecycle.mdx and
 * basic/transports.mdx): the session layer (legacy-session.ts) runs the handshake through `send`
 * with `legacy` set; the transport keeps what the wire needs between requests (the session id,
 * the server→client request channel, the GET stream).
 */
export interface LegacyWire {
  attach(hooks: LegacyHooks): void;
  /** A client notification (`notifications/initialized`, `notifications/cancelled`, …). */
  notify(notification: JsonRpcNotification, protocolVersion: string | undefined): Promise<void>;
  /** The handshake is done: HTTP opens the standalone GET stream. */
  opened(protocolVersion: string): void;
  /** Changes whenever the server no longer knows this client (stdio restart, HTTP session gone). */
  readonly epoch: number;
  /** Ends the session: HTTP DELETE; stdio ends with the process. */
  end(): Promise<void>;
}

/** Notifications that arrive on stdio but belong to no in-flight request are handed here. */
export type UnroutedNotificationHandler = (notification: JsonRpcNotification) => void;
