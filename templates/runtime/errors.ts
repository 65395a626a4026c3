import { ErrorCode, type ClientCapabilities, type JsonValue } from './wire.ts';

/**
 * A JSON-RPC error the dispatcher sends as-is. `httpStatus` is transport advice only (never on the
 * wire): Streamable HTTP fixes the status for a few codes (basic/transports/streamable-http.mdx
 * "Server Validation", "Protocol Version Header"); every other error travels with 200 so clients
 * do not mistake ordinary errors for era-detection signals.
 */
export class McpError extends Error {
  readonly code: number;
  readonly data: JsonValue | undefined;
  readonly httpStatus: number;
  /**
   * The code the initialize-era revisions (2025-11-25) assign to the same condition, where it
   * differs; the session wire sends it instead of `code`. Only "resource not found" so far.
   */
  readonly sessionWireCode: number | undefined;

  constructor(code: number, message: string, data?: JsonValue, httpStatus = 200, sessionWireCode?: number) {
    super(message);
    this.name = 'McpError';
    this.code = code;
    this.data = data;
    this.httpStatus = httpStatus;
    this.sessionWireCode = sessionWireCode;
  }
}

/** 2025-11-25 server/resources.mdx "Error Handling": resource not found is -32002 there. */
const RESOURCE_NOT_FOUND_2025 = -32002;

/**
 * An unknown resource: -32602 with `data.uri` on the 2026-07-28 wire (server/resources.mdx "Error
 * Handling", which asks clients to accept the older -32002 too), -32002 on the 2025-11-25 session
 * wire, as that revision's resources page says.
 */
export const resourceNotFound = (uri: string, message = 'Resource not found'): McpError =>
  new McpError(ErrorCode.InvalidParams, message, { uri }, 200, RESOURCE_NOT_FOUND_2025);

export const invalidRequest = (message: string): McpError => new McpError(ErrorCode.InvalidRequest, message, undefined, 400);

export const parseError = (): McpError => new McpError(ErrorCode.ParseError, 'Parse error', undefined, 400);

/** -32601 is 404 on HTTP (basic/transports/streamable-http.mdx "Protocol Version Header"). */
export const methodNotFound = (method: string): McpError =>
  new McpError(ErrorCode.MethodNotFound, `Method not found: ${method}`, undefined, 404);

export const invalidParams = (message: string, data?: JsonValue): McpError =>
  new McpError(ErrorCode.InvalidParams, message, data);

/** Missing required `_meta` is 400 (basic/index.mdx "_meta"). */
export const invalidRequestMeta = (message: string, data?: JsonValue): McpError =>
  new McpError(ErrorCode.InvalidParams, message, data, 400);

export const internalError = (message = 'Internal error'): McpError => new McpError(ErrorCode.InternalError, message);

/**
 * A handler that outlived its deadline. The spec assigns no code to timeouts (basic/index.mdx
 * "Error Codes"); from the client's side the server failed to produce a result, which is -32603.
 */
export const requestTimedOut = (timeoutMs: number): McpError =>
  new McpError(ErrorCode.InternalError, `Request timed out after ${timeoutMs} ms`, { timeoutMs });

/** A handler still running when the shutdown grace period ended. */
export const serverShuttingDown = (): McpError => new McpError(ErrorCode.InternalError, 'Server shutting down');

export const headerMismatch = (message: string): McpError =>
  new McpError(ErrorCode.HeaderMismatch, `Header mismatch: ${message}`, undefined, 400);

/** `data.requiredCapabilities` is a ClientCapabilities object, not a list (basic/index.mdx). */
export const missingClientCapability = (required: ClientCapabilities, message?: string): McpError =>
  new McpError(
    ErrorCode.MissingRequiredClientCapability,
    message ?? `Missing required client capability: ${Object.keys(required).join(', ')}`,
    { requiredCapabilities: required as JsonValue },
    400,
  );

export const unsupportedProtocolVersion = (requested: string, supported: readonly string[]): McpError =>
  new McpError(
    ErrorCode.UnsupportedProtocolVersion,
    'Unsupported protocol version',
    { supported: [...supported], requested },
    400,
  );

/**
 * Thrown (or returned via `ctx.error`) by a tool handler to report a tool *execution* error: the
 * model sees it as `isError: true` content it can react to (server/tools.mdx "Error Handling").
 */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}
