import { META, type JsonObject, type JsonRpcNotification, type JsonRpcRequest, type RequestId } from '../wire.ts';
import { McpClientError, McpProtocolError, McpResponseTooLargeError, McpSessionExpiredError, McpTransportError } from './errors.ts';
import { encodeHeaderText } from './header-values.ts';
import { expectResponse, parseJsonMessage, type ResponseMessage } from './json-rpc.ts';
import { readSseEvents, type SseCursor, type SseEvent } from './sse-reader.ts';
import { readUntilAborted } from './stop-reading.ts';
import type { ClientTransport, LegacyHooks, LegacyWire, TransportRequest, TransportResponse } from './transport.ts';

/**
 * Streamable HTTP, client side (basic/transports/streamable-http.mdx): one POST per message,
 * `Accept` listing JSON and SSE, the mirrored metadata headers, and either a JSON body or an SSE
 * stream as the answer. Closing the response stream is how a request is cancelled.
 *
 * The same class speaks the 2025-11-25 wire when a request says so (`legacy`, see transport.ts and
 * ../shared/spec/2025-11-25/docs/basic/transports.mdx): `Mcp-Session-Id` from the `initialize`
 * response on every later request, `MCP-Protocol-Version`, server→client requests on SSE streams
 * answered by POST, a standalone GET stream, resumption with `Last-Event-ID` after the server's
 * `retry` delay, 404 → session expired, DELETE on close.
 */
export type HeadersSource = Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);

export interface HttpTransportOptions {
  url: string | URL;
  fetch?: typeof fetch;
  /** Static headers (e.g. `Authorization`) or a function evaluated per request. */
  headers?: HeadersSource;
  maxResponseBytes: number;
}

/** `Mcp-Name` source per method ("Standard Request Headers"). */
function nameOf(message: JsonRpcRequest): string | undefined {
  const params = message.params;
  if (message.method === 'tools/call' || message.method === 'prompts/get') return typeof params?.name === 'string' ? params.name : undefined;
  if (message.method === 'resources/read') return typeof params?.uri === 'string' ? params.uri : undefined;
  // Tasks extension: routes a task's requests to where it lives (extensions/tasks.md "Routing Headers").
  if (message.method === 'tasks/get' || message.method === 'tasks/update' || message.method === 'tasks/cancel') return typeof params?.taskId === 'string' ? params.taskId : undefined;
  return undefined;
}

function protocolVersionOf(message: JsonRpcRequest): string | undefined {
  const meta = message.params?._meta as JsonObject | undefined;
  const version = meta?.[META.protocolVersion];
  return typeof version === 'string' ? version : undefined;
}

/** A whole (non-SSE) body, at most `limit` bytes; `signal` stops the read (see stop-reading.ts). */
async function readBounded(response: Response, limit: number, signal: AbortSignal): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => {});
    throw new McpResponseTooLargeError(limit);
  }
  if (!response.body) return '';
  const reader = readUntilAborted(response.body.getReader(), signal);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) throw new McpResponseTooLargeError(limit);
      chunks.push(value);
    }
  } finally {
    reader.release();
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Resumptions of one stream in a row that bring nothing before we give up. */
const MAX_EMPTY_RESUMES = 3;
const DEFAULT_RETRY_MS = 1_000;

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => (clearTimeout(timer), reject(signal!.reason));
    const timer = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class HttpTransport implements ClientTransport {
  readonly kind = 'http' as const;
  readonly describe: string;
  readonly #url: string;
  readonly #fetch: typeof fetch;
  readonly #headers: HeadersSource | undefined;
  readonly #limit: number;
  // 2025-11-25 session state
  #sessionId: string | undefined;
  #legacyVersion: string | undefined;
  #hooks: LegacyHooks | undefined;
  #epoch = 0;
  #getStream: AbortController | undefined;
  /** Legacy requests in flight whose response may come on another stream (the GET stream). */
  readonly #elsewhere = new Map<RequestId, (message: ResponseMessage) => void>();
  readonly legacy: LegacyWire;

  constructor(options: HttpTransportOptions) {
    this.#url = String(options.url);
    this.describe = this.#url;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#headers = options.headers;
    this.#limit = options.maxResponseBytes;
    const self = this;
    this.legacy = {
      attach: (hooks) => void (this.#hooks = hooks),
      notify: (notification, version) => this.#postLegacy(notification, version),
      opened: (version) => this.#openGetStream(version),
      get epoch() {
        return self.#epoch;
      },
      end: () => this.#endSession(),
    };
  }

  async #baseHeaders(): Promise<Record<string, string>> {
    return typeof this.#headers === 'function' ? await this.#headers() : (this.#headers ?? {});
  }

  async #post(body: unknown, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
    try {
      return await this.#fetch(this.#url, { method: 'POST', headers, body: JSON.stringify(body), signal, redirect: 'error' });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      // An OAuth refusal (auth/) is already a client error that says what went wrong.
      if (error instanceof McpClientError) throw error;
      throw new McpTransportError(`POST ${this.#url} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error, kind: 'network' });
    }
  }

  /** Session headers of the 2025-11-25 wire ("Session Management", "Protocol Version Header"). */
  #sessionHeaders(version: string | undefined): Record<string, string> {
    return { ...(this.#sessionId ? { 'mcp-session-id': this.#sessionId } : {}), ...(version ? { 'mcp-protocol-version': version } : {}) };
  }

  async send(request: TransportRequest): Promise<TransportResponse> {
    const { message, signal, legacy } = request;
    const headers: Record<string, string> = {
      ...(await this.#baseHeaders()),
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    if (legacy) {
      // A new handshake starts a new session; everything else runs inside the current one.
      if (message.method === 'initialize') this.#forgetSession();
      Object.assign(headers, this.#sessionHeaders(legacy.protocolVersion));
    } else {
      headers['mcp-method'] = message.method;
      Object.assign(headers, request.headers);
      const version = protocolVersionOf(message);
      if (version !== undefined) headers['mcp-protocol-version'] = version;
      const name = nameOf(message);
      if (name !== undefined) headers['mcp-name'] = encodeHeaderText(name);
    }

    const response = await this.#post(message, headers, signal);
    try {
      if (legacy && message.method === 'initialize') this.#sessionId = response.headers.get('mcp-session-id') ?? undefined;
      else if (legacy && response.status === 404 && headers['mcp-session-id']) {
        this.#forgetSession();
        throw new McpSessionExpiredError(message.method, this.#url);
      }
      return await this.#readAnswer(response, message, request);
    } catch (error) {
      await response.body?.cancel().catch(() => {});
      if (signal.aborted) throw signal.reason;
      throw error;
    }
  }

  async #readAnswer(response: Response, message: JsonRpcRequest, request: TransportRequest): Promise<TransportResponse> {
    const status = response.status;
    const contentType = (response.headers.get('content-type') ?? '').toLowerCase();

    if (contentType.includes('text/event-stream') && response.ok && response.body) {
      if (request.legacy) return { message: await this.#readLegacyStream(response.body, message, request), httpStatus: status };
      for await (const event of readSseEvents(response.body, this.#limit, request.signal)) {
        if (event.event !== 'message' || event.data.trim() === '') continue;
        const parsed = parseJsonMessage(event.data);
        if (parsed.kind === 'notification') {
          request.onNotification(parsed.notification);
          continue;
        }
        return { message: expectResponse(parsed, message.id, message.method), httpStatus: status };
      }
      // No answer and no resumption in 2026-07-28: the request is lost (changelog.mdx item 9).
      throw new McpTransportError(`The SSE stream for ${message.method} ended before its response`, { kind: 'stream_broken', httpStatus: status });
    }

    const text = await readBounded(response, this.#limit, request.signal);
    if (contentType.includes('application/json') && text.trim() !== '') {
      const parsed = parseJsonMessage(text);
      if (!response.ok) {
        // Modern servers answer 400/404 with a JSON-RPC error body; keep it for era detection.
        if (parsed.kind === 'error') return { message: parsed, httpStatus: status };
        throw new McpTransportError(`HTTP ${status} from ${this.#url} for ${message.method}`, { httpStatus: status, kind: 'http_status' });
      }
      return { message: expectResponse(parsed, message.id, message.method), httpStatus: status };
    }
    if (!response.ok)
      throw new McpTransportError(`HTTP ${status} from ${this.#url} for ${message.method}${text ? `: ${text.slice(0, 200)}` : ''}`, {
        httpStatus: status,
        kind: 'http_status',
      });
    throw new McpProtocolError(`Unexpected ${status} response to ${message.method} with content type '${contentType || 'none'}'`);
  }

  /**
   * A 2025-11-25 POST stream: notifications go to the request, server requests are answered, and
   * a stream that ends before the response is resumed with GET + `Last-Event-ID` after the
   * server's `retry` delay (2025-11-25 basic/transports.mdx "Resumability and Redelivery"), unless
   * the response arrived on the standalone GET stream meanwhile.
   */
  async #readLegacyStream(body: ReadableStream<Uint8Array>, message: JsonRpcRequest, request: TransportRequest): Promise<ResponseMessage> {
    let arrived: ResponseMessage | undefined;
    let wake: (() => void) | undefined;
    this.#elsewhere.set(message.id, (m) => ((arrived = m), wake?.()));
    const cursor: SseCursor = {};
    try {
      let stream: ReadableStream<Uint8Array> | undefined = body;
      for (let empty = 0; ; ) {
        let delivered = false;
        for await (const event of readSseEvents(stream, this.#limit, request.signal, cursor)) {
          delivered = true;
          const answer = this.#onLegacyEvent(event, message, request);
          if (answer) return answer;
        }
        if (arrived) return arrived;
        if (cursor.lastEventId === undefined || (delivered ? (empty = 0) : ++empty) >= MAX_EMPTY_RESUMES)
          throw new McpTransportError(`The SSE stream for ${message.method} ended before its response`, { kind: 'stream_broken' });
        await Promise.race([delay(cursor.retryMs ?? DEFAULT_RETRY_MS, request.signal), new Promise<void>((r) => (wake = r))]);
        if (arrived) return arrived;
        stream = await this.#resume(cursor.lastEventId, request.legacy?.protocolVersion, request.signal);
        if (!stream) throw new McpTransportError(`The SSE stream for ${message.method} ended and could not be resumed`, { kind: 'stream_broken' });
      }
    } finally {
      this.#elsewhere.delete(message.id);
    }
  }

  /** One event of a legacy stream; returns the response when it is the one `message` waits for. */
  #onLegacyEvent(event: SseEvent, message: JsonRpcRequest | undefined, request: TransportRequest | undefined): ResponseMessage | undefined {
    if (event.event !== 'message' || event.data.trim() === '') return undefined;
    const parsed = parseJsonMessage(event.data);
    if (parsed.kind === 'request') {
      this.#answer(parsed.request, message);
      return undefined;
    }
    if (parsed.kind === 'notification') {
      if (request) request.onNotification(parsed.notification);
      else this.#hooks?.onNotification(parsed.notification);
      return undefined;
    }
    if (parsed.kind === 'unexpected') {
      if (message) throw new McpProtocolError(`Malformed message for ${message.method}: ${parsed.reason}`);
      return undefined;
    }
    if (message && (parsed.id === message.id || (parsed.kind === 'error' && parsed.id === undefined))) return parsed;
    // A response to another request of ours (redelivered on this stream).
    if (parsed.id !== undefined) this.#elsewhere.get(parsed.id)?.(parsed);
    return undefined;
  }

  /** Answers a server→client request by POSTing the response (2025-11-25 basic/transports.mdx "Sending Messages to the Server"). */
  #answer(serverRequest: JsonRpcRequest, related: JsonRpcRequest | undefined): void {
    const hooks = this.#hooks;
    const version = this.#legacyVersion;
    void (async () => {
      const answer = hooks
        ? await hooks.onServerRequest(serverRequest, related)
        : { error: { code: -32601, message: `Method not found: ${serverRequest.method}` } };
      await this.#postLegacy({ jsonrpc: '2.0', id: serverRequest.id, ...answer } as unknown as JsonRpcNotification, version);
    })().catch(() => {});
  }

  /** POSTs a notification or response on the session; the server answers 202 with no body. */
  async #postLegacy(body: JsonRpcNotification, version: string | undefined): Promise<void> {
    const headers: Record<string, string> = { ...(await this.#baseHeaders()), 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...this.#sessionHeaders(version) };
    const response = await this.#post(body, headers, AbortSignal.timeout(30_000));
    await response.body?.cancel().catch(() => {});
    if (response.status === 404 && headers['mcp-session-id']) this.#forgetSession();
  }

  async #get(lastEventId: string | undefined, version: string | undefined, signal: AbortSignal): Promise<ReadableStream<Uint8Array> | undefined> {
    const headers: Record<string, string> = { ...(await this.#baseHeaders()), accept: 'text/event-stream', ...this.#sessionHeaders(version), ...(lastEventId ? { 'last-event-id': lastEventId } : {}) };
    let response: Response;
    try {
      response = await this.#fetch(this.#url, { method: 'GET', headers, signal, redirect: 'error' });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      return undefined;
    }
    if (response.ok && (response.headers.get('content-type') ?? '').includes('text/event-stream') && response.body) return response.body;
    await response.body?.cancel().catch(() => {});
    if (response.status === 404 && headers['mcp-session-id']) this.#forgetSession();
    return undefined;
  }

  #resume(lastEventId: string, version: string | undefined, signal: AbortSignal): Promise<ReadableStream<Uint8Array> | undefined> {
    return this.#get(lastEventId, version, signal);
  }

  /** The standalone GET stream: server requests and notifications outside any request (405 = none). */
  #openGetStream(version: string): void {
    this.#legacyVersion = version;
    if (this.#getStream || !this.#sessionId) return;
    const controller = new AbortController();
    this.#getStream = controller;
    void this.#runGetStream(version, controller.signal)
      .catch(() => {})
      .finally(() => {
        if (this.#getStream === controller) this.#getStream = undefined;
      });
  }

  async #runGetStream(version: string, signal: AbortSignal): Promise<void> {
    const cursor: SseCursor = {};
    for (let empty = 0; empty < MAX_EMPTY_RESUMES && !signal.aborted; ) {
      const stream = await this.#get(cursor.lastEventId, version, signal);
      if (!stream) return;
      let delivered = false;
      for await (const event of readSseEvents(stream, this.#limit, signal, cursor)) {
        delivered = true;
        this.#onLegacyEvent(event, undefined, undefined);
      }
      empty = delivered ? 0 : empty + 1;
      if (cursor.lastEventId === undefined) return; // not resumable: the server ended it on purpose
      await delay(cursor.retryMs ?? DEFAULT_RETRY_MS, signal);
    }
  }

  #forgetSession(): void {
    if (this.#sessionId !== undefined) this.#epoch += 1;
    this.#sessionId = undefined;
    this.#getStream?.abort(new Error('session ended'));
    this.#getStream = undefined;
  }

  /** DELETE ends the session (2025-11-25 "Session Management"); 405 means the server keeps it. */
  async #endSession(): Promise<void> {
    const session = this.#sessionId;
    const version = this.#legacyVersion;
    this.#forgetSession();
    if (!session) return;
    const headers = { ...(await this.#baseHeaders()), 'mcp-session-id': session, ...(version ? { 'mcp-protocol-version': version } : {}) };
    const response = await this.#fetch(this.#url, { method: 'DELETE', headers, signal: AbortSignal.timeout(5_000), redirect: 'error' }).catch(() => undefined);
    await response?.body?.cancel().catch(() => {});
  }

  async probeLegacyVersion(timeoutMs: number): Promise<string | undefined> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await this.#fetch(this.#url, {
        method: 'POST',
        headers: { ...(await this.#baseHeaders()), 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify(legacyInitialize()),
        signal,
        redirect: 'error',
      });
      const version = await legacyVersionFrom(response, this.#limit, signal);
      const session = response.headers.get('mcp-session-id');
      // Do not leave a legacy session behind.
      if (session)
        await this.#fetch(this.#url, { method: 'DELETE', headers: { 'mcp-session-id': session }, signal: AbortSignal.timeout(timeoutMs) }).catch(() => {});
      return version;
    } catch {
      return undefined;
    }
  }

  async close(): Promise<void> {
    await this.#endSession();
  }
}

/** The 2025-era handshake request, used only to learn which legacy revision a server speaks. */
export function legacyInitialize(): JsonRpcRequest {
  return {
    jsonrpc: '2.0',
    id: 'era-probe',
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'mcp-gen-era-probe', version: '0' } },
  };
}

async function legacyVersionFrom(response: Response, limit: number, signal: AbortSignal): Promise<string | undefined> {
  const contentType = response.headers.get('content-type') ?? '';
  const texts: string[] = [];
  if (contentType.includes('text/event-stream') && response.body) {
    for await (const event of readSseEvents(response.body, limit, signal)) {
      texts.push(event.data);
      break;
    }
  } else texts.push(await readBounded(response, limit, signal));
  for (const text of texts) {
    const parsed = parseJsonMessage(text);
    if (parsed.kind === 'result' && typeof parsed.result.protocolVersion === 'string') return parsed.result.protocolVersion;
  }
  return undefined;
}
