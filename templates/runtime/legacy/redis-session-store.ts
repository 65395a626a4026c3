import { isPlainObject } from '../json.ts';
import type { RedisConnection } from '../state/redis-connection.ts';
import { DEFAULT_SESSION_IDLE_MS, type SessionRecord, type SessionStore } from './session-store.ts';

const idleFromEnv = (): number | undefined => {
  const value = Number(process.env.MCP_SESSION_IDLE_MS ?? NaN);
  return Number.isInteger(value) && value >= 0 ? value : undefined;
};

/**
 * 2025-11-25 session records in Redis, so any replica can answer a session's plain requests
 * (its live streams still belong to the process holding them: docs/deploy.md). One key per
 * session, `<prefix>session:<id>`, whose TTL is the idle timeout: every `get` refreshes it
 * (GETEX), so Redis drops abandoned sessions by itself. The count is bounded by Redis's
 * `maxmemory` rather than by `maxSessions`; `onEvicted` is not reported (the holder learns at its
 * next read, which then finds nothing).
 */
export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly idleTimeoutMs: number = idleFromEnv() ?? DEFAULT_SESSION_IDLE_MS,
  ) {}

  private key(id: string): string {
    return `${this.redis.keyPrefix}session:${id}`;
  }

  /** `PX <idle>` or nothing when idle expiry is disabled (0). */
  private expiry(): string[] {
    return this.idleTimeoutMs > 0 ? ['PX', String(this.idleTimeoutMs)] : [];
  }

  async create(record: SessionRecord): Promise<void> {
    await this.redis.run('creating a session', ['SET', this.key(record.id), JSON.stringify(record), ...this.expiry()]);
  }

  async get(id: string): Promise<SessionRecord | undefined> {
    const args = this.idleTimeoutMs > 0 ? ['GETEX', this.key(id), 'PX', String(this.idleTimeoutMs)] : ['GET', this.key(id)];
    const text = await this.redis.run('reading a session', args);
    if (typeof text !== 'string') return undefined;
    try {
      const record: unknown = JSON.parse(text);
      if (!isPlainObject(record) || record.id !== id) return undefined;
      return { ...(record as unknown as SessionRecord), lastSeenAt: Date.now() };
    } catch {
      return undefined;
    }
  }

  async update(record: SessionRecord): Promise<void> {
    const held = await this.get(record.id);
    if (!held) return;
    const next: SessionRecord = { ...held, logLevel: record.logLevel, subscriptions: [...record.subscriptions], initialized: record.initialized };
    // XX: a session deleted meanwhile stays deleted.
    await this.redis.run('updating a session', ['SET', this.key(record.id), JSON.stringify(next), 'XX', ...this.expiry()]);
  }

  async delete(id: string): Promise<boolean> {
    return Number(await this.redis.run('deleting a session', ['DEL', this.key(id)])) === 1;
  }
}
