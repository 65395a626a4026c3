/**
 * mcp-gen client runtime for MCP 2026-07-28 (stateless: per-request _meta, MRTR, subscriptions/listen,
 * Streamable HTTP and stdio), falling back to the 2025-11-25 session wire for initialize-based
 * servers. Generated `client.ts` files import everything from here.
 */
export { createClient, McpClient } from './create-client.ts';
export { createOAuth, FileTokenStore, loopbackLogin, McpAuthError, MemoryTokenStore, OAuthClientAuth, openInBrowser } from './auth/index.ts';
export type { ClientCredentialsGrant, EnterpriseGrant, LoginHandler, LoopbackLoginOptions, OAuthClientOptions, PreRegisteredClient, StoredClient, StoredTokens, TokenStore, WorkloadIdentityGrant } from './auth/index.ts';
export type { CallOptions, ClientOptions, ListOptions, ToolCallOptions } from './create-client.ts';
export { createTypedClient, definePromptCall, defineResourceTemplateRead, defineToolCall } from './typed-client.ts';
export type {
  ClientManifest,
  PromptArgs,
  PromptCallSpec,
  PromptMethod,
  ResourceTemplateSpec,
  TemplateMethod,
  ToolCallSpec,
  ToolInput,
  ToolMethod,
  ToolOutput,
  TypedCallOptions,
  TypedClient,
  TypedClientOptions,
} from './typed-client.ts';
export type { ElicitAnswer, InputContext, InputHandlers } from './input-requests.ts';
export type { EraPreference, LogMessage, ProgressUpdate, RequestOptions, ServerEra } from './rpc-session.ts';
export { LEGACY_PROTOCOL_VERSIONS } from './legacy-session.ts';
export type { InitializeResult } from './legacy-session.ts';
export type { ListenEvent, ListenOptions, Subscription } from './subscription.ts';
export type { Completion, CompleteParams, CompletionReference, DiscoverResult, GetPromptResult, Prompt, ReadResourceResult, Resource, ResourceTemplate, Tool, ToolResult } from './results.ts';
export type { HeaderParamSpec } from './tool-header-params.ts';
export { checkHeaderParams } from './tool-header-params.ts';
export { encodeHeaderText } from './header-values.ts';
export { expandUriTemplate } from './uri-template-expand.ts';
export { ResultCache } from './result-cache.ts';
export { TaskHandle, TASKS_EXTENSION } from './tasks.ts';
export type { TaskInfo, TaskStatus as ClientTaskStatus, TaskWaitOptions } from './tasks.ts';
export type { StdioServerParameters } from './stdio-transport.ts';
export type { HeadersSource } from './http-transport.ts';
export type { ClientTransport, TransportRequest, TransportResponse } from './transport.ts';
export {
  HeaderValueError,
  InputRoundsExceededError,
  LegacyServerError,
  McpAbortError,
  McpClientError,
  McpProtocolError,
  McpResponseTooLargeError,
  McpRpcError,
  McpSessionExpiredError,
  McpSubscriptionOverflowError,
  McpTaskCancelledError,
  McpTimeoutError,
  McpTransportError,
  MissingInputHandlerError,
  ToolInputValidationError,
  ToolOutputValidationError,
  UnsupportedProtocolVersionError,
} from './errors.ts';
