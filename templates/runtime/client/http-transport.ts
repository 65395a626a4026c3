import { META, type JsonObject, type JsonRpcRequest } from '../wire.ts';
import { McpProtocolError, McpResponseTooLargeError, McpTransportError } from './errors.ts';
import { encodeHeaderText } from './header-values.ts';
import { expectResponse, parseJsonMessage } from './json-rpc.ts';
import { readSseEvents } from './sse-reader.ts';
import { readUntilAborted } from './stop-reading.ts';
import type { ClientTransport, TransportRequest, TransportResponse } from './transport.ts';

/**
 * Streamable HTTP, client side (basic/transports/streamable-http.mdx): one POST per message,
 * `Accept` listing JSON and SSE, the mirrored metadata headers, and either a JSON body or an SSE
 * stream as the answer. Closing the response stream is how a request is cancelled.
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

export class HttpTransport implements ClientTransport {
  readonly kind = 'http' as const;
  readonly describe: string;
  readonly #url: string;
  readonly #fetch: typeof fetch;
  readonly #headers: HeadersSource | undefined;
  readonly #limit: number;

  constructor(options: HttpTransportOptions) {
    this.#url = String(options.url);
    this.describe = this.#url;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#headers = options.headers;
    this.#limit = options.maxResponseBytes;
  }

  async #baseHeaders(): Promise<Record<string, string>> {
    return typeof this.#headers === 'function' ? await this.#headers() : (this.#headers ?? {});
  }

  async #post(body: unknown, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
    try {
      return await this.#fetch(this.#url, { method: 'POST', headers, body: JSON.stringify(body), signal, redirect: 'error' });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw new McpTransportError(`POST ${this.#url} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error, kind: 'network' });
    }
  }

  async send(request: TransportRequest): Promise<TransportResponse> {
    const { message, signal } = request;
    const headers: Record<string, string> = {
      ...(await this.#baseHeaders()),
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-method': message.method,
      ...request.headers,
    };
    const version = protocolVersionOf(message);
    if (version !== undefined) headers['mcp-protocol-version'] = version;
    const name = nameOf(message);
    if (name !== undefined) headers['mcp-name'] = encodeHeaderText(name);

    const response = await this.#post(message, headers, signal);
    try {
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

  async close(): Promise<void> {}
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
