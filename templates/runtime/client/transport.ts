import type { JsonRpcNotification, JsonRpcRequest } from '../wire.ts';
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
}

/** Notifications that arrive on stdio but belong to no in-flight request are handed here. */
export type UnroutedNotificationHandler = (notification: JsonRpcNotification) => void;
