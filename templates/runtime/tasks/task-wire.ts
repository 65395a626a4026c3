import { randomBytes } from 'node:crypto';
import { hasClientCapabilities } from '../capabilities.ts';
import type { ClientCapabilities, JsonObject, JsonValue } from '../wire.ts';
import type { TaskRecord } from './store.ts';

/** The extension's identifier (extensions/tasks.md "Extension Identifier"). */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** What `-32021` names when the extension is missing (extensions/tasks.md "Capability Negotiation"). */
export const TASKS_CAPABILITY: ClientCapabilities = { extensions: { [TASKS_EXTENSION]: {} } };

/** Whether this request's own capabilities declare the extension; earlier requests never count. */
export const declaresTasks = (capabilities: ClientCapabilities): boolean => hasClientCapabilities(capabilities, TASKS_CAPABILITY);

/**
 * 192 random bits, base64url: task ids double as bearer tokens when the server has no
 * authentication, so they must not be guessable (extensions/tasks.md "Security Considerations").
 */
export const newTaskId = (): string => randomBytes(24).toString('base64url');

/** The `Task` fields every shape shares (extensions/tasks.schema.json `Task`). */
function taskFields(record: TaskRecord): JsonObject {
  return {
    taskId: record.taskId,
    status: record.status,
    ...(record.statusMessage !== undefined ? { statusMessage: record.statusMessage } : {}),
    createdAt: record.createdAt,
    lastUpdatedAt: record.lastUpdatedAt,
    ttlMs: record.ttlMs,
    ...(record.pollIntervalMs !== undefined ? { pollIntervalMs: record.pollIntervalMs } : {}),
  };
}

/** `CreateTaskResult`: flat `Result & Task`, `resultType: "task"`, no result/error/inputRequests. */
export function createTaskResult(record: TaskRecord): JsonObject {
  return { resultType: 'task', ...taskFields(record) };
}

/**
 * `DetailedTask`: the variant for the current status with its payload inlined; the same object is
 * the `tasks/get` result (plus `resultType: "complete"`) and the `notifications/tasks` params.
 */
export function detailedTask(record: TaskRecord): JsonObject {
  const task = taskFields(record);
  switch (record.status) {
    case 'input_required':
      return { ...task, inputRequests: record.inputRequests as unknown as JsonValue };
    case 'completed':
      return { ...task, result: record.result ?? { resultType: 'complete', content: [] } };
    case 'failed':
      return { ...task, error: record.error ?? { code: -32603, message: 'Internal error' } };
    default:
      return task;
  }
}
