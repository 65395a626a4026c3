/**
 * The plan stage (DESIGN.md §2): AppModel + ProtocolModel → OutputPlan. Every file the project
 * gets (path, owner, side, artifact) and every name it exports is decided here, once; emission
 * only renders what the plan says. Pure: no filesystem beyond the generator's own runtime list.
 * `mcp-gen inspect plan --json` prints the result.
 */
import { posix } from 'node:path';
import type { AppModel, SharedSchemaLinks, SharedSchemaModel, ToolModel } from '../app/model.ts';
import { generatedNames } from '../app/names.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { diag } from '../diagnostics/diagnostic.ts';
import type { FileOwner, FileSide } from '../emit/artifact.ts';
import { runtimeSources, RUNTIME_OUTPUT_DIR } from '../emit/artifacts/project/runtime-copy.ts';
import type { ProtocolModel } from '../protocol/model.ts';
import { revisionExportName, revisionsIndexPath, revisionTablePath } from '../emit/artifacts/protocol-revisions.ts';
import { combinedTypeNames } from '../emit/schema-bundle.ts';
import { partsToPrint } from '../emit/schema-module.ts';
import { isNamePairs } from '../incremental/memo-steps.ts';
import type { RenderMemo } from '../incremental/render-memo.ts';
import { handlerEntries, type HandlerEntry, type HandlerKind } from './handlers.ts';
import { SymbolTable, type LocateOrigin, type PlannedSymbol, type SymbolOrigin } from './symbols.ts';

export type { HandlerEntry, HandlerKind } from './handlers.ts';
export type { PlannedSymbol, SymbolOrigin } from './symbols.ts';

export const GENERATED_ROOT = 'src/generated';
export const SHARED_SCHEMAS_PATH = `${GENERATED_ROOT}/schemas.ts`;
export const TOOLS_BARREL = `${GENERATED_ROOT}/tools.ts`;
export const FIXTURES_DIR = 'test/conformance/fixtures';
export const APPS_SOURCE_DIR = 'src/apps';

export interface PlanOptions {
  /** Manifest path relative to the output root (POSIX). */
  manifestPath: string;
  /** Directory of the protocol layer, relative to the output root. */
  protocolDir?: string;
  /** Emit client and shared files only (`generate --client-only`). */
  clientOnly?: boolean;
  /** Existing app templates by app id (decides whether a starter view script is planned). */
  appTemplates?: Record<string, string>;
  /** Where a manifest entry is written, for clash diagnostics. */
  locate?: LocateOrigin;
  /** Revisions the server serves, with their $defs (method tables are planned); default: the protocol's own. */
  served?: readonly { revision: string; defs: readonly string[] }[];
  /** The incremental render cache: nested type names of an unchanged schema group come from it. */
  memo?: RenderMemo;
}

export interface PlannedFile {
  /** POSIX path relative to the output root. */
  path: string;
  owner: FileOwner;
  side: FileSide;
  /** The artifact module that renders it (generator/emit/registry.ts). */
  artifact: string;
  /** Names the file exports, sorted. */
  symbols: string[];
}

/** Names of one tool's contract (src/generated/tools/<tool>.ts). */
export interface ToolPlan {
  module: string;
  input: string;
  output?: string;
  inputSchema: string;
  outputSchema?: string;
  definition: string;
  headerParams: string;
  asks?: string;
  /** Elicitation form types by ask id. */
  askTypes: Record<string, string>;
  /** Elicitation form validators by ask id. */
  askValidators: Record<string, string>;
  /** Type name of every printed part and `$ref` target (JSON pointer of the combined document → name). */
  typeNames: Record<string, string>;
  /** The handler contract: absent in a client-only project (no server runtime to bind to). */
  result?: string;
  handler?: string;
  binder?: string;
}

/** One `schemas:` entry, emitted once in src/generated/schemas.ts. */
export interface SharedSchemaPlan {
  /** Manifest name. */
  name: string;
  type: string;
  validator: string;
}

/** Names of one prompt's contract (src/generated/prompts.ts). */
export interface PromptPlan {
  args: string;
  definition: string;
  arguments: string;
  handler: string;
  binder: string;
}

/** Names of one resource's contract (src/generated/resources.ts). */
export interface ResourcePlan {
  definition: string;
  handler: string;
  binder: string;
}

/** Names of one resource template's contract (src/generated/resources.ts). */
export interface ResourceTemplatePlan extends ResourcePlan {
  params: string;
}

/** Names and paths of one MCP App (src/generated/apps.ts, src/generated/apps/<app>.ts, starter files). */
export interface AppPlan {
  /** src/generated/apps.ts */
  declarationsModule: string;
  /** The template declaration in src/generated/apps.ts. */
  declaration: string;
  /** The view bindings module. */
  module: string;
  view: string;
  viewTools: string;
  viewToolName: string;
  viewInput: string;
  viewOutput: string;
  info: string;
  factory: string;
  /** Module-scoped type of the view module. */
  toolResult: string;
  /** Namespace alias of each rendering tool's contract module, by tool name. */
  toolAliases: Record<string, string>;
  /** User-owned starter view, when the template sits at the conventional place. */
  starterHtml?: string;
  starterScript?: string;
}

export interface MockPlan {
  path: string;
  createMockServer: string;
  mockData: string;
  toolHeaderParams: string;
  toolOutputSchemas: string;
}

/** Names of the typed client SDK (src/generated/client.ts). */
export interface ClientPlan {
  path: string;
  /** `clientManifest`. */
  manifest: string;
  /** By tool name: the `client.tools.<member>` key and the exported argument/result types. */
  tools: Record<string, { member: string; args: string; callResult: string }>;
  /** By prompt name: the `client.prompts.<member>` key. */
  prompts: Record<string, { member: string }>;
  /** By URI template: the `client.resources.templates.<member>` key. */
  templates: Record<string, { member: string }>;
  clientType: string;
  factory: string;
}

export interface OutputPlan {
  clientOnly: boolean;
  /** Files the project gets, sorted by path. */
  files: PlannedFile[];
  /** Files left out because of their side (a client-only project's server files). */
  omitted: string[];
  /** Every exported name, sorted. */
  symbols: PlannedSymbol[];
  /** By tool name. */
  tools: Record<string, ToolPlan>;
  /** By manifest schema name. */
  schemas: Record<string, SharedSchemaPlan>;
  /** Type names of src/generated/schemas.ts's combined document (JSON pointer → name). */
  sharedTypeNames: Record<string, string>;
  /** By prompt name. */
  prompts: Record<string, PromptPlan>;
  /** By resource URI (unique; resource names need not be). */
  resources: Record<string, ResourcePlan>;
  /** By URI template. */
  templates: Record<string, ResourceTemplatePlan>;
  client: ClientPlan;
  /** src/generated/mock-server.ts and its fixed exports. */
  mock: MockPlan;
  /** The generated conformance suite (imports the mock server). */
  conformanceTest: string;
  /** src/generated/server.ts and its fixed exports. */
  /** `authorization`: the resource-server options, only with `auth:`. */
  server: { path: string; createServer: string; serverInfo: string; caching: string; authorization?: string };
  /** By app id. */
  apps: Record<string, AppPlan>;
  handlers: Record<HandlerKind, HandlerEntry[]>;
  diagnostics: Diagnostic[];
}

class PlanBuilder {
  readonly files = new Map<string, PlannedFile>();
  readonly table: SymbolTable;
  sharedTypeNames: Record<string, string> = {};

  constructor(
    locate?: LocateOrigin,
    readonly memo?: RenderMemo,
  ) {
    this.table = new SymbolTable(locate);
  }

  file(path: string, owner: FileOwner, side: FileSide, artifact: string): PlannedFile {
    let file = this.files.get(path);
    if (file) throw new Error(`mcp-gen bug: ${path} planned twice (${file.artifact}, ${artifact})`);
    file = { path, owner, side, artifact, symbols: [] };
    this.files.set(path, file);
    return file;
  }

  /**
   * Fixed names of a support module (`createServer`, `APP_MIME_TYPE`, …): not derived from the
   * manifest, never re-exported through a barrel, so they are listed on their file but kept out of
   * the project-wide table (a manifest entry may reuse them without a clash).
   */
  moduleSymbols(file: PlannedFile, ...names: string[]): void {
    file.symbols.push(...names);
  }

  symbol(file: PlannedFile, name: string, kind: PlannedSymbol['kind'], origin: SymbolOrigin, role: string): string {
    this.table.define({ name, kind, file: file.path, origin, role });
    file.symbols.push(name);
    return name;
  }
}

export function planProject(app: AppModel, protocol: ProtocolModel, options: PlanOptions): OutputPlan {
  const b = new PlanBuilder(options.locate, options.memo);
  const clientOnly = options.clientOnly ?? false;
  const protocolDir = options.protocolDir ?? `${GENERATED_ROOT}/protocol`;
  planProtocol(b, protocol, protocolDir, options.served ?? [{ revision: protocol.revision, defs: protocol.defs }]);
  // runtime/auth/ (the resource server, the only runtime code that needs jose) only for `auth:`.
  for (const source of runtimeSources()) if (app.auth || !source.path.startsWith('auth/')) b.file(`${RUNTIME_OUTPUT_DIR}/${source.path}`, 'generated', source.side, 'runtime-copy');

  const schemas = planSharedSchemas(b, app.schemas);
  const tools: Record<string, ToolPlan> = {};
  for (const tool of app.tools) tools[tool.name] = planTool(b, tool, !clientOnly);
  const barrel = b.file(TOOLS_BARREL, 'generated', 'shared', 'tool-contracts');
  barrel.symbols.push(...Object.values(tools).flatMap((t) => b.files.get(t.module)!.symbols.filter((s) => !s.startsWith('zod') && !isAskType(t, s) && s !== t.headerParams && !isNestedType(t, s))));

  const registries = planRegistries(b, app);
  const handlers = handlerEntries(app, { tools, ...registries });
  for (const kind of ['tools', 'prompts', 'resources', 'templates'] as const) {
    for (const entry of handlers[kind]) b.file(entry.path, 'user', 'server', 'handler-stubs').symbols.push(entry.exportName);
  }
  const apps = planApps(b, app, options);
  planProjectFiles(b);
  const conformance = planConformance(b);
  const client = planClient(b, app);

  const all = [...b.files.values()].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  for (const file of all) file.symbols.sort();
  const keep = (f: PlannedFile) => !clientOnly || f.side !== 'server';
  return {
    clientOnly,
    files: all.filter(keep),
    omitted: all.filter((f) => !keep(f)).map((f) => f.path),
    symbols: b.table.all(),
    tools,
    schemas,
    sharedTypeNames: b.sharedTypeNames,
    ...registries,
    client,
    apps,
    ...conformance,
    handlers,
    diagnostics: b.table.diagnostics,
  };
}

function planClient(b: PlanBuilder, app: AppModel): ClientPlan {
  const file = b.file(`${GENERATED_ROOT}/client.ts`, 'generated', 'client', 'client-sdk');
  const serverPascal = generatedNames(app.server.name)?.pascal ?? 'Mcp';
  const serverOrigin: SymbolOrigin = { kind: 'server', name: app.server.name };
  const plan: ClientPlan = {
    path: file.path,
    manifest: b.symbol(file, 'clientManifest', 'value', serverOrigin, 'client manifest'),
    tools: {},
    prompts: {},
    templates: {},
    clientType: '',
    factory: '',
  };
  for (const t of app.tools) {
    const origin: SymbolOrigin = { kind: 'tool', name: t.name };
    plan.tools[t.name] = {
      member: t.names.camel,
      args: b.symbol(file, `${t.names.pascal}Args`, 'type', origin, 'client arguments type'),
      callResult: b.symbol(file, `${t.names.pascal}CallResult`, 'type', origin, 'client result type'),
    };
  }
  for (const p of app.prompts) plan.prompts[p.name] = { member: p.names.camel };
  for (const t of app.resourceTemplates) plan.templates[t.uriTemplate] = { member: t.names.camel };
  plan.clientType = b.symbol(file, `${serverPascal}Client`, 'type', serverOrigin, 'client type');
  plan.factory = b.symbol(file, `create${serverPascal}Client`, 'value', serverOrigin, 'client factory');
  return plan;
}

function isNestedType(tool: ToolPlan, name: string): boolean {
  return Object.values(tool.typeNames).includes(name) && name !== tool.input && name !== tool.output && !isAskType(tool, name);
}

function isAskType(tool: ToolPlan, name: string): boolean {
  return Object.values(tool.askTypes).includes(name);
}

function planSharedSchemas(b: PlanBuilder, schemas: SharedSchemaModel[]): Record<string, SharedSchemaPlan> {
  const out: Record<string, SharedSchemaPlan> = {};
  if (schemas.length === 0) return out;
  const file = b.file(SHARED_SCHEMAS_PATH, 'generated', 'shared', 'shared-schemas');
  for (const schema of schemas) {
    const origin: SymbolOrigin = { kind: 'schema', name: schema.name };
    const pascal = generatedNames(schema.name)?.pascal;
    if (!pascal) {
      b.table.diagnostics.push(diag('MG3008', `schema \`${schema.name}\` has no letters or digits to build a type name from`, { at: b.table.locate(origin) }));
      continue;
    }
    out[schema.name] = {
      name: schema.name,
      type: b.symbol(file, pascal, 'type', origin, 'type'),
      validator: b.symbol(file, `zod${pascal}`, 'value', origin, 'validator'),
    };
  }
  const planned = schemas.filter((s) => out[s.name]);
  const parts = Object.fromEntries(planned.map((s) => [out[s.name]!.type, s.schema]));
  const links = Object.fromEntries(planned.map((s) => [out[s.name]!.type, s.links]));
  const byType = new Map(planned.map((s) => [out[s.name]!.type, s.name]));
  b.sharedTypeNames = planNestedTypes(b, file, (part) => ({ kind: 'schema', name: byType.get(part) ?? part }), parts, links);
  return out;
}

function planTool(b: PlanBuilder, tool: ToolModel, withServer: boolean): ToolPlan {
  const { pascal: p, camel: c, file: stem } = tool.names;
  const file = b.file(`${GENERATED_ROOT}/tools/${stem}.ts`, 'generated', 'shared', 'tool-contracts');
  const origin: SymbolOrigin = { kind: 'tool', name: tool.name };
  const type = (name: string, role: string) => b.symbol(file, name, 'type', origin, role);
  const value = (name: string, role: string) => b.symbol(file, name, 'value', origin, role);
  const hasOutput = Boolean(tool.outputSchema);
  const hasAsks = tool.asks.some((ask) => ask.kind === 'elicitation');
  const askTypes: Record<string, string> = {};
  const askValidators: Record<string, string> = {};
  for (const ask of tool.asks) {
    if (ask.kind !== 'elicitation' || !ask.schema) continue;
    askTypes[ask.id] = type(`${p}Ask${ask.names.pascal}`, `form type of ask \`${ask.id}\``);
    askValidators[ask.id] = value(`zod${p}Ask${ask.names.pascal}`, `form validator of ask \`${ask.id}\``);
  }
  const input = type(`${p}Input`, 'input type');
  const output = hasOutput ? type(`${p}Output`, 'output type') : undefined;
  const parts: Record<string, Record<string, unknown>> = { [input]: tool.inputSchema };
  const links: Record<string, SharedSchemaLinks> = { [input]: tool.schemaLinks.input };
  if (tool.outputSchema && output) {
    parts[output] = tool.outputSchema;
    if (tool.schemaLinks.output) links[output] = tool.schemaLinks.output;
  }
  for (const ask of tool.asks) {
    const askType = askTypes[ask.id];
    if (ask.kind !== 'elicitation' || !ask.schema || !askType) continue;
    parts[askType] = ask.schema;
    if (ask.schemaLinks) links[askType] = ask.schemaLinks;
  }
  const typeNames = planNestedTypes(b, file, () => origin, parts, links);
  return {
    module: file.path,
    input,
    output,
    inputSchema: value(`${c}InputSchema`, 'input schema'),
    outputSchema: hasOutput ? value(`${c}OutputSchema`, 'output schema') : undefined,
    definition: value(`${c}Definition`, 'wire definition'),
    headerParams: value(`${c}HeaderParams`, 'header params'),
    asks: hasAsks ? value(`${c}Asks`, 'asks') : undefined,
    askTypes,
    askValidators,
    typeNames,
    result: withServer ? type(`${p}Result`, 'result type') : undefined,
    handler: withServer ? type(`${p}Handler`, 'handler type') : undefined,
    binder: withServer ? value(`${c}Tool`, 'handler binder') : undefined,
  };
}

/**
 * Helper types of nested `$ref` targets (`ShipOrderInput_Address` and its `zod…` validator),
 * named by the combined-document naming and allocated here, so emission never names them.
 */
function planNestedTypes(
  b: PlanBuilder,
  file: PlannedFile,
  originOf: (part: string) => SymbolOrigin,
  parts: Record<string, Record<string, unknown>>,
  links: Record<string, SharedSchemaLinks>,
): Record<string, string> {
  const typeNames = () => [...combinedTypeNames(partsToPrint(parts, links))];
  const names = new Map(b.memo ? b.memo.getSync('type-names', { parts, links }, isNamePairs, typeNames) : typeNames());
  for (const [pointer, name] of names) {
    if (name in parts || file.symbols.includes(name)) continue;
    const origin = originOf(pointer.split('/')[2]!);
    b.symbol(file, name, 'type', origin, 'nested type');
    b.symbol(file, `zod${name}`, 'value', origin, 'nested validator');
  }
  return Object.fromEntries(names);
}

function planRegistries(b: PlanBuilder, app: AppModel): Pick<OutputPlan, 'prompts' | 'resources' | 'templates' | 'server'> {
  const out: Pick<OutputPlan, 'prompts' | 'resources' | 'templates' | 'server'> = { prompts: {}, resources: {}, templates: {}, server: { path: '', createServer: '', serverInfo: '', caching: '' } };
  const prompts = b.file(`${GENERATED_ROOT}/prompts.ts`, 'generated', 'server', 'prompt-contracts');
  for (const p of app.prompts) {
    const origin: SymbolOrigin = { kind: 'prompt', name: p.name };
    out.prompts[p.name] = {
      args: b.symbol(prompts, `${p.names.pascal}PromptArgs`, 'type', origin, 'arguments type'),
      definition: b.symbol(prompts, `${p.names.camel}PromptDefinition`, 'value', origin, 'wire definition'),
      arguments: b.symbol(prompts, `${p.names.camel}PromptArguments`, 'value', origin, 'arguments'),
      handler: b.symbol(prompts, `${p.names.pascal}PromptHandler`, 'type', origin, 'handler type'),
      binder: b.symbol(prompts, `${p.names.camel}Prompt`, 'value', origin, 'handler binder'),
    };
  }
  const resources = b.file(`${GENERATED_ROOT}/resources.ts`, 'generated', 'server', 'resource-contracts');
  for (const r of app.resources) {
    const origin: SymbolOrigin = { kind: 'resource', name: r.name };
    out.resources[r.uri] = {
      definition: b.symbol(resources, `${r.names.camel}ResourceDefinition`, 'value', origin, 'wire definition'),
      handler: b.symbol(resources, `${r.names.pascal}ResourceHandler`, 'type', origin, 'handler type'),
      binder: b.symbol(resources, `${r.names.camel}Resource`, 'value', origin, 'handler binder'),
    };
  }
  for (const t of app.resourceTemplates) {
    const origin: SymbolOrigin = { kind: 'resource template', name: t.name };
    out.templates[t.uriTemplate] = {
      params: b.symbol(resources, `${t.names.pascal}TemplateParams`, 'type', origin, 'params type'),
      definition: b.symbol(resources, `${t.names.camel}TemplateDefinition`, 'value', origin, 'wire definition'),
      handler: b.symbol(resources, `${t.names.pascal}TemplateHandler`, 'type', origin, 'handler type'),
      binder: b.symbol(resources, `${t.names.camel}Template`, 'value', origin, 'handler binder'),
    };
  }
  const server = b.file(`${GENERATED_ROOT}/server.ts`, 'generated', 'server', 'server-wiring');
  out.server = { path: server.path, createServer: 'createServer', serverInfo: 'serverInfo', caching: 'caching' };
  b.moduleSymbols(server, out.server.createServer, out.server.serverInfo, out.server.caching);
  if (app.auth) b.moduleSymbols(server, (out.server.authorization = 'authorization'));
  const completions = b.file(`${GENERATED_ROOT}/completions.ts`, 'generated', 'server', 'project-files');
  b.moduleSymbols(completions, 'completeFrom');
  return out;
}

/** The template's path relative to the output root (where `npm run build` runs). */
export function appSourcePath(template: string, manifestPath: string): string {
  return posix.normalize(posix.join(posix.dirname(manifestPath), template));
}

/** Fixed names of src/generated/apps.ts (support code around the per-app declarations). */
const APPS_SUPPORT_SYMBOLS = [
  'UI_EXTENSION', 'APP_MIME_TYPE', 'AppCsp', 'AppPermissions', 'AppUiMeta', 'AppTemplate', 'AppId', 'appTemplates', 'APPS_DIST_DIR',
  'appTemplateCache', 'readAppHtml', 'AppResourceOptions', 'appTemplateResource', 'appTemplateResources', 'appsExtension', 'hostSupportsApps',
];

function planApps(b: PlanBuilder, app: AppModel, options: PlanOptions): Record<string, AppPlan> {
  const out: Record<string, AppPlan> = {};
  if (app.apps.length === 0) return out;
  const declarations = b.file(`${GENERATED_ROOT}/apps.ts`, 'generated', 'server', 'apps');
  b.moduleSymbols(declarations, ...APPS_SUPPORT_SYMBOLS);
  const declared = new Map(app.apps.map((a) => [a.id, b.symbol(declarations, `${a.names.camel}App`, 'value', { kind: 'app', name: a.id }, 'template declaration')]));
  b.file(`${GENERATED_ROOT}/apps-build.ts`, 'generated', 'server', 'apps');
  for (const a of app.apps) {
    const view = b.file(`${GENERATED_ROOT}/apps/${a.names.file}.ts`, 'generated', 'server', 'apps');
    const origin: SymbolOrigin = { kind: 'app', name: a.id };
    const p = a.names.pascal;
    // Module-scoped: every view module declares its own `ToolResult`.
    b.moduleSymbols(view, 'ToolResult');
    const plan: AppPlan = {
      declarationsModule: declarations.path,
      declaration: declared.get(a.id)!,
      module: view.path,
      view: b.symbol(view, `${p}View`, 'type', origin, 'view type'),
      viewTools: b.symbol(view, `${p}ViewTools`, 'type', origin, 'view type'),
      viewToolName: b.symbol(view, `${p}ViewToolName`, 'type', origin, 'view type'),
      viewInput: b.symbol(view, `${p}ViewInput`, 'type', origin, 'view type'),
      viewOutput: b.symbol(view, `${p}ViewOutput`, 'type', origin, 'view type'),
      info: b.symbol(view, `${a.names.camel}AppInfo`, 'value', origin, 'app info'),
      factory: b.symbol(view, `create${p}View`, 'value', origin, 'view factory'),
      toolResult: 'ToolResult',
      toolAliases: Object.fromEntries(app.tools.filter((t) => a.usedBy.includes(t.name)).map((t) => [t.name, `tool_${t.names.camel}`])),
    };
    out[a.id] = plan;
    const source = appSourcePath(a.template, options.manifestPath);
    if (source !== `${APPS_SOURCE_DIR}/${a.id}.html`) continue;
    plan.starterHtml = b.file(source, 'user', 'server', 'apps').path;
    const existing = options.appTemplates?.[a.id];
    if (existing === undefined || referencesViewScript(existing, a.id)) plan.starterScript = b.file(`${APPS_SOURCE_DIR}/${a.id}.ts`, 'user', 'server', 'apps').path;
  }
  return out;
}

/** A local `<script src="./<id>.ts">` in a template means the user's view script lives beside it. */
export function referencesViewScript(html: string, id: string): boolean {
  return new RegExp(`<script\\b[^>]*\\bsrc\\s*=\\s*["'](\\./)?${id.replace(/[-]/g, '\\-')}\\.ts["']`, 'i').test(html);
}

/** Fixed names of protocol/methods.ts (templates/protocol/methods.ts.hbs). */
const PROTOCOL_METHODS_SYMBOLS = [
  'PROTOCOL_VERSION', 'PROTOCOL_ERA', 'PROTOCOL_FEATURES', 'ClientRequestMap', 'ServerRequestMap', 'ClientNotificationMap', 'ServerNotificationMap',
  'ClientRequestMethod', 'ServerRequestMethod', 'ClientNotificationMethod', 'ServerNotificationMethod', 'MethodDescriptor', 'METHODS',
  'ERROR_CODES', 'ErrorCodeName', 'META_KEYS',
];

/**
 * The protocol layer: one type and one validator per spec $def, under the def's own name (the
 * spec's names are the protocol's vocabulary), plus fixed method tables. Module-scoped: user code
 * reaches them as `T.<Def>`/`S.<Def>`, so a manifest name equal to a def name is no clash.
 */
function planProtocol(b: PlanBuilder, protocol: ProtocolModel, protocolDir: string, served: NonNullable<PlanOptions['served']>): void {
  b.moduleSymbols(b.file(`${protocolDir}/types.ts`, 'generated', 'shared', 'protocol-types'), ...protocol.defs);
  b.moduleSymbols(b.file(`${protocolDir}/schemas.ts`, 'generated', 'shared', 'protocol-schemas'), 'AnySchema', ...protocol.defs);
  b.moduleSymbols(b.file(`${protocolDir}/methods.ts`, 'generated', 'shared', 'protocol-methods'), ...PROTOCOL_METHODS_SYMBOLS);
  // The method tables the server runtime dispatches with (templates/protocol/revision.ts.hbs).
  for (const { revision, defs } of served) {
    if (revision !== protocol.revision) b.moduleSymbols(b.file(`${protocolDir}/${revision}/schemas.ts`, 'generated', 'server', 'protocol-revisions'), 'AnySchema', ...defs);
    b.moduleSymbols(b.file(revisionTablePath(protocolDir, revision), 'generated', 'server', 'protocol-revisions'), 'RevisionMethod', revisionExportName(revision));
  }
  b.moduleSymbols(b.file(revisionsIndexPath(protocolDir), 'generated', 'server', 'protocol-revisions'), 'SERVED_REVISIONS', 'SERVED_VERSIONS', 'ServedVersion');
}

function planProjectFiles(b: PlanBuilder): void {
  for (const path of ['package.json', 'tsconfig.json', 'README.md', '.gitignore', '.gitattributes']) b.file(path, 'user', 'shared', 'project-files');
  b.file('src/main.ts', 'user', 'server', 'project-files');
  b.file('.mcp-gen/manifest.schema.json', 'generated', 'shared', 'manifest-schema');
}

function planConformance(b: PlanBuilder): { mock: MockPlan; conformanceTest: string } {
  for (const kind of ['prompts', 'protocol', 'resources', 'spec-examples', 'tools']) b.file(`${FIXTURES_DIR}/${kind}.json`, 'generated', 'server', 'conformance-fixtures');
  const mock = b.file(`${GENERATED_ROOT}/mock-server.ts`, 'generated', 'server', 'conformance-fixtures');
  const plan: MockPlan = { path: mock.path, createMockServer: 'createMockServer', mockData: 'mockData', toolHeaderParams: 'toolHeaderParams', toolOutputSchemas: 'toolOutputSchemas' };
  b.moduleSymbols(mock, plan.createMockServer, plan.mockData, plan.toolHeaderParams, plan.toolOutputSchemas);
  const conformanceTest = b.file('test/conformance/conformance.test.ts', 'generated', 'server', 'conformance-fixtures').path;
  b.file('test/conformance/run-official.ts', 'generated', 'server', 'official-conformance');
  b.file('test/conformance/expected-failures.yaml', 'generated', 'server', 'official-conformance');
  b.file('.github/workflows/mcp.yml', 'user', 'server', 'official-conformance');
  return { mock: plan, conformanceTest };
}

const symbolIndex = new WeakMap<OutputPlan, Map<string, PlannedSymbol>>();

/** A symbol by name (every name is allocated once, so the name is the key). */
export function symbolOf(plan: OutputPlan, name: string): PlannedSymbol {
  // Indexed once per plan: emission asks for every tool's shared names, so a scan each time grows quadratically.
  let index = symbolIndex.get(plan);
  if (!index) {
    index = new Map();
    for (const s of plan.symbols) if (!index.has(s.name)) index.set(s.name, s); // the first, as a scan would find
    symbolIndex.set(plan, index);
  }
  const symbol = index.get(name);
  if (!symbol) throw new Error(`mcp-gen bug: ${name} was not planned`);
  return symbol;
}
