import { randomBytes } from 'node:crypto';
import { internalError, invalidParams, McpError, missingClientCapability } from '../errors.ts';
import { isPlainObject } from '../json.ts';
import type { RuntimeLogger } from '../log.ts';
import { InputRequiredSignal, isInputRequiredSignal } from '../mrtr.ts';
import type { ServerEvent } from '../subscriptions.ts';
import type { ClientCapabilities, InputRequest, JsonObject, JsonValue } from '../wire.ts';
import { answerMismatch } from './answers.ts';
import { TaskLeaseKeeper, type TaskLeases } from './lease.ts';
import { InMemoryTaskStore, isExpired, isTerminal, updateTask, type TaskRecord, type TaskRequest, type TaskStore } from './store.ts';
import { createTaskResult, declaresTasks, detailedTask, newTaskId, TASKS_CAPABILITY, TASKS_EXTENSION } from './task-wire.ts';

/** How a tool may run as a task (manifest `task:`); absent or 'forbidden' never makes one. */
export type TaskMode = 'forbidden' | 'optional' | 'required';

export interface ToolTaskOptions {
  mode: TaskMode;
  /** Overrides the server's default task lifetime; null = unlimited. */
  ttlMs?: number | null;
  pollIntervalMs?: number;
  /**
   * Whether another replica may run the call again when the replica running it stops before it
   * settles (at-least-once; the handler sees `ctx.task.isRetry`). false: the task fails with a
   * clear error instead, for tools whose side effects must not happen twice. Default true.
   */
  retry?: boolean;
}

export interface TaskOptions {
  /** Where task records live; in-memory (one process) by default. */
  store?: TaskStore;
  /** Default lifetime of a task from its creation (tasks.md `ttlMs`); null = unlimited. Default 1 hour. */
  ttlMs?: number | null;
  /** Suggested polling interval sent to clients. Default 1000 ms. */
  pollIntervalMs?: number;
  /**
   * A task-capable call that has neither finished, asked for input nor called `ctx.task.start()`
   * within this many ms becomes a task. Default 0: at the first turn of the event loop, so a
   * handler that answers at once (or asks first) still gets the plain result (or MRTR).
   */
  startAfterMs?: number;
  /**
   * Leases on running tasks, shared by every replica (the Redis backend sets them): the replica
   * running a task renews its lease; when it stops, another one takes the task over (re-runs it,
   * or fails it when its tool says `retry: false`). Absent: one process, no leases.
   */
  leases?: TaskLeases;
  /** How long a lease lasts without renewal: the longest a dead replica's task waits to be taken over. Default 10 s. */
  leaseMs?: number;
}

export const DEFAULT_TASK_TTL_MS = 60 * 60 * 1000;
export const DEFAULT_TASK_POLL_INTERVAL_MS = 1000;

/** What a handler sees as `ctx.task`. */
export interface TaskControl {
  /** The task id once this call runs as a task; undefined before (or when it never will). */
  readonly id: string | undefined;
  /** Whether this call may become a task (tool allows it and the client declared the extension). */
  readonly possible: boolean;
  /**
   * Turns the call into a task now: the client receives CreateTaskResult, the handler keeps
   * running, and asks made from here on park the task in `input_required` until `tasks/update`
   * answers them. Asks made before are multi round-trip (InputRequiredResult). A no-op when the
   * call cannot be a task.
   */
  start(message?: string): Promise<void>;
  /**
   * Sets the task's `statusMessage` (progress for humans, e.g. "3 of 10 files"). It also saves
   * `ctx.state` in the task, so a retry starts from the last status (a checkpoint).
   */
  status(message: string): Promise<void>;
  /**
   * 1 for the first run. 2 or more when the replica running the task stopped (crash, kill, lost
   * its lease) and another replica runs the handler again with the same arguments, the answers
   * collected so far and the `ctx.state` saved at the last ask or status.
   */
  readonly attempt: number;
  /**
   * `attempt > 1`: an earlier run may have done part of the work (at-least-once), so check before
   * repeating a side effect. Tools that must never run twice declare `retry: false`.
   */
  readonly isRetry: boolean;
}

export const NO_TASK: TaskControl = { id: undefined, possible: false, attempt: 1, isRetry: false, start: async () => undefined, status: async () => undefined };

/** What a handler's context is built on: its signal, its task control, and where a missing answer goes. */
export interface TaskExecuteHooks {
  signal: AbortSignal;
  task: TaskControl;
  onMissingInput: (signal: InputRequiredSignal) => Promise<void>;
}

/** How to run a stored task's request again on this replica (built by the server from the record). */
export interface TaskRetryPlan {
  /** Supplies answers delivered by tasks/update to the retry's input session. */
  supply: (answers: Record<string, unknown>) => void;
  /** The retry's ctx.state, saved with each ask and status. */
  state: () => Record<string, JsonValue>;
  /** Runs the handler again; resolves the CallToolResult. */
  execute: (hooks: TaskExecuteHooks) => Promise<JsonObject>;
}

/** A plan to run the task again, or undefined when it must not (unknown tool, `retry: false`). */
export type TaskRetrier = (record: TaskRecord) => TaskRetryPlan | undefined;

/** What the dispatcher hands over for one task-capable tools/call. */
export interface TaskCallInput {
  toolName: string;
  args: JsonObject;
  meta: JsonObject;
  owner: string | null;
  task: ToolTaskOptions;
  /** The request's signal (deadline, client gone): it stops the handler only until the task exists. */
  requestSignal: AbortSignal;
  /** Answers already used (MRTR rounds) and ctx.state, copied into the record. */
  consumed: () => Record<string, JsonValue>;
  state: () => Record<string, JsonValue>;
  /** Supplies answers delivered by tasks/update to the handler's input session. */
  supply: (answers: Record<string, unknown>) => void;
  /** Runs the handler with a context built on these hooks; resolves the CallToolResult. */
  execute: (hooks: TaskExecuteHooks) => Promise<JsonObject>;
}

/** Process-local view of a task this process runs: what cannot live in a store. */
interface LocalTask {
  aborter: AbortController;
  waiters: Set<(record: TaskRecord) => void>;
  /** The record's attempt this run is: writes of an older attempt (a replica that was taken over) are refused. */
  attempt: number;
  /** Another replica took the task over (this one stalled past its lease): settle nothing. */
  superseded: boolean;
  /** Whether another replica may run it again (on shutdown it is handed over, not failed). */
  retryable: boolean;
  /** The handler's ctx.state, saved with asks and statuses. */
  state: () => Record<string, JsonValue>;
  /** The newest version of the record seen here (own writes, the watch feed): spares a read before a write. */
  latest?: TaskRecord;
  ttlTimer?: ReturnType<typeof setTimeout>;
}

const notFound = () => invalidParams('Failed to retrieve task: Task not found');
const expired = () => invalidParams('Failed to retrieve task: Task has expired');
const cancelledError = () => new DOMException('Task cancelled', 'AbortError');
const takenOverError = () => new DOMException('Task taken over by another replica', 'AbortError');
const attemptOf = (record: TaskRecord): number => record.attempt ?? 1;

/**
 * The server side of the Tasks extension (extensions/tasks.md): task creation from tools/call,
 * `tasks/get|update|cancel`, and the feed behind `notifications/tasks`.
 */
export class TaskRuntime {
  readonly store: TaskStore;
  private readonly ttlMs: number | null;
  private readonly pollIntervalMs: number;
  private readonly startAfterMs: number;
  private readonly local = new Map<string, LocalTask>();
  private watching: Promise<() => void> | undefined;
  private closed = false;
  /** Present when tasks are shared by replicas (leases given): renews ours, takes over lapsed ones. */
  private readonly keeper: TaskLeaseKeeper | undefined;
  /** This replica's lease holder id. */
  private readonly holder = `${process.pid}-${randomBytes(6).toString('hex')}`;
  /**
   * The store keeps the leases too (one Redis): the lease is taken by the create and given up by
   * the terminal write, each one atomic script, instead of a round trip of its own each.
   */
  private readonly leasesInStore: boolean;

  /**
   * `retrier` builds a re-run of a stored task; with `options.leases` it is how this replica
   * takes over the tasks of a replica that stopped.
   */
  constructor(options: TaskOptions, private readonly logger: RuntimeLogger, private readonly retrier?: TaskRetrier) {
    this.store = options.store ?? new InMemoryTaskStore();
    this.ttlMs = options.ttlMs === undefined ? DEFAULT_TASK_TTL_MS : options.ttlMs;
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_TASK_POLL_INTERVAL_MS;
    this.startAfterMs = Math.max(0, options.startAfterMs ?? 0);
    const host = options.leases?.leaseHost;
    this.leasesInStore = host !== undefined && this.store.leaseHost === host && !!this.store.createHeld && !!this.store.compareAndSetReleasing;
    if (options.leases) {
      this.keeper = new TaskLeaseKeeper({
        store: this.store,
        leases: options.leases,
        holder: this.holder,
        leaseMs: options.leaseMs,
        logger,
        takeOver: (record) => this.takeOver(record),
        lost: (taskId) => this.supersede(taskId),
      });
      // Every replica sweeps from the start: one that never ran a task still takes over others'.
      this.keeper.start();
    }
  }

  /** The lease length in use, or undefined without leases (one process). */
  get leaseMs(): number | undefined {
    return this.keeper?.leaseMs;
  }

  /** One sweep for lapsed leases now (tests; the keeper also sweeps every leaseMs/2). */
  async sweepLapsed(): Promise<{ retried: string[]; failed: string[] }> {
    return this.keeper ? this.keeper.sweep() : { retried: [], failed: [] };
  }

  /** -32021 naming the extension, for requests that need it and did not declare it. */
  requireDeclared(capabilities: ClientCapabilities, what: string): void {
    if (!declaresTasks(capabilities)) throw missingClientCapability(TASKS_CAPABILITY, `${what} requires the ${TASKS_EXTENSION} extension in this request's client capabilities`);
  }

  /**
   * One task-capable tools/call from a client that declared the extension. Resolves the plain
   * result when the handler finished before the task started (optional tools only), else the
   * CreateTaskResult once the record is durable. An InputRequiredSignal before the task exists
   * propagates: the dispatcher turns it into an InputRequiredResult (MRTR before the task).
   */
  async runToolCall(input: TaskCallInput): Promise<JsonObject> {
    await this.ensureWatching();
    const aborter = new AbortController();
    const followRequest = () => aborter.abort(input.requestSignal.reason);
    input.requestSignal.addEventListener('abort', followRequest, { once: true });
    if (input.requestSignal.aborted) followRequest();

    let record: TaskRecord | undefined;
    let materialised: Promise<TaskRecord> | undefined;
    let startMessage: string | undefined;
    let wantStart!: () => void;
    const startRequested = new Promise<'start'>((resolve) => (wantStart = () => resolve('start')));
    const materialise = (): Promise<TaskRecord> =>
      (materialised ??= (async () => {
        // From here the task outlives the request: the client leaving no longer stops the handler.
        input.requestSignal.removeEventListener('abort', followRequest);
        const created = this.newRecord(input, startMessage);
        const retryable = input.task.retry !== false;
        this.local.set(created.taskId, { aborter, waiters: new Set(), attempt: 1, superseded: false, retryable, state: input.state, latest: created });
        try {
          if (this.keeper && this.leasesInStore) {
            this.keeper.held(created.taskId);
            await this.store.createHeld!(created, { holder: this.holder, leaseMs: this.keeper.leaseMs });
          } else {
            // The lease first: a replica dying between the two leaves a lease without a record (the
            // sweep drops it), never a record nobody would take over.
            await this.keeper?.hold(created.taskId);
            await this.store.create(created);
          }
        } catch (error) {
          this.local.delete(created.taskId);
          if (this.keeper?.holds(created.taskId)) void this.keeper.release(created.taskId).catch(() => undefined);
          throw error;
        }
        this.armTtl(created);
        record = created;
        return created;
      })());

    const task: TaskControl = {
      get id() {
        return record?.taskId;
      },
      possible: true,
      attempt: 1,
      isRetry: false,
      start: async (message) => {
        if (message !== undefined) startMessage = message;
        wantStart();
        await materialise();
      },
      status: async (message) => {
        if (!materialised) {
          startMessage = message;
          return;
        }
        const current = await materialised;
        await this.setStatus(current.taskId, 1, message);
      },
    };
    const onMissingInput = async (signal: InputRequiredSignal): Promise<void> => {
      if (!materialised) throw signal; // before the task: multi round-trip on the original request
      const current = await materialised;
      input.supply(await this.park(current.taskId, signal.inputRequests));
    };

    const running = input.execute({ signal: aborter.signal, task, onMissingInput });
    running.catch(() => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The window's end decides synchronously (materialised is set at once), so an ask racing it
    // is either before the task (MRTR) or inside it (parks), never lost in between.
    const windowEnded = new Promise<'start'>(
      (resolve) =>
        (timer = setTimeout(() => {
          materialise().catch(() => undefined);
          resolve('start');
        }, this.startAfterMs)),
    );
    type First = { kind: 'done'; result: JsonObject } | { kind: 'error'; error: unknown } | { kind: 'start' };
    let first: First;
    try {
      first = await Promise.race<First>([
        running.then(
          (result) => ({ kind: 'done', result }),
          (error: unknown) => ({ kind: 'error', error }),
        ),
        startRequested.then(() => ({ kind: 'start' })),
        windowEnded.then(() => ({ kind: 'start' })),
      ]);
    } finally {
      clearTimeout(timer);
    }
    if (!materialised) {
      if (first.kind === 'error') {
        input.requestSignal.removeEventListener('abort', followRequest);
        throw first.error;
      }
      // The immediate-result shortcut (tasks.md "Polymorphic Results" leaves it to the server);
      // a `required` tool still reports through a task.
      if (first.kind === 'done' && input.task.mode !== 'required') {
        input.requestSignal.removeEventListener('abort', followRequest);
        return { resultType: 'complete', ...first.result };
      }
    }
    const created = await materialise();
    this.follow(created, 1, running);
    return createTaskResult(created);
  }

  /** tasks/get (tasks.md "Task Polling"): the DetailedTask, result or error inlined. */
  async get(params: JsonObject, owner: string | null): Promise<JsonObject> {
    const record = await this.visible(params, owner);
    return { resultType: 'complete', ...detailedTask(record) };
  }

  /**
   * tasks/update (tasks.md "Task Update Requests"): answers for outstanding keys are checked
   * against their asks (-32602 when one does not fit) and stored; other keys are ignored. When
   * none remain outstanding the task is `working` again and the parked handler resumes.
   */
  async update(params: JsonObject, owner: string | null): Promise<JsonObject> {
    const responses = params.inputResponses;
    if (!isPlainObject(responses)) throw invalidParams('Invalid params: tasks/update requires an inputResponses object');
    const record = await this.visible(params, owner);
    for (const [key, answer] of Object.entries(responses)) {
      const request = record.inputRequests[key];
      if (!request) continue;
      const why = answerMismatch(request, answer);
      if (why) throw invalidParams(`Invalid params: inputResponses["${key}"] ${why} for the ${request.method} it answers`);
    }
    await updateTask(this.store, record.taskId, (current) => {
      if (isTerminal(current.status)) return undefined;
      const accepted = Object.keys(responses).filter((key) => key in current.inputRequests);
      if (accepted.length === 0) return undefined;
      const inputRequests = { ...current.inputRequests };
      const answers = { ...current.answers };
      for (const key of accepted) {
        answers[key] = responses[key] as JsonValue;
        delete inputRequests[key];
      }
      const outstanding = Object.keys(inputRequests).length > 0;
      return { inputRequests, answers, status: outstanding ? 'input_required' : 'working' };
    });
    return { resultType: 'complete' };
  }

  /**
   * tasks/cancel (tasks.md "Task Cancellation"): a non-terminal task becomes `cancelled` by
   * compare-and-set, so a completion racing it either lands first (the cancel is then a no-op)
   * or not at all. The replica running the handler sees the change and fires its AbortSignal.
   * Terminal tasks get the same empty acknowledgement.
   */
  async cancel(params: JsonObject, owner: string | null): Promise<JsonObject> {
    const record = await this.visible(params, owner);
    await updateTask(this.store, record.taskId, (current) =>
      isTerminal(current.status) ? undefined : { status: 'cancelled', statusMessage: 'Cancelled by the client', inputRequests: {} },
    );
    return { resultType: 'complete' };
  }

  /** The subset of `taskIds` this caller may follow: known, not expired, its own. */
  async followable(taskIds: readonly string[], owner: string | null): Promise<string[]> {
    const kept: string[] = [];
    for (const taskId of taskIds) {
      const record = await this.store.get(taskId);
      if (record && this.mayAccess(record, owner) && !isExpired(record)) kept.push(taskId);
    }
    return kept;
  }

  /** Task changes as listen-stream events (`notifications/tasks`), from every replica sharing the store. */
  async subscribe(listener: (event: ServerEvent) => void): Promise<() => void> {
    return this.store.watch((record) => listener({ type: 'tasks/status', task: detailedTask(record) }));
  }

  /**
   * Shutdown: handlers still running are stopped. With leases (replicas), a retryable task is
   * handed over (its lease lapses at once and another replica runs it again); otherwise it fails
   * with a clear error.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.keeper?.close();
    for (const [taskId, task] of [...this.local]) {
      if (this.keeper && task.retryable) {
        task.superseded = true;
        await this.keeper.handOver(taskId).catch((error: unknown) => this.logger.error(`task ${taskId}: could not hand it over`, error));
      } else {
        await this.settle(taskId, task.attempt, { status: 'failed', statusMessage: 'Server shutting down', error: { code: -32603, message: 'Server shutting down' } }).catch(() => undefined);
        await this.keeper?.release(taskId).catch(() => undefined);
      }
      task.aborter.abort(new DOMException('Server shutting down', 'AbortError'));
      this.forget(taskId, task.attempt);
    }
    const unwatch = await this.watching;
    unwatch?.();
    this.watching = undefined;
  }

  // ---- internals -------------------------------------------------------------------------------

  private newRecord(input: TaskCallInput, statusMessage: string | undefined): TaskRecord {
    const now = new Date().toISOString();
    const ttlMs = input.task.ttlMs === undefined ? this.ttlMs : input.task.ttlMs;
    const request: TaskRequest = { method: 'tools/call', name: input.toolName, arguments: input.args, meta: input.meta };
    const answers = input.consumed();
    return {
      taskId: newTaskId(),
      owner: input.owner,
      status: 'working',
      ...(statusMessage !== undefined ? { statusMessage } : {}),
      createdAt: now,
      lastUpdatedAt: now,
      ttlMs,
      pollIntervalMs: input.task.pollIntervalMs ?? this.pollIntervalMs,
      request,
      inputRequests: {},
      issuedKeys: Object.keys(answers),
      answers,
      state: input.state(),
      attempt: 1,
      version: 1,
    };
  }

  /**
   * Settles the task when the handler does (by compare-and-set, for this attempt only), then lets
   * its local state and its lease go.
   */
  private follow(record: TaskRecord, attempt: number, running: Promise<JsonObject>): void {
    const { taskId } = record;
    let released = false;
    void running
      .then(
        (result) => this.settle(taskId, attempt, { status: 'completed', result: { resultType: 'complete', ...result } }, true),
        (error: unknown) => this.settle(taskId, attempt, this.failure(record, error), true),
      )
      .then((leaseGiven) => (released = leaseGiven === true))
      .finally(async () => {
        // A run that was taken over leaves the lease alone: it is the new holder's now. A lease
        // given up by the terminal write itself needs nothing more.
        if (!this.forget(taskId, attempt) || !this.keeper || released) return;
        await this.keeper.release(taskId).catch((error: unknown) => this.logger.error(`task ${taskId}: could not release its lease`, error));
      });
  }

  /** statusMessage, plus ctx.state as a checkpoint for a retry; only while this attempt owns the task. */
  private async setStatus(taskId: string, attempt: number, message: string): Promise<void> {
    const local = this.local.get(taskId);
    const { record } = await updateTask(this.store, taskId, (r) =>
      isTerminal(r.status) || attemptOf(r) !== attempt ? undefined : { statusMessage: message, ...(local?.attempt === attempt ? { state: local.state() } : {}) },
    );
    if (record) this.remember(record);
  }

  /**
   * The keeper holds the lease of a task whose replica stopped: run it again here (attempt + 1,
   * claimed by compare-and-set, so two replicas never both take one attempt over), or resolve
   * false for the keeper to fail it (tool unknown here or `retry: false`).
   */
  private async takeOver(record: TaskRecord): Promise<boolean> {
    const keeper = this.keeper!;
    const { taskId } = record;
    if (this.closed) {
      await keeper.handOver(taskId);
      return true;
    }
    const plan = this.retrier?.(record);
    if (!plan) return false;
    if (isExpired(record)) {
      const message = `Task exceeded its ttlMs (${record.ttlMs} ms)`;
      await updateTask(this.store, taskId, (current) => (isTerminal(current.status) ? undefined : { status: 'failed', statusMessage: 'Task exceeded its ttlMs', inputRequests: {}, error: { code: -32603, message } }));
      await keeper.release(taskId);
      return true;
    }
    await this.ensureWatching();
    const { record: claimed, applied } = await updateTask(this.store, taskId, (current) =>
      isTerminal(current.status) || attemptOf(current) !== attemptOf(record) ? undefined : { attempt: attemptOf(current) + 1 },
    );
    if (!applied || !claimed) {
      await keeper.release(taskId);
      return true;
    }
    const attempt = attemptOf(claimed);
    const aborter = new AbortController();
    this.local.set(taskId, { aborter, waiters: new Set(), attempt, superseded: false, retryable: true, state: plan.state, latest: claimed });
    this.armTtl(claimed);
    this.logger.warn(`task ${taskId} (tool ${claimed.request.name}): running it again here, attempt ${attempt}`);
    const task: TaskControl = {
      id: taskId,
      possible: true,
      attempt,
      isRetry: true,
      start: async () => undefined, // already a task
      status: (message) => this.setStatus(taskId, attempt, message),
    };
    const onMissingInput = async (signal: InputRequiredSignal): Promise<void> => plan.supply(await this.park(taskId, signal.inputRequests));
    let running: Promise<JsonObject>;
    try {
      running = plan.execute({ signal: aborter.signal, task, onMissingInput });
    } catch (error) {
      running = Promise.reject(error);
    }
    this.follow(claimed, attempt, running);
    return true;
  }

  /** This replica lost the task to another (it stalled past its lease): stop the handler, write nothing more. */
  private supersede(taskId: string): void {
    const local = this.local.get(taskId);
    if (!local) return;
    local.superseded = true;
    if (!local.aborter.signal.aborted) local.aborter.abort(takenOverError());
  }

  private mayAccess(record: TaskRecord, owner: string | null): boolean {
    // Bound to the authenticated principal that created it; without authentication the
    // unguessable id is the credential (tasks.md "Security Considerations").
    return record.owner === null || record.owner === owner;
  }

  /** The record named by params.taskId, if this caller may see it; a foreign task is "not found". */
  private async visible(params: JsonObject, owner: string | null): Promise<TaskRecord> {
    const taskId = params.taskId;
    if (typeof taskId !== 'string' || taskId.length === 0) throw invalidParams('Invalid params: taskId must be a non-empty string');
    const record = await this.store.get(taskId);
    if (!record || !this.mayAccess(record, owner)) throw notFound();
    if (isExpired(record)) throw expired();
    return record;
  }

  /** Waits for answers to `requests`, parking the task in input_required meanwhile. */
  private async park(taskId: string, requests: Record<string, InputRequest>): Promise<Record<string, unknown>> {
    const local = this.local.get(taskId);
    if (!local) throw internalError('task is not running here');
    const keys = Object.keys(requests);
    const { attempt, aborter } = local;
    let waiter!: (record: TaskRecord) => void;
    let stopped!: () => void;
    const answered = new Promise<Record<string, unknown>>((resolve, reject) => {
      waiter = (record) => {
        if (isTerminal(record.status)) return reject(cancelledError());
        if (attemptOf(record) !== attempt) return reject(takenOverError());
        if (keys.every((key) => key in record.answers)) resolve(Object.fromEntries(keys.map((key) => [key, record.answers[key]])));
      };
      // Cancelled, past its ttl, taken over, shutting down: the parked handler stops waiting.
      stopped = () => reject(aborter.signal.reason);
    });
    aborter.signal.addEventListener('abort', stopped, { once: true });
    if (aborter.signal.aborted) stopped();
    // Registered before the write, so an answer arriving between the two is not missed.
    local.waiters.add(waiter);
    // Insurance against a watch feed that drops messages (a networked bus): look now and then.
    const poll = setInterval(() => void this.store.get(taskId).then((r) => r && waiter(r), () => undefined), Math.max(this.pollIntervalMs, 1000));
    poll.unref?.();
    try {
      const { record } = await updateTask(this.store, taskId, (current) => {
        if (isTerminal(current.status) || attemptOf(current) !== attempt || keys.every((key) => key in current.answers)) return undefined;
        // Keys are unique over the task's lifetime: an answered key is never asked again.
        const fresh = keys.filter((key) => !(key in current.answers) && !(key in current.inputRequests));
        return {
          status: 'input_required',
          inputRequests: { ...current.inputRequests, ...Object.fromEntries(fresh.map((key) => [key, requests[key]!])) },
          issuedKeys: [...new Set([...current.issuedKeys, ...fresh])],
          // Saved with the ask: a retry after a crash starts from here.
          state: local.state(),
        };
      });
      if (record) {
        this.remember(record);
        waiter(record);
      } else throw cancelledError();
      return await answered;
    } finally {
      clearInterval(poll);
      aborter.signal.removeEventListener('abort', stopped);
      local.waiters.delete(waiter);
    }
  }

  private failure(record: TaskRecord, error: unknown): Partial<TaskRecord> {
    if (isInputRequiredSignal(error)) error = internalError('the handler asked for input outside the task');
    if (!(error instanceof McpError)) {
      if (!(error instanceof DOMException && error.name === 'AbortError')) this.logger.error(`task ${record.taskId} (tool ${record.request.name}) failed`, error);
      error = internalError();
    }
    const e = error as McpError;
    return {
      status: 'failed',
      statusMessage: `Tool execution failed: ${e.message}`,
      error: { code: e.code, message: e.message, ...(e.data !== undefined ? { data: e.data } : {}) },
    };
  }

  /**
   * Terminal write by compare-and-set, from the attempt running here only: loses silently to an
   * earlier terminal status (e.g. cancelled) and to a newer attempt (another replica took the
   * task over); a run that was handed over or superseded writes nothing.
   */
  private async settle(taskId: string, attempt: number, patch: Partial<TaskRecord>, releaseLease = false): Promise<boolean> {
    const local = this.local.get(taskId);
    if (!local || local.attempt !== attempt || local.superseded) return false;
    // With the leases in the store, the terminal write gives the lease up in the same step.
    const fold = releaseLease && this.leasesInStore && this.keeper?.holds(taskId) === true;
    if (fold) this.keeper!.releasing(taskId);
    try {
      const { record, applied } = await updateTask(
        this.store,
        taskId,
        (current) => (isTerminal(current.status) || attemptOf(current) !== attempt ? undefined : { ...patch, inputRequests: {} }),
        undefined,
        {
          known: local.latest,
          ...(fold ? { write: (expected: number, next: TaskRecord) => this.store.compareAndSetReleasing!(taskId, expected, next, this.holder) } : {}),
        },
      );
      if (record) this.remember(record);
      return fold && applied;
    } catch (error) {
      this.logger.error(`task ${taskId}: could not store its outcome`, error);
      return false;
    }
  }

  /** Keeps the newest record seen for a task running here. */
  private remember(record: TaskRecord): void {
    const local = this.local.get(record.taskId);
    if (local && (!local.latest || local.latest.version < record.version)) local.latest = record;
  }

  /**
   * Past its ttlMs a task still running fails (tasks.md: servers MAY mark it failed after the TTL).
   * Counted from the task's creation, so a retry gets only what is left.
   */
  private armTtl(record: TaskRecord): void {
    const local = this.local.get(record.taskId);
    if (!local || record.ttlMs === null) return;
    const left = Math.max(0, Date.parse(record.createdAt) + record.ttlMs - Date.now());
    local.ttlTimer = setTimeout(() => {
      void this.settle(record.taskId, local.attempt, { status: 'failed', statusMessage: 'Task exceeded its ttlMs', error: { code: -32603, message: `Task exceeded its ttlMs (${record.ttlMs} ms)` } });
      local.aborter.abort(new DOMException('Task exceeded its ttlMs', 'TimeoutError'));
    }, left);
    local.ttlTimer.unref?.();
  }

  /** Drops the local state of this attempt; false when it is not (or no longer) the one running here. */
  private forget(taskId: string, attempt: number): boolean {
    const local = this.local.get(taskId);
    if (!local || local.attempt !== attempt) return false;
    if (local.ttlTimer) clearTimeout(local.ttlTimer);
    this.local.delete(taskId);
    return !local.superseded;
  }

  /** One store subscription per process: fans changes out to the local tasks they concern. */
  private async ensureWatching(): Promise<void> {
    if (this.closed) throw internalError('Server shutting down');
    this.watching ??= Promise.resolve(
      this.store.watch((record) => {
        const local = this.local.get(record.taskId);
        if (!local) return;
        this.remember(record);
        for (const waiter of [...local.waiters]) waiter(record);
        if (local.aborter.signal.aborted) return;
        // Cancelled (or settled) elsewhere: the handler's AbortSignal fires here.
        if (record.status === 'cancelled' || record.status === 'failed') local.aborter.abort(cancelledError());
        // A newer attempt runs elsewhere (this replica stalled past its lease): stop this one.
        else if (attemptOf(record) > local.attempt) this.supersede(record.taskId);
      }),
    );
    await this.watching;
  }
}
