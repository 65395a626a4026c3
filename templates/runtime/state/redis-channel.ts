import type { RedisConnection } from './redis-connection.ts';

/**
 * One Redis pub/sub channel fanned out to this process's listeners (the listen event bus, the
 * task store's change feed): a single SUBSCRIBE per channel per process, retried after a failed
 * attempt; each message parsed once, and a malformed one dropped (anything with write access to
 * Redis can publish); a throwing listener never stops delivery to the others.
 */
export class RedisChannel<T> {
  private readonly listeners = new Set<(value: T) => void>();
  private subscribed?: Promise<void>;

  constructor(
    private readonly redis: RedisConnection,
    readonly name: string,
    private readonly parse: (message: string) => T | undefined,
    /** What each listener receives: the parsed value, or a copy of it when listeners may mutate it. */
    private readonly copy: (value: T) => T = (value) => value,
  ) {}

  /**
   * Adds a listener once the process is subscribed. `refuseWhileDown`: refuse instead of waiting
   * for node-redis to resubscribe after a reconnect (a listener added then would miss messages).
   */
  async listen(listener: (value: T) => void, what: string, options: { refuseWhileDown?: boolean } = {}): Promise<() => void> {
    const client = await this.redis.subscriberClient(what);
    if (options.refuseWhileDown && !client.isReady) throw this.redis.unavailable(what, new Error('the subscriber connection is down'));
    this.subscribed ??= client.subscribe(this.name, (message) => this.deliver(message)).then(
      () => undefined,
      (error: unknown) => {
        this.subscribed = undefined;
        throw error;
      },
    );
    try {
      await this.subscribed;
    } catch (error) {
      throw this.redis.unavailable(what, error);
    }
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  clear(): void {
    this.listeners.clear();
  }

  private deliver(message: string): void {
    const value = this.parse(message);
    if (value === undefined) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(this.copy(value));
      } catch {
        // One broken listener must not stop delivery to the others.
      }
    }
  }
}
