import { isPlainObject } from '../json.ts';
import type { JsonObject, JsonValue } from '../wire.ts';
import { McpAbortError, McpProtocolError, McpRpcError, McpTaskCancelledError } from './errors.ts';
import { answerInputRequests, type InputHandlers } from './input-requests.ts';
import type { ToolResult } from './results.ts';
import type { RequestOptions } from './rpc-session.ts';

/**
 * The client half of the Tasks extension (extensions/tasks.md): a `tools/call` the server answered
 * with `CreateTaskResult` is followed with `tasks/get` (honouring `pollIntervalMs`, with backoff
 * while nothing changes) until it is terminal; `input_required` asks are answered with the
 * client's input handlers through `tasks/update`; an AbortSignal sends `tasks/cancel`.
 */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

/** A `DetailedTask` as `tasks/get` returns it. */
export interface TaskInfo {
  taskId: string;
  status: TaskStatus;
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  ttlMs: number | null;
  pollIntervalMs?: number;
  inputRequests?: JsonObject;
  result?: JsonObject;
  error?: { code: number; message: string; data?: JsonValue };
}

const STATUSES: readonly TaskStatus[] = ['working', 'input_required', 'completed', 'failed', 'cancelled'];
const isTerminal = (status: TaskStatus) => status === 'completed' || status === 'failed' || status === 'cancelled';

/** Checks the fields a client relies on; anything else about the task is passed through. */
export function readTask(method: string, value: JsonObject): TaskInfo {
  if (typeof value.taskId !== 'string' || !STATUSES.includes(value.status as TaskStatus))
    throw new McpProtocolError(`${method}: not a task (taskId and a known status are required)`, { kind: 'invalid_task' });
  if (value.status === 'completed' && !isPlainObject(value.result)) throw new McpProtocolError(`${method}: completed task without result`, { kind: 'invalid_task' });
  if (value.status === 'failed' && !(isPlainObject(value.error) && typeof value.error.code === 'number'))
    throw new McpProtocolError(`${method}: failed task without error`, { kind: 'invalid_task' });
  return value as unknown as TaskInfo;
}

/** What a handle needs from the client: plain requests (no MRTR) and the input handlers. */
export interface TaskTransport {
  request(method: string, params: JsonObject, options: RequestOptions): Promise<JsonObject>;
  handlers: InputHandlers;
}

export interface TaskWaitOptions {
  /** Aborting stops waiting and sends `tasks/cancel`. */
  signal?: AbortSignal;
  /** Answer `input_required` asks with the client's handlers. Default true. */
  answerInputs?: boolean;
}

const DEFAULT_POLL_MS = 1000;
/** While nothing changes the interval grows by half each poll, up to this multiple of the server's. */
const MAX_BACKOFF_FACTOR = 4;

const pause = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });

/**
 * One task-capable tool call as the caller sees it: `result()` resolves the final typed result
 * (also when the server answered at once, without a task), `status()`, `respond()` and `cancel()`
 * give control over a running task.
 */
export class TaskHandle<O = unknown> {
  readonly #rpc: TaskTransport;
  readonly #shape: (result: JsonObject) => ToolResult<O>;
  readonly #immediate: ToolResult<O> | undefined;
  readonly #answered = new Set<string>();
  #last: TaskInfo | undefined;

  constructor(rpc: TaskTransport, started: { task: TaskInfo } | { result: JsonObject }, shape: (result: JsonObject) => ToolResult<O>) {
    this.#rpc = rpc;
    this.#shape = shape;
    if ('task' in started) this.#last = started.task;
    else this.#immediate = shape(started.result);
  }

  /** The task id, or undefined when the server answered without a task. */
  get taskId(): string | undefined {
    return this.#last?.taskId;
  }

  /** The task as of the last `status()` (or its creation). */
  get lastKnown(): TaskInfo | undefined {
    return this.#last;
  }

  /** `tasks/get`. A call the server answered at once reports a synthetic `completed`. */
  async status(options: RequestOptions = {}): Promise<TaskInfo> {
    if (!this.#last) {
      const now = new Date().toISOString();
      return { taskId: '', status: 'completed', createdAt: now, lastUpdatedAt: now, ttlMs: null, result: this.#immediate as unknown as JsonObject };
    }
    const task = readTask('tasks/get', await this.#rpc.request('tasks/get', { taskId: this.#last.taskId }, options));
    if (task.taskId !== this.#last.taskId) throw new McpProtocolError(`tasks/get answered for task ${task.taskId}, not ${this.#last.taskId}`, { kind: 'invalid_task' });
    this.#last = task;
    return task;
  }

  /** `tasks/update`: answers for parked asks, keyed as in `inputRequests`. */
  async respond(inputResponses: Record<string, unknown>, options: RequestOptions = {}): Promise<void> {
    if (!this.#last) throw new McpProtocolError('this call did not become a task: there is nothing to respond to', { kind: 'not_a_task' });
    await this.#rpc.request('tasks/update', { taskId: this.#last.taskId, inputResponses: inputResponses as JsonObject }, options);
    for (const key of Object.keys(inputResponses)) this.#answered.add(key);
  }

  /** `tasks/cancel`: cooperative; the task may still finish (tasks.md "Task Cancellation"). */
  async cancel(options: RequestOptions = {}): Promise<void> {
    if (!this.#last) return;
    await this.#rpc.request('tasks/cancel', { taskId: this.#last.taskId }, options);
  }

  /**
   * Waits for the final result: `completed` → the typed tool result (`isError` results included),
   * `failed` → McpRpcError with the task's JSON-RPC error, `cancelled` → McpTaskCancelledError.
   */
  async result(options: TaskWaitOptions = {}): Promise<ToolResult<O>> {
    if (this.#immediate) return this.#immediate;
    const { signal } = options;
    let task = this.#last!;
    let interval = task.pollIntervalMs ?? DEFAULT_POLL_MS;
    let seen = '';
    try {
      for (;;) {
        if (signal?.aborted) throw new McpAbortError('tools/call', signal.reason);
        if (isTerminal(task.status)) return this.#settled(task);
        if (task.status === 'input_required' && options.answerInputs !== false) await this.#answer(task, signal);
        const base = task.pollIntervalMs ?? DEFAULT_POLL_MS;
        const fingerprint = `${task.status}|${task.lastUpdatedAt}|${task.statusMessage ?? ''}`;
        // Back off while nothing changes; a change means things are moving: poll at the suggested pace.
        interval = fingerprint === seen ? Math.min(interval * 1.5, base * MAX_BACKOFF_FACTOR) : base;
        seen = fingerprint;
        await pause(interval, signal);
        if (signal?.aborted) continue;
        task = await this.status({ signal });
      }
    } catch (error) {
      if (!signal?.aborted) throw error;
      // The caller gave up: tell the server (tasks.md "Task Cancellation"), best effort, on a fresh signal.
      await this.cancel().catch(() => undefined);
      throw error instanceof McpAbortError ? error : new McpAbortError('tools/call', signal.reason);
    }
  }

  #settled(task: TaskInfo): ToolResult<O> {
    if (task.status === 'completed') return this.#shape(task.result!);
    if (task.status === 'failed') throw new McpRpcError('tools/call', task.error!.code, task.error!.message, task.error!.data);
    throw new McpTaskCancelledError(task.taskId, task.statusMessage);
  }

  /** Answers the asks not answered yet (keys are unique over a task's lifetime, so a key is answered once). */
  async #answer(task: TaskInfo, signal: AbortSignal | undefined): Promise<void> {
    const asks = Object.fromEntries(Object.entries(task.inputRequests ?? {}).filter(([key]) => !this.#answered.has(key)));
    if (Object.keys(asks).length === 0) return;
    const answers = await answerInputRequests(asks as JsonObject, this.#rpc.handlers, { method: 'tools/call', target: undefined, round: this.#answered.size + 1, signal: signal ?? new AbortController().signal });
    await this.respond(answers as Record<string, unknown>, { signal });
  }
}
