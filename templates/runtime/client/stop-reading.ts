/**
 * Ties a body reader to the request's AbortSignal (its deadline and the caller's abort). Aborting
 * `fetch` is not enough to stop a body that is being read: in the undici that Node 20 bundles, a
 * `redirect: 'error'` fetch loses the link from its signal to the connection once its `Request`
 * object is garbage-collected (nodejs/undici#4627), and an endless body then streams on after
 * the deadline. So the abort cancels the reader itself (which closes the connection, the HTTP
 * way to cancel: basic/patterns/cancellation.mdx), and every read re-checks the signal.
 */
export interface StoppableReader {
  /** The next chunk; throws `signal.reason` once the signal has aborted, even mid-read. */
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
  /** Throws `signal.reason` if the signal has aborted. */
  check(): void;
  /** Stops listening and cancels the reader (a no-op on a finished stream). */
  release(): void;
}

export function readUntilAborted(reader: ReadableStreamDefaultReader<Uint8Array>, signal: AbortSignal | undefined): StoppableReader {
  const check = () => {
    if (signal?.aborted) throw signal.reason;
  };
  // Cancelling settles a pending read with `done`, which `read` below turns into the reason.
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  return {
    async read() {
      check();
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (error) {
        check();
        throw error;
      }
      check();
      return result;
    },
    check,
    release() {
      signal?.removeEventListener('abort', onAbort);
      reader.cancel().catch(() => {});
    },
  };
}
