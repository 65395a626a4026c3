import type { RuntimeLogger } from '../log.ts';
import type { RedisConnection } from '../state/redis-connection.ts';
import { isTerminal, updateTask, type TaskRecord, type TaskStore } from './store.ts';

/**
 * Leases on running tasks: the replica running a task's handler holds its lease and renews it; a
 * replica that dies stops renewing, the lease lapses, and another replica takes the task over —
 * running it again (at-least-once, the handler told it is a retry) or, for a tool that must not
 * run twice, settling it `failed` with a clear error. A task is never left `working` forever.
 *
 * Hand-written rather than a job queue (BullMQ): a task here is already a durable record with a
 * compare-and-set state machine (store.ts) that tasks/get|update|cancel read and write directly; a
 * queue would hold a second copy of the same state with its own lifecycle (waiting/active/stalled,
 * its own retries and removal) to keep in step with the record. The lease is one key per running
 * task plus one sorted set of expiries, and the takeover goes through the same compare-and-set as
 * everything else, so a cancel racing a takeover still has exactly one winner.
 */
export interface TaskLeases {
  /** Takes the lease for `holder`, or renews it when `holder` already has it; false when another holder has it. */
  acquire(taskId: string, holder: string, leaseMs: number): Promise<boolean>;
  /** Gives the lease up, if `holder` has it (the task settled, or was handed on). */
  release(taskId: string, holder: string): Promise<void>;
  /** Tasks whose lease lapsed without being released: the replica holding them stopped renewing. */
  lapsed(limit: number): Promise<string[]>;
  /**
   * The backend the leases live in. A task store with the same `leaseHost` can take a lease in the
   * same atomic step as the create and give it up in the same step as the terminal write
   * ({@link TaskStore.createHeld}, {@link TaskStore.compareAndSetReleasing}): one round trip each
   * instead of two.
   */
  readonly leaseHost?: object;
}

/** One process: leases only matter between replicas, but the same code paths run (and are tested) on it. */
export class InMemoryTaskLeases implements TaskLeases {
  private readonly held = new Map<string, { holder: string; until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async acquire(taskId: string, holder: string, leaseMs: number): Promise<boolean> {
    const current = this.held.get(taskId);
    if (current && current.holder !== holder && current.until > this.now()) return false;
    this.held.set(taskId, { holder, until: this.now() + leaseMs });
    return true;
  }

  async release(taskId: string, holder: string): Promise<void> {
    if (this.held.get(taskId)?.holder === holder) this.held.delete(taskId);
  }

  async lapsed(limit: number): Promise<string[]> {
    const now = this.now();
    return [...this.held].filter(([, lease]) => lease.until <= now).slice(0, limit).map(([taskId]) => taskId);
  }
}

/** Where a task's lease lives in Redis: its key and the sorted set of expiries (shared with redis-store.ts). */
export function redisLeaseKeys(keyPrefix: string, taskId: string): { lease: string; expiries: string } {
  return { lease: `${keyPrefix}lease:${taskId}`, expiries: `${keyPrefix}leases` };
}

/**
 * Lua that takes a lease unconditionally (the caller checked the holder): the key with a PX expiry
 * plus its entry in the expiry set, timed by Redis's clock. Locals: leaseKey, expiries, holder, leaseMs, taskId.
 */
export const LUA_TAKE_LEASE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('SET', leaseKey, holder, 'PX', leaseMs)
redis.call('ZADD', expiries, now + tonumber(leaseMs), taskId)`;

/** Lua that gives a lease up if `holder` has it. Locals: leaseKey, expiries, holder, taskId. */
export const LUA_RELEASE_LEASE = `
if redis.call('GET', leaseKey) == holder then
  redis.call('DEL', leaseKey)
  redis.call('ZREM', expiries, taskId)
end`;

// KEYS: lease key, expiry set · ARGV: holder, lease ms, task id. Redis's clock, not the replicas'.
const ACQUIRE = `
local leaseKey, expiries, holder, leaseMs, taskId = KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3]
local current = redis.call('GET', leaseKey)
if current and current ~= holder then return 0 end
${LUA_TAKE_LEASE}
return 1`;

// KEYS: lease key, expiry set · ARGV: holder, task id
const RELEASE = `
local leaseKey, expiries, holder, taskId = KEYS[1], KEYS[2], ARGV[1], ARGV[2]
${LUA_RELEASE_LEASE}
return 1`;

// KEYS: expiry set · ARGV: limit
const LAPSED = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))`;

/**
 * Leases in Redis: `<prefix>lease:<taskId>` holds the holder's id with a PX expiry, and the sorted
 * set `<prefix>leases` lists every lease by expiry so a sweep finds the lapsed ones without a scan.
 * Acquire is atomic (Lua), so of two replicas taking over one lapsed task exactly one wins.
 */
export class RedisTaskLeases implements TaskLeases {
  private readonly expiries: string;
  readonly leaseHost: object;

  constructor(private readonly redis: RedisConnection) {
    this.expiries = redisLeaseKeys(redis.keyPrefix, '').expiries;
    this.leaseHost = redis;
  }

  private key(taskId: string): string {
    return redisLeaseKeys(this.redis.keyPrefix, taskId).lease;
  }

  async acquire(taskId: string, holder: string, leaseMs: number): Promise<boolean> {
    const reply = await this.redis.runScript('taking a task lease', ACQUIRE, [this.key(taskId), this.expiries], [holder, String(Math.max(1, Math.round(leaseMs))), taskId]);
    return Number(reply) === 1;
  }

  async release(taskId: string, holder: string): Promise<void> {
    await this.redis.runScript('releasing a task lease', RELEASE, [this.key(taskId), this.expiries], [holder, taskId]);
  }

  async lapsed(limit: number): Promise<string[]> {
    const reply = await this.redis.runScript('finding lapsed task leases', LAPSED, [this.expiries], [String(limit)]);
    return Array.isArray(reply) ? reply.map(String) : [];
  }
}

export interface LeaseKeeperOptions {
  store: TaskStore;
  leases: TaskLeases;
  /** This replica's id (random per process). */
  holder: string;
  /** How long a lease lasts without renewal: the longest a dead replica's task waits to be taken over. Default 10 s. */
  leaseMs?: number;
  logger: RuntimeLogger;
  /**
   * A lapsed task whose lease this replica now holds. Resolve true when it is handled here (run
   * again, the handler told it is a retry, or settled by the callee); whoever runs it calls
   * {@link TaskLeaseKeeper.release} once it settles. Resolve false when it must not run twice: the
   * keeper then fails it with a clear error and releases the lease.
   */
  takeOver: (record: TaskRecord) => boolean | Promise<boolean>;
  /** The lease of a task running here was taken by another replica (this one stalled too long): stop it. */
  lost?: (taskId: string) => void;
}

export const DEFAULT_LEASE_MS = 10_000;
/** Shorter leases would need renewals faster than a loaded event loop can promise. */
export const MIN_LEASE_MS = 100;
/** Lapsed tasks one sweep takes over in parallel. */
const SWEEP_CONCURRENCY = 8;

/** The error a task gets when its replica stopped and its tool must not run twice. */
export function notRetriedMessage(toolName: string): string {
  return `The server replica running this task stopped before it finished, and tool ${toolName} is not retried automatically (taskRetry: false); it may or may not have taken effect`;
}

/** Renews the leases of the tasks this replica runs, and sweeps for lapsed ones to take over. */
export class TaskLeaseKeeper {
  readonly leaseMs: number;
  private readonly running = new Set<string>();
  private renewTimer?: ReturnType<typeof setInterval>;
  private sweepTimer?: ReturnType<typeof setInterval>;
  private sweeping = false;
  private renewing = false;

  constructor(private readonly options: LeaseKeeperOptions) {
    this.leaseMs = Math.max(MIN_LEASE_MS, options.leaseMs ?? DEFAULT_LEASE_MS);
  }

  /** Starts renewing (every leaseMs/3) and sweeping (every leaseMs/2). */
  start(): void {
    this.renewTimer ??= setInterval(() => void this.renewAll(), Math.floor(this.leaseMs / 3));
    this.sweepTimer ??= setInterval(() => void this.sweep().catch((error: unknown) => this.options.logger.error('task lease sweep failed', error)), Math.floor(this.leaseMs / 2));
    this.renewTimer.unref?.();
    this.sweepTimer.unref?.();
  }

  /**
   * Takes the lease of a task that starts running here. Rejects when the lease cannot be written
   * (Redis unreachable): a task whose lease was never stored could not be taken over, so it must
   * not be created.
   */
  async hold(taskId: string): Promise<void> {
    this.running.add(taskId);
    try {
      if (!(await this.options.leases.acquire(taskId, this.options.holder, this.leaseMs))) this.lose(taskId);
    } catch (error) {
      this.running.delete(taskId);
      throw error;
    }
  }

  /** The lease was taken in the same atomic step as the task's create (TaskStore.createHeld): renew it from now on. */
  held(taskId: string): void {
    this.running.add(taskId);
  }

  /**
   * Stop renewing a lease about to be given up in the same atomic step as the task's terminal
   * write (TaskStore.compareAndSetReleasing); if that write does not land, {@link release} follows.
   */
  releasing(taskId: string): void {
    this.running.delete(taskId);
  }

  /** The task settled (or stopped) here: give its lease up. */
  async release(taskId: string): Promise<void> {
    this.running.delete(taskId);
    await this.options.leases.release(taskId, this.options.holder);
  }

  /**
   * This replica stops (graceful shutdown) without finishing the task: its lease is shortened to
   * lapse at once, so the next sweep of another replica takes it over instead of waiting a lease.
   */
  async handOver(taskId: string): Promise<void> {
    this.running.delete(taskId);
    await this.options.leases.acquire(taskId, this.options.holder, 1);
  }

  /** Whether this replica holds (and renews) the task's lease. */
  holds(taskId: string): boolean {
    return this.running.has(taskId);
  }

  private lose(taskId: string): void {
    this.running.delete(taskId);
    this.options.logger.warn(`task ${taskId}: its lease was taken over by another replica; stopping it here`);
    this.options.lost?.(taskId);
  }

  private async renewAll(): Promise<void> {
    if (this.renewing) return;
    this.renewing = true;
    try {
      // Concurrent commands share one connection: node-redis pipelines them in one round trip.
      const failures: unknown[] = [];
      await Promise.all(
        [...this.running].map(async (taskId) => {
          try {
            if (!(await this.options.leases.acquire(taskId, this.options.holder, this.leaseMs)) && this.running.has(taskId)) this.lose(taskId);
          } catch (error) {
            failures.push(error);
          }
        }),
      );
      // Redis unreachable: keep running; the leases are renewed on a later tick if it returns in time.
      if (failures.length > 0) this.options.logger.error(`could not renew ${failures.length} task lease(s)`, failures[0]);
    } finally {
      this.renewing = false;
    }
  }

  /**
   * One pass: every lapsed lease is taken (one replica wins each: the acquire is atomic), then the
   * task is handed to `takeOver` or failed; a task already settled (or gone) only has its stale
   * lease dropped.
   */
  async sweep(limit = 100): Promise<{ retried: string[]; failed: string[] }> {
    const outcome = { retried: [] as string[], failed: [] as string[] };
    if (this.sweeping) return outcome;
    this.sweeping = true;
    try {
      const lapsed = (await this.options.leases.lapsed(limit)).filter((taskId) => !this.running.has(taskId));
      // A dead replica leaves many tasks at once: take them over a few at a time, not one by one.
      let next = 0;
      const worker = async () => {
        while (next < lapsed.length) await this.takeOverOne(lapsed[next++]!, outcome);
      };
      await Promise.all(Array.from({ length: Math.min(SWEEP_CONCURRENCY, lapsed.length) }, worker));
    } finally {
      this.sweeping = false;
    }
    return outcome;
  }

  private async takeOverOne(taskId: string, outcome: { retried: string[]; failed: string[] }): Promise<void> {
    const { store, leases, holder } = this.options;
    let handled = false;
    try {
      if (this.running.has(taskId) || !(await leases.acquire(taskId, holder, this.leaseMs))) return;
      const record = await store.get(taskId);
      if (!record || isTerminal(record.status)) {
        await leases.release(taskId, holder);
        return;
      }
      this.running.add(taskId);
      try {
        handled = await this.options.takeOver(record);
      } catch (error) {
        this.options.logger.error(`task ${taskId}: taking it over failed`, error);
      }
      if (handled) {
        outcome.retried.push(taskId);
        return;
      }
      const message = notRetriedMessage(record.request.name);
      const { applied } = await updateTask(store, taskId, (current) =>
        isTerminal(current.status) ? undefined : { status: 'failed', statusMessage: message, inputRequests: {}, error: { code: -32603, message } },
      );
      if (applied) {
        this.options.logger.warn(`task ${taskId} (tool ${record.request.name}): its replica stopped; failed it (not retryable)`);
        outcome.failed.push(taskId);
      }
      await this.release(taskId);
    } catch (error) {
      // Redis unreachable mid-takeover: stop renewing, so the lease lapses again and a later sweep
      // (here or elsewhere) tries once more.
      if (!handled) this.running.delete(taskId);
      this.options.logger.error(`task ${taskId}: taking over its lapsed lease failed`, error);
    }
  }

  close(): void {
    clearInterval(this.renewTimer);
    clearInterval(this.sweepTimer);
    this.renewTimer = this.sweepTimer = undefined;
  }
}
