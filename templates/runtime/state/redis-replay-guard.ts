import type { RedisConnection } from './redis-connection.ts';
import type { ReplayGuard } from './replay-guard.ts';

/**
 * The requestState replay guard shared by every replica: `SET <prefix>rs:<id> 1 NX PX <ttl>` is
 * atomic, so of two replicas handed the same state at once exactly one wins. The key expires with
 * the state, which bounds Redis memory to (MRTR rounds per TTL) small keys.
 */
export class RedisReplayGuard implements ReplayGuard {
  constructor(
    private readonly redis: RedisConnection,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(id: string, expiresAt: number): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(expiresAt - this.now()));
    const reply = await this.redis.run('checking requestState for replay', ['SET', `${this.redis.keyPrefix}rs:${id}`, '1', 'NX', 'PX', String(ttl)]);
    return reply === 'OK';
  }
}
