import { spawn, type ChildProcess } from 'node:child_process';
import { isPlainObject } from '../json.ts';
import type { RuntimeLogger } from '../log.ts';
import { META, type JsonObject, type JsonRpcNotification, type JsonRpcRequest, type RequestId } from '../wire.ts';
import { McpTransportError } from './errors.ts';
import { legacyInitialize } from './http-transport.ts';
import { expectResponse, parseJsonMessage } from './json-rpc.ts';
import { LineSplitter } from './line-splitter.ts';
import type { ClientTransport, LegacyHooks, LegacyWire, TransportRequest, TransportResponse, UnroutedNotificationHandler } from './transport.ts';

/**
 * stdio, client side (basic/transports/stdio.mdx): the client launches the server, writes one
 * JSON-RPC message per line to its stdin and reads one per line from its stdout. All requests share
 * the pipe, so responses are matched by id, progress by `progressToken`, and listen-stream
 * notifications by `_meta["io.modelcontextprotocol/subscriptionId"]`. Cancelling sends
 * `notifications/cancelled`. A server that exits is restarted on the next request.
 *
 * On the 2025-11-25 wire (../shared/spec/2025-11-25/docs/basic/transports.mdx "stdio") the server
 * may also send requests (`elicitation/create`, `roots/list`, `ping`, …): once the session layer
 * attaches its hooks they are answered on stdin; `legacy.epoch` changes with every new process, so
 * a restarted server is initialized again.
 */
export interface StdioServerParameters {
  command: string;
  args?: readonly string[];
  /** Added to the inherited environment. */
  env?: Record<string, string>;
  cwd?: string;
  /** What to do with the server's stderr (it is not an error signal). Default 'inherit'. */
  stderr?: 'inherit' | 'ignore' | ((chunk: string) => void);
}

interface StdioTransportOptions extends StdioServerParameters {
  maxResponseBytes: number;
  logger: RuntimeLogger;
  onUnroutedNotification?: UnroutedNotificationHandler;
  /** How long `close()` waits after closing stdin before SIGTERM, and again before SIGKILL. */
  shutdownGraceMs?: number;
}

interface Pending {
  request: TransportRequest;
  /** The process the request was written to: only its exit fails the request. */
  child: ChildProcess | undefined;
  progressToken: unknown;
  wantsLogs: boolean;
  resolve(response: TransportResponse): void;
  reject(error: unknown): void;
}

/**
 * What a spawned server inherits by default: enough to find binaries and a home, never the
 * parent's secrets (tokens, MCP_STATE_SECRET, cloud credentials). Pass `env` for anything else.
 */
const INHERITED_VARIABLES = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'TERM', 'TMPDIR', 'LANG', 'LC_ALL', 'NODE_PATH',
  'SystemRoot', 'SYSTEMROOT', 'ComSpec', 'PATHEXT', 'USERPROFILE', 'APPDATA', 'LOCALAPPDATA', 'TEMP', 'TMP', 'WINDIR'];

function inheritedEnvironment(): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const name of INHERITED_VARIABLES) if (process.env[name] !== undefined) out[name] = process.env[name];
  return out;
}

export class StdioTransport implements ClientTransport {
  readonly kind = 'stdio' as const;
  readonly describe: string;
  readonly #options: StdioTransportOptions;
  readonly #pending = new Map<RequestId, Pending>();
  #child: ChildProcess | undefined;
  #spawned = 0;
  #hooks: LegacyHooks | undefined;
  readonly legacy: LegacyWire;

  constructor(options: StdioTransportOptions) {
    this.#options = options;
    this.describe = [options.command, ...(options.args ?? [])].join(' ');
    const self = this;
    this.legacy = {
      attach: (hooks) => void (this.#hooks = hooks),
      notify: async (notification) => this.#write(this.#start(), notification),
      opened: () => {},
      // The process the next request will reach: a dead one means a new process, hence a new session.
      get epoch() {
        return self.#alive() ? self.#spawned : self.#spawned + 1;
      },
      end: async () => {},
    };
  }

  #alive(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && !this.#child.killed;
  }

  #write(child: ChildProcess, message: unknown): void {
    try {
      child.stdin?.write(`${JSON.stringify(message)}\n`);
    } catch {
      // the process is gone; its exit fails what is in flight
    }
  }

  #start(): ChildProcess {
    if (this.#alive()) return this.#child!;
    this.#spawned += 1;
    const stderr = this.#options.stderr ?? 'inherit';
    const child = spawn(this.#options.command, [...(this.#options.args ?? [])], {
      cwd: this.#options.cwd,
      env: { ...inheritedEnvironment(), ...this.#options.env },
      stdio: ['pipe', 'pipe', typeof stderr === 'function' ? 'pipe' : stderr],
      windowsHide: true,
    });
    this.#child = child;
    child.stdout!.on('data', this.#lineReader(child));
    if (typeof stderr === 'function') {
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', stderr);
    }
    child.stdin!.on('error', () => {}); // EPIPE surfaces as the exit below
    const fail = (message: string, cause?: unknown) => {
      if (this.#child === child) this.#child = undefined;
      this.#failAll(new McpTransportError(message, { cause, kind: 'process_exited' }), child);
    };
    child.on('error', (error) => fail(`Cannot run ${this.describe}: ${error.message}`, error));
    child.on('exit', (code, signal) => fail(`Server process ${this.describe} exited (${signal ?? `code ${code}`})`));
    return child;
  }

  #failAll(error: unknown, child?: ChildProcess): void {
    for (const [id, p] of [...this.#pending]) {
      if (child && p.child !== child) continue;
      this.#pending.delete(id);
      p.reject(error);
    }
  }

  /**
   * Newline framing per process, in linear time and bounded (line-splitter.ts): a line past the
   * limit cannot be matched to a request without reading it whole, so it makes the pipe
   * unreadable — everything in flight on that process fails with `McpResponseTooLargeError` and
   * the process is killed (the next request starts a new one).
   */
  #lineReader(child: ChildProcess): (chunk: Buffer) => void {
    const lines = new LineSplitter(this.#options.maxResponseBytes, 'lf', `A line from ${this.describe}`);
    return (chunk) => {
      const failedBefore = lines.failure !== undefined;
      for (const line of lines.push(chunk)) if (line.trim() !== '') this.#onLine(line, child);
      if (!lines.failure || failedBefore) return;
      if (this.#child === child) this.#child = undefined;
      this.#failAll(lines.failure, child);
      child.kill('SIGKILL');
    };
  }

  #onLine(line: string, child: ChildProcess): void {
    const message = parseJsonMessage(line);
    if (message.kind === 'unexpected') {
      this.#options.logger.warn(`ignoring a line from ${this.describe}: ${message.reason}`);
      return;
    }
    if (message.kind === 'request') {
      if (!this.#hooks) return this.#options.logger.warn(`ignoring a request from ${this.describe}: servers must not initiate requests in 2026-07-28`);
      return this.#answer(message.request, child);
    }
    if (message.kind === 'notification') return this.#route(message.notification);
    const key = message.id;
    const pending = key === undefined ? undefined : this.#pending.get(key);
    if (!pending) return; // late answer to a cancelled request, or an unknown id: ignore (cancellation.mdx)
    this.#pending.delete(key!);
    try {
      pending.resolve({ message: expectResponse(message, pending.request.message.id, pending.request.message.method) });
    } catch (error) {
      pending.reject(error);
    }
  }

  /** A server→client request (2025-11-25): answered on the same process, attributed to the one request in flight if there is one. */
  #answer(request: JsonRpcRequest, child: ChildProcess): void {
    const hooks = this.#hooks!;
    const inFlight = [...this.#pending.values()].filter((p) => p.child === child);
    const related = inFlight.length === 1 ? inFlight[0]!.request.message : undefined;
    void hooks.onServerRequest(request, related).then((answer) => this.#write(child, { jsonrpc: '2.0', id: request.id, ...answer }));
  }

  #route(notification: JsonRpcNotification): void {
    const params = notification.params;
    const meta = isPlainObject(params?._meta) ? (params._meta as JsonObject) : undefined;
    const subscriptionId = meta?.[META.subscriptionId];
    if (typeof subscriptionId === 'string' || typeof subscriptionId === 'number') {
      const pending = this.#pending.get(subscriptionId);
      if (pending) return pending.request.onNotification(notification);
    }
    if (notification.method === 'notifications/progress' && params && 'progressToken' in params) {
      for (const pending of this.#pending.values())
        if (pending.progressToken === params.progressToken) return pending.request.onNotification(notification);
    }
    if (notification.method === 'notifications/message') {
      // stdio log messages carry no request id: deliver to the one request that asked for logs.
      const askers = [...this.#pending.values()].filter((p) => p.wantsLogs);
      if (askers.length === 1) return askers[0]!.request.onNotification(notification);
    }
    if (this.#hooks) return this.#hooks.onNotification(notification);
    this.#options.onUnroutedNotification?.(notification);
  }

  send(request: TransportRequest): Promise<TransportResponse> {
    const { message, signal } = request;
    if (signal.aborted) return Promise.reject(signal.reason);
    const meta = (message.params?._meta ?? {}) as JsonObject;
    return new Promise<TransportResponse>((resolve, reject) => {
      const onAbort = () => {
        if (!this.#pending.delete(message.id)) return;
        // stdio has no per-request stream: cancellation is a notification (basic/patterns/cancellation.mdx).
        const reason = signal.reason instanceof Error ? signal.reason.message : 'cancelled';
        try {
          child.stdin?.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: message.id, reason } })}\n`);
        } catch {
          // the process is gone; nothing to cancel
        }
        reject(signal.reason);
      };
      let child: ChildProcess;
      try {
        child = this.#start();
      } catch (error) {
        return reject(new McpTransportError(`Cannot start ${this.describe}`, { cause: error, kind: 'process_exited' }));
      }
      this.#pending.set(message.id, {
        request,
        child,
        progressToken: meta.progressToken,
        wantsLogs: request.wantsLogs ?? typeof meta[META.logLevel] === 'string',
        resolve: (response) => (signal.removeEventListener('abort', onAbort), resolve(response)),
        reject: (error) => (signal.removeEventListener('abort', onAbort), reject(error)),
      });
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        child.stdin!.write(`${JSON.stringify(message)}\n`);
      } catch (error) {
        this.#pending.delete(message.id);
        signal.removeEventListener('abort', onAbort);
        reject(new McpTransportError(`Cannot write to ${this.describe}`, { cause: error, kind: 'process_exited' }));
      }
    });
  }

  /** Sends `initialize` (legacy handshake) and returns the announced revision, or undefined. */
  probeLegacyVersion(timeoutMs: number): Promise<string | undefined> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error('legacy probe timed out')), timeoutMs);
    const probe = { ...legacyInitialize(), id: `era-probe-${Date.now()}` };
    return this.send({ message: probe, signal: controller.signal, onNotification: () => {} })
      .then(({ message }) => (message.kind === 'result' && typeof message.result.protocolVersion === 'string' ? message.result.protocolVersion : undefined))
      .catch(() => undefined)
      .finally(() => clearTimeout(timer));
  }

  /** stdin EOF, then SIGTERM, then SIGKILL (basic/transports/stdio.mdx "Shutdown"). */
  async close(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    this.#failAll(new McpTransportError('The client was closed', { kind: 'closed' }));
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const grace = this.#options.shutdownGraceMs ?? 2_000;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const within = (ms: number) => Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
    child.stdin?.end();
    if (await within(grace)) return;
    child.kill('SIGTERM');
    if (await within(grace)) return;
    child.kill('SIGKILL');
    await within(grace);
  }
}
