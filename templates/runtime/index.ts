/**
 * mcp-gen runtime for MCP 2026-07-28 servers (stateless: per-request _meta, MRTR, subscriptions/listen),
 * which also serve 2025-11-25 clients on the initialize/session wire (legacy/) from the same endpoint.
 * Generated `server.ts` files import everything from here.
 */
export { createMcpServer, IMPLEMENTED_PROTOCOL_VERSIONS } from './create-server.ts';
export { InMemorySessionStore, DEFAULT_MAX_SESSIONS, DEFAULT_SESSION_IDLE_MS } from './legacy/session-store.ts';
export type { InMemorySessionStoreOptions, SessionRecord, SessionStore } from './legacy/session-store.ts';
export { SESSION_WIRE_VERSIONS } from './legacy/scope.ts';
export type { DispatchOutcome, McpServer, McpServerOptions, TransportContext } from './create-server.ts';
export type { ParamsValidator, ProtocolMethod, ProtocolRevision } from './protocol-table.ts';
export { defineTool } from './tools.ts';
export type { HeaderParam, ToolContentReturn, ToolDefinition, ToolReturn, ToolStructuredReturn } from './tools.ts';
export { defineResource, defineResourceTemplate } from './resources.ts';
export type { ResourceBody, ResourceDefinition, ResourceReadReturn, ResourceTemplateDefinition } from './resources.ts';
export { definePrompt } from './prompts.ts';
export type { PromptArgs, PromptDefinition, PromptReturn } from './prompts.ts';
export type { Completer, CompletionContext, CompletionValues } from './completion.ts';
export type { AuthInfo, RequestContext, ToolContext, ToolErrorResult } from './context.ts';
export { elicitation, isInputRequiredSignal, listRoots, sampling } from './mrtr.ts';
export type { ElicitAnswer, InputAsk } from './mrtr.ts';
export type { RequestMeta } from './request-meta.ts';
export type { CachingOptions } from './caching.ts';
export { InMemoryEventBus } from './subscriptions.ts';
export type { ChangeNotifier, EventBus, ServerEvent, Unsubscribe } from './subscriptions.ts';
export { InMemoryReplayGuard } from './state/replay-guard.ts';
export type { ReplayGuard } from './state/replay-guard.ts';
export { RedisEventBus } from './state/redis-event-bus.ts';
export { RedisReplayGuard } from './state/redis-replay-guard.ts';
export { RedisConnection } from './state/redis-connection.ts';
export type { RedisConnectionOptions } from './state/redis-connection.ts';
export { resolveStateBackend } from './state/backend.ts';
export { RedisTaskStore } from './tasks/redis-store.ts';
export { InMemoryTaskLeases, RedisTaskLeases, TaskLeaseKeeper, DEFAULT_LEASE_MS, notRetriedMessage } from './tasks/lease.ts';
export type { LeaseKeeperOptions, TaskLeases } from './tasks/lease.ts';
export type { StateBackend, StateConfig } from './state/backend.ts';
export { McpError, ToolError } from './errors.ts';
export { InMemoryTaskStore, isExpired, isTerminal, updateTask } from './tasks/store.ts';
export type { TaskRecord, TaskRequest, TaskStatus, TaskStore } from './tasks/store.ts';
export type { TaskControl, TaskMode, TaskOptions, ToolTaskOptions } from './tasks/runner.ts';
export type { RuntimeLogger } from './log.ts';
export { serveHttp, createNodeRequestListener } from './http/node.ts';
export type { HttpServerHandle, ServeHttpOptions } from './http/node.ts';
export { toWebHandler } from './http/web.ts';
export type { HttpExchangeOptions, HttpReply } from './http/exchange.ts';
export { serveStdio } from './stdio.ts';
export type { ServeStdioOptions, StdioHandle } from './stdio.ts';
export * from './wire.ts';
