/**
 * A push-to-pull queue of SSE chunks: the dispatcher pushes messages as they happen, the HTTP
 * adapter (node:http or a Web ReadableStream) pulls and writes them.
 */
/** Unsent bytes one stream may hold before it is ended: a client that stops reading cannot grow memory. */
export const MAX_QUEUED_SSE_BYTES = 8 * 1024 * 1024;

export class SseStream implements AsyncIterable<string> {
  private readonly chunks: string[] = [];
  private queuedBytes = 0;
  private waiting: ((done: boolean) => void) | undefined;
  private ended = false;
  private keepAlive: ReturnType<typeof setInterval> | undefined;
  private readonly endListeners: (() => void)[] = [];

  /** SSE comment lines keep idle intermediaries from closing long-lived streams (basic/transports/streamable-http.mdx "Receiving Messages"). */
  constructor(keepAliveMs: number) {
    if (keepAliveMs > 0) {
      this.keepAlive = setInterval(() => this.push(': keep-alive\n\n'), keepAliveMs);
      this.keepAlive.unref?.();
    }
  }

  /** One JSON-RPC message as one `message` event. No event id: 2026-07-28 streams are not resumable. */
  pushMessage(message: unknown): void {
    this.pushJson(JSON.stringify(message));
  }

  /** A message already serialised (single-line JSON). */
  pushJson(json: string): void {
    this.push(`event: message\ndata: ${json}\n\n`);
  }

  /**
   * An event with an id, for the resumable 2025-11-25 session streams (legacy/resumable-streams.ts);
   * empty `json` is the priming event (an id and empty data, 2025-11-25 basic/transports.mdx).
   */
  pushEvent(id: string, json: string): void {
    this.push(json === '' ? `id: ${id}\ndata: \n\n` : `id: ${id}\nevent: message\ndata: ${json}\n\n`);
  }

  private push(chunk: string): void {
    if (this.ended) return;
    this.queuedBytes += chunk.length;
    if (this.queuedBytes > MAX_QUEUED_SSE_BYTES) {
      // The reader fell hopelessly behind (a stalled listen client): end the stream, drop the backlog.
      this.chunks.length = 0;
      this.end();
      return;
    }
    this.chunks.push(chunk);
    this.wake(false);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.wake(true);
    for (const listener of this.endListeners.splice(0)) listener();
  }

  /** Runs `listener` once the stream ends (client gone, or ended by the server). */
  onEnd(listener: () => void): void {
    if (this.ended) listener();
    else this.endListeners.push(listener);
  }

  get isEnded(): boolean {
    return this.ended;
  }

  private wake(done: boolean): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(done);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    while (true) {
      if (this.chunks.length > 0) {
        const chunk = this.chunks.shift()!;
        this.queuedBytes -= chunk.length;
        yield chunk;
        continue;
      }
      if (this.ended) return;
      await new Promise<boolean>((resolve) => (this.waiting = resolve));
    }
  }
}
