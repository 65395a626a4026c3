import type { ClientCapabilities, Implementation, LoggingLevel } from '../wire.ts';

/**
 * What a 2025-11-25 session remembers between requests (basic/lifecycle.mdx "Initialization",
 * basic/transports.mdx "Session Management"). Plain JSON, so a networked store (Redis, a database)
 * can keep it as one serialised value; live streams and pending server→client requests are NOT
 * part of it: they belong to the process holding the connection (docs/deploy.md: route a
 * session's traffic to one replica).
 */
export interface SessionRecord {
  id: string;
  /** The version negotiated in `initialize`. */
  protocolVersion: string;
  clientInfo?: Implementation;
  clientCapabilities: ClientCapabilities;
  /** Set by `logging/setLevel`; absent means no `notifications/message` (server/utilities/logging.mdx). */
  logLevel?: LoggingLevel;
  /** URIs of `resources/subscribe` (server/resources.mdx "Subscriptions"). */
  subscriptions: string[];
  /** `notifications/initialized` arrived. */
  initialized: boolean;
  /**
   * The authenticated subject that created the session, if any: later requests from another (or
   * no) subject do not see it (session hijacking, basic/security_best_practices.mdx).
   */
  principal?: string;
  createdAt: number;
  lastSeenAt: number;
}

/**
 * Where sessions live. Every method is async so a networked store fits; `get` also counts as
 * activity (it refreshes the idle clock). A store bounds itself (count and idle time) and reports
 * sessions it dropped through `onEvicted`, so the owning process can close their streams.
 */
export interface SessionStore {
  create(record: SessionRecord): Promise<void>;
  /** The record, or undefined when unknown, deleted or expired. Refreshes `lastSeenAt`. */
  get(id: string): Promise<SessionRecord | undefined>;
  /** Replaces the mutable fields (log level, subscriptions, initialized). No-op for unknown ids. */
  update(record: SessionRecord): Promise<void>;
  /** True when the session existed. */
  delete(id: string): Promise<boolean>;
  /** Called with the id of every session the store evicted or expired on its own. */
  onEvicted?(listener: (id: string) => void): void;
  close?(): Promise<void>;
}

export interface InMemorySessionStoreOptions {
  /** Most sessions held at once; the least recently used one is evicted past it. Default 10 000 (env MCP_MAX_SESSIONS). */
  maxSessions?: number;
  /** A session unused this long is dropped. Default 30 min (env MCP_SESSION_IDLE_MS). 0 disables. */
  idleTimeoutMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

export const DEFAULT_MAX_SESSIONS = 10_000;
export const DEFAULT_SESSION_IDLE_MS = 30 * 60 * 1000;

const positiveEnv = (name: string): number | undefined => {
  const raw = process.env[name];
  const value = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(value) && value >= 0 ? value : undefined;
};

/** One process's sessions in a Map kept in least-recently-used order (re-inserted on every use). */
export class InMemorySessionStore implements SessionStore {
  readonly maxSessions: number;
  readonly idleTimeoutMs: number;
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly listeners: ((id: string) => void)[] = [];
  private readonly now: () => number;
  private sweeper: ReturnType<typeof setInterval> | undefined;

  constructor(options: InMemorySessionStoreOptions = {}) {
    this.maxSessions = Math.max(1, options.maxSessions ?? positiveEnv('MCP_MAX_SESSIONS') ?? DEFAULT_MAX_SESSIONS);
    this.idleTimeoutMs = options.idleTimeoutMs ?? positiveEnv('MCP_SESSION_IDLE_MS') ?? DEFAULT_SESSION_IDLE_MS;
    this.now = options.now ?? Date.now;
    if (this.idleTimeoutMs > 0) {
      // Expired sessions are also dropped on access; the sweep frees the memory of abandoned ones.
      this.sweeper = setInterval(() => this.sweep(), Math.min(this.idleTimeoutMs, 60_000));
      this.sweeper.unref?.();
    }
  }

  get size(): number {
    return this.sessions.size;
  }

  async create(record: SessionRecord): Promise<void> {
    this.sweep();
    while (this.sessions.size >= this.maxSessions) {
      const oldest = this.sessions.keys().next().value as string;
      this.drop(oldest);
    }
    this.sessions.set(record.id, { ...record, subscriptions: [...record.subscriptions] });
  }

  async get(id: string): Promise<SessionRecord | undefined> {
    const record = this.sessions.get(id);
    if (!record) return undefined;
    if (this.expired(record)) {
      this.drop(id);
      return undefined;
    }
    record.lastSeenAt = this.now();
    this.sessions.delete(id);
    this.sessions.set(id, record);
    return { ...record, subscriptions: [...record.subscriptions] };
  }

  async update(record: SessionRecord): Promise<void> {
    const held = this.sessions.get(record.id);
    if (!held) return;
    held.logLevel = record.logLevel;
    held.subscriptions = [...record.subscriptions];
    held.initialized = record.initialized;
  }

  async delete(id: string): Promise<boolean> {
    return this.sessions.delete(id);
  }

  onEvicted(listener: (id: string) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  private expired(record: SessionRecord): boolean {
    return this.idleTimeoutMs > 0 && this.now() - record.lastSeenAt > this.idleTimeoutMs;
  }

  private sweep(): void {
    // Oldest first: stop at the first live one, everything after it was used more recently.
    for (const [id, record] of this.sessions) {
      if (!this.expired(record)) break;
      this.drop(id);
    }
  }

  private drop(id: string): void {
    if (!this.sessions.delete(id)) return;
    for (const listener of this.listeners) listener(id);
  }
}
