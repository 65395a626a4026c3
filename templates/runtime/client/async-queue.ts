/**
 * A single-consumer push queue exposed as an async iterator, settled by `end`. It is
 * bounded: `push` refuses an item that would take it past `maxItems` items or `maxBytes` (as the
 * caller sizes them), so a producer that outpaces the consumer is noticed instead of buffered
 * without end. What to do then is the producer's policy (subscription.ts ends the stream).
 */
export interface QueueLimits {
  maxItems: number;
  maxBytes: number;
}

export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  readonly #items: { item: T; bytes: number }[] = [];
  #bytes = 0;
  #waiting: { resolve(result: IteratorResult<T>): void; reject(error: unknown): void } | undefined;
  #ended = false;
  #error: unknown;
  readonly #onReturn: () => void;
  readonly #limits: QueueLimits;

  constructor(onReturn: () => void = () => {}, limits: QueueLimits = { maxItems: Infinity, maxBytes: Infinity }) {
    this.#onReturn = onReturn;
    this.#limits = limits;
  }

  /** Items waiting for the consumer. */
  get length(): number {
    return this.#items.length;
  }

  /** Queues `item` (or hands it to a waiting consumer); false, and nothing queued, when it does not fit. */
  push(item: T, bytes = 0): boolean {
    if (this.#ended) return true;
    if (this.#waiting) {
      const waiting = this.#waiting;
      this.#waiting = undefined;
      waiting.resolve({ value: item, done: false });
      return true;
    }
    if (this.#items.length + 1 > this.#limits.maxItems || this.#bytes + bytes > this.#limits.maxBytes) return false;
    this.#items.push({ item, bytes });
    this.#bytes += bytes;
    return true;
  }

  /** No more items; the consumer still gets the queued ones, then `error` (once) or the end. */
  end(error?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (!waiting) return;
    if (error !== undefined) waiting.reject(error);
    else waiting.resolve({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    const first = this.#items.shift();
    if (first) {
      this.#bytes -= first.bytes;
      return Promise.resolve({ value: first.item, done: false });
    }
    if (this.#ended) {
      const error = this.#error;
      this.#error = undefined; // report a failure once, then behave as finished
      return error !== undefined ? Promise.reject(error) : Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => (this.#waiting = { resolve, reject }));
  }

  return(): Promise<IteratorResult<T>> {
    this.#items.length = 0;
    this.#bytes = 0;
    this.end();
    this.#onReturn();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
