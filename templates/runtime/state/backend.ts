import type { RuntimeLogger } from '../log.ts';
import { InMemoryEventBus, type EventBus } from '../subscriptions.ts';
import { InMemoryTaskLeases, RedisTaskLeases, type TaskLeases } from '../tasks/lease.ts';
import { RedisTaskStore } from '../tasks/redis-store.ts';
import { InMemoryTaskStore, type TaskStore } from '../tasks/store.ts';
import { RedisConnection, type RedisModule } from './redis-connection.ts';
import { RedisEventBus } from './redis-event-bus.ts';
import { RedisReplayGuard } from './redis-replay-guard.ts';
import { InMemoryReplayGuard, type ReplayGuard } from './replay-guard.ts';

/**
 * Where state shared by replicas lives (the manifest's `state:`). `memory` is the embedded default:
 * nothing to install, correct for one process. `redis` shares the listen event bus, the
 * requestState replay guard, task records and task leases between every replica using one Redis.
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
  /** Task records (created on first use). */
  readonly taskStore: TaskStore;
  /** Leases on running tasks, so another replica takes over a dead one's (created on first use). */
  readonly taskLeases: TaskLeases;
  /** The shared connection when the backend is Redis. */
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
    let taskStore: InMemoryTaskStore | undefined;
    let taskLeases: TaskLeases | undefined;
    return {
      kind: 'memory',
      events: new InMemoryEventBus(),
      replayGuard: new InMemoryReplayGuard(),
      get taskStore() {
        return (taskStore ??= new InMemoryTaskStore());
      },
      get taskLeases() {
        return (taskLeases ??= new InMemoryTaskLeases());
      },
      close: async () => {
        await taskStore?.close();
      },
    };
  }
  const url = envUrl ?? (config?.backend === 'redis' ? config.url : undefined) ?? DEFAULT_REDIS_URL;
  const keyPrefix = config?.keyPrefix ?? `mcp:${options.serverName}:`;
  const redis = new RedisConnection({ url, keyPrefix, logger: options.logger, load: options.loadRedis });
  options.logger.info(`shared state: Redis at ${redis.where} (keys and channel prefixed ${JSON.stringify(keyPrefix)})`);
  const events = new RedisEventBus(redis);
  let taskStore: RedisTaskStore | undefined;
  let taskLeases: TaskLeases | undefined;
  return {
    kind: 'redis',
    events,
    replayGuard: new RedisReplayGuard(redis),
    get taskStore() {
      return (taskStore ??= new RedisTaskStore(redis));
    },
    get taskLeases() {
      return (taskLeases ??= new RedisTaskLeases(redis));
    },
    redis,
    async close() {
      await events.close();
      await taskStore?.close();
      await redis.close();
    },
  };
}
