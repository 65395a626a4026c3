import { isPlainObject } from '../json.ts';
import { RedisChannel } from '../state/redis-channel.ts';
import type { RedisConnection } from '../state/redis-connection.ts';
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

  constructor(private readonly redis: RedisConnection) {
    // Each watcher gets its own copy: records are plain data the runner may change.
    this.channel = new RedisChannel(redis, `${redis.keyPrefix}tasks`, parseRecord, (record) => structuredClone(record));
  }

  private key(taskId: string): string {
    return `${this.redis.keyPrefix}task:${taskId}`;
  }

  async create(record: TaskRecord): Promise<void> {
    const stored = JSON.stringify({ ...record, version: 1 });
    const created = await this.redis.run('creating a task', ['EVAL', CREATE, '1', this.key(record.taskId), stored, String(purgeAt(record) ?? ''), this.channel.name]);
    if (Number(created) !== 1) throw new Error(`task ${record.taskId} already exists`);
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    return parseRecord(await this.redis.run('reading a task', ['HGET', this.key(taskId), 'r']));
  }

  async compareAndSet(taskId: string, expectedVersion: number, next: TaskRecord): Promise<boolean> {
    if (next.version !== expectedVersion + 1) return false;
    const reply = await this.redis.run('updating a task', [
      'EVAL',
      COMPARE_AND_SET,
      '1',
      this.key(taskId),
      String(expectedVersion),
      String(next.version),
      JSON.stringify(next),
      String(purgeAt(next) ?? ''),
      this.channel.name,
    ]);
    return Number(reply) === 1;
  }

  async watch(listener: (record: TaskRecord) => void): Promise<() => void> {
    return this.channel.listen(listener, 'watching tasks');
  }

  async close(): Promise<void> {
    this.channel.clear();
  }
}
