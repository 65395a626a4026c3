import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { isPlainObject, sha256Base64Url } from '../json.ts';
import { stderrLogger, type RuntimeLogger } from '../log.ts';
import {
  ErrorCode,
  PROTOCOL_VERSION,
  type ClientCapabilities,
  type ContentBlock,
  type Implementation,
  type JsonObject,
  type JsonRpcNotification,
  type LoggingLevel,
  type SubscriptionFilter,
} from '../wire.ts';
import type { OAuthClientAuth } from './auth/oauth-client.ts';
import { McpProtocolError, McpRpcError, ToolOutputValidationError } from './errors.ts';
import { HttpTransport, type HeadersSource } from './http-transport.ts';
import { capabilitiesFor, type InputHandlers } from './input-requests.ts';
import { requestWithInput } from './mrtr-loop.ts';
import { ResultCache } from './result-cache.ts';
import type { Completion, CompleteParams, DiscoverResult, GetPromptResult, Prompt, ReadResourceResult, Resource, ResourceTemplate, Tool, ToolResult } from './results.ts';
import { INPUT_CAPABLE_METHODS } from './result-type.ts';
import { LEGACY_PROTOCOL_VERSIONS } from './legacy-session.ts';
import { RpcSession, type EraPreference, type RequestOptions, type ServerEra } from './rpc-session.ts';
import { StdioTransport, type StdioServerParameters } from './stdio-transport.ts';
import { readTask, TaskHandle, TASKS_EXTENSION } from './tasks.ts';
import { openSubscription, type ListenEvent, type ListenOptions, type Subscription } from './subscription.ts';
import { checkHeaderParams, paramHeaders, type HeaderParamSpec } from './tool-header-params.ts';
import type { ClientTransport } from './transport.ts';

export interface ClientOptions {
  /** Streamable HTTP endpoint. Exactly one of `url`, `stdio`, `transport`. */
  url?: string | URL;
  /** Launch the server as a subprocess (stdio transport). */
  stdio?: StdioServerParameters;
  transport?: ClientTransport;
  /** Sent as `_meta["io.modelcontextprotocol/clientInfo"]` on every request (basic/index.mdx: SHOULD). */
  clientInfo?: Implementation;
  /** Declared on every request. Default: derived from `handlers`. */
  capabilities?: ClientCapabilities;
  /** Answers to MRTR input requests (elicitation, sampling, roots). */
  handlers?: InputHandlers;
  /**
   * Which era to speak. 'auto' (default): detect it (basic/versioning.mdx "Backward Compatibility")
   * and fall back to the 2025-11-25 wire for a legacy server. 'modern': 2026-07-28 only (a legacy
   * server raises `LegacyServerError`). 'legacy': `initialize` right away, no detection.
   */
  era?: EraPreference;
  /** The initialization-based revision offered on fallback. Default 2025-11-25. */
  legacyProtocolVersion?: string;
  /** Preferred revision. Default 2026-07-28. */
  protocolVersion?: string;
  /** Modern revisions this client can speak, preferred first. Default [protocolVersion]. */
  supportedProtocolVersions?: readonly string[];
  fetch?: typeof fetch;
  /**
   * OAuth 2.1 for a protected HTTP server (`createOAuth(...)` from `./auth/index.ts`): a 401 starts
   * discovery and login, a 403 `insufficient_scope` steps up. Wraps `fetch`. See docs/client.md.
   */
  auth?: OAuthClientAuth;
  /** HTTP headers for every POST (e.g. `Authorization`), or a function returning them. */
  headers?: HeadersSource;
  /** Per-request timeout. Default 60 s; 0 disables. */
  timeoutMs?: number;
  /** Ceiling when progress keeps resetting the timeout. Default 10 min. */
  maxTimeoutMs?: number;
  /** Progress notifications restart the timeout (basic/patterns/cancellation.mdx "Timeouts"). Default true. */
  resetTimeoutOnProgress?: boolean;
  /** Largest JSON body, SSE event or stdio line accepted. Default 16 MiB. */
  maxResponseBytes?: number;
  /** MRTR rounds before giving up. Default 10. */
  maxInputRounds?: number;
  /** Pages a list walk may take. Default 100. */
  maxListPages?: number;
  /** Probe with `server/discover` before the first request. Default: true on stdio, false on HTTP. */
  probe?: boolean;
  probeTimeoutMs?: number;
  /** A shared cache, or false to disable caching. Default: a private cache per client. */
  cache?: ResultCache | false;
  /** Authorization context for `"private"` cache entries. Default: derived from static `Authorization`, else per client. */
  cacheIdentity?: string;
  /** Default `_meta` logLevel for every request. */
  logLevel?: LoggingLevel;
  logger?: RuntimeLogger;
  /** stdio notifications that belong to no in-flight request. */
  onNotification?: (notification: JsonRpcNotification) => void;
  /** `resultType` values of extensions this client advertises. */
  extensionResultTypes?: readonly string[];
  /**
   * Declare the Tasks extension (extensions/tasks.md) so servers may run tool calls as tasks;
   * `callTool` still resolves the final result (it polls). Default true.
   */
  tasks?: boolean;
}

export type CallOptions = RequestOptions;
export interface ListOptions extends RequestOptions {
  /** Skip the cache and fetch fresh pages. */
  refresh?: boolean;
}
export interface ToolCallOptions<O = unknown> extends RequestOptions {
  /** Validates `structuredContent`; failures throw `ToolOutputValidationError`. */
  output?: z.ZodType<O>;
  /** `x-mcp-header` params known ahead of `tools/list` (e.g. from the manifest); a listed schema wins. */
  headerParams?: readonly HeaderParamSpec[];
}

const DEFAULTS = {
  timeoutMs: 60_000,
  maxTimeoutMs: 600_000,
  maxResponseBytes: 16 * 1024 * 1024,
  maxInputRounds: 10,
  maxListPages: 100,
  probeTimeoutMs: 5_000,
  maxQueuedEvents: 1_000,
};

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
}

/** The transport's fetch: the OAuth client's when `auth` is set (it calls `options.fetch` itself). */
function authorizedFetch(options: ClientOptions): typeof fetch | undefined {
  if (!options.auth) return options.fetch;
  if (options.fetch) throw new TypeError('pass `fetch` to createOAuth({ fetch }) rather than beside `auth`');
  return options.auth.fetch;
}

function identityFor(options: ClientOptions): string {
  if (options.cacheIdentity) return options.cacheIdentity;
  if (options.headers && typeof options.headers !== 'function') {
    const auth = Object.entries(options.headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
    if (auth) return `auth:${sha256Base64Url(auth)}`;
  }
  return `client:${randomUUID()}`;
}

/**
 * An MCP client for both eras: stateless 2026-07-28 (every request carries its own `_meta`,
 * nothing is negotiated up front) and, when the server turns out to be legacy, the 2025-11-25
 * session wire behind the same methods. See docs/client.md for the behaviour behind each method.
 */
export class McpClient {
  readonly #options: ClientOptions;
  readonly #session: RpcSession;
  readonly #cache: ResultCache | undefined;
  readonly #identity: string;
  readonly #logger: RuntimeLogger;
  readonly #handlers: InputHandlers;
  /** `x-mcp-header` params from the most recent `tools/list` (streamable-http.mdx "Client Behavior"). */
  readonly #toolHeaders = new Map<string, readonly HeaderParamSpec[]>();

  constructor(options: ClientOptions) {
    const targets = [options.url, options.stdio, options.transport].filter((t) => t !== undefined).length;
    if (targets !== 1) throw new TypeError('createClient needs exactly one of url, stdio or transport');
    this.#options = options;
    this.#logger = options.logger ?? stderrLogger;
    this.#handlers = options.handlers ?? {};
    const maxResponseBytes = options.maxResponseBytes ?? DEFAULTS.maxResponseBytes;
    const transport =
      options.transport ??
      (options.url !== undefined
        ? new HttpTransport({ url: options.url, fetch: authorizedFetch(options), headers: options.headers, maxResponseBytes })
        : new StdioTransport({ ...options.stdio!, maxResponseBytes, logger: this.#logger, onUnroutedNotification: options.onNotification }));
    const protocolVersion = options.protocolVersion ?? PROTOCOL_VERSION;
    const tasks = options.tasks ?? true;
    const derived = capabilitiesFor(this.#handlers) as ClientCapabilities;
    if (tasks) derived.extensions = { ...derived.extensions, [TASKS_EXTENSION]: {} };
    this.#session = new RpcSession({
      transport,
      era: options.era ?? 'auto',
      legacyProtocolVersion: options.legacyProtocolVersion ?? LEGACY_PROTOCOL_VERSIONS[0]!,
      handlers: this.#handlers,
      onNotification: options.onNotification,
      clientInfo: options.clientInfo,
      capabilities: options.capabilities ?? derived,
      protocolVersion,
      supportedVersions: options.supportedProtocolVersions ?? [protocolVersion],
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      maxTimeoutMs: options.maxTimeoutMs ?? DEFAULTS.maxTimeoutMs,
      resetTimeoutOnProgress: options.resetTimeoutOnProgress ?? true,
      probe: options.probe ?? transport.kind === 'stdio',
      probeTimeoutMs: options.probeTimeoutMs ?? DEFAULTS.probeTimeoutMs,
      extensionResultTypes: new Set([...(options.extensionResultTypes ?? []), ...(tasks ? ['task'] : [])]),
      logger: this.#logger,
    });
    this.#cache = options.cache === false ? undefined : (options.cache ?? new ResultCache());
    this.#identity = identityFor(options);
  }

  /** The revision in use (it changes when the server answers -32022 with another one, or turns out to be legacy). */
  get protocolVersion(): string {
    return this.#session.protocolVersion;
  }
  get era(): ServerEra {
    return this.#session.era;
  }
  get transportKind(): 'http' | 'stdio' {
    return this.#session.transport.kind;
  }

  #withDefaults<T extends RequestOptions>(options: T | undefined): T {
    const merged = { ...options } as T;
    if (merged.logLevel === undefined && this.#options.logLevel) merged.logLevel = this.#options.logLevel;
    return merged;
  }

  async #send(method: string, params: JsonObject, options: RequestOptions): Promise<{ result: JsonObject; rounds: number }> {
    const merged = this.#withDefaults(options);
    const outcome = INPUT_CAPABLE_METHODS.has(method)
      ? await requestWithInput(this.#session, method, params, { ...merged, handlers: this.#handlers, maxInputRounds: this.#options.maxInputRounds ?? DEFAULTS.maxInputRounds })
      : { result: await this.#session.request(method, params, merged), rounds: 0 };
    const probed = this.#session.takeProbeResult();
    if (probed) this.#cache?.set('server/discover', this.#cacheKey({}), probed, this.#identity);
    return outcome;
  }

  /** Serves fresh cached results; stores first-round complete results (server/utilities/caching.mdx). */
  async #cached(method: string, params: JsonObject, options: ListOptions = {}): Promise<JsonObject> {
    const { refresh, ...rest } = options;
    if (!refresh) {
      const hit = this.#cache?.get(method, this.#cacheKey(params), this.#identity);
      if (hit) return hit;
    }
    const { result, rounds } = await this.#send(method, params, rest);
    if (rounds === 0) this.#cache?.set(method, this.#cacheKey(params), result, this.#identity);
    return result;
  }

  /** A cache shared by several clients must not serve one server's lists to another's client. */
  #cacheKey(params: JsonObject): JsonObject {
    const o = this.#options;
    const server = o.url !== undefined ? String(o.url) : o.stdio ? [o.stdio.command, ...(o.stdio.args ?? [])].join(' ') : 'custom-transport';
    return { ...params, '\u0000server': server };
  }

  async #listAll(method: string, field: string, options: ListOptions = {}): Promise<unknown[]> {
    const maxPages = this.#options.maxListPages ?? DEFAULTS.maxListPages;
    let items: unknown[] = [];
    let cursor: string | undefined;
    let restarted = false;
    for (let page = 0; page < maxPages; page++) {
      let result: JsonObject;
      try {
        result = await this.#cached(method, cursor === undefined ? {} : { cursor }, options);
      } catch (error) {
        // An invalid cursor: drop every cached page and start over (caching.mdx "Interaction with Pagination").
        if (error instanceof McpRpcError && error.code === ErrorCode.InvalidParams && cursor !== undefined && !restarted) {
          this.#cache?.invalidate(method);
          [items, cursor, restarted, page] = [[], undefined, true, -1];
          continue;
        }
        throw error;
      }
      const list = result[field];
      if (!Array.isArray(list)) throw new McpProtocolError(`${method} result has no '${field}' array`);
      items = items.concat(list);
      // Only an absent nextCursor ends the list; "" is a valid cursor (pagination.mdx).
      if (typeof result.nextCursor !== 'string') return items;
      cursor = result.nextCursor;
    }
    throw new McpProtocolError(`${method} did not finish within ${maxPages} pages`, { kind: 'too_many_pages' });
  }

  /** `server/discover` (server/discover.mdx), cached per its hints. */
  async discover(options?: ListOptions): Promise<DiscoverResult> {
    const result = await this.#cached('server/discover', {}, options);
    if (!Array.isArray(result.supportedVersions) || !isPlainObject(result.capabilities))
      throw new McpProtocolError('server/discover result lacks supportedVersions or capabilities');
    return result as unknown as DiscoverResult;
  }

  /**
   * All tools, every page. On HTTP, tools whose `x-mcp-header` annotations break the rules are
   * left out with a warning (streamable-http.mdx "Schema Extension"); stdio MAY ignore them.
   */
  async listTools(options?: ListOptions): Promise<Tool[]> {
    const listed = (await this.#listAll('tools/list', 'tools', options)) as Tool[];
    const tools: Tool[] = [];
    for (const tool of listed) {
      if (!isPlainObject(tool) || typeof tool.name !== 'string' || !isPlainObject(tool.inputSchema)) {
        this.#logger.warn(`dropping a malformed tool definition from tools/list`);
        continue;
      }
      const check = checkHeaderParams(tool.inputSchema);
      if (!check.ok) {
        if (this.transportKind === 'http') {
          this.#logger.warn(`dropping tool '${tool.name}': ${check.reason}`);
          this.#toolHeaders.delete(tool.name);
          continue;
        }
        this.#toolHeaders.set(tool.name, []);
      } else this.#toolHeaders.set(tool.name, check.params);
      tools.push(tool);
    }
    return tools;
  }

  async listPrompts(options?: ListOptions): Promise<Prompt[]> {
    return (await this.#listAll('prompts/list', 'prompts', options)) as Prompt[];
  }
  async listResources(options?: ListOptions): Promise<Resource[]> {
    return (await this.#listAll('resources/list', 'resources', options)) as Resource[];
  }
  async listResourceTemplates(options?: ListOptions): Promise<ResourceTemplate[]> {
    return (await this.#listAll('resources/templates/list', 'resourceTemplates', options)) as ResourceTemplate[];
  }

  #headersFor(name: string, args: JsonObject, fallback: readonly HeaderParamSpec[] | undefined): Record<string, string> | undefined {
    if (this.transportKind !== 'http') return undefined;
    const params = this.#toolHeaders.get(name) ?? fallback;
    return params && params.length > 0 ? paramHeaders(params, args) : undefined;
  }

  /** `tools/call` with MRTR, `Mcp-Param-*` mirroring and optional output validation (server/tools.mdx). */
  async callTool<O = unknown>(name: string, args: JsonObject = {}, options: ToolCallOptions<O> = {}): Promise<ToolResult<O>> {
    // A task is followed to its end: the caller gets the same final result either way.
    return (await this.startTool(name, args, options)).result({ signal: options.signal });
  }

  /**
   * `tools/call` returning a handle: for a call the server ran as a task (CreateTaskResult,
   * extensions/tasks.md) it offers `status()`, `respond()`, `cancel()` and `result()`; for one it
   * answered at once, `result()` resolves immediately.
   */
  async startTool<O = unknown>(name: string, args: JsonObject = {}, options: ToolCallOptions<O> = {}): Promise<TaskHandle<O>> {
    const result = await this.#callToolRaw(name, args, options);
    const shape = (final: JsonObject) => shapeToolResult(name, final, options.output);
    const rpc = { request: (method: string, params: JsonObject, requestOptions: RequestOptions) => this.#session.request(method, params, this.#withDefaults(requestOptions)), handlers: this.#handlers };
    return result.resultType === 'task' ? new TaskHandle<O>(rpc, { task: readTask('tools/call', result) }, shape) : new TaskHandle<O>(rpc, { result }, shape);
  }

  async #callToolRaw(name: string, args: JsonObject, options: ToolCallOptions<unknown>): Promise<JsonObject> {
    const { output: _output, headerParams, ...request } = options;
    const params: JsonObject = { name, arguments: args };
    const withHeaders = () => ({ ...request, headers: { ...request.headers, ...this.#headersFor(name, args, headerParams) } });
    let result: JsonObject;
    try {
      result = (await this.#send('tools/call', params, withHeaders())).result;
    } catch (error) {
      // HeaderMismatch may mean a stale inputSchema: re-list and retry once (streamable-http.mdx "Client Behavior").
      if (!(error instanceof McpRpcError && error.code === ErrorCode.HeaderMismatch && this.transportKind === 'http')) throw error;
      await this.listTools({ refresh: true, signal: request.signal });
      result = (await this.#send('tools/call', params, withHeaders())).result;
    }
    return result;
  }

  /** `resources/read`, cached per its hints unless the server asked for input. */
  async readResource(uri: string, options?: ListOptions): Promise<ReadResourceResult> {
    const result = await this.#cached('resources/read', { uri }, options);
    if (!Array.isArray(result.contents)) throw new McpProtocolError('resources/read result has no contents array');
    return result as unknown as ReadResourceResult;
  }

  async getPrompt(name: string, args: Record<string, string> = {}, options?: CallOptions): Promise<GetPromptResult> {
    const { result } = await this.#send('prompts/get', { name, arguments: args }, options ?? {});
    if (!Array.isArray(result.messages)) throw new McpProtocolError('prompts/get result has no messages array');
    return result as unknown as GetPromptResult;
  }

  /** `completion/complete` (server/utilities/completion.mdx). */
  async complete(params: CompleteParams, options?: CallOptions): Promise<Completion> {
    const { result } = await this.#send('completion/complete', params as unknown as JsonObject, options ?? {});
    const completion = result.completion;
    if (!isPlainObject(completion) || !Array.isArray(completion.values)) throw new McpProtocolError('completion/complete result has no completion.values');
    return completion as unknown as Completion;
  }

  /** Opens a `subscriptions/listen` stream; change events also invalidate the cache. */
  listen(filter: SubscriptionFilter, options: ListenOptions = {}): Subscription {
    return openSubscription(this.#session, filter, {
      ...options,
      ackTimeoutMs: options.ackTimeoutMs ?? this.#options.timeoutMs ?? DEFAULTS.timeoutMs,
      maxQueuedEvents: options.maxQueuedEvents ?? DEFAULTS.maxQueuedEvents,
      maxQueuedBytes: options.maxQueuedBytes ?? this.#options.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
      onEvent: (event) => this.#invalidateFor(event),
    });
  }

  #invalidateFor(event: ListenEvent): void {
    const cache = this.#cache;
    if (!cache) return;
    if (event.kind === 'toolsListChanged') cache.invalidate('tools/list');
    else if (event.kind === 'promptsListChanged') cache.invalidate('prompts/list');
    else if (event.kind === 'resourcesListChanged') (cache.invalidate('resources/list'), cache.invalidate('resources/templates/list'));
    else if (event.kind === 'resourceUpdated') cache.invalidate('resources/read', (params) => params.uri === event.uri);
  }

  /** Untyped escape hatch: any method, with `_meta`, negotiation and (where allowed) MRTR; never cached. */
  async request(method: string, params: JsonObject = {}, options: CallOptions = {}): Promise<JsonObject> {
    if (method === 'tools/call' && typeof params.name === 'string') {
      const args = isPlainObject(params.arguments) ? params.arguments : {};
      options = { ...options, headers: { ...options.headers, ...this.#headersFor(params.name, args, undefined) } };
    }
    return (await this.#send(method, params, options)).result;
  }

  /** Drops every cached result of this client's cache. */
  clearCache(): void {
    this.#cache?.clear();
  }

  async close(): Promise<void> {
    await this.#session.transport.close();
  }
}

function shapeToolResult<O>(name: string, result: JsonObject, output: z.ZodType<O> | undefined): ToolResult<O> {
  const content = result.content ?? [];
  if (!Array.isArray(content)) throw new McpProtocolError(`tools/call ${name}: content is not an array`);
  const base = { content: content as unknown as ContentBlock[], raw: result, ...(isPlainObject(result._meta) ? { _meta: result._meta } : {}) };
  if (result.isError === true) return { ...base, isError: true };
  const structured = result.structuredContent;
  if (!output) return { ...base, isError: false, structured: structured as O };
  if (structured === undefined) throw new ToolOutputValidationError(name, ['structuredContent is missing'], undefined);
  const checked = output.safeParse(structured);
  if (!checked.success) throw new ToolOutputValidationError(name, describeIssues(checked.error), structured);
  return { ...base, isError: false, structured: checked.data };
}

export function createClient(options: ClientOptions): McpClient {
  return new McpClient(options);
}
