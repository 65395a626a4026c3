import { createHash } from 'node:crypto';
import { internalError, type McpError } from '../errors.ts';
import type { RuntimeLogger } from '../log.ts';

/**
 * The part of the official `redis` client (node-redis) the runtime uses. The module is loaded with
 * a dynamic import, so a project that keeps state in memory builds and runs without `redis`
 * installed; raw commands (`sendCommand`) keep the surface small and version-proof.
 */
export interface RedisClientLike {
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  on(event: 'error' | 'ready' | 'end', listener: (error?: Error) => void): unknown;
  sendCommand(args: string[]): Promise<unknown>;
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  duplicate(): RedisClientLike;
  destroy(): void;
}

export interface RedisModule {
  createClient(options: Record<string, unknown>): RedisClientLike;
}

/** `npm install` line printed when the package is missing; the version the runtime is tested with. */
export const REDIS_PACKAGE = 'redis@6.3.1';

export async function loadRedisModule(): Promise<RedisModule> {
  // A variable specifier keeps TypeScript from requiring the package at build time.
  const specifier = 'redis';
  return (await import(specifier)) as RedisModule;
}

function missingPackage(error: unknown): Error {
  return new Error(
    `Redis state is selected (MCP_REDIS_URL or the manifest's state.backend) but the \`redis\` package cannot be loaded: run \`npm install ${REDIS_PACKAGE}\` (${error instanceof Error ? error.message : String(error)})`,
    { cause: error },
  );
}

/** How long a request waits for a connection that has never been up (process start). */
const STARTUP_WAIT_MS = 2_000;

export interface RedisConnectionOptions {
  url: string;
  /** Prefix of every key and channel: servers sharing one Redis never see each other's state. */
  keyPrefix: string;
  logger: RuntimeLogger;
  /** Per-command deadline; a hung Redis fails requests instead of holding them. Default 2 s. */
  commandTimeoutMs?: number;
  /** Injected by tests. */
  load?: () => Promise<RedisModule>;
}

/**
 * One command connection (plus, on demand, one subscriber connection) to Redis, opened in the
 * background. While Redis is unreachable commands fail at once (no offline queue, so a request
 * never waits for a reconnect it cannot see) and the client keeps reconnecting with a capped
 * backoff; the process stays up and recovers by itself when Redis returns.
 */
export class RedisConnection {
  readonly keyPrefix: string;
  private readonly logger: RuntimeLogger;
  private readonly module: Promise<RedisModule>;
  private command?: RedisClientLike;
  private subscriber?: RedisClientLike;
  private closed = false;
  /** Clients whose outage was logged, so an outage is logged once, not once per retry. */
  private readonly reportedDown = new WeakSet<RedisClientLike>();
  /** Clients that have been ready at least once. */
  private readonly started = new WeakSet<RedisClientLike>();
  private readonly firstReady = new WeakMap<RedisClientLike, Promise<void>>();
  /** SHA1 of each Lua script run here, for EVALSHA. */
  private readonly scriptShas = new Map<string, string>();

  constructor(private readonly options: RedisConnectionOptions) {
    this.keyPrefix = options.keyPrefix;
    this.logger = options.logger;
    this.module = (options.load ?? loadRedisModule)().catch((error: unknown) => Promise.reject(missingPackage(error)));
    this.module.then(
      (mod) => {
        if (!this.closed) this.command = this.open(mod, 'commands');
      },
      (error: unknown) => this.logger.error('Redis state backend unavailable', error),
    );
  }

  /** Redacted URL for logs: never print a password. */
  get where(): string {
    try {
      const url = new URL(this.options.url);
      if (url.password) url.password = '***';
      return url.toString();
    } catch {
      return '(invalid MCP_REDIS_URL)';
    }
  }

  private open(mod: RedisModule, role: string, from?: RedisClientLike): RedisClientLike {
    const client =
      from?.duplicate() ??
      mod.createClient({
        url: this.options.url,
        disableOfflineQueue: true,
        socket: { connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 2_000) },
        commandOptions: { timeout: this.options.commandTimeoutMs ?? 2_000 },
      });
    // Without an 'error' listener node's EventEmitter would throw and end the process.
    client.on('error', (error) => {
      if (this.reportedDown.has(client) || this.closed) return;
      this.reportedDown.add(client);
      this.logger.error(`Redis ${role} connection to ${this.where} failed; retrying in the background`, error);
    });
    this.firstReady.set(client, new Promise<void>((resolve) => client.on('ready', () => resolve())));
    client.on('ready', () => {
      this.started.add(client);
      if (!this.reportedDown.has(client)) return;
      this.reportedDown.delete(client);
      this.logger.info(`Redis ${role} connection to ${this.where} restored`);
    });
    client.connect().catch(() => undefined); // rejected only by destroy(); failures arrive as 'error'
    return client;
  }

  /**
   * A client that has never been ready (the process just started) gets a moment to connect;
   * after that, an outage fails requests at once instead of making each one wait.
   */
  private async whenStarted(client: RedisClientLike): Promise<void> {
    if (client.isReady || this.started.has(client)) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.firstReady.get(client), new Promise<void>((resolve) => (timer = setTimeout(resolve, STARTUP_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /** Runs one command; any failure becomes -32603 on the wire, with the cause in the log. */
  async run(what: string, args: string[]): Promise<unknown> {
    const client = await this.commandClient(what);
    await this.whenStarted(client);
    try {
      return await client.sendCommand(args);
    } catch (error) {
      throw this.unavailable(what, error);
    }
  }

  /**
   * Runs a Lua script by its SHA1 (EVALSHA: the body is not sent or hashed by Redis on every call);
   * a Redis that does not know it yet (first call, restart, SCRIPT FLUSH) answers NOSCRIPT and the
   * body goes once with EVAL, which also caches it there. Same failure handling as {@link run}.
   */
  async runScript(what: string, script: string, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    const client = await this.commandClient(what);
    await this.whenStarted(client);
    let sha = this.scriptShas.get(script);
    if (!sha) this.scriptShas.set(script, (sha = createHash('sha1').update(script).digest('hex')));
    const rest = [String(keys.length), ...keys, ...args];
    try {
      return await client.sendCommand(['EVALSHA', sha, ...rest]);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw this.unavailable(what, error);
    }
    try {
      return await client.sendCommand(['EVAL', script, ...rest]);
    } catch (error) {
      throw this.unavailable(what, error);
    }
  }

  /** The subscriber connection (pub/sub needs its own); created on first use. */
  async subscriberClient(what: string): Promise<RedisClientLike> {
    const command = await this.commandClient(what);
    if (!this.subscriber) {
      const mod = await this.module;
      this.subscriber = this.open(mod, 'subscriber', command);
    }
    await this.whenStarted(this.subscriber);
    return this.subscriber;
  }

  unavailable(what: string, error: unknown): McpError {
    this.logger.error(`${what}: Redis at ${this.where} is unavailable`, error);
    return internalError(`Internal error: shared state is unavailable (${what})`);
  }

  private async commandClient(what: string): Promise<RedisClientLike> {
    let mod: RedisModule;
    try {
      mod = await this.module;
    } catch (error) {
      throw this.unavailable(what, error);
    }
    if (this.closed) throw this.unavailable(what, new Error('the Redis connection is closed'));
    this.command ??= this.open(mod, 'commands');
    return this.command;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const client of [this.subscriber, this.command]) client?.destroy();
    this.subscriber = this.command = undefined;
  }
}
