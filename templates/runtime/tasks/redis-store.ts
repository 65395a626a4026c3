import { isPlainObject } from '../json.ts';
import { RedisChannel } from '../state/redis-channel.ts';
import type { RedisConnection } from '../state/redis-connection.ts';
import { LUA_RELEASE_LEASE, LUA_TAKE_LEASE, redisLeaseKeys } from './lease.ts';
import { purgeAt, type TaskRecord, type TaskStore } from './store.ts';

/**
 * Task records in Redis, shared by every replica (extensions/tasks.md "Task Creation": a task
 * exists as soon as CreateTaskResult is sent, whichever replica is polled next). One hash per task
 * (`v` = version, `r` = the record as JSON) that expires by itself at {@link purgeAt}. Every write
 * is one Lua script that checks, writes and PUBLISHes the record together: compare-and-set is
 * atomic across replicas (of a cancel racing a completion exactly one lands), and no watcher can
 * see a write that did not happen or miss one that did while it was subscribed.
 */

// KEYS[1] task hash · ARGV: record JSON, purge-at epoch ms ('' = never), channel
const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'v', '1', 'r', ARGV[1])
if ARGV[2] ~= '' then redis.call('PEXPIREAT', KEYS[1], ARGV[2]) end
redis.call('PUBLISH', ARGV[3], ARGV[1])
return 1`;

// KEYS[1] task hash · ARGV: expected version, next version, record JSON, purge-at ('' = never), channel
const COMPARE_AND_SET = `
if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'r', ARGV[3])
if ARGV[4] ~= '' then redis.call('PEXPIREAT', KEYS[1], ARGV[4]) else redis.call('PERSIST', KEYS[1]) end
redis.call('PUBLISH', ARGV[5], ARGV[3])
return 1`;

// CREATE plus the running replica's lease, in one step: no moment where the record exists without
// a lease (nobody would take it over) or the lease without the record.
// KEYS: task hash, lease key, expiry set · ARGV: record JSON, purge-at ('' = never), channel, holder, lease ms, task id
const CREATE_HELD = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local leaseKey, expiries, holder, leaseMs, taskId = KEYS[2], KEYS[3], ARGV[4], ARGV[5], ARGV[6]
${LUA_TAKE_LEASE}
redis.call('HSET', KEYS[1], 'v', '1', 'r', ARGV[1])
if ARGV[2] ~= '' then redis.call('PEXPIREAT', KEYS[1], ARGV[2]) end
redis.call('PUBLISH', ARGV[3], ARGV[1])
return 1`;

// COMPARE_AND_SET that, when it lands, also gives up the writer's lease (the terminal write of the
// task it runs). KEYS: task hash, lease key, expiry set · ARGV: as COMPARE_AND_SET, then holder, task id
const COMPARE_AND_SET_RELEASING = `
if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'r', ARGV[3])
if ARGV[4] ~= '' then redis.call('PEXPIREAT', KEYS[1], ARGV[4]) else redis.call('PERSIST', KEYS[1]) end
redis.call('PUBLISH', ARGV[5], ARGV[3])
local leaseKey, expiries, holder, taskId = KEYS[2], KEYS[3], ARGV[6], ARGV[7]
${LUA_RELEASE_LEASE}
return 1`;

function parseRecord(text: unknown): TaskRecord | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isPlainObject(value) && typeof value.taskId === 'string' && typeof value.version === 'number' ? (value as unknown as TaskRecord) : undefined;
  } catch {
    return undefined;
  }
}

export class RedisTaskStore implements TaskStore {
  private readonly channel: RedisChannel<TaskRecord>;
  /** Leases kept on the same connection (RedisTaskLeases) are written by createHeld / compareAndSetReleasing. */
  readonly leaseHost: object;

  constructor(private readonly redis: RedisConnection) {
    this.leaseHost = redis;
    // Each watcher gets its own copy: records are plain data the runner may change.
    this.channel = new RedisChannel(redis, `${redis.keyPrefix}tasks`, parseRecord, (record) => structuredClone(record));
  }

  private key(taskId: string): string {
    return `${this.redis.keyPrefix}task:${taskId}`;
  }

  async create(record: TaskRecord): Promise<void> {
    const stored = JSON.stringify({ ...record, version: 1 });
    const created = await this.redis.runScript('creating a task', CREATE, [this.key(record.taskId)], [stored, String(purgeAt(record) ?? ''), this.channel.name]);
    if (Number(created) !== 1) throw new Error(`task ${record.taskId} already exists`);
  }

  async createHeld(record: TaskRecord, lease: { holder: string; leaseMs: number }): Promise<void> {
    const stored = JSON.stringify({ ...record, version: 1 });
    const keys = redisLeaseKeys(this.redis.keyPrefix, record.taskId);
    const created = await this.redis.runScript('creating a task', CREATE_HELD, [this.key(record.taskId), keys.lease, keys.expiries], [stored, String(purgeAt(record) ?? ''), this.channel.name, lease.holder, String(Math.max(1, Math.round(lease.leaseMs))), record.taskId]);
    if (Number(created) !== 1) throw new Error(`task ${record.taskId} already exists`);
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    return parseRecord(await this.redis.run('reading a task', ['HGET', this.key(taskId), 'r']));
  }

  async compareAndSet(taskId: string, expectedVersion: number, next: TaskRecord): Promise<boolean> {
    if (next.version !== expectedVersion + 1) return false;
    const reply = await this.redis.runScript('updating a task', COMPARE_AND_SET, [this.key(taskId)], [String(expectedVersion), String(next.version), JSON.stringify(next), String(purgeAt(next) ?? ''), this.channel.name]);
    return Number(reply) === 1;
  }

  async compareAndSetReleasing(taskId: string, expectedVersion: number, next: TaskRecord, holder: string): Promise<boolean> {
    if (next.version !== expectedVersion + 1) return false;
    const keys = redisLeaseKeys(this.redis.keyPrefix, taskId);
    const reply = await this.redis.runScript('settling a task', COMPARE_AND_SET_RELEASING, [this.key(taskId), keys.lease, keys.expiries], [String(expectedVersion), String(next.version), JSON.stringify(next), String(purgeAt(next) ?? ''), this.channel.name, holder, taskId]);
    return Number(reply) === 1;
  }

  async watch(listener: (record: TaskRecord) => void): Promise<() => void> {
    return this.channel.listen(listener, 'watching tasks');
  }

  async close(): Promise<void> {
    this.channel.clear();
  }
}
