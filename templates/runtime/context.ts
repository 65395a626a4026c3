import { hasClientCapabilities } from './capabilities.ts';
import { elicitation, isInputRequiredSignal, listRoots, sampling, type AskResults, type ElicitAnswer, type InputAsk, type InputRequiredSignal, type InputSession } from './mrtr.ts';
import { NO_TASK, type TaskControl } from './tasks/runner.ts';
import type { RequestMeta } from './request-meta.ts';
import type { ChangeNotifier } from './subscriptions.ts';
import {
  LOGGING_LEVELS,
  type ClientCapabilities,
  type ContentBlock,
  type CreateMessageParams,
  type CreateMessageResult,
  type JsonObject,
  type JsonRpcNotification,
  type JsonSchemaObject,
  type JsonValue,
  type LoggingLevel,
  type RequestId,
  type Root,
} from './wire.ts';
import type { z } from 'zod';

/**
 * Who is calling, as established by the transport: on HTTP with `auth:` in the manifest, the
 * verified access token (basic/authorization/index.mdx); on stdio, undefined (credentials come
 * from the environment there).
 */
export interface AuthInfo {
  /** Stable principal id (`sub`); requestState is bound to it (basic/patterns/mrtr.mdx). */
  subject?: string;
  /** Granted scopes as the token lists them (before the manifest's scope hierarchy is applied). */
  scopes?: string[];
  /** Every claim of the verified token (or of the introspection response). */
  claims?: Record<string, unknown>;
  /** The issuer that vouched for the token, exactly as configured. */
  issuer?: string;
  /** `client_id` (RFC 9068) or `azp` of the token. */
  clientId?: string;
  /** `exp`, seconds since the epoch. */
  expiresAt?: number;
  extra?: Record<string, unknown>;
}

type ElicitOptions<S extends z.ZodType | undefined> =
  | { message: string; schema?: S; requestedSchema?: JsonSchemaObject; _meta?: JsonObject }
  | { mode: 'url'; message: string; url: string; _meta?: JsonObject };

/** Everything a resource, prompt or tool handler gets besides its input. */
export interface RequestContext {
  readonly requestId: RequestId;
  readonly method: string;
  /** Aborts on HTTP stream close or stdio `notifications/cancelled` (basic/patterns/cancellation.mdx). */
  readonly signal: AbortSignal;
  /** protocolVersion, clientInfo, clientCapabilities, logLevel, progressToken, trace context. */
  readonly meta: RequestMeta;
  readonly auth: AuthInfo | undefined;
  /** Announce list changes / resource updates to listen streams (on every replica sharing the bus). */
  readonly changes: ChangeNotifier;
  /**
   * Free-form JSON carried (sealed) to the MRTR retry, e.g. work done before an ask. Mutate it
   * before asking; it is empty on the first round.
   */
  readonly state: Record<string, JsonValue>;
  /** `notifications/progress` on this request's stream; a no-op without a progressToken. */
  progress(progress: number, total?: number, message?: string): void;
  /** `notifications/message` on this request's stream, only at or above the request's logLevel. */
  log(level: LoggingLevel, data: unknown, logger?: string): void;
  /** Whether this request's clientCapabilities cover `required`, e.g. `{ elicitation: {} }`. */
  supports(required: ClientCapabilities): boolean;
  /** Ask the user through the client (elicitation/create). */
  elicit<S extends z.ZodType | undefined = undefined>(options: ElicitOptions<S>): Promise<ElicitAnswer<S>>;
  elicit<S extends z.ZodType | undefined = undefined>(key: string, options: ElicitOptions<S>): Promise<ElicitAnswer<S>>;
  /** Ask the client's model (sampling/createMessage). */
  sample(params: CreateMessageParams): Promise<CreateMessageResult>;
  sample(key: string, params: CreateMessageParams): Promise<CreateMessageResult>;
  /** Ask for the client's roots (roots/list). */
  roots(key?: string): Promise<Root[]>;
  /** Several asks in one round: `await ctx.ask({ name: elicitation(...), roots: listRoots() })`. */
  ask<A extends Record<string, InputAsk<unknown>>>(asks: A): Promise<AskResults<A>>;
}

/** A tool-execution error result, as returned by `ctx.error(...)`. */
export interface ToolErrorResult {
  readonly isError: true;
  readonly content: ContentBlock[];
}

export interface ToolContext extends RequestContext {
  /** `return ctx.error('…')` reports an execution error the model can see (server/tools.mdx "Error Handling"). */
  error(message: string): ToolErrorResult;
  /**
   * The Tasks extension (extensions/tasks.md) for tools declared `task: optional|required`:
   * `await ctx.task.start()` turns the call into a task (asks before it are multi round-trip, asks
   * after it park the task until `tasks/update`), `ctx.task.status('…')` sets its statusMessage.
   * `ctx.signal` aborts on `tasks/cancel`. For other calls `possible` is false and both are no-ops.
   */
  readonly task: TaskControl;
}

export interface ContextScope {
  requestId: RequestId;
  method: string;
  signal: AbortSignal;
  meta: RequestMeta;
  auth: AuthInfo | undefined;
  session: InputSession;
  /** Sends a request-scoped notification on this request's stream. */
  notify(notification: JsonRpcNotification): void;
  changes: ChangeNotifier;
  /** True once the final response was produced or the request was cancelled. */
  isFinished(): boolean;
  /** Tasks: the call's task control; absent means the call never becomes a task. */
  task?: TaskControl;
  /**
   * Tasks: called when an ask has no answer yet. It throws the signal back (no task yet: multi
   * round-trip) or resolves once the answers were supplied to the session (the task parked).
   */
  onMissingInput?: (signal: InputRequiredSignal) => Promise<void>;
}

export function createRequestContext(scope: ContextScope): ToolContext {
  const { meta, session } = scope;
  let lastProgress = Number.NEGATIVE_INFINITY;
  const live = () => !scope.isFinished() && !scope.signal.aborted;

  // Asks made in the same tick travel in one round (one InputRequiredResult listing them all), and
  // every ask promise is marked handled: a handler that creates two asks and awaits them in turn
  // must not leave the second rejection unhandled (that would take the whole process down).
  let batch: Record<string, InputAsk<unknown>> | undefined;
  const handled = <T>(promise: Promise<T>): Promise<T> => {
    promise.catch(() => undefined);
    return promise;
  };
  // Without a task, a missing answer ends the call (InputRequiredSignal); inside one, it parks.
  const askNow = async <A extends Record<string, InputAsk<unknown>>>(asks: A): Promise<AskResults<A>> => {
    for (;;) {
      try {
        return await session.ask(asks);
      } catch (error) {
        if (!isInputRequiredSignal(error) || !scope.onMissingInput) throw error;
        await scope.onMissingInput(error);
      }
    }
  };
  const withKey = <T>(kind: string, args: unknown[], build: (options: never) => InputAsk<T>): Promise<T> => {
    const [key, options] = typeof args[0] === 'string' ? [args[0], args[1]] : [session.autoKey(kind), args[0]];
    const ask = build(options as never);
    (batch ??= {})[key] = ask as InputAsk<unknown>;
    return handled(
      Promise.resolve().then(async () => {
        const asks = batch ?? { [key]: ask as InputAsk<unknown> };
        batch = undefined;
        return (await askNow(asks))[key] as T;
      }),
    );
  };

  return {
    requestId: scope.requestId,
    method: scope.method,
    signal: scope.signal,
    meta,
    auth: scope.auth,
    changes: scope.changes,
    state: session.state,

    progress(progress, total, message) {
      // Only tokens of in-flight requests, and progress MUST increase (basic/patterns/progress.mdx).
      if (meta.progressToken === undefined || !live() || !(progress > lastProgress)) return;
      lastProgress = progress;
      scope.notify({
        jsonrpc: '2.0',
        method: 'notifications/progress',
        params: {
          progressToken: meta.progressToken,
          progress,
          ...(total !== undefined ? { total } : {}),
          ...(message !== undefined ? { message } : {}),
        },
      });
    },

    log(level, data, logger) {
      // No logLevel on the request means no log messages at all (server/utilities/logging.mdx).
      if (meta.logLevel === undefined || !live()) return;
      if (LOGGING_LEVELS.indexOf(level) < LOGGING_LEVELS.indexOf(meta.logLevel)) return;
      scope.notify({
        jsonrpc: '2.0',
        method: 'notifications/message',
        params: { level, data: JSON.parse(JSON.stringify(data ?? null)) as JsonValue, ...(logger ? { logger } : {}) },
      });
    },

    supports: (required) => hasClientCapabilities(meta.clientCapabilities, required),

    elicit: ((...args: unknown[]) => withKey('elicitation', args, elicitation as (options: never) => InputAsk<unknown>)) as ToolContext['elicit'],
    sample: ((...args: unknown[]) => withKey('sampling', args, sampling as (options: never) => InputAsk<CreateMessageResult>)) as ToolContext['sample'],
    roots: (key?: string) => withKey('roots', key === undefined ? [undefined] : [key, undefined], () => listRoots()),
    ask: (asks) => handled(Promise.resolve().then(() => askNow(asks))),

    error: (message) => ({ isError: true, content: [{ type: 'text', text: message }] }),
    task: scope.task ?? NO_TASK,
  };
}

