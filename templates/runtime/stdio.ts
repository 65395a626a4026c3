import { Console } from 'node:console';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { McpServer } from './create-server.ts';
import { isPlainObject } from './json.ts';
import { ErrorCode, type JsonRpcMessage, type RequestId } from './wire.ts';

/**
 * stdio transport (basic/transports/stdio.mdx): newline-delimited JSON-RPC on stdin/stdout,
 * diagnostics on stderr only, requests handled concurrently (one process is not a session),
 * `notifications/cancelled` aborts a request and suppresses anything more for it.
 */
export interface ServeStdioOptions {
  input?: Readable;
  output?: Writable;
  /** Route console.log/info/debug to stderr so stray prints cannot corrupt stdout. Default true for process.stdout. */
  redirectConsole?: boolean;
  /** Exit the process once stdin ends and in-flight work drained. Default true for process.stdin. */
  exitOnEnd?: boolean;
  drainTimeoutMs?: number;
}

export interface StdioHandle {
  /** Resolves when input ended and every in-flight request settled. */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

export function serveStdio(server: McpServer, options: ServeStdioOptions = {}): StdioHandle {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  if (options.redirectConsole ?? output === process.stdout) {
    // Every console method (log, info, debug, dir, table, …) goes to stderr: stdout carries only
    // MCP messages (basic/transports/stdio.mdx).
    globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });
  }

  // Messages are single lines: JSON.stringify never emits raw newlines.
  const write = (message: JsonRpcMessage) => {
    output.write(`${JSON.stringify(message)}\n`);
  };
  const inFlight = new Map<RequestId, AbortController>();
  const pending = new Set<Promise<void>>();

  const onLine = (line: string) => {
    if (line.trim() === '') return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      write({ jsonrpc: '2.0', error: { code: ErrorCode.ParseError, message: 'Parse error' } });
      return;
    }
    // Cancellation is the one client notification with meaning (basic/patterns/cancellation.mdx).
    if (isPlainObject(message) && message.method === 'notifications/cancelled' && message.id === undefined) {
      const requestId = isPlainObject(message.params) ? message.params.requestId : undefined;
      if (typeof requestId === 'string' || typeof requestId === 'number') inFlight.get(requestId)?.abort();
      return;
    }
    const id = isPlainObject(message) && (typeof message.id === 'string' || typeof message.id === 'number') ? message.id : undefined;
    const aborter = new AbortController();
    if (id !== undefined) inFlight.set(id, aborter);
    let lastNotification: Promise<unknown> | undefined;
    const work = server
      .handle(message, {
        signal: aborter.signal,
        send: (notification) => {
          if (aborter.signal.aborted) return;
          lastNotification = new Promise((flushed) => output.write(`${JSON.stringify(notification)}\n`, flushed));
        },
      })
      .then(async (outcome) => {
        // Clients that dispatch notifications asynchronously but responses synchronously (the
        // official SDK client) drop a progress notification that arrives in the same read as the
        // response. Let the last notification reach the pipe and the client a moment to read it.
        if (lastNotification) {
          await lastNotification;
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        if (outcome.response && !aborter.signal.aborted) write(outcome.response);
      })
      .catch((error: unknown) => server.logger.error('stdio dispatch failed', error))
      .finally(() => {
        if (id !== undefined && inFlight.get(id) === aborter) inFlight.delete(id);
        pending.delete(work);
      });
    pending.add(work);
  };

  const lines = createInterface({ input, crlfDelay: Infinity });
  lines.on('line', onLine);

  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      lines.close();
      // Listen streams end with their graceful result; other requests get time to finish.
      const timeoutMs = options.drainTimeoutMs ?? 10_000;
      await server.close(timeoutMs);
      // Whatever is still running after the drain window is cancelled, and we stop waiting for it:
      // a hung handler must not keep the process alive after stdin ended (basic/transports/stdio.mdx).
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...pending]), new Promise((resolve) => (timer = setTimeout(resolve, 1_000)))]);
      clearTimeout(timer);
      for (const aborter of inFlight.values()) aborter.abort();
      resolveClosed();
    })());

  // EOF on stdin is the primary shutdown signal (basic/transports/stdio.mdx "Shutdown").
  lines.once('close', () => {
    void close().then(() => {
      if (options.exitOnEnd ?? input === process.stdin) process.exit(0);
    });
  });

  return { closed, close };
}
