import type { EventBus, ServerEvent, Unsubscribe } from '../subscriptions.ts';
import { isPlainObject } from '../json.ts';
import { RedisChannel } from './redis-channel.ts';
import type { RedisConnection } from './redis-connection.ts';

const EVENT_TYPES: ReadonlySet<string> = new Set(['tools/list_changed', 'prompts/list_changed', 'resources/list_changed', 'resources/updated']);

/** Anything with write access to Redis can publish: only well-formed events reach listen streams. */
function parseEvent(message: string): ServerEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (!isPlainObject(value) || typeof value.type !== 'string' || !EVENT_TYPES.has(value.type)) return undefined;
  if (value.type === 'resources/updated') return typeof value.uri === 'string' ? { type: 'resources/updated', uri: value.uri } : undefined;
  return { type: value.type } as ServerEvent;
}

/**
 * The listen event bus across replicas: `PUBLISH` on one channel per server, and one `SUBSCRIBE`
 * per process fanned out to its local listen streams (basic/patterns/subscriptions.mdx). A
 * replica's own events come back through Redis like everyone else's, so delivery has one path.
 * Pub/sub is at-most-once: events published while a replica is cut off from Redis are not
 * replayed to it (a client that must not miss a change re-reads after it reconnects).
 */
export class RedisEventBus implements EventBus {
  private readonly channel: RedisChannel<ServerEvent>;

  constructor(private readonly redis: RedisConnection) {
    this.channel = new RedisChannel(redis, `${redis.keyPrefix}events`, parseEvent);
  }

  async publish(event: ServerEvent): Promise<void> {
    await this.redis.run('publishing a change event', ['PUBLISH', this.channel.name, JSON.stringify(event)]);
  }

  async subscribe(listener: (event: ServerEvent) => void): Promise<Unsubscribe> {
    // node-redis resubscribes by itself after a reconnect; a stream opened while Redis is down
    // would silently miss events, so it is refused instead.
    return this.channel.listen(listener, 'opening a listen stream', { refuseWhileDown: true });
  }

  get listenerCount(): number {
    return this.channel.listenerCount;
  }

  async close(): Promise<void> {
    this.channel.clear();
  }
}
