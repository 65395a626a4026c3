import type {
  CacheScope,
  ContentBlock,
  Icon,
  Implementation,
  JsonObject,
  JsonSchemaObject,
  PromptArgument,
  PromptMessage,
  ResourceContents,
  ResourceDescriptor,
  ServerCapabilities,
  ToolAnnotations,
} from '../wire.ts';

/**
 * Result shapes the client hands back (2026-07-28 schema.json). They stay open: unknown fields
 * are kept, because every wire object may grow (wire-checklist §28 "Open objects").
 */
export interface Tool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: JsonSchemaObject;
  outputSchema?: JsonSchemaObject;
  annotations?: ToolAnnotations;
  icons?: Icon[];
  _meta?: JsonObject;
  [key: string]: unknown;
}
export interface Prompt {
  name: string;
  title?: string;
  description?: string;
  arguments?: PromptArgument[];
  icons?: Icon[];
  _meta?: JsonObject;
  [key: string]: unknown;
}
export interface Resource extends ResourceDescriptor {
  [key: string]: unknown;
}
export interface ResourceTemplate {
  uriTemplate: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  [key: string]: unknown;
}
export interface DiscoverResult {
  supportedVersions: string[];
  capabilities: ServerCapabilities;
  instructions?: string;
  ttlMs?: number;
  cacheScope?: CacheScope;
  _meta?: JsonObject & { 'io.modelcontextprotocol/serverInfo'?: Implementation };
  [key: string]: unknown;
}
export interface ReadResourceResult {
  contents: ResourceContents[];
  ttlMs?: number;
  cacheScope?: CacheScope;
  _meta?: JsonObject;
  [key: string]: unknown;
}
export interface GetPromptResult {
  description?: string;
  messages: PromptMessage[];
  _meta?: JsonObject;
  [key: string]: unknown;
}
export interface Completion {
  values: string[];
  total?: number;
  hasMore?: boolean;
}

/**
 * A `tools/call` outcome. `isError: true` is a tool execution error the model should see
 * (server/tools.mdx "Error Handling"); then `structured` is not validated.
 */
export type ToolResult<O = unknown> =
  | { isError: false; structured: O; content: ContentBlock[]; _meta?: JsonObject; raw: JsonObject }
  | { isError: true; structured?: undefined; content: ContentBlock[]; _meta?: JsonObject; raw: JsonObject };

export type CompletionReference = { type: 'ref/prompt'; name: string } | { type: 'ref/resource'; uri: string };
export interface CompleteParams {
  ref: CompletionReference;
  argument: { name: string; value: string };
  context?: { arguments?: Record<string, string> };
}
