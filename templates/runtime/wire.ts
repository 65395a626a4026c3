/**
 * The few MCP 2026-07-28 wire shapes the runtime itself reads or writes.
 *
 * The generator emits the full protocol types separately (src/generated/protocol/); the runtime
 * must not import them (it is copied verbatim into every project), so it keeps its own narrow
 * view of the wire here. Shapes follow spec/2026-07-28/schema.json.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** The only protocol revision this runtime speaks (basic/versioning.mdx: no handshake). */
export const PROTOCOL_VERSION = '2026-07-28';
export const SUPPORTED_PROTOCOL_VERSIONS: readonly string[] = [PROTOCOL_VERSION];

/** Reserved `_meta` keys (basic/index.mdx "_meta"). */
export const META = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  logLevel: 'io.modelcontextprotocol/logLevel',
  serverInfo: 'io.modelcontextprotocol/serverInfo',
  subscriptionId: 'io.modelcontextprotocol/subscriptionId',
} as const;

/** JSON-RPC and MCP error codes (basic/index.mdx "Error Codes"). */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  HeaderMismatch: -32020,
  MissingRequiredClientCapability: -32021,
  UnsupportedProtocolVersion: -32022,
} as const;

export type RequestId = string | number;
export type ProgressToken = string | number;

export interface JsonRpcRequest {
  jsonrpc: '2.0';
  id: RequestId;
  method: string;
  params?: JsonObject;
}
export interface JsonRpcNotification {
  jsonrpc: '2.0';
  method: string;
  params?: JsonObject;
}
export interface JsonRpcResultResponse {
  jsonrpc: '2.0';
  id: RequestId;
  result: JsonObject;
}
export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: JsonValue;
}
/** `id` is omitted (never null) when the request was too malformed to read one (basic/index.mdx). */
export interface JsonRpcErrorResponse {
  jsonrpc: '2.0';
  id?: RequestId;
  error: JsonRpcErrorObject;
}
export type JsonRpcResponse = JsonRpcResultResponse | JsonRpcErrorResponse;
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

export interface Icon {
  src: string;
  mimeType?: string;
  sizes?: string[];
  theme?: 'light' | 'dark';
}

/** `Implementation` (serverInfo / clientInfo). */
export interface Implementation {
  name: string;
  version: string;
  title?: string;
  description?: string;
  websiteUrl?: string;
  icons?: Icon[];
}

export interface ClientCapabilities {
  elicitation?: { form?: JsonObject; url?: JsonObject };
  sampling?: { context?: JsonObject; tools?: JsonObject };
  roots?: JsonObject;
  experimental?: Record<string, JsonObject>;
  extensions?: Record<string, JsonObject>;
}

export interface ServerCapabilities {
  tools?: { listChanged?: boolean };
  prompts?: { listChanged?: boolean };
  resources?: { listChanged?: boolean; subscribe?: boolean };
  completions?: JsonObject;
  logging?: JsonObject;
  experimental?: Record<string, JsonObject>;
  extensions?: Record<string, JsonObject>;
}

/** RFC 5424 severities in ascending order (server/utilities/logging.mdx). */
export const LOGGING_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
export type LoggingLevel = (typeof LOGGING_LEVELS)[number];

export interface Annotations {
  audience?: ('user' | 'assistant')[];
  priority?: number;
  lastModified?: string;
}

export interface TextContent {
  type: 'text';
  text: string;
  annotations?: Annotations;
  _meta?: JsonObject;
}
export interface ImageContent {
  type: 'image';
  data: string;
  mimeType: string;
  annotations?: Annotations;
  _meta?: JsonObject;
}
export interface AudioContent {
  type: 'audio';
  data: string;
  mimeType: string;
  annotations?: Annotations;
  _meta?: JsonObject;
}
/** What describes a resource wherever one is listed or linked. */
export interface ResourceDescriptor {
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  size?: number;
}
export interface ResourceLink extends ResourceDescriptor {
  type: 'resource_link';
  icons?: Icon[];
  annotations?: Annotations;
  _meta?: JsonObject;
}
export interface TextResourceContents {
  uri: string;
  mimeType?: string;
  text: string;
  _meta?: JsonObject;
}
export interface BlobResourceContents {
  uri: string;
  mimeType?: string;
  /** base64 */
  blob: string;
  _meta?: JsonObject;
}
export type ResourceContents = TextResourceContents | BlobResourceContents;
export interface EmbeddedResource {
  type: 'resource';
  resource: ResourceContents;
  annotations?: Annotations;
  _meta?: JsonObject;
}
export type ContentBlock = TextContent | ImageContent | AudioContent | ResourceLink | EmbeddedResource;

export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** A JSON Schema object as served on the wire; kept verbatim (server/tools.mdx, SEP-2106). */
export type JsonSchemaObject = { [key: string]: unknown };

export type CacheScope = 'public' | 'private';
/** Caching hints (server/utilities/caching.mdx). */
export interface CacheHint {
  ttlMs: number;
  cacheScope: CacheScope;
}

export interface PromptArgument {
  name: string;
  title?: string;
  description?: string;
  required?: boolean;
}
export interface PromptMessage {
  role: 'user' | 'assistant';
  content: ContentBlock;
}

/** Listen filter (basic/patterns/subscriptions.mdx "Notification Filter"). */
export interface SubscriptionFilter {
  toolsListChanged?: boolean;
  promptsListChanged?: boolean;
  resourcesListChanged?: boolean;
  resourceSubscriptions?: string[];
  /** Tasks extension: `notifications/tasks` for these task ids (extensions/tasks.md "Task Status Notifications"). */
  taskIds?: string[];
}

// ---- MRTR input requests and responses (basic/patterns/mrtr.mdx) -----------------------------

export interface ElicitFormParams {
  mode?: 'form';
  message: string;
  requestedSchema: JsonSchemaObject;
  _meta?: JsonObject;
}
export interface ElicitUrlParams {
  mode: 'url';
  message: string;
  url: string;
  _meta?: JsonObject;
}
export type ElicitParams = ElicitFormParams | ElicitUrlParams;

export type ElicitContentValue = string | number | boolean | string[];
export interface ElicitResult<C = Record<string, ElicitContentValue>> {
  action: 'accept' | 'decline' | 'cancel';
  content?: C;
}

export interface SamplingMessage {
  role: 'user' | 'assistant';
  content: JsonObject | JsonObject[];
  _meta?: JsonObject;
}
export interface CreateMessageParams {
  messages: SamplingMessage[];
  maxTokens: number;
  systemPrompt?: string;
  modelPreferences?: JsonObject;
  temperature?: number;
  stopSequences?: string[];
  metadata?: JsonObject;
  includeContext?: 'none' | 'thisServer' | 'allServers';
  tools?: JsonObject[];
  toolChoice?: JsonObject;
  _meta?: JsonObject;
}
export interface CreateMessageResult {
  role: 'user' | 'assistant';
  content: JsonObject | JsonObject[];
  model: string;
  stopReason?: string;
  _meta?: JsonObject;
}
export interface Root {
  uri: string;
  name?: string;
  _meta?: JsonObject;
}
export interface ListRootsResult {
  roots: Root[];
}

export type InputRequest =
  | { method: 'elicitation/create'; params: ElicitParams }
  | { method: 'sampling/createMessage'; params: CreateMessageParams }
  | { method: 'roots/list'; params?: JsonObject };
