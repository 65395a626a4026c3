import type { HttpAuthorization, ListKind } from './authorization.ts';
import { cacheHint, type CachingOptions } from './caching.ts';
import { hasClientCapabilities } from './capabilities.ts';
import { toCompletion, type Completer } from './completion.ts';
import { createRequestContext, type AuthInfo, type ToolContext } from './context.ts';
import {
  internalError,
  invalidParams,
  invalidRequest,
  invalidRequestMeta,
  McpError,
  methodNotFound,
  missingClientCapability,
  requestTimedOut,
  resourceNotFound,
  serverShuttingDown,
  unsupportedProtocolVersion,
} from './errors.ts';
import { isPlainObject } from './json.ts';
import { stderrLogger, type RuntimeLogger } from './log.ts';
import { checkParamHeaders, checkStandardHeaders, type HeaderLookup } from './mirrored-headers.ts';
import { InputSession, isInputRequiredSignal, readInputResponses } from './mrtr.ts';
import { paginate } from './pagination.ts';
import { declaresCapability, describeInvalidParams, resolveServedProtocol, type ProtocolMethod, type ProtocolRevision } from './protocol-table.ts';
import { promptListEntry, readPromptArguments, toPromptResult, type AnyPromptDefinition } from './prompts.ts';
import { readRequestMeta, readRequiredMeta, type RequestMeta } from './request-meta.ts';
import { openRequestState, replayedRequestState, sealRequestState, type OpenedFlow, type RequestBinding } from './request-state.ts';
import {
  compileResourceTemplate,
  resourceListEntry,
  templateListEntry,
  toReadContents,
  type AnyResourceTemplateDefinition,
  type CompiledResourceTemplate,
  type ResourceDefinition,
  type ResourceReadReturn,
} from './resources.ts';
import { createTokenSealer, resolveStateSecret } from './sealed-token.ts';
import { askClient, legacyRequestMeta, MODERN_ONLY_METHODS, SESSION_WIRE_VERSIONS, toLegacyResult, type LegacyScope } from './legacy/scope.ts';
import { RedisSessionStore } from './legacy/redis-session-store.ts';
import { InMemorySessionStore, type InMemorySessionStoreOptions, type SessionStore } from './legacy/session-store.ts';
import { SessionWire } from './legacy/session-wire.ts';
import { resolveStateBackend, type StateBackend, type StateConfig } from './state/backend.ts';
import type { ReplayGuard } from './state/replay-guard.ts';
import { changeNotifier, honouredFilter, readSubscriptionFilter, runListen, type ChangeNotifier, type EventBus } from './subscriptions.ts';
import { TaskRuntime, type TaskOptions, type TaskRetryPlan, type ToolTaskOptions } from './tasks/runner.ts';
import type { TaskRecord } from './tasks/store.ts';
import { declaresTasks, TASKS_CAPABILITY, TASKS_EXTENSION } from './tasks/task-wire.ts';
import { callTool, headerParamsOf, toolListEntry, type AnyToolDefinition, type ResolvedHeaderParam } from './tools.ts';
import {
  ErrorCode,
  META,
  SUPPORTED_PROTOCOL_VERSIONS,
  type Implementation,
  type JsonObject,
  type JsonRpcErrorResponse,
  type JsonRpcNotification,
  type JsonRpcResponse,
  type JsonValue,
  type RequestId,
  type ServerCapabilities,
} from './wire.ts';

export type { ChangeNotifier };

export interface McpServerOptions {
  /** Reported as `_meta["io.modelcontextprotocol/serverInfo"]` on every result (basic/index.mdx). */
  info: Implementation;
  instructions?: string;
  tools?: readonly AnyToolDefinition[];
  resources?: readonly ResourceDefinition[];
  resourceTemplates?: readonly AnyResourceTemplateDefinition[];
  prompts?: readonly AnyPromptDefinition[];
  caching?: CachingOptions;
  /** Key material for requestState and cursors; defaults to process.env.MCP_STATE_SECRET. */
  stateSecret?: string;
  /** How long an InputRequiredResult's requestState stays valid. Default 10 minutes. */
  requestStateTtlMs?: number;
  /** Page size of the four list methods. Default 100. */
  pageSize?: number;
  /**
   * Where state shared by replicas lives: the listen event bus and the requestState replay guard.
   * Memory (one process) by default; `MCP_REDIS_URL`, when set, selects Redis whatever this says.
   */
  state?: StateConfig;
  /** Where change events travel; overrides the bus `state` selects. */
  events?: EventBus;
  /** Makes each requestState single-use; overrides the guard `state` selects. */
  replayGuard?: ReplayGuard;
  /** Advertise `listChanged` / `subscribe` (default true) and `logging` (default true). */
  listChanged?: boolean;
  logging?: boolean;
  /** Extension capabilities advertised in server/discover. */
  extensions?: Record<string, JsonObject>;
  /**
   * Tasks extension (extensions/tasks.md): store, default ttlMs and pollIntervalMs. Served (and
   * advertised) only when some tool declares `task: optional|required`.
   */
  tasks?: TaskOptions;
  /** Runtime diagnostics; stderr by default. */
  logger?: RuntimeLogger;
  /**
   * Deadline in ms of every request that runs a handler (tools/call, prompts/get, resources/read,
   * completion/complete); a tool's own `timeoutMs` wins. On expiry the handler's signal aborts and
   * the request ends with -32603. 0 disables. Default 60 s.
   */
  requestTimeoutMs?: number;
  /**
   * OAuth 2.1 resource server used by the HTTP transports (createResourceServer from runtime/auth/,
   * wired by the generated server.ts when the manifest has `auth:`). Lists are filtered to what the
   * caller's scopes allow, and such lists are answered `cacheScope: "private"`.
   */
  authorization?: HttpAuthorization;
  /**
   * The generated method tables of the revisions served (src/generated/protocol/revisions/index.ts
   * `SERVED_REVISIONS`). With them, the versions and each one's era, which methods a client may
   * call behind which capability, their params validation, which may answer InputRequiredResult
   * and the error codes come from the tables; without, from what this runtime was written against.
   */
  protocol?: readonly ProtocolRevision[];
  /**
   * Protocol versions served, newest first. Default: every table in `protocol`, else every version
   * this runtime implements, i.e. 2026-07-28 (stateless `_meta` wire) and 2025-11-25
   * (initialize/session wire, legacy/). Leave out 2025-11-25 to refuse initialize-based clients;
   * leave out 2026-07-28 for a 2025-only server.
   */
  protocolVersions?: readonly string[];
  /**
   * Where 2025-11-25 sessions live: a {@link SessionStore} (e.g. shared by replicas), or the bounds
   * of the default in-memory store (max count, idle timeout; env MCP_MAX_SESSIONS, MCP_SESSION_IDLE_MS).
   */
  sessions?: SessionStore | InMemorySessionStoreOptions;
}

/** Every version this runtime implements, newest first: the default of `protocolVersions`. */
export const IMPLEMENTED_PROTOCOL_VERSIONS: readonly string[] = [...SUPPORTED_PROTOCOL_VERSIONS, ...SESSION_WIRE_VERSIONS];

/** Methods that run user code: they get a deadline and are released when the client leaves. */
const GUARDED_METHODS: ReadonlySet<string> = new Set(['tools/call', 'prompts/get', 'resources/read', 'completion/complete']);
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
/** Shared by requests whose transport has no cancellation: one signal, never aborted. */
const NEVER_ABORTED = new AbortController().signal;
const STOPPED = Symbol('stopped');

/** What a transport hands the dispatcher with each message. */
export interface TransportContext {
  /** Aborted when the client cancels: HTTP stream closed, stdio notifications/cancelled. */
  signal?: AbortSignal;
  /** Request-scoped notifications (progress, log, listen stream); omitted when the transport cannot stream. */
  send?: (notification: JsonRpcNotification) => void;
  /** HTTP only: mirrored headers to validate against the body (-32020). */
  headers?: HeaderLookup;
  auth?: AuthInfo;
  /** Set by the 2025-11-25 session wire: the session's facts replace `_meta` (legacy/scope.ts). */
  legacy?: LegacyScope;
}

export interface DispatchOutcome {
  /** Undefined for notifications and for cancelled requests, which get no response. */
  response?: JsonRpcResponse;
  /** Transport advice: 200, 202 for an accepted notification, or the status the error calls for. */
  httpStatus: number;
}

export interface McpServer {
  readonly info: Implementation;
  readonly capabilities: ServerCapabilities;
  readonly events: EventBus;
  /** The shared-state backend in use (memory or Redis). */
  readonly state: StateBackend;
  readonly logger: RuntimeLogger;
  /** The resource server HTTP transports apply (from `McpServerOptions.authorization`). */
  readonly authorization?: HttpAuthorization;
  /** Transport-independent dispatcher: one JSON-RPC message in, at most one response out. */
  handle(message: unknown, transport?: TransportContext): Promise<DispatchOutcome>;
  /** Publishes change events to every listen stream that opted in, on every replica sharing the bus. */
  readonly notify: ChangeNotifier;
  /** The 2025-11-25 initialize/session wire; undefined when that era is not served. */
  readonly sessions: SessionWire | undefined;
  /** Requests currently being handled (listen streams included). */
  readonly inFlight: number;
  /**
   * Ends listen streams with their graceful result, waits for in-flight requests (up to timeoutMs),
   * then aborts the handlers still running: they end with -32603 and are released.
   */
  close(timeoutMs?: number): Promise<void>;
}

interface MethodCall {
  id: RequestId;
  method: string;
  /** The revision lets this method answer InputRequiredResult (its table's `inputRequired`). */
  mayRequireInput: boolean;
  params: JsonObject;
  meta: RequestMeta;
  transport: TransportContext;
  signal: AbortSignal;
  notify: (notification: JsonRpcNotification) => void;
  isFinished: () => boolean;
}

/**
 * `inputResponses` entries are checked by mrtr.ts against the asks they answer: the server SHOULD
 * ignore entries it did not ask for (basic/patterns/mrtr.mdx), which the schema would refuse.
 */
function withoutInputResponses(params: JsonObject): JsonObject {
  if (!('inputResponses' in params)) return params;
  const { inputResponses: _checkedPerAsk, ...rest } = params;
  return rest;
}

/** A listen stream that ended because the client left: nothing may be sent for it. */
const CANCELLED = Symbol('cancelled');
type MethodResult = JsonObject | typeof CANCELLED;
type MethodHandler = (call: MethodCall) => Promise<MethodResult>;

function assertUniqueNames(kind: string, names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new Error(`Duplicate ${kind} "${name}" in the MCP server registry`);
    seen.add(name);
  }
}

export function createMcpServer(options: McpServerOptions): McpServer {
  const logger = options.logger ?? stderrLogger;
  const tools = [...(options.tools ?? [])];
  const resources = [...(options.resources ?? [])];
  const templates: CompiledResourceTemplate[] = (options.resourceTemplates ?? []).map(compileResourceTemplate);
  const prompts = [...(options.prompts ?? [])];
  assertUniqueNames('tool', tools.map((t) => t.name));
  assertUniqueNames('prompt', prompts.map((p) => p.name));
  assertUniqueNames('resource', resources.map((r) => r.uri));
  assertUniqueNames('resource template', templates.map((t) => t.definition.uriTemplate));

  const toolsByName = new Map(tools.map((t) => [t.name, t]));
  const headerParams = new Map<string, ResolvedHeaderParam[]>(tools.map((t) => [t.name, headerParamsOf(t)]));
  const promptsByName = new Map(prompts.map((p) => [p.name, p]));
  const resourcesByUri = new Map(resources.map((r) => [r.uri, r]));
  const sealer = createTokenSealer(resolveStateSecret(options.stateSecret, (m) => logger.warn(m)));
  const state = resolveStateBackend({ config: options.state, serverName: options.info.name, logger });
  const events = options.events ?? state.events;
  const replayGuard = options.replayGuard ?? state.replayGuard;
  const pageSize = Math.max(1, options.pageSize ?? 100);
  const stateTtlMs = options.requestStateTtlMs ?? 10 * 60 * 1000;
  const listChanged = options.listChanged ?? true;
  const closing = new AbortController();
  /** Stops every guarded request still running when the shutdown grace ends. */
  const stoppers = new Set<() => void>();
  let shuttingDown = false;
  const defaultTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const notify = changeNotifier(events);
  // Each served version runs on its era's wire: `_meta` (stateless) or initialize/session.
  const served = resolveServedProtocol(options.protocol, options.protocolVersions, { stateless: SUPPORTED_PROTOCOL_VERSIONS, session: SESSION_WIRE_VERSIONS });
  const servedVersions = served.versions;
  const modernVersions = served.statelessVersions;
  const sessionVersions = served.sessionVersions;

  // Capabilities declare exactly what is served: an undeclared feature's methods answer -32601
  // (server/tools.mdx, server/prompts.mdx, server/resources.mdx "Capabilities").
  const capabilities: ServerCapabilities = {};
  if (tools.length > 0) capabilities.tools = { listChanged };
  if (prompts.length > 0) capabilities.prompts = { listChanged };
  if (resources.length > 0 || templates.length > 0) capabilities.resources = { listChanged, subscribe: listChanged };
  if (prompts.length > 0 || templates.length > 0) capabilities.completions = {};
  if (options.logging ?? true) capabilities.logging = {};
  const taskTools = tools.filter((t) => t.task !== undefined && t.task.mode !== 'forbidden');

  /**
   * Runs a stored task's tools/call again on this replica, after the replica running it stopped:
   * the same arguments and `_meta`, the answers collected so far and the last saved ctx.state.
   * Nothing of the original request's transport survives: no stream (progress and log are
   * no-ops, as for any task), and `ctx.auth` carries only the owner's subject.
   */
  const retryTask = (record: TaskRecord): TaskRetryPlan | undefined => {
    const tool = toolsByName.get(record.request.name);
    if (record.request.method !== 'tools/call' || !tool?.task || tool.task.mode === 'forbidden' || tool.task.retry === false) return undefined;
    let meta: RequestMeta;
    try {
      meta = readRequestMeta({ _meta: record.request.meta });
    } catch {
      return undefined;
    }
    const session = new InputSession({ ...record.answers }, meta.clientCapabilities, record.state);
    return {
      supply: (answers) => session.supply(answers),
      state: () => ({ ...session.state }),
      execute: (hooks) =>
        callTool(
          tool,
          record.request.arguments,
          createRequestContext({
            requestId: record.taskId,
            method: 'tools/call',
            meta,
            auth: record.owner === null ? undefined : { subject: record.owner },
            session,
            notify: () => undefined,
            changes: notify,
            isFinished: () => true,
            ...hooks,
          }),
          logger,
        ),
    };
  };
  // Task records (and, across replicas, the leases of running tasks) live where the state backend
  // keeps shared state: with Redis every replica sees them, and takes over a dead replica's tasks.
  const tasks =
    taskTools.length > 0
      ? new TaskRuntime(
          {
            ...options.tasks,
            store: options.tasks?.store ?? state.taskStore,
            leases: options.tasks?.leases ?? (state.kind === 'redis' ? state.taskLeases : undefined),
          },
          logger,
          retryTask,
        )
      : undefined;
  if (options.extensions || tasks) capabilities.extensions = { ...options.extensions, ...(tasks ? { [TASKS_EXTENSION]: {} } : {}) };

  const withServerInfo = (result: JsonObject, extraMeta?: JsonObject): JsonObject => ({
    ...result,
    _meta: { ...(isPlainObject(result._meta) ? result._meta : {}), ...extraMeta, [META.serverInfo]: options.info as unknown as JsonValue },
  });

  /**
   * MRTR for tools/call, prompts/get and resources/read only (basic/patterns/mrtr.mdx "Supported
   * Requests"): replays sealed answers, and turns a missing answer into an InputRequiredResult.
   */
  async function withInputs(call: MethodCall, binding: RequestBinding, run: (ctx: ToolContext) => Promise<JsonObject>, asTask?: ToolTaskOptions): Promise<JsonObject> {
    const legacy = call.transport.legacy;
    if (legacy) {
      // Session wire: the same asks become real server→client requests, awaited mid-call.
      const live = new InputSession({}, call.meta.clientCapabilities, {}, askClient(legacy, call.signal));
      return run(createRequestContext({ ...scopeOf(call), session: live }));
    }
    const answers = readInputResponses(call.params.inputResponses);
    const carried = openRequestState(sealer, call.params.requestState, binding);
    await claimOnce(carried);
    // Answers sealed in earlier rounds win: a retry cannot swap an answer the handler already used.
    const session = new InputSession({ ...answers, ...carried.answers }, call.meta.clientCapabilities, carried.state);
    try {
      // Asks before the task are this MRTR flow; asks inside it park the task (tasks/runner.ts).
      if (asTask && tasks)
        return await tasks.runToolCall({
          toolName: binding.target,
          args: binding.args as JsonObject,
          meta: isPlainObject(call.params._meta) ? call.params._meta : {},
          owner: call.transport.auth?.subject ?? null,
          task: asTask,
          requestSignal: call.signal,
          consumed: () => ({ ...session.consumed }),
          state: () => ({ ...session.state }),
          supply: (supplied) => session.supply(supplied),
          execute: (hooks) => run(createRequestContext({ ...scopeOf(call), session, ...hooks })),
        });
      const ctx = createRequestContext({ ...scopeOf(call), session });
      return { resultType: 'complete', ...(await run(ctx)) };
    } catch (error) {
      if (!isInputRequiredSignal(error)) throw error;
      if (!call.mayRequireInput) throw internalError(`${call.method} asked for client input, which this revision's ${call.method} cannot carry`);
      return {
        resultType: 'input_required',
        inputRequests: error.inputRequests as unknown as JsonObject,
        requestState: sealRequestState(sealer, binding, { answers: session.consumed, state: session.state }, stateTtlMs),
      };
    }
  }

  /**
   * Single use within the state's lifetime (basic/patterns/mrtr.mdx "Server Requirements"): the
   * id is claimed only after the seal and binding verified, and before the handler runs again.
   */
  async function claimOnce(flow: OpenedFlow): Promise<void> {
    if (flow.useId === undefined || flow.expiresAt === undefined) return;
    let first: boolean;
    try {
      first = await replayGuard.claim(flow.useId, flow.expiresAt);
    } catch (error) {
      if (error instanceof McpError) throw error;
      logger.error('requestState replay guard failed', error);
      throw internalError();
    }
    if (!first) throw replayedRequestState();
  }

  const scopeOf = (call: MethodCall) => ({
    requestId: call.id,
    method: call.method,
    signal: call.signal,
    meta: call.meta,
    auth: call.transport.auth,
    notify: call.notify,
    isFinished: call.isFinished,
    changes: notify,
  });

  /** Contexts for handlers that may not ask for input (completion): an ask is a server bug. */
  const inputlessContext = (call: MethodCall) =>
    createRequestContext({ ...scopeOf(call), session: new InputSession({}, call.meta.clientCapabilities, {}) });

  /** Unexpected handler failures become -32603 with no internals on the wire; details go to stderr. */
  const guard = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof McpError || isInputRequiredSignal(error)) throw error;
      logger.error(`${what} failed`, error);
      throw internalError();
    }
  };

  /**
   * A read handler's own -32602 without data (`throw new McpError(ErrorCode.InvalidParams,
   * 'Resource not found')`) gets `data.uri` as received: a handler that rebuilt it from decoded
   * params would echo the decoded value back (server/resources.mdx "Error Handling").
   */
  const withReceivedUri = (error: unknown, uri: string): unknown => {
    if (!(error instanceof McpError) || error.code !== ErrorCode.InvalidParams || error.data !== undefined) return error;
    // A "not found" is also -32002 on the 2025-11-25 session wire; other -32602s stay -32602 there.
    return /not found/i.test(error.message) ? resourceNotFound(uri, error.message) : new McpError(error.code, error.message, { uri }, error.httpStatus);
  };

  const requireString = (value: unknown, field: string): string => {
    if (typeof value !== 'string') throw invalidParams(`Invalid params: ${field} must be a string`);
    return value;
  };

  const listResult = <T>(items: readonly T[], call: MethodCall, list: string, key: string, map: (item: T) => JsonObject, target: ListKind, keyOf: (item: T) => string): JsonObject => {
    // A caller sees only what its token's scopes let it use; such a list is per caller, hence private
    // (server/utilities/caching.mdx). stdio has no token and no filtering.
    const authorization = options.authorization;
    const auth = call.transport.auth;
    const shown = authorization && auth ? items.filter((item) => authorization.allows(target, keyOf(item), auth)) : items;
    const page = paginate(shown, call.params.cursor, list, sealer, pageSize);
    return {
      resultType: 'complete',
      [key]: page.items.map(map),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      ...cacheHint(options.caching, target, authorization?.filters(target) ? { cacheScope: 'private' } : undefined),
    };
  };

  const methods = new Map<string, MethodHandler>();

  /** Methods an extension adds (extensions/tasks.md): served on the modern wire beside the table's. */
  const extensionMethods = new Set<string>();
  /** A request a client may send, whose gating server capability (if any) is advertised. */
  const answerable = (entry: ProtocolMethod | undefined): entry is ProtocolMethod =>
    entry !== undefined &&
    entry.kind === 'request' &&
    entry.direction !== 'server->client' &&
    (entry.capability?.side !== 'server' || declaresCapability(capabilities as JsonObject, entry.capability.path));

  // server/discover (server/discover.mdx): no params beyond _meta; cacheable.
  methods.set('server/discover', async () => ({
    resultType: 'complete',
    supportedVersions: [...modernVersions],
    capabilities: capabilities as JsonObject,
    ...(options.instructions ? { instructions: options.instructions } : {}),
    ...cacheHint(options.caching, 'discover'),
  }));

  // subscriptions/listen (basic/patterns/subscriptions.mdx): every implementation accepts it,
  // even one with nothing to announce, and acknowledges the honoured subset.
  methods.set('subscriptions/listen', async (call) => {
    const requested = readSubscriptionFilter(call.params);
    // Task notifications need the extension on this request (extensions/tasks.md "Task Status Notifications").
    if (requested.taskIds?.length && !declaresTasks(call.meta.clientCapabilities))
      throw missingClientCapability(TASKS_CAPABILITY, `taskIds on subscriptions/listen requires the ${TASKS_EXTENSION} extension in this request's client capabilities`);
    const filter = honouredFilter(requested, capabilities);
    // Only the caller's own, live tasks are acknowledged (and followed).
    if (filter.taskIds && tasks) filter.taskIds = await tasks.followable(filter.taskIds, call.transport.auth?.subject ?? null);
    const bus: EventBus = filter.taskIds?.length && tasks ? withTaskFeed(events, tasks) : events;
    const ended = await runListen({ subscriptionId: call.id, filter, bus, notify: call.notify, cancelled: call.signal, closing: closing.signal });
    if (ended === 'cancelled') return CANCELLED;
    return { resultType: 'complete', _meta: { [META.subscriptionId]: call.id } };
  });

  if (capabilities.tools) {
    methods.set('tools/list', async (call) => listResult(tools, call, 'tools', 'tools', toolListEntry, 'tools', (t) => t.name));
    methods.set('tools/call', async (call) => {
      const name = requireString(call.params.name, 'name');
      const tool = toolsByName.get(name);
      if (!tool) throw invalidParams(`Unknown tool: ${name}`);
      // `arguments` is optional on the wire; absent means {} (schema CallToolRequestParams).
      const args = call.params.arguments ?? {};
      if (!isPlainObject(args)) throw invalidParams('Invalid params: arguments must be an object');
      if (call.transport.headers) checkParamHeaders(call.transport.headers, headerParams.get(name) ?? [], args);
      if (tool.requiresClientCapabilities && !hasClientCapabilities(call.meta.clientCapabilities, tool.requiresClientCapabilities))
        throw missingClientCapability(tool.requiresClientCapabilities, `Tool ${name} requires client capabilities this request did not declare`);
      // The server decides per request (extensions/tasks.md "Capability Negotiation"): a task only
      // for a request that declared the extension; a `required` tool refuses the others.
      const taskMode = tool.task?.mode ?? 'forbidden';
      if (taskMode === 'required') tasks!.requireDeclared(call.meta.clientCapabilities, `Tool ${name} runs only as a task: it`);
      // A request asking for progress follows its own stream, which a task cannot carry
      // (tasks.md: no notifications/progress for tasks): an optional tool then answers in the request.
      const wantsTask = taskMode === 'required' || (taskMode === 'optional' && call.meta.progressToken === undefined);
      const asTask = wantsTask && declaresTasks(call.meta.clientCapabilities) ? tool.task : undefined;
      return withInputs(call, { method: call.method, target: name, args, principal: call.transport.auth?.subject }, (ctx) => callTool(tool, args, ctx, logger), asTask);
    });
  }

  if (tasks) {
    // tasks/get|update|cancel (extensions/tasks.md): -32021 before anything else for a request
    // that did not declare the extension, whatever the task id.
    const owner = (call: MethodCall) => call.transport.auth?.subject ?? null;
    for (const method of ['tasks/get', 'tasks/update', 'tasks/cancel']) extensionMethods.add(method);
    methods.set('tasks/get', async (call) => (tasks.requireDeclared(call.meta.clientCapabilities, 'tasks/get'), tasks.get(call.params, owner(call))));
    methods.set('tasks/update', async (call) => (tasks.requireDeclared(call.meta.clientCapabilities, 'tasks/update'), tasks.update(call.params, owner(call))));
    methods.set('tasks/cancel', async (call) => (tasks.requireDeclared(call.meta.clientCapabilities, 'tasks/cancel'), tasks.cancel(call.params, owner(call))));
  }

  if (capabilities.prompts) {
    methods.set('prompts/list', async (call) => listResult(prompts, call, 'prompts', 'prompts', promptListEntry, 'prompts', (p) => p.name));
    methods.set('prompts/get', async (call) => {
      const name = requireString(call.params.name, 'name');
      const prompt = promptsByName.get(name);
      if (!prompt) throw invalidParams(`Unknown prompt: ${name}`);
      const args = readPromptArguments(prompt, call.params.arguments);
      return withInputs(call, { method: call.method, target: name, args, principal: call.transport.auth?.subject }, (ctx) =>
        guard(`prompt ${name}`, async () => toPromptResult(await prompt.get(args as never, ctx))),
      );
    });
  }

  if (capabilities.resources) {
    methods.set('resources/list', async (call) => listResult(resources, call, 'resources', 'resources', resourceListEntry, 'resources', (r) => r.uri));
    methods.set('resources/templates/list', async (call) =>
      listResult(templates, call, 'resources/templates', 'resourceTemplates', (t) => templateListEntry(t.definition), 'resourceTemplates', (t) => t.definition.uriTemplate),
    );
    methods.set('resources/read', async (call) => {
      const uri = requireString(call.params.uri, 'uri');
      const resource = resourcesByUri.get(uri);
      let template: CompiledResourceTemplate | undefined;
      let variables: Record<string, string> | undefined;
      if (!resource) {
        for (const candidate of templates) {
          const matched = candidate.matcher.exec(uri);
          if (!matched) continue;
          // Unsafe decoded values (`..`, NUL, a `/` in `{x}`) never reach the handler. The URI is
          // echoed as received: decoding it would hand the client back the very payload refused.
          if (!matched.ok) throw invalidParams(`Invalid resource URI: variable ${matched.variable} ${matched.reason}`, { uri });
          variables = matched.params;
          template = candidate;
          break;
        }
      }
      // Not found is -32602 with data.uri, never empty contents (server/resources.mdx "Error Handling").
      if (!resource && !template) throw resourceNotFound(uri);
      const definition = resource ?? template!.definition;
      return withInputs(call, { method: call.method, target: uri, args: {}, principal: call.transport.auth?.subject }, (ctx) =>
        guard(`resource ${uri}`, async () => {
          let returned: ResourceReadReturn;
          try {
            returned = await (resource ? resource.read(ctx) : template!.definition.read(variables as never, ctx));
          } catch (error) {
            throw withReceivedUri(error, uri);
          }
          const { contents, cache } = toReadContents(returned, uri, definition.mimeType);
          return { contents: contents as unknown as JsonValue[], ...cacheHint(options.caching, 'read', definition.cache, cache) };
        }),
      );
    });
  }

  if (capabilities.completions) {
    methods.set('completion/complete', async (call) => {
      const ref = call.params.ref;
      const argument = call.params.argument;
      if (!isPlainObject(ref) || !isPlainObject(argument) || typeof argument.name !== 'string' || typeof argument.value !== 'string')
        throw invalidParams('Invalid params: completion/complete needs ref and argument {name, value}');
      const contextArgs = isPlainObject(call.params.context) && isPlainObject(call.params.context.arguments) ? (call.params.context.arguments as Record<string, string>) : {};
      let completer: Completer | undefined;
      if (ref.type === 'ref/prompt') {
        const prompt = promptsByName.get(requireString(ref.name, 'ref.name'));
        if (!prompt) throw invalidParams(`Unknown prompt: ${String(ref.name)}`);
        completer = (prompt.complete as Record<string, Completer | undefined> | undefined)?.[argument.name];
      } else if (ref.type === 'ref/resource') {
        const uri = requireString(ref.uri, 'ref.uri');
        const template = templates.find((t) => t.definition.uriTemplate === uri);
        if (!template && !resourcesByUri.has(uri)) throw resourceNotFound(uri);
        completer = (template?.definition.complete as Record<string, Completer | undefined> | undefined)?.[argument.name];
      } else {
        throw invalidParams('Invalid params: ref.type must be ref/prompt or ref/resource');
      }
      const name = argument.name;
      const value = argument.value;
      const values = completer
        ? await guard('completion', async () => {
            try {
              return await completer(value, { arguments: contextArgs, ctx: inputlessContext(call) });
            } catch (error) {
              if (isInputRequiredSignal(error)) throw internalError(`completion for ${name} asked for client input, which completion/complete cannot carry`);
              throw error;
            }
          })
        : undefined;
      return { resultType: 'complete', completion: toCompletion(values) as unknown as JsonObject };
    });
  }

  const sessionStore = options.sessions === undefined || !('get' in options.sessions) ? undefined : (options.sessions as SessionStore);
  const sessions =
    sessionVersions.length === 0
      ? undefined
      : new SessionWire({
          versions: sessionVersions,
          capabilities,
          info: options.info,
          instructions: options.instructions,
          events,
          // With Redis state, session records are shared too (any replica answers a session's plain requests).
          store: sessionStore ?? (state.redis ? new RedisSessionStore(state.redis, (options.sessions as InMemorySessionStoreOptions | undefined)?.idleTimeoutMs ?? undefined) : new InMemorySessionStore(options.sessions as InMemorySessionStoreOptions | undefined)),
          logger,
          dispatch: (message, transport) => handle(message, transport),
        });

  let inFlight = 0;
  const idleWaiters = new Set<() => void>();
  const settle = () => {
    inFlight -= 1;
    if (inFlight === 0) for (const wake of [...idleWaiters]) wake();
  };

  /** `sessionWire`: the request came through the 2025-11-25 session wire, whose codes may differ. */
  const errorResponse = (id: RequestId | undefined, error: McpError, sessionWire = false): DispatchOutcome => {
    const response: JsonRpcErrorResponse = {
      jsonrpc: '2.0',
      ...(id !== undefined ? { id } : {}),
      error: { code: (sessionWire ? error.sessionWireCode : undefined) ?? error.code, message: error.message, ...(error.data !== undefined ? { data: error.data } : {}) },
    };
    return { response, httpStatus: error.httpStatus };
  };

  /**
   * The method table of the request's revision decides whether the method exists for a client to
   * call (and behind which advertised capability); the handler map, whether this runtime
   * implements it; then the table's validator checks the params.
   */
  function lookUp(version: string, method: string, params: JsonObject | undefined): { handler: MethodHandler; entry?: ProtocolMethod } {
    const table = served.tableFor(version);
    const entry = table?.methods[method];
    // Extension methods (tasks/*) are not in the core tables; they exist on the modern wire only.
    const extension = extensionMethods.has(method) && modernVersions.includes(version);
    if (table && !extension && !answerable(entry)) throw methodNotFound(method);
    const handler = methods.get(method);
    if (!handler) throw methodNotFound(method);
    if (entry?.params && (params !== undefined || entry.paramsRequired)) {
      const checked = entry.params.safeParse(withoutInputResponses(params ?? {}));
      if (!checked.success) throw invalidParams(describeInvalidParams(checked.error));
    }
    return { handler, entry };
  }

  async function handleRequest(id: RequestId, method: string, params: JsonObject | undefined, transport: TransportContext): Promise<DispatchOutcome> {
    if (transport.legacy) {
      // Without tables, the two stateless-only methods are refused by name.
      if (!served.tableFor(transport.legacy.protocolVersion) && MODERN_ONLY_METHODS.has(method)) throw methodNotFound(method);
      const { handler, entry } = lookUp(transport.legacy.protocolVersion, method, params);
      return runMethod(id, method, params, transport, handler, legacyRequestMeta(params, transport.legacy), entry);
    }
    // A server of initialize-based revisions only answers a request outside a session as such a
    // server does (2025-11-25 basic/transports.mdx "Session Management": 400 without a session),
    // never with a 2026-07-28 error a dual-era client would take for a modern server: so the client
    // falls back to initialize (2026-07-28 basic/transports/stdio.mdx, streamable-http.mdx
    // "Backward Compatibility").
    if (modernVersions.length === 0)
      throw invalidRequest(`Bad Request: this server speaks MCP ${sessionVersions.join(', ')} only, which starts with initialize; send initialize first (no session)`);
    // A legacy (2025-11-25) client opens with `initialize` and no `_meta`: name our versions in the
    // message, the only thing it can show (basic/versioning.mdx "Backward Compatibility").
    if (method === 'initialize' && !isPlainObject(params?._meta)) {
      const requested = typeof params?.protocolVersion === 'string' ? params.protocolVersion : undefined;
      throw invalidRequestMeta(
        `This server implements MCP ${modernVersions.join(', ')} only; initialize is not supported. Send requests with per-request _meta instead.`,
        { supported: [...modernVersions], ...(requested ? { requested } : {}) },
      );
    }
    // Order matters (wire-checklist §9.6): _meta present, then headers equal the body (so a
    // header/body version mismatch is -32020, not -32022), then version, then method.
    const required = readRequiredMeta(params);
    if (transport.headers) checkStandardHeaders(transport.headers, method, params, required.protocolVersion);
    if (!modernVersions.includes(required.protocolVersion))
      throw unsupportedProtocolVersion(required.protocolVersion, modernVersions);
    const { handler, entry } = lookUp(required.protocolVersion, method, params);
    return runMethod(id, method, params, transport, handler, readRequestMeta(params), entry);
  }

  async function runMethod(id: RequestId, method: string, params: JsonObject | undefined, transport: TransportContext, handler: MethodHandler, meta: RequestMeta, entry?: ProtocolMethod): Promise<DispatchOutcome> {
    const guarded = GUARDED_METHODS.has(method);
    const aborter = guarded ? new AbortController() : undefined;
    const signal = aborter?.signal ?? transport.signal ?? NEVER_ABORTED;
    let finished = false;
    const call: MethodCall = {
      id,
      method,
      mayRequireInput: entry?.inputRequired ?? true,
      params: params ?? {},
      meta,
      transport,
      signal,
      isFinished: () => finished,
      // Nothing more is sent for a cancelled request (basic/patterns/cancellation.mdx).
      notify: (notification) => {
        if (!finished && !signal.aborted) transport.send?.(notification);
      },
    };
    try {
      const result = aborter ? await runGuarded(call, handler, aborter, deadlineOf(method, params)) : await handler(call);
      if (result === CANCELLED || signal.aborted) return { httpStatus: 499 };
      return { response: { jsonrpc: '2.0', id, result: transport.legacy ? toLegacyResult(result) : withServerInfo(result) }, httpStatus: 200 };
    } finally {
      finished = true;
    }
  }

  const deadlineOf = (method: string, params: JsonObject | undefined): number => {
    const tool = method === 'tools/call' && typeof params?.name === 'string' ? toolsByName.get(params.name) : undefined;
    return tool?.timeoutMs ?? defaultTimeoutMs;
  };

  /**
   * Runs a handler until it settles or is stopped: by its deadline (-32603), by the client leaving
   * (no response) or by shutdown (-32603). A stopped request is released at once, whatever the
   * handler does next; `ctx.signal` tells the handler to stop (basic/patterns/cancellation.mdx
   * "Timeouts": a timeout is a cancellation).
   */
  async function runGuarded(call: MethodCall, handler: MethodHandler, aborter: AbortController, timeoutMs: number): Promise<MethodResult> {
    const outer = call.transport.signal;
    let reason: 'cancelled' | 'deadline' | 'shutdown' | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let wake!: () => void;
    const stopped = new Promise<typeof STOPPED>((resolve) => (wake = () => resolve(STOPPED)));
    const stop = (why: NonNullable<typeof reason>) => {
      if (reason) return;
      reason = why;
      aborter.abort(new DOMException(why === 'deadline' ? `Request timed out after ${timeoutMs} ms` : `Request ${why}`, why === 'deadline' ? 'TimeoutError' : 'AbortError'));
      wake();
    };
    const onCancel = () => stop('cancelled');
    const onShutdown = () => stop('shutdown');
    outer?.addEventListener('abort', onCancel);
    stoppers.add(onShutdown);
    if (outer?.aborted) onCancel();
    if (shuttingDown) onShutdown();
    if (timeoutMs > 0) timer = setTimeout(stop, timeoutMs, 'deadline');
    try {
      const running = handler(call);
      // Once stopped, nobody awaits the handler: its late failure must not become an unhandled rejection.
      running.catch(() => undefined);
      const result = await Promise.race([running, stopped]);
      if (result !== STOPPED) return result;
      if (reason === 'deadline') {
        logger.warn(`${call.method} ${String(call.params.name ?? call.params.uri ?? '')} timed out after ${timeoutMs} ms; its signal was aborted`);
        throw requestTimedOut(timeoutMs);
      }
      if (reason === 'shutdown') throw serverShuttingDown();
      return CANCELLED;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onCancel);
      stoppers.delete(onShutdown);
    }
  }

  async function handle(message: unknown, transport: TransportContext = {}): Promise<DispatchOutcome> {
    // JSON-RPC envelope (basic/index.mdx "Messages"): one object, no batches, no responses from clients.
    if (!isPlainObject(message)) return errorResponse(undefined, invalidRequest('Invalid Request: expected a single JSON-RPC object'));
    const rawId = message.id;
    const idValid = typeof rawId === 'string' || (typeof rawId === 'number' && Number.isInteger(rawId));
    const id = idValid ? (rawId as RequestId) : undefined;
    if (message.jsonrpc !== '2.0' || typeof message.method !== 'string' || ('id' in message && !idValid))
      return errorResponse(id, invalidRequest('Invalid Request'));
    if (message.params !== undefined && !isPlainObject(message.params)) return errorResponse(id, invalidRequest('Invalid Request: params must be an object'));
    const params = message.params as JsonObject | undefined;
    // Notifications get no response; the only core one (notifications/cancelled) is handled by the stdio transport.
    if (id === undefined) return { httpStatus: 202 };

    inFlight += 1;
    try {
      return await handleRequest(id, message.method, params, transport);
    } catch (error) {
      if (transport.signal?.aborted) return { httpStatus: 499 };
      if (error instanceof McpError) return errorResponse(id, error, transport.legacy !== undefined);
      logger.error(`${message.method} failed`, error);
      return errorResponse(id, internalError());
    } finally {
      settle();
    }
  }

  return {
    info: options.info,
    capabilities,
    events,
    state,
    logger,
    authorization: options.authorization,
    handle,
    notify,
    sessions,
    get inFlight() {
      return inFlight;
    },
    async close(timeoutMs = 10_000) {
      closing.abort();
      await tasks?.close();
      const idle = (waitMs: number) =>
        inFlight === 0
          ? Promise.resolve()
          : new Promise<void>((resolve) => {
              const timer = setTimeout(done, waitMs);
              function done() {
                clearTimeout(timer);
                idleWaiters.delete(done);
                resolve();
              }
              idleWaiters.add(done);
            });
      await idle(timeoutMs);
      // Session streams are process-local: end them once drained (their records stay in a shared store).
      sessions?.closeAll();
      if (inFlight === 0) return state.close();
      // The grace period is over: abort what remains; guarded requests answer -32603 at once.
      logger.warn(`shutdown: aborting ${inFlight} request(s) still running after ${timeoutMs} ms`);
      shuttingDown = true;
      for (const stopOne of [...stoppers]) stopOne();
      await idle(1_000);
      await state.close();
    },
  };
}

/** The bus plus the task store's change feed, for a listen stream that follows tasks. */
function withTaskFeed(bus: EventBus, tasks: TaskRuntime): EventBus {
  return {
    publish: (event) => bus.publish(event),
    async subscribe(listener) {
      const fromBus = await bus.subscribe(listener);
      const fromTasks = await tasks.subscribe(listener);
      return async () => {
        fromTasks();
        await fromBus();
      };
    },
  };
}

export { ErrorCode };
