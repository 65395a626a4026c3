import { McpError } from '../errors.ts';
import { isPlainObject } from '../json.ts';
import { ErrorCode, type JsonObject, type JsonRpcMessage, type RequestId } from '../wire.ts';
import { ResumableStreams, type SessionStream } from './resumable-streams.ts';
import type { SessionRecord } from './session-store.ts';

/** Writes one JSON-RPC message to a client stream (an SSE stream, stdout). */
export type MessageSink = (message: JsonRpcMessage) => void;

/**
 * Request ids of this session remembered to refuse a reuse (2025-11-25 basic/index.mdx "Requests":
 * the requestor MUST NOT reuse an id within a session). Ids in flight are always known; of the
 * finished ones the newest this many are, so memory stays bounded and an older reuse goes unseen.
 */
export const REMEMBERED_REQUEST_IDS = 4096;

interface Outbound {
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

/**
 * The process-local side of a 2025-11-25 session: what cannot be serialised into the store.
 * Holds the standalone stream (HTTP GET, or stdout on stdio) for messages that belong to no
 * request, the server→client requests waiting for an answer, and the client requests still
 * running here (so `notifications/cancelled` can stop them: basic/utilities/cancellation.mdx).
 */
export class LiveSession {
  /** The standalone stream; undefined while no GET stream is open (basic/transports.mdx "Listening for Messages"). */
  standalone: MessageSink | undefined;
  readonly inbound = new Map<RequestId, AbortController>();
  private readonly outbound = new Map<RequestId, Outbound>();
  private nextId = 0;
  private ended = false;
  /** Runs once when the session ends (bus unsubscription, stream close). */
  readonly cleanups: (() => void)[] = [];
  /** HTTP: the session's SSE streams with their replay log (Last-Event-ID). */
  readonly streams = new ResumableStreams();
  /** HTTP: the stream behind `standalone`, which keeps logging between GET connections. */
  standaloneStream: SessionStream | undefined;
  private readonly usedIds = new Set<string>();

  constructor(public record: SessionRecord) {}

  get id(): string {
    return this.record.id;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /**
   * Sends a server→client request on `sink` (the stream of the client request it serves, else the
   * standalone one) and resolves with the client's result. Aborting `signal` withdraws it with
   * `notifications/cancelled`.
   */
  request(method: string, params: JsonObject, sink: MessageSink | undefined, signal: AbortSignal): Promise<unknown> {
    const target = sink ?? this.standalone;
    if (this.ended) return Promise.reject(new McpError(ErrorCode.InternalError, 'Session ended'));
    if (!target) return Promise.reject(new McpError(ErrorCode.InternalError, `No stream to send ${method} on: open the GET stream or accept text/event-stream`));
    if (signal.aborted) return Promise.reject(signal.reason);
    // Server-chosen ids live in their own namespace: clients match them only against responses.
    const id = `s-${++this.nextId}`;
    return new Promise<unknown>((resolve, reject) => {
      const onAbort = () => {
        if (!this.outbound.delete(id)) return;
        target({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'The server request was abandoned' } });
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.outbound.set(id, {
        resolve: (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        reject: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      });
      target({ jsonrpc: '2.0', id, method, params });
    });
  }

  /**
   * Records a client request id; false when this session already saw it (in flight, or among the
   * newest {@link REMEMBERED_REQUEST_IDS} finished ones). `1` and `"1"` are different ids.
   */
  claimRequestId(id: RequestId): boolean {
    const key = `${typeof id}:${id}`;
    if (this.usedIds.has(key) || this.inbound.has(id)) return false;
    this.usedIds.add(key);
    if (this.usedIds.size > REMEMBERED_REQUEST_IDS) this.usedIds.delete(this.usedIds.values().next().value as string);
    return true;
  }

  /** A client response: settles the matching server request. False when nothing was waiting for it. */
  deliver(message: JsonObject): boolean {
    const id = message.id;
    if (typeof id !== 'string' && typeof id !== 'number') return false;
    const waiting = this.outbound.get(id);
    if (!waiting) return false;
    this.outbound.delete(id);
    if (isPlainObject(message.error)) {
      const error = message.error;
      waiting.reject(
        new McpError(ErrorCode.InternalError, `The client answered the server request with an error: ${typeof error.message === 'string' ? error.message : 'unknown'}`, {
          clientError: error,
        }),
      );
    } else waiting.resolve(message.result);
    return true;
  }

  /** Ends the session here: running requests are cancelled, waiting server requests fail. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const aborter of this.inbound.values()) aborter.abort(new DOMException('Session ended', 'AbortError'));
    for (const waiting of this.outbound.values()) waiting.reject(new McpError(ErrorCode.InternalError, 'Session ended'));
    this.outbound.clear();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.streams.close();
    this.standalone = undefined;
    this.standaloneStream = undefined;
  }
}
