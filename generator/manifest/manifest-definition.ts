/**
 * The one definition of the `mcp-gen.yaml` format. The shape validator (validate-manifest.ts),
 * the `Manifest` type and the JSON Schema printed by `mcp-gen manifest schema` all derive from
 * this zod schema, so editors and the loader can never disagree about what is valid.
 *
 * Only the *shape* lives here. Rules that need context (uniqueness, $ref targets, x-mcp-header,
 * URI syntax) live in rules/ so that they can report positions and keep going.
 */
import { z } from 'zod';
import type { SharedSchemaLinks } from './schema/bundle-schema.ts';

export const SPEC_REVISIONS = ['2026-07-28', '2025-11-25'] as const;
export type SpecRevision = (typeof SPEC_REVISIONS)[number];

/** Result kinds that carry `ttlMs`/`cacheScope` (server/utilities/caching.mdx, "Cacheable Results"). */
export const CACHE_KINDS = ['tools', 'prompts', 'resources', 'resourceTemplates', 'read', 'discover'] as const;
export type CacheKind = (typeof CACHE_KINDS)[number];

/**
 * Immediately stale and never shared across users: the only choice that is correct for every
 * server. A list that is identical for all users can opt into `public` and a longer TTL.
 */
export const DEFAULT_CACHE_POLICY = { ttlMs: 0, cacheScope: 'private' } as const;

export const APP_PERMISSIONS = ['camera', 'microphone', 'geolocation', 'clipboardWrite'] as const;

/** A JSON Schema is kept as opaque data here; rules/ and schema/ check it against 2020-12. */
const jsonSchema = z
  .record(z.string(), z.unknown())
  .describe('A JSON Schema (2020-12 by default): inline, or {$ref: "#/schemas/Name"} or {$ref: "./file.json"}.');

const text = z.string();

const icon = z.strictObject({
  src: z.string().describe('http(s) URL or data: URI of the image.'),
  mimeType: z.string().optional(),
  sizes: z.array(z.string()).optional().describe('e.g. ["48x48"] or ["any"].'),
  theme: z.enum(['dark', 'light']).optional(),
});
const icons = z.array(icon).optional();

const server = z.strictObject({
  name: z.string().min(1).describe('Programmatic name of the server.'),
  version: z.string().min(1).describe('Server version; quote it so YAML keeps it a string ("1.0").'),
  title: text.optional(),
  description: text.optional(),
  instructions: text.optional().describe('How a model should use this server.'),
  icons,
  websiteUrl: z.string().optional(),
  timeoutMs: z
    .int()
    .min(0)
    .optional()
    .describe('Deadline (ms) of each request that runs a handler; on expiry its signal aborts and the request fails with -32603. 0 disables. Default 60000.'),
  tasks: z
    .strictObject({
      ttlMs: z
        .int()
        .min(1)
        .nullable()
        .optional()
        .describe('Default lifetime (ms) of a task from its creation; null = unlimited. Runtime default 3600000.'),
      pollIntervalMs: z.int().min(1).optional().describe('Default polling interval (ms) suggested to clients. Runtime default 1000.'),
      leaseMs: z
        .int()
        .min(100)
        .optional()
        .describe('With shared (Redis) state: how long a running task\'s lease lasts without renewal, i.e. the longest a task of a replica that died waits before another replica re-runs it (or fails it, `taskRetry: false`). Runtime default 10000.'),
    })
    .optional()
    .describe('Defaults for tools that run as tasks (tasks extension).'),
});

/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
export const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const scopes = z
  .array(z.string())
  .optional()
  .describe('OAuth scopes a caller needs for this entry (all of them; `auth.implies` applies). Default: `auth.defaultScopes`. Needs `auth:`.');

const annotations = z.strictObject({
  title: text.optional(),
  readOnlyHint: z.boolean().optional(),
  destructiveHint: z.boolean().optional(),
  idempotentHint: z.boolean().optional(),
  openWorldHint: z.boolean().optional(),
});

export const ASK_KINDS = ['elicitation', 'sampling', 'roots'] as const;
const ask = z.strictObject({
  id: z.string().min(1).describe('Key of this ask in inputRequests/inputResponses; unique within the tool.'),
  kind: z.enum(ASK_KINDS),
  message: text.optional().describe('Shown to the user (elicitation).'),
  schema: jsonSchema.optional().describe('Elicitation form: a flat object of primitive properties.'),
});

/** Client capabilities a tool may require (2026-07-28 ClientCapabilities). */
export const CLIENT_CAPABILITIES = ['elicitation', 'sampling', 'roots'] as const;

export const TASK_MODES = ['forbidden', 'optional', 'required'] as const;

/** `{type: object, additionalProperties: false}` is what tools.mdx recommends for a tool without parameters. */
export function noParametersSchema(): Record<string, unknown> {
  return { type: 'object', additionalProperties: false };
}

const tool = z.strictObject({
  name: z.string().describe('Tool name: [A-Za-z0-9_.-], 1..128 characters (64 or fewer for all hosts).'),
  title: text.optional(),
  description: text.optional().describe('What the tool does and when to use it. Required in practice.'),
  input: jsonSchema.default(noParametersSchema).describe('Input JSON Schema; the root must be `type: object`.'),
  output: jsonSchema.optional(),
  annotations: annotations.optional(),
  asks: z.array(ask).default(() => []).describe('Inputs the tool may ask the client for mid-call (multi round-trip).'),
  task: z.enum(TASK_MODES).default('forbidden').describe('Whether the tool may run as a task (tasks extension).'),
  taskTtlMs: z
    .int()
    .min(1)
    .nullable()
    .optional()
    .describe('Lifetime (ms) of this tool\'s tasks, overriding server.tasks.ttlMs; null = unlimited.'),
  taskPollIntervalMs: z.int().min(1).optional().describe('Polling interval (ms) suggested for this tool\'s tasks, overriding server.tasks.pollIntervalMs.'),
  taskRetry: z
    .boolean()
    .optional()
    .describe('With shared (Redis) state, when the replica running a task dies: true (default) runs the handler again on another replica (at-least-once, `ctx.task.isRetry`); false fails the task with a clear error instead, for side effects that must not happen twice.'),
  ui: z.string().optional().describe('Id of an entry under `apps:` rendered for this tool.'),
  requires: z
    .array(z.enum(CLIENT_CAPABILITIES))
    .optional()
    .describe('Client capabilities the tool cannot work without; a request lacking one gets -32021 before the handler runs.'),
  timeoutMs: z.int().min(0).optional().describe('Deadline (ms) of one call, overriding server.timeoutMs; 0 disables.'),
  scopes,
  icons,
});

const resource = z.strictObject({
  uri: z.string().describe('Absolute URI, e.g. file:///notes.txt.'),
  name: z.string().min(1),
  title: text.optional(),
  description: text.optional(),
  mimeType: z.string().optional(),
  size: z.int().min(0).optional(),
  scopes,
  icons,
});

const completionValues = z.array(z.string());

const resourceTemplate = z.strictObject({
  uriTemplate: z.string().describe('RFC 6570 URI template, e.g. file:///logs/{date}.'),
  name: z.string().min(1),
  title: text.optional(),
  description: text.optional(),
  mimeType: z.string().optional(),
  completions: z.record(z.string(), completionValues).optional().describe('Static completion values per template variable.'),
  allowDotSegments: z
    .boolean()
    .optional()
    .describe('Let {+x}, {#x} and {/x} values contain `..` path segments (refused with -32602 by default).'),
  scopes,
  icons,
});

const promptArgument = z.strictObject({
  name: z.string().min(1),
  title: text.optional(),
  description: text.optional(),
  required: z.boolean().default(false),
  completions: completionValues.optional(),
});

const prompt = z.strictObject({
  name: z.string().min(1),
  title: text.optional(),
  description: text.optional(),
  arguments: z.array(promptArgument).default(() => []),
  scopes,
  icons,
});

const domains = z.array(z.string()).optional();
const app = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'app ids use lowercase letters, digits and `-` (they become ui://<id>)' }),
  title: text.optional(),
  description: text.optional(),
  template: z.string().min(1).describe('Path of the HTML template, relative to the manifest.'),
  csp: z
    .strictObject({
      connectDomains: domains,
      resourceDomains: domains,
      frameDomains: domains,
      baseUriDomains: domains,
    })
    .prefault({})
    .describe('Origins the view may reach; omitted lists mean none (the secure default).'),
  permissions: z.array(z.enum(APP_PERMISSIONS)).optional(),
  prefersBorder: z.boolean().optional(),
  domain: z.string().optional(),
});

const cachePolicy = z.strictObject({
  ttlMs: z.int().min(0).default(DEFAULT_CACHE_POLICY.ttlMs).describe('How long a client may treat the result as fresh.'),
  cacheScope: z
    .enum(['public', 'private'])
    .default(DEFAULT_CACHE_POLICY.cacheScope)
    .describe('public: shareable across users; private: only within one authorization context.'),
});

const caching = z.strictObject(
  Object.fromEntries(CACHE_KINDS.map((kind) => [kind, cachePolicy.prefault({})])) as Record<
    CacheKind,
    z.ZodPrefault<typeof cachePolicy>
  >,
);

/**
 * `auth:` makes the generated server an OAuth 2.1 resource server (basic/authorization/): bearer
 * tokens on HTTP (stdio takes none), RFC 9728 metadata, per-entry scopes. docs/auth.md.
 */
const auth = z.strictObject({
  issuers: z
    .array(z.string())
    .min(1)
    .describe('Trusted authorization servers by exact issuer identifier (https://…). Env MCP_AUTH_ISSUERS (comma-separated) overrides.'),
  resource: z
    .string()
    .optional()
    .describe('This server\'s canonical URI, the token audience (RFC 8707), e.g. https://mcp.example.com/mcp. Default: the served URL. Env MCP_AUTH_RESOURCE overrides.'),
  audiences: z.array(z.string()).optional().describe('Accepted `aud` values when the issuer does not put the resource URI there (Entra: the application ID URI). Default: [resource].'),
  scopesSupported: z.array(z.string()).optional().describe('Scopes advertised in the protected-resource metadata.'),
  defaultScopes: z.array(z.string()).default(() => []).describe('Scopes an entry without its own `scopes:` needs. Default: none (any valid token).'),
  implies: z
    .record(z.string(), z.array(z.string()))
    .default(() => ({}))
    .describe('Scope hierarchy: a broader scope implies narrower ones, e.g. {admin: [write], write: [read]} (transitive).'),
  publicDiscover: z.boolean().default(false).describe('Answer server/discover without a token. Everything else always needs one.'),
  algorithms: z.array(z.string()).optional().describe('Accepted JWS algorithms. Default: RS/PS/ES 256-512 and EdDSA; none and HS* are never accepted.'),
  typ: z.string().optional().describe('Required JWT `typ` header, e.g. at+jwt (RFC 9068). Default: any.'),
  introspection: z
    .strictObject({ endpoint: z.string().optional().describe('RFC 7662 endpoint; default: the issuer metadata\'s introspection_endpoint.') })
    .optional()
    .describe('Verify opaque (non-JWT) tokens by introspection; credentials from MCP_AUTH_INTROSPECTION_CLIENT_ID / _SECRET.'),
});

export const STATE_BACKENDS = ['memory', 'redis'] as const;

/** Where state shared by replicas lives (listen event bus, requestState replay guard, tasks). */
const state = z.strictObject({
  backend: z
    .enum(STATE_BACKENDS)
    .default('memory')
    .describe('memory: one process, nothing to install (default). redis: shared by every replica using the same Redis (adds the `redis` package).'),
  url: z.string().optional().describe('redis:// or rediss:// URL; MCP_REDIS_URL overrides it at run time. Keep passwords out of the manifest: set MCP_REDIS_URL instead.'),
  keyPrefix: z.string().min(1).optional().describe('Prefix of every Redis key and channel. Default `mcp:<server.name>:`.'),
});

export const manifestDefinition = z.strictObject({
  $schema: z.string().optional().describe('Editors only; ignored by mcp-gen.'),
  spec: z.enum(SPEC_REVISIONS).default('2026-07-28').describe('MCP revision to generate for.'),
  serve: z
    .array(z.enum(SPEC_REVISIONS))
    .min(1)
    .optional()
    .describe('MCP revisions the server answers, newest first; must include `spec` and nothing newer. Default: `spec` and every older revision (2026-07-28: both eras).'),
  server,
  tools: z.array(tool).default(() => []),
  resources: z.array(resource).default(() => []),
  resourceTemplates: z.array(resourceTemplate).default(() => []),
  prompts: z.array(prompt).default(() => []),
  apps: z.array(app).default(() => []),
  caching: caching.prefault({}),
  auth: auth.optional(),
  state: state.optional().describe('Where state shared by replicas lives; see docs/deploy.md#redis.'),
  schemas: z.record(z.string(), jsonSchema).default(() => ({})).describe('Shared JSON Schemas, referenced as {$ref: "#/schemas/Name"}.'),
});

/**
 * The manifest after shape validation: defaults applied. After loading, tool schemas are the
 * bundled (self-contained) ones and `schemaLinks` says which parts of them are `schemas:` entries.
 */
export type Manifest = z.output<typeof manifestDefinition> & { schemaLinks?: ManifestSchemaLinks };

/** Filled by the loader: every `schemas:` entry bundled on its own, and where tools use them. */
export interface ManifestSchemaLinks {
  shared: Record<string, { schema: Record<string, unknown>; links: SharedSchemaLinks }>;
  /** By tool index (manifest order). */
  tools: Record<number, { input: SharedSchemaLinks; output?: SharedSchemaLinks; asks: Record<number, SharedSchemaLinks> }>;
}
export type ManifestTool = Manifest['tools'][number];
export type ManifestAsk = ManifestTool['asks'][number];
export type ManifestResource = Manifest['resources'][number];
export type ManifestResourceTemplate = Manifest['resourceTemplates'][number];
export type ManifestPrompt = Manifest['prompts'][number];
export type ManifestApp = Manifest['apps'][number];
export type ManifestIcon = NonNullable<ManifestTool['icons']>[number];
export type CachePolicy = z.output<typeof cachePolicy>;
export type ManifestAuth = z.output<typeof auth>;
export type TaskMode = (typeof TASK_MODES)[number];
export type ManifestState = NonNullable<Manifest['state']>;
export type AskKind = (typeof ASK_KINDS)[number];

/** Top-level keys starting with `x-` are ignored: a place for YAML anchors and the user's own notes. */
export const EXTENSION_KEY = /^x-/;
export function isExtensionKey(key: string): boolean {
  return EXTENSION_KEY.test(key);
}

/** JSON Schema (2020-12) of the manifest, for editors. A fresh object on every call. */
export function manifestJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(manifestDefinition, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    title: 'mcp-gen manifest (mcp-gen.yaml)',
    ...schema,
    patternProperties: { [EXTENSION_KEY.source]: {} },
  };
}
