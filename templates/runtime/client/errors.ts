import type { JsonValue } from '../wire.ts';

/**
 * Every failure the client runtime reports is an `McpClientError`. Subclasses say where it came
 * from: the server answered with a JSON-RPC error (`McpRpcError`), the server broke the protocol
 * (`McpProtocolError`), the transport failed (`McpTransportError`), or the client gave up
 * (`McpTimeoutError`, `McpAbortError`). Errors raised locally carry no JSON-RPC code, so they never
 * look like errors from the peer (basic/index.mdx "Error Codes").
 */
export class McpClientError extends Error {
  /** Stable machine-readable kind, e.g. `timeout`, `malformed_response`. */
  readonly kind: string;
  constructor(kind: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'McpClientError';
    this.kind = kind;
  }
}

/** The server answered the request with a JSON-RPC error object. */
export class McpRpcError extends McpClientError {
  readonly code: number;
  readonly data: JsonValue | undefined;
  readonly method: string;
  /** HTTP status of the response that carried it (HTTP transport only). */
  readonly httpStatus: number | undefined;
  constructor(method: string, code: number, message: string, data?: JsonValue, httpStatus?: number) {
    super('rpc_error', `${method} failed: ${message} (${code})`);
    this.name = 'McpRpcError';
    this.code = code;
    this.data = data;
    this.method = method;
    this.httpStatus = httpStatus;
  }
}

/** The server's bytes are not a valid answer: non-JSON, wrong id, no result, bad SSE, unknown resultType, … */
export class McpProtocolError extends McpClientError {
  constructor(message: string, options?: { cause?: unknown; kind?: string }) {
    super(options?.kind ?? 'malformed_response', message, options);
    this.name = 'McpProtocolError';
  }
}

/** A body, SSE line or event, or stdio line bigger than `maxResponseBytes` (never buffered past the limit). */
export class McpResponseTooLargeError extends McpProtocolError {
  readonly limit: number;
  /** `what` names the part that grew too large, e.g. `An SSE line`. */
  constructor(limit: number, what = 'Response') {
    super(`${what} exceeds the ${limit}-byte limit`, { kind: 'response_too_large' });
    this.name = 'McpResponseTooLargeError';
    this.limit = limit;
  }
}

/** Network failure, unexpected HTTP status without a JSON-RPC body, or the stdio process went away. */
export class McpTransportError extends McpClientError {
  readonly httpStatus: number | undefined;
  constructor(message: string, options?: { cause?: unknown; httpStatus?: number; kind?: string }) {
    super(options?.kind ?? 'transport', message, options);
    this.name = 'McpTransportError';
    this.httpStatus = options?.httpStatus;
  }
}

/** No answer within the configured time. The request was cancelled on the wire (basic/patterns/cancellation.mdx "Timeouts"). */
export class McpTimeoutError extends McpClientError {
  readonly timeoutMs: number;
  constructor(method: string, timeoutMs: number) {
    super('timeout', `${method} timed out after ${timeoutMs} ms`);
    this.name = 'McpTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's AbortSignal fired; the request was cancelled on the wire. */
export class McpAbortError extends McpClientError {
  constructor(method: string, reason?: unknown) {
    super('aborted', `${method} was cancelled${reason instanceof Error ? `: ${reason.message}` : typeof reason === 'string' ? `: ${reason}` : ''}`);
    this.name = 'McpAbortError';
  }
}

/** The task behind a tool call ended `cancelled` (by `tasks/cancel`, from this client or another). */
export class McpTaskCancelledError extends McpClientError {
  readonly taskId: string;
  constructor(taskId: string, statusMessage?: string) {
    super('task_cancelled', `task ${taskId} was cancelled${statusMessage ? `: ${statusMessage}` : ''}`);
    this.name = 'McpTaskCancelledError';
    this.taskId = taskId;
  }
}

/**
 * A `listen()` consumer fell behind: more events arrived than its queue holds
 * (`maxQueuedEvents` events or `maxQueuedBytes`). The events already queued are still delivered,
 * then the iterator throws this; the stream was closed, so re-listen and re-read what you track
 * (basic/patterns/subscriptions.mdx). Cache invalidation saw every event, dropped ones included.
 */
export class McpSubscriptionOverflowError extends McpClientError {
  readonly maxQueuedEvents: number;
  readonly maxQueuedBytes: number;
  constructor(maxQueuedEvents: number, maxQueuedBytes: number) {
    super(
      'subscription_overflow',
      `subscriptions/listen ended: more than ${maxQueuedEvents} events or ${maxQueuedBytes} bytes were waiting for the consumer`,
    );
    this.name = 'McpSubscriptionOverflowError';
    this.maxQueuedEvents = maxQueuedEvents;
    this.maxQueuedBytes = maxQueuedBytes;
  }
}

/**
 * A 2025-11-25 server answered 404 to a request carrying our `Mcp-Session-Id`: the session is gone
 * (../shared/spec/2025-11-25/docs/basic/transports.mdx "Session Management"). The client starts a
 * new session with `initialize` and retries once; this surfaces only when that fails too.
 */
export class McpSessionExpiredError extends McpClientError {
  constructor(method: string, where: string) {
    super('session_expired', `${method}: the server at ${where} no longer knows this session (HTTP 404)`);
    this.name = 'McpSessionExpiredError';
  }
}

/**
 * The server speaks an initialize-based (2025-era or older) revision (basic/versioning.mdx
 * "Backward Compatibility with Initialization-Based Versions"). This client only speaks the modern,
 * stateless era, so it stops here with a message that names the server's era.
 */
export class LegacyServerError extends McpClientError {
  readonly era = 'legacy' as const;
  /** The legacy revision the server announced when probed with `initialize`, if it answered. */
  readonly serverProtocolVersion: string | undefined;
  readonly evidence: string;
  constructor(evidence: string, serverProtocolVersion?: string) {
    super(
      'legacy_server',
      `The server speaks a legacy, initialize-based MCP revision (${serverProtocolVersion ?? '2025-11-25 or earlier'}); ` +
        `this client speaks only the modern stateless revisions. Evidence: ${evidence}`,
    );
    this.name = 'LegacyServerError';
    this.serverProtocolVersion = serverProtocolVersion;
    this.evidence = evidence;
  }
}

/** The server rejected every protocol version this client can speak (-32022 without a mutual version). */
export class UnsupportedProtocolVersionError extends McpClientError {
  readonly serverSupported: readonly string[];
  readonly clientSupported: readonly string[];
  constructor(serverSupported: readonly string[], clientSupported: readonly string[], hint = '') {
    super(
      'unsupported_protocol_version',
      `No mutually supported protocol version: server supports [${serverSupported.join(', ')}], client supports [${clientSupported.join(', ')}]${hint}`,
    );
    this.name = 'UnsupportedProtocolVersionError';
    this.serverSupported = serverSupported;
    this.clientSupported = clientSupported;
  }
}

/** An MRTR flow did not complete within `maxInputRounds` (basic/patterns/mrtr.mdx). */
export class InputRoundsExceededError extends McpClientError {
  readonly rounds: number;
  constructor(method: string, rounds: number) {
    super('input_rounds_exceeded', `${method} still required input after ${rounds} rounds`);
    this.name = 'InputRoundsExceededError';
    this.rounds = rounds;
  }
}

/** The server asked for input (elicitation, sampling, roots) that no configured handler can give. */
export class MissingInputHandlerError extends McpClientError {
  readonly inputMethod: string;
  constructor(inputMethod: string) {
    super('missing_input_handler', `The server asked for ${inputMethod} but the client has no handler for it`);
    this.name = 'MissingInputHandlerError';
    this.inputMethod = inputMethod;
  }
}

/** Tool arguments failed the generated input validator before anything was sent. */
export class ToolInputValidationError extends McpClientError {
  readonly tool: string;
  readonly issues: readonly string[];
  constructor(tool: string, issues: readonly string[]) {
    super('invalid_tool_input', `Arguments for tool ${tool} are invalid: ${issues.join('; ')}`);
    this.name = 'ToolInputValidationError';
    this.tool = tool;
    this.issues = issues;
  }
}

/** `structuredContent` is missing or fails the tool's output schema (server/tools.mdx "Output Schema": clients SHOULD validate). */
export class ToolOutputValidationError extends McpClientError {
  readonly tool: string;
  readonly issues: readonly string[];
  readonly structuredContent: unknown;
  constructor(tool: string, issues: readonly string[], structuredContent: unknown) {
    super('invalid_tool_output', `Tool ${tool} returned output that fails its output schema: ${issues.join('; ')}`);
    this.name = 'ToolOutputValidationError';
    this.tool = tool;
    this.issues = issues;
    this.structuredContent = structuredContent;
  }
}

/** A value bound for an `Mcp-Param-*` header cannot be encoded (e.g. an integer outside ±(2^53−1)). */
export class HeaderValueError extends McpClientError {
  constructor(message: string) {
    super('invalid_header_value', message);
    this.name = 'HeaderValueError';
  }
}

/** True for errors worth re-trying the whole request for (the stream broke before an answer). */
export function isBrokenStream(error: unknown): boolean {
  return error instanceof McpTransportError && error.kind === 'stream_broken';
}
