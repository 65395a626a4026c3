import { Console } from 'node:console';
import type { Readable, Writable } from 'node:stream';
import type { McpServer } from './create-server.ts';
import { exactIdText, isPlainObject, stringifyMessage, topLevelMember } from './json.ts';
import { ErrorCode, type JsonObject, type JsonRpcMessage, type RequestId } from './wire.ts';
import type { LiveSession } from './legacy/live-session.ts';
import { eraConflict } from './legacy/scope.ts';
import { serverShuttingDown } from './errors.ts';

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
  /**
   * Longest line (one message) in bytes. Longer lines are skipped without being buffered: answered
   * with -32600 when their first bytes show an id, else logged to stderr. Default 4 MiB.
   */
  maxLineBytes?: number;
  /** Requests handled at once; past it, stdin is not read until one finishes. Default 64. */
  maxConcurrentRequests?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 64;
/** How much of an oversized line is kept to look for its id. */
const ID_PREFIX_BYTES = 4096;
const NEWLINE = 0x0a;
/** Fatal: a line that is not UTF-8 is a parse error, never silently repaired. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Splits a byte stream into lines, scanning each chunk once. Bytes of a line past `maxBytes` are
 * not kept (only the first ID_PREFIX_BYTES, to find an id), so one huge line costs no memory.
 */
class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private oversized = false;

  constructor(
    private readonly maxBytes: number,
    private readonly onLine: (line: Buffer) => void,
    private readonly onOversized: (prefix: Buffer, bytes: number) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      this.take(chunk.subarray(start, end));
      if (newline === -1) return;
      this.finish();
      start = newline + 1;
    }
  }

  /** The input ended: a last line without a newline still counts. */
  end(): void {
    if (this.size > 0) this.finish();
  }

  private take(piece: Buffer): void {
    if (piece.length === 0) return;
    this.size += piece.length;
    if (this.oversized) return;
    if (this.size > this.maxBytes) {
      this.oversized = true;
      const kept = Buffer.concat([...this.parts, piece]);
      this.parts = [kept.subarray(0, Math.min(kept.length, ID_PREFIX_BYTES))];
      return;
    }
    this.parts.push(piece);
  }

  private finish(): void {
    const parts = this.parts;
    const line = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    const { oversized, size } = this;
    this.parts = [];
    this.size = 0;
    this.oversized = false;
    if (oversized) this.onOversized(line, size);
    else this.onLine(line);
  }
}

/** The id of an oversized message, when its first bytes are enough to read one. */
function idFromPrefix(prefix: Buffer): { id: RequestId; exact?: string } | undefined {
  // The cut may split a UTF-8 sequence; a replacement character there cannot change the id.
  const raw = topLevelMember(prefix.toString('utf8'), 'id');
  if (raw === undefined) return undefined;
  if (/^-?\d+$/.test(raw)) return { id: Number(raw), exact: raw };
  if (raw.startsWith('"')) {
    try {
      return { id: JSON.parse(raw) as string };
    } catch {
      return undefined;
    }
  }
  return undefined;
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
  const write = (message: JsonRpcMessage, exactId?: string) => {
    output.write(`${stringifyMessage(message, exactId)}\n`);
  };
  const inFlight = new Map<RequestId, AbortController>();
  const pending = new Set<Promise<void>>();
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const maxConcurrent = Math.max(1, options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS);

  const onOversized = (prefix: Buffer, bytes: number) => {
    const found = idFromPrefix(prefix);
    if (!found) {
      server.logger.warn(`stdio: dropped a ${bytes}-byte line (limit ${maxLineBytes} bytes) whose id could not be read`);
      return;
    }
    write({ jsonrpc: '2.0', id: found.id, error: { code: ErrorCode.InvalidRequest, message: `Invalid Request: message larger than ${maxLineBytes} bytes` } }, found.exact);
  };

  const onLine = (bytes: Buffer) => {
    let text: string;
    let message: unknown;
    try {
      text = utf8.decode(bytes);
      if (text.trim() === '') return;
      message = JSON.parse(text);
    } catch {
      write({ jsonrpc: '2.0', error: { code: ErrorCode.ParseError, message: 'Parse error' } });
      return;
    }
    // The era is chosen once per connection: `initialize` (without the stateless wire's `_meta`
    // version fields) selects the 2025-11-25 session wire (legacy/); the first modern request that
    // succeeds selects the stateless wire. Until then an `initialize` that arrives while no modern
    // request is running is still accepted, so a client whose `server/discover` probe failed can
    // fall back (basic/transports/stdio.mdx "Backward Compatibility").
    const idle = pending.size === 0 && waiting.length === 0;
    if (era === 'undecided' && idle && server.sessions && isPlainObject(message) && message.method === 'initialize' && message.id !== undefined && eraConflict(message) === undefined) {
      era = 'session';
      startSession(message, text);
      return;
    }
    if (era === 'session' && !session) {
      // initialize is being answered: keep order, replay once the session exists.
      beforeSession.push({ bytes });
      return;
    }
    if (era === 'session') {
      // Responses to our requests and the session's notifications (cancellation included) are the session wire's.
      if (isPlainObject(message) && (message.id === undefined || typeof message.method !== 'string')) {
        if (session) void server.sessions!.handle(session, message, {});
        return;
      }
    }
    // Cancellation is the one client notification with meaning (basic/patterns/cancellation.mdx).
    if (isPlainObject(message) && message.method === 'notifications/cancelled' && message.id === undefined) {
      const requestId = isPlainObject(message.params) ? message.params.requestId : undefined;
      if (typeof requestId === 'string' || typeof requestId === 'number') inFlight.get(requestId)?.abort();
      return;
    }
    if (pending.size >= maxConcurrent) {
      // At the bound: stop reading stdin (backpressure, not an unbounded queue). Only the rest of
      // the current chunk waits here; a stuck handler is released by its deadline.
      waiting.push({ message, text });
      if (!paused) {
        paused = true;
        input.pause();
      }
      return;
    }
    dispatch(message, text);
  };

  let era: 'undecided' | 'modern' | 'session' = 'undecided';
  /** The connection's session once initialize was answered; messages before that wait in `early`. */
  let session: LiveSession | undefined;
  const beforeSession: { bytes: Buffer }[] = [];
  const startSession = (message: JsonObject, text: string) => {
    const id = message.id as RequestId;
    const work = server
      .sessions!.initialize(id, isPlainObject(message.params) ? message.params : undefined, false)
      .then(({ outcome, session: opened }) => {
        if (opened) {
          session = opened;
          // stdout is this session's standalone stream: list_changed and resource updates go there.
          opened.standalone = (outgoing) => output.write(`${JSON.stringify(outgoing)}\n`);
        } else era = 'undecided';
        if (outcome.response) write(outcome.response, exactIdText(text, message));
        for (const held of beforeSession.splice(0)) onLine(held.bytes);
      })
      .catch((error: unknown) => server.logger.error('stdio initialize failed', error))
      .finally(() => pending.delete(work));
    pending.add(work);
  };

  const waiting: { message: unknown; text: string }[] = [];
  const dispatch = (message: unknown, text: string) => {
    const id = isPlainObject(message) && (typeof message.id === 'string' || typeof message.id === 'number') ? message.id : undefined;
    const exactId = exactIdText(text, message);
    const aborter = new AbortController();
    if (id !== undefined) inFlight.set(id, aborter);
    let lastNotification: Promise<unknown> | undefined;
    const send = (notification: JsonRpcMessage) => {
      if (aborter.signal.aborted) return;
      lastNotification = new Promise((flushed) => output.write(`${JSON.stringify(notification)}\n`, flushed));
    };
    const handled = session ? server.sessions!.handle(session, message, { send }) : server.handle(message, { signal: aborter.signal, send });
    const work = handled
      .then(async (outcome) => {
        // Clients that dispatch notifications asynchronously but responses synchronously (the
        // official SDK client) drop a progress notification that arrives in the same read as the
        // response. Let the last notification reach the pipe and the client a moment to read it.
        if (lastNotification) {
          await lastNotification;
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        // A modern request that succeeded decides the era: a later initialize is then refused.
        if (era === 'undecided' && !session && outcome.response && 'result' in outcome.response) era = 'modern';
        if (outcome.response && !aborter.signal.aborted) write(outcome.response, exactId);
      })
      .catch((error: unknown) => server.logger.error('stdio dispatch failed', error))
      .finally(() => {
        if (id !== undefined && inFlight.get(id) === aborter) inFlight.delete(id);
        pending.delete(work);
        const next = waiting.shift();
        if (next) dispatch(next.message, next.text);
        else if (paused) {
          paused = false;
          input.resume();
        }
      });
    pending.add(work);
  };

  let paused = false;
  let ended = false;
  const splitter = new LineSplitter(maxLineBytes, (line) => onLine(line[line.length - 1] === 0x0d ? line.subarray(0, -1) : line), onOversized);
  const onData = (chunk: Buffer | string) => splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  input.on('data', onData);
  let resolveEnded!: () => void;
  const endedSignal = new Promise<void>((resolve) => (resolveEnded = resolve));
  const onEnd = () => {
    if (ended) return;
    ended = true;
    splitter.end();
    input.off('data', onData);
    resolveEnded();
  };
  input.once('end', onEnd);
  input.once('close', onEnd);

  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      onEnd();
      // Requests queued behind the concurrency bound never started: they are answered now, not
      // started during the drain and not dropped (every request gets exactly one response).
      for (const queued of waiting.splice(0)) {
        const m = queued.message;
        if (isPlainObject(m) && typeof m.method === 'string' && (typeof m.id === 'string' || typeof m.id === 'number')) {
          const refused = serverShuttingDown();
          write({ jsonrpc: '2.0', id: m.id, error: { code: refused.code, message: refused.message } }, exactIdText(queued.text, m));
        }
      }
      // Listen streams end with their graceful result; other requests get time to finish.
      const timeoutMs = options.drainTimeoutMs ?? 10_000;
      await server.close(timeoutMs);
      session?.end();
      // Whatever is still running after the drain window is cancelled, and we stop waiting for it:
      // a hung handler must not keep the process alive after stdin ended (basic/transports/stdio.mdx).
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...pending]), new Promise((resolve) => (timer = setTimeout(resolve, 1_000)))]);
      clearTimeout(timer);
      for (const aborter of inFlight.values()) aborter.abort();
      resolveClosed();
    })());

  // EOF on stdin is the primary shutdown signal (basic/transports/stdio.mdx "Shutdown").
  void endedSignal.then(() => {
    void close().then(() => {
      if (options.exitOnEnd ?? input === process.stdin) process.exit(0);
    });
  });

  return { closed, close };
}
