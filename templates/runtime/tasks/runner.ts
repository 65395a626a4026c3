import { internalError, invalidParams, McpError, missingClientCapability } from '../errors.ts';
import { isPlainObject } from '../json.ts';
import type { RuntimeLogger } from '../log.ts';
import { InputRequiredSignal, isInputRequiredSignal } from '../mrtr.ts';
import type { ServerEvent } from '../subscriptions.ts';
import type { ClientCapabilities, InputRequest, JsonObject, JsonValue } from '../wire.ts';
import { answerMismatch } from './answers.ts';
import { InMemoryTaskStore, isExpired, isTerminal, updateTask, type TaskRecord, type TaskRequest, type TaskStore } from './store.ts';
import { createTaskResult, declaresTasks, detailedTask, newTaskId, TASKS_CAPABILITY, TASKS_EXTENSION } from './task-wire.ts';

/** How a tool may run as a task (manifest `task:`); absent or 'forbidden' never makes one. */
export type TaskMode = 'forbidden' | 'optional' | 'required';

export interface ToolTaskOptions {
  mode: TaskMode;
  /** Overrides the server's default task lifetime; null = unlimited. */
  ttlMs?: number | null;
  pollIntervalMs?: number;
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
  /** Sets the task's `statusMessage` (progress for humans, e.g. "3 of 10 files"). */
  status(message: string): Promise<void>;
}

export const NO_TASK: TaskControl = { id: undefined, possible: false, start: async () => undefined, status: async () => undefined };

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
  execute: (hooks: { signal: AbortSignal; task: TaskControl; onMissingInput: (signal: InputRequiredSignal) => Promise<void> }) => Promise<JsonObject>;
}

/** Process-local view of a task this process runs: what cannot live in a store. */
interface LocalTask {
  aborter: AbortController;
  waiters: Set<(record: TaskRecord) => void>;
  ttlTimer?: ReturnType<typeof setTimeout>;
}

const notFound = () => invalidParams('Failed to retrieve task: Task not found');
const expired = () => invalidParams('Failed to retrieve task: Task has expired');
const cancelledError = () => new DOMException('Task cancelled', 'AbortError');

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

  constructor(options: TaskOptions, private readonly logger: RuntimeLogger) {
    this.store = options.store ?? new InMemoryTaskStore();
    this.ttlMs = options.ttlMs === undefined ? DEFAULT_TASK_TTL_MS : options.ttlMs;
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_TASK_POLL_INTERVAL_MS;
    this.startAfterMs = Math.max(0, options.startAfterMs ?? 0);
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
        this.local.set(created.taskId, { aborter, waiters: new Set() });
        try {
          await this.store.create(created);
        } catch (error) {
          this.local.delete(created.taskId);
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
        await updateTask(this.store, current.taskId, (r) => (isTerminal(r.status) ? undefined : { statusMessage: message }));
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
    void running.then(
      (result) => this.settle(created.taskId, { status: 'completed', result: { resultType: 'complete', ...result } }),
      (error: unknown) => this.settle(created.taskId, this.failure(created, error)),
    ).finally(() => this.forget(created.taskId));
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

  /** Shutdown: handlers still running are stopped and their tasks fail with a clear error. */
  async close(): Promise<void> {
    this.closed = true;
    for (const [taskId, task] of [...this.local]) {
      await this.settle(taskId, { status: 'failed', statusMessage: 'Server shutting down', error: { code: -32603, message: 'Server shutting down' } }).catch(() => undefined);
      task.aborter.abort(new DOMException('Server shutting down', 'AbortError'));
      this.forget(taskId);
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
      version: 1,
    };
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
    let waiter!: (record: TaskRecord) => void;
    const answered = new Promise<Record<string, unknown>>((resolve, reject) => {
      waiter = (record) => {
        if (isTerminal(record.status)) return reject(cancelledError());
        if (keys.every((key) => key in record.answers)) resolve(Object.fromEntries(keys.map((key) => [key, record.answers[key]])));
      };
    });
    // Registered before the write, so an answer arriving between the two is not missed.
    local.waiters.add(waiter);
    // Insurance against a watch feed that drops messages (a networked bus): look now and then.
    const poll = setInterval(() => void this.store.get(taskId).then((r) => r && waiter(r), () => undefined), Math.max(this.pollIntervalMs, 1000));
    poll.unref?.();
    try {
      const { record } = await updateTask(this.store, taskId, (current) => {
        if (isTerminal(current.status) || keys.every((key) => key in current.answers)) return undefined;
        // Keys are unique over the task's lifetime: an answered key is never asked again.
        const fresh = keys.filter((key) => !(key in current.answers) && !(key in current.inputRequests));
        return {
          status: 'input_required',
          inputRequests: { ...current.inputRequests, ...Object.fromEntries(fresh.map((key) => [key, requests[key]!])) },
          issuedKeys: [...new Set([...current.issuedKeys, ...fresh])],
        };
      });
      if (record) waiter(record);
      else throw cancelledError();
      return await answered;
    } finally {
      clearInterval(poll);
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

  /** Terminal write by compare-and-set: loses silently to an earlier terminal status (e.g. cancelled). */
  private async settle(taskId: string, patch: Partial<TaskRecord>): Promise<void> {
    try {
      await updateTask(this.store, taskId, (current) => (isTerminal(current.status) ? undefined : { ...patch, inputRequests: {} }));
    } catch (error) {
      this.logger.error(`task ${taskId}: could not store its outcome`, error);
    }
  }

  /** Past its ttlMs a task still running fails (tasks.md: servers MAY mark it failed after the TTL). */
  private armTtl(record: TaskRecord): void {
    const local = this.local.get(record.taskId);
    if (!local || record.ttlMs === null) return;
    local.ttlTimer = setTimeout(() => {
      void this.settle(record.taskId, { status: 'failed', statusMessage: 'Task exceeded its ttlMs', error: { code: -32603, message: `Task exceeded its ttlMs (${record.ttlMs} ms)` } });
      local.aborter.abort(new DOMException('Task exceeded its ttlMs', 'TimeoutError'));
    }, record.ttlMs);
    local.ttlTimer.unref?.();
  }

  private forget(taskId: string): void {
    const local = this.local.get(taskId);
    if (local?.ttlTimer) clearTimeout(local.ttlTimer);
    this.local.delete(taskId);
  }

  /** One store subscription per process: fans changes out to the local tasks they concern. */
  private async ensureWatching(): Promise<void> {
    if (this.closed) throw internalError('Server shutting down');
    this.watching ??= Promise.resolve(
      this.store.watch((record) => {
        const local = this.local.get(record.taskId);
        if (!local) return;
        for (const waiter of [...local.waiters]) waiter(record);
        // Cancelled (or settled) elsewhere: the handler's AbortSignal fires here.
        if ((record.status === 'cancelled' || record.status === 'failed') && !local.aborter.signal.aborted) local.aborter.abort(cancelledError());
      }),
    );
    await this.watching;
  }
}
