/**
 * AppModel: what to generate, checked and normalized. Every collection is sorted so the model
 * (and everything emitted from it) does not depend on manifest order. Plain JSON only: the CLI
 * prints it with `mcp-gen inspect app --json`.
 */
import type { CacheKind, CachePolicy, SpecRevision, TaskMode, AskKind } from '../manifest/manifest-definition.ts';
import type { HeaderValueType } from '../manifest/rules/x-mcp-header.ts';
import type { TemplateOperator } from '../manifest/rules/uri-template.ts';
import type { GeneratedNames } from './names.ts';
import type { SharedSchemaLinks } from '../manifest/schema/bundle-schema.ts';

export type { SharedSchemaLinks };

export type JsonSchemaObject = Record<string, unknown>;

export interface AppModel {
  spec: SpecRevision;
  /** The manifest's `serve:` as written (checked: includes `spec`, nothing newer); absent: the default. */
  serve?: SpecRevision[];
  server: ServerModel;
  tools: ToolModel[];
  resources: ResourceModel[];
  resourceTemplates: ResourceTemplateModel[];
  prompts: PromptModel[];
  apps: UiAppModel[];
  /** The manifest's `schemas:` entries, sorted by name: emitted once each, under their own name. */
  schemas: SharedSchemaModel[];
  /** One policy per cacheable result kind, defaults filled in. */
  caching: Record<CacheKind, CachePolicy>;
  /** The manifest's `state:` when given: where state shared by replicas lives. */
  state?: StateModel;
  capabilities: CapabilitiesModel;
  /** `auth:`: the server is an OAuth 2.1 resource server on HTTP (docs/auth.md). */
  auth?: AuthModel;
}

/** The manifest's `auth:` plus every entry's own `scopes:` (only entries that have some). */
export interface AuthModel {
  issuers: string[];
  resource?: string;
  audiences?: string[];
  scopesSupported?: string[];
  defaultScopes: string[];
  implies: Record<string, string[]>;
  publicDiscover: boolean;
  algorithms?: string[];
  typ?: string;
  introspection?: { endpoint?: string };
  tools: Record<string, string[]>;
  prompts: Record<string, string[]>;
  resources: Record<string, string[]>;
  resourceTemplates: Record<string, string[]>;
}

export interface StateModel {
  backend: 'memory' | 'redis';
  url?: string;
  keyPrefix?: string;
}

export interface SharedSchemaModel {
  /** As written under `schemas:`. */
  name: string;
  /** Self-contained (bundled `$defs`). */
  schema: JsonSchemaObject;
  /** Other shared schemas it uses (`root`: it is only an alias of one). */
  links: SharedSchemaLinks;
}

export interface CapabilitiesModel {
  tools: boolean;
  resources: boolean;
  prompts: boolean;
  /** Some template variable or prompt argument declares completion values. */
  completions: boolean;
  /** Some tool renders an MCP App (io.modelcontextprotocol/ui extension). */
  apps: boolean;
  /** Some tool may run as a task (io.modelcontextprotocol/tasks extension). */
  tasks: boolean;
}

export interface IconModel {
  src: string;
  mimeType?: string;
  sizes?: string[];
  theme?: 'dark' | 'light';
}

export interface ServerModel {
  name: string;
  version: string;
  title?: string;
  description?: string;
  instructions?: string;
  icons?: IconModel[];
  websiteUrl?: string;
  /** Default request deadline in ms (runtime `requestTimeoutMs`). */
  timeoutMs?: number;
  /** Task defaults (runtime `tasks.ttlMs` / `tasks.pollIntervalMs`). */
  tasks?: { ttlMs?: number | null; pollIntervalMs?: number; leaseMs?: number };
}

export interface ToolAnnotationsModel {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

export interface ToolModel {
  name: string;
  names: GeneratedNames;
  title?: string;
  description: string;
  /** Self-contained (bundled `$defs`), root `type: object`. */
  inputSchema: JsonSchemaObject;
  outputSchema?: JsonSchemaObject;
  /** Which parts of inputSchema / outputSchema are shared schemas (emitted as references, not copies). */
  schemaLinks: { input: SharedSchemaLinks; output?: SharedSchemaLinks };
  annotations?: ToolAnnotationsModel;
  /** In manifest order: the order the tool asks in. */
  asks: AskModel[];
  task: TaskMode;
  /** Per-tool task lifetime / polling interval, overriding the server's. */
  taskTtlMs?: number | null;
  taskPollIntervalMs?: number;
  /** false: a task whose replica died fails instead of running again elsewhere (runtime `task.retry`). */
  taskRetry?: boolean;
  ui?: { appId: string; resourceUri: string };
  /** Client capabilities checked before the handler runs (-32021), sorted. */
  requires?: string[];
  /** Deadline of one call in ms, overriding the server default. */
  timeoutMs?: number;
  icons?: IconModel[];
  /** Mcp-Param-* headers mirrored from `x-mcp-header`, sorted by header name. */
  headerParams: HeaderParamModel[];
}

export interface AskModel {
  /** Key in inputRequests / inputResponses. */
  id: string;
  names: GeneratedNames;
  kind: AskKind;
  message?: string;
  /** Elicitation form (flat object of primitives). */
  schema?: JsonSchemaObject;
  schemaLinks?: SharedSchemaLinks;
}

export interface HeaderParamModel {
  /** Full header name, e.g. `Mcp-Param-Region`. */
  header: string;
  /** The `x-mcp-header` value, e.g. `Region`. */
  name: string;
  /** Chain of `properties` keys from the input root to the annotated property. */
  propertyPath: string[];
  type: HeaderValueType;
  /** Every property on the path is required, so the header is always sent. */
  required: boolean;
}

export interface ResourceModel {
  uri: string;
  name: string;
  names: GeneratedNames;
  title?: string;
  description?: string;
  mimeType?: string;
  size?: number;
  icons?: IconModel[];
}

export interface TemplateVariableModel {
  name: string;
  operator: TemplateOperator;
  explode: boolean;
  maxLength?: number;
  completions?: string[];
}

export interface ResourceTemplateModel {
  uriTemplate: string;
  name: string;
  names: GeneratedNames;
  title?: string;
  description?: string;
  mimeType?: string;
  /** In template order; a variable used twice appears once. */
  variables: TemplateVariableModel[];
  /** `{+x}`, `{#x}`, `{/x}` values may contain `..` segments. */
  allowDotSegments?: boolean;
  icons?: IconModel[];
}

export interface PromptArgumentModel {
  name: string;
  title?: string;
  description?: string;
  required: boolean;
  completions?: string[];
}

export interface PromptModel {
  name: string;
  names: GeneratedNames;
  title?: string;
  description?: string;
  /** In manifest order: clients show arguments in this order. */
  arguments: PromptArgumentModel[];
  icons?: IconModel[];
}

export interface UiAppModel {
  id: string;
  names: GeneratedNames;
  /** `ui://<id>`: the resource a host reads to render the app. */
  resourceUri: string;
  mimeType: 'text/html;profile=mcp-app';
  title?: string;
  description?: string;
  /** HTML template path, relative to the manifest, as written. */
  template: string;
  csp: { connectDomains: string[]; resourceDomains: string[]; frameDomains: string[]; baseUriDomains: string[] };
  permissions: Partial<Record<'camera' | 'microphone' | 'geolocation' | 'clipboardWrite', Record<string, never>>>;
  prefersBorder?: boolean;
  domain?: string;
  /** Names of the tools that render this app, sorted. */
  usedBy: string[];
}
