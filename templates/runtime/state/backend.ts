import type { RuntimeLogger } from '../log.ts';
import { InMemoryEventBus, type EventBus } from '../subscriptions.ts';
import { RedisConnection, type RedisModule } from './redis-connection.ts';
import { RedisEventBus } from './redis-event-bus.ts';
import { RedisReplayGuard } from './redis-replay-guard.ts';
import { InMemoryReplayGuard, type ReplayGuard } from './replay-guard.ts';

/**
 * Where state shared by replicas lives (the manifest's `state:`). `memory` is the embedded default:
 * nothing to install, correct for one process. `redis` shares the listen event bus and the
 * requestState replay guard (and, where used, tasks) between every replica pointing at one Redis.
 */
export type StateConfig =
  | {
      backend: 'memory';
      /** Used when MCP_REDIS_URL selects Redis at run time. */
      keyPrefix?: string;
    }
  | {
      backend: 'redis';
      /** Default `MCP_REDIS_URL`, then redis://127.0.0.1:6379. MCP_REDIS_URL, when set, wins. */
      url?: string;
      /** Prefix of every key and channel. Default `mcp:<server name>:`. */
      keyPrefix?: string;
    };

export interface StateBackend {
  readonly kind: 'memory' | 'redis';
  readonly events: EventBus;
  readonly replayGuard: ReplayGuard;
  /** The shared connection when the backend is Redis (a task store can reuse it). */
  readonly redis?: RedisConnection;
  close(): Promise<void>;
}

export interface ResolveStateOptions {
  config?: StateConfig;
  serverName: string;
  logger: RuntimeLogger;
  env?: Record<string, string | undefined>;
  /** Injected by tests. */
  loadRedis?: () => Promise<RedisModule>;
}

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * MCP_REDIS_URL selects Redis at deploy time whatever the manifest says (one build, many
 * environments); otherwise the manifest's `state.backend` decides; otherwise memory.
 */
export function resolveStateBackend(options: ResolveStateOptions): StateBackend {
  const env = options.env ?? process.env;
  const envUrl = env.MCP_REDIS_URL?.trim() || undefined;
  const config = options.config;
  if (!envUrl && config?.backend !== 'redis') {
    return { kind: 'memory', events: new InMemoryEventBus(), replayGuard: new InMemoryReplayGuard(), close: async () => undefined };
  }
  const url = envUrl ?? (config?.backend === 'redis' ? config.url : undefined) ?? DEFAULT_REDIS_URL;
  const keyPrefix = config?.keyPrefix ?? `mcp:${options.serverName}:`;
  const redis = new RedisConnection({ url, keyPrefix, logger: options.logger, load: options.loadRedis });
  options.logger.info(`shared state: Redis at ${redis.where} (keys and channel prefixed ${JSON.stringify(keyPrefix)})`);
  const events = new RedisEventBus(redis);
  return {
    kind: 'redis',
    events,
    replayGuard: new RedisReplayGuard(redis),
    redis,
    async close() {
      await events.close();
      await redis.close();
    },
  };
}
