import type { InputRequest, JsonObject, JsonValue } from '../wire.ts';

/**
 * Task state behind an interface (extensions/tasks.md, ../shared/spec/extensions/tasks.md).
 *
 * A record is plain JSON: nothing in it refers to this process, so any backend (memory, Redis, SQL)
 * can hold it and any replica can answer `tasks/get|update|cancel` for it. What only the running
 * replica has (the handler's AbortController, the promise parked on an ask) lives in a process-local
 * registry (runner.ts) and learns about changes made elsewhere through {@link TaskStore.watch}.
 */

export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

export const TERMINAL_STATUSES: readonly TaskStatus[] = ['completed', 'failed', 'cancelled'];

export const isTerminal = (status: TaskStatus): boolean => TERMINAL_STATUSES.includes(status);

/**
 * Transitions the spec's state diagram allows (extensions/tasks.md "Task Status"): working ⇄
 * input_required, either → a terminal status; terminal statuses never change. A same-status write
 * (a new statusMessage, another parked ask) is allowed while not terminal.
 */
export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  return !isTerminal(from) && (to === 'working' || to === 'input_required' || isTerminal(to));
}

/** The request the task runs, kept so another replica can run it again (at-least-once retry). */
export interface TaskRequest {
  method: 'tools/call';
  /** Tool name. */
  name: string;
  arguments: JsonObject;
  /** The creating request's `_meta` (capabilities, client info), replayed to a retry. */
  meta: JsonObject;
}

export interface TaskRecord {
  taskId: string;
  /**
   * Who may see the task: the authenticated principal that created it, or null when the server
   * has no authentication (the unguessable id is then the only credential; tasks.md "Security").
   */
  owner: string | null;
  status: TaskStatus;
  statusMessage?: string;
  /** ISO 8601. */
  createdAt: string;
  lastUpdatedAt: string;
  /** Lifetime from createdAt; null = unlimited. Backends expire the record after it (plus their own grace). */
  ttlMs: number | null;
  pollIntervalMs?: number;
  request: TaskRequest;
  /** Outstanding asks (status input_required), keyed as on the wire. */
  inputRequests: Record<string, InputRequest>;
  /** Every key ever issued: keys are unique over a task's lifetime (tasks.md "Task Update Requests"). */
  issuedKeys: string[];
  /** Answers delivered so far (MRTR rounds before the task, then tasks/update), by key. */
  answers: Record<string, JsonValue>;
  /** The handler's `ctx.state` as last saved (at creation, each ask, each status), so a retry starts from it. */
  state: Record<string, JsonValue>;
  /**
   * Which run of the handler owns the task: 1, then +1 each time another replica takes it over
   * after the one running it stopped (absent: 1). Only the owning attempt may write its outcome.
   */
  attempt?: number;
  /** Terminal payloads: the original method's result (completed) or the JSON-RPC error (failed). */
  result?: JsonObject;
  error?: JsonObject;
  /** Incremented by every write; the compare-and-set token. */
  version: number;
}

/**
 * Async storage of task records. Implementations MUST make `create` durable before resolving (a
 * `get` on any replica then finds it: tasks.md "Task Creation") and `compareAndSet` atomic, so that
 * of two writers that read the same version exactly one wins (a cancel racing a completion).
 */
export interface TaskStore {
  /** Stores a new record (version 1). Rejects if the id exists. */
  create(record: TaskRecord): Promise<void>;
  /** The record, or undefined when unknown or purged. Expiry by ttlMs is judged by the caller. */
  get(taskId: string): Promise<TaskRecord | undefined>;
  /**
   * Replaces the record iff its stored version equals `expectedVersion`; `next.version` must be
   * `expectedVersion + 1`. Resolves false when another writer got there first (re-read and retry)
   * or the record is gone. On success every watcher, on every replica, sees `next`.
   */
  compareAndSet(taskId: string, expectedVersion: number, next: TaskRecord): Promise<boolean>;
  /**
   * Every successful create/compareAndSet, on any replica sharing the store (a Redis store would
   * PUBLISH the record). Used to fire a running handler's AbortSignal when another replica
   * cancels its task, to resume a parked ask answered elsewhere, and for `notifications/tasks`.
   * May resolve asynchronously once the subscription is live.
   */
  watch(listener: (record: TaskRecord) => void): (() => void) | Promise<() => void>;
  close?(): Promise<void>;
  /**
   * Optional, for a store that also holds the leases (the same `leaseHost` as the TaskLeases in
   * use, e.g. both in one Redis): {@link create} plus taking `holder`'s lease, atomically — one
   * round trip where create and acquire would take two.
   */
  readonly leaseHost?: object;
  createHeld?(record: TaskRecord, lease: { holder: string; leaseMs: number }): Promise<void>;
  /** {@link compareAndSet} that, when it lands, also gives up `holder`'s lease in the same atomic step. */
  compareAndSetReleasing?(taskId: string, expectedVersion: number, next: TaskRecord, holder: string): Promise<boolean>;
}

/** Extra time a finished record is kept after its ttlMs, so a late poll reads "expired", not "not found". */
export const EXPIRED_GRACE_MS = 60_000;

/** When the record may be dropped by the backend (undefined: never). */
export function purgeAt(record: TaskRecord): number | undefined {
  return record.ttlMs === null ? undefined : Date.parse(record.createdAt) + record.ttlMs + EXPIRED_GRACE_MS;
}

export function isExpired(record: TaskRecord, now = Date.now()): boolean {
  return record.ttlMs !== null && now > Date.parse(record.createdAt) + record.ttlMs;
}

export interface UpdateOptions {
  /** The record as the caller last saw it (maybe stale): tried before reading the store. */
  known?: TaskRecord;
  /** The compare-and-set to use (default store.compareAndSet), e.g. one that also releases a lease. */
  write?: (expectedVersion: number, next: TaskRecord) => Promise<boolean>;
}

/**
 * Read-modify-write with compare-and-set, retried on contention. `change` returns the new fields
 * or undefined to leave the record alone (e.g. the task is already terminal): the loop resolves
 * the record it last saw and `applied: false`.
 */
export async function updateTask(
  store: TaskStore,
  taskId: string,
  change: (current: TaskRecord) => Partial<Omit<TaskRecord, 'taskId' | 'version' | 'createdAt' | 'owner'>> | undefined,
  attempts = 32,
  options: UpdateOptions = {},
): Promise<{ record: TaskRecord | undefined; applied: boolean }> {
  const write = options.write ?? ((expected: number, next: TaskRecord) => store.compareAndSet(taskId, expected, next));
  let known = options.known;
  for (let i = 0; i < attempts; i += 1) {
    // A record the caller already has is tried first: if it is stale the compare-and-set fails
    // and the loop reads the stored one, so it saves a read without weakening the check.
    const current = known ?? (await store.get(taskId));
    known = undefined;
    if (!current) return { record: undefined, applied: false };
    const patch = change(current);
    if (!patch) {
      if (current !== options.known) return { record: current, applied: false };
      continue; // decided on the caller's copy: confirm on the stored record
    }
    if (patch.status && !canTransition(current.status, patch.status)) {
      if (current !== options.known) return { record: current, applied: false };
      continue;
    }
    const next: TaskRecord = { ...current, ...patch, lastUpdatedAt: new Date().toISOString(), version: current.version + 1 };
    if (await write(current.version, next)) return { record: next, applied: true };
  }
  throw new Error(`task ${taskId}: too much contention updating its record`);
}

/** The default backend: one process, nothing to install. Records are cloned in and out. */
export class InMemoryTaskStore implements TaskStore {
  private readonly records = new Map<string, TaskRecord>();
  private readonly listeners = new Set<(record: TaskRecord) => void>();
  private sweeper: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly sweepEveryMs = 30_000) {}

  async create(record: TaskRecord): Promise<void> {
    if (this.records.has(record.taskId)) throw new Error(`task ${record.taskId} already exists`);
    const stored = structuredClone({ ...record, version: 1 });
    this.records.set(record.taskId, stored);
    this.startSweeping();
    this.emit(stored);
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    const record = this.records.get(taskId);
    if (!record) return undefined;
    const dropAt = purgeAt(record);
    if (dropAt !== undefined && Date.now() > dropAt) {
      this.records.delete(taskId);
      return undefined;
    }
    return structuredClone(record);
  }

  async compareAndSet(taskId: string, expectedVersion: number, next: TaskRecord): Promise<boolean> {
    const current = this.records.get(taskId);
    // Check and write happen in one synchronous step: nothing can interleave in one process.
    if (!current || current.version !== expectedVersion || next.version !== expectedVersion + 1) return false;
    const stored = structuredClone(next);
    this.records.set(taskId, stored);
    this.emit(stored);
    return true;
  }

  watch(listener: (record: TaskRecord) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.listeners.clear();
  }

  get size(): number {
    return this.records.size;
  }

  private emit(record: TaskRecord): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(structuredClone(record));
      } catch {
        // One broken watcher must not stop the others.
      }
    }
  }

  /** Drops records past their TTL (plus grace) so a long-lived process does not grow without bound. */
  private startSweeping(): void {
    if (this.sweeper || this.sweepEveryMs <= 0) return;
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const [id, record] of this.records) {
        const dropAt = purgeAt(record);
        if (dropAt !== undefined && now > dropAt) this.records.delete(id);
      }
    }, this.sweepEveryMs);
    this.sweeper.unref?.();
  }
}
