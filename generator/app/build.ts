/**
 * Manifest → AppModel. Pure: reads the manifest, never changes it, and copies every schema so
 * later stages cannot reach back into the manifest either.
 */
import { compact } from '../json.ts';
import { diag, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { CACHE_KINDS, type Manifest, type ManifestIcon } from '../manifest/manifest-definition.ts';
import { manifestPosition } from '../manifest/manifest-positions.ts';
import { compareText } from '../manifest/paths.ts';
import { parseUriTemplate } from '../manifest/rules/uri-template.ts';
import { findHeaderAnnotations, headerValueType, isChainRequired, propertyChain } from '../manifest/rules/x-mcp-header.ts';
import type {
  AuthModel,
  AppModel,
  AskModel,
  HeaderParamModel,
  IconModel,
  JsonSchemaObject,
  PromptModel,
  ResourceModel,
  ResourceTemplateModel,
  TemplateVariableModel,
  ToolModel,
  UiAppModel,
} from './model.ts';
import { generatedNames, type GeneratedNames } from './names.ts';

export interface AppModelResult {
  model?: AppModel;
  diagnostics: Diagnostic[];
}

export function buildAppModel(manifest: Manifest): AppModelResult {
  const namer = new Namer(manifest);
  const links = manifest.schemaLinks;
  const tools = manifest.tools.map((tool, index) => {
    const toolLinks = links?.tools[index];
    const names = namer.claim('tool', tool.name, ['tools', index, 'name']);
    const asks = tool.asks.map((ask, askIndex): AskModel =>
      compact({
        id: ask.id,
        names: namer.claim(`ask of tool \`${tool.name}\``, ask.id, ['tools', index, 'asks', askIndex, 'id']),
        kind: ask.kind,
        message: ask.message,
        schema: ask.schema ? cloneJson(ask.schema) : undefined,
        schemaLinks: ask.schema && toolLinks?.asks[askIndex] ? cloneJson(toolLinks.asks[askIndex]) : undefined,
      }),
    );
    return compact<ToolModel>({
      name: tool.name,
      names,
      title: tool.title,
      description: tool.description ?? '',
      inputSchema: cloneJson(tool.input),
      outputSchema: tool.output ? cloneJson(tool.output) : undefined,
      schemaLinks: compact({
        input: cloneJson(toolLinks?.input ?? { defs: {} }),
        output: tool.output ? cloneJson(toolLinks?.output ?? { defs: {} }) : undefined,
      }),
      annotations: tool.annotations ? compact({ ...tool.annotations }) : undefined,
      asks,
      task: tool.task,
      taskTtlMs: tool.taskTtlMs,
      taskPollIntervalMs: tool.taskPollIntervalMs,
      taskRetry: tool.taskRetry,
      ui: tool.ui ? { appId: tool.ui, resourceUri: appResourceUri(tool.ui) } : undefined,
      requires: tool.requires?.length ? [...new Set(tool.requires)].sort() : undefined,
      timeoutMs: tool.timeoutMs,
      icons: icons(tool.icons),
      headerParams: headerParams(tool.input),
    });
  });
  const resources = manifest.resources.map((resource, index): ResourceModel =>
    compact({
      uri: resource.uri,
      name: resource.name,
      names: namer.claim('resource', resource.name, ['resources', index, 'name']),
      title: resource.title,
      description: resource.description,
      mimeType: resource.mimeType,
      size: resource.size,
      icons: icons(resource.icons),
    }),
  );
  const resourceTemplates = manifest.resourceTemplates.map((template, index): ResourceTemplateModel =>
    compact({
      uriTemplate: template.uriTemplate,
      name: template.name,
      names: namer.claim('resource template', template.name, ['resourceTemplates', index, 'name']),
      title: template.title,
      description: template.description,
      mimeType: template.mimeType,
      variables: templateVariables(template.uriTemplate, template.completions ?? {}),
      allowDotSegments: template.allowDotSegments || undefined,
      icons: icons(template.icons),
    }),
  );
  const prompts = manifest.prompts.map((prompt, index): PromptModel =>
    compact({
      name: prompt.name,
      names: namer.claim('prompt', prompt.name, ['prompts', index, 'name']),
      title: prompt.title,
      description: prompt.description,
      arguments: prompt.arguments.map((argument) =>
        compact({ ...argument, completions: argument.completions ? [...argument.completions] : undefined }),
      ),
      icons: icons(prompt.icons),
    }),
  );
  const apps = manifest.apps.map((app, index): UiAppModel =>
    compact({
      id: app.id,
      names: namer.claim('app', app.id, ['apps', index, 'id']),
      resourceUri: appResourceUri(app.id),
      mimeType: 'text/html;profile=mcp-app' as const,
      title: app.title,
      description: app.description,
      template: app.template,
      csp: {
        connectDomains: [...(app.csp.connectDomains ?? [])],
        resourceDomains: [...(app.csp.resourceDomains ?? [])],
        frameDomains: [...(app.csp.frameDomains ?? [])],
        baseUriDomains: [...(app.csp.baseUriDomains ?? [])],
      },
      permissions: Object.fromEntries([...new Set(app.permissions ?? [])].sort(compareText).map((p) => [p, {}])),
      prefersBorder: app.prefersBorder,
      domain: app.domain,
      usedBy: manifest.tools.filter((t) => t.ui === app.id).map((t) => t.name).sort(compareText),
    }),
  );

  const diagnostics = sortDiagnostics(namer.diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics };
  const auth = authModel(manifest);
  const model: AppModel = {
    spec: manifest.spec,
    ...(manifest.serve ? { serve: [...manifest.serve] } : {}),
    server: compact({ ...manifest.server, icons: icons(manifest.server.icons) }),
    tools: tools.sort(byKey((t) => t.name)),
    resources: resources.sort(byKey((r) => r.name, (r) => r.uri)),
    resourceTemplates: resourceTemplates.sort(byKey((t) => t.name, (t) => t.uriTemplate)),
    prompts: prompts.sort(byKey((p) => p.name)),
    apps: apps.sort(byKey((a) => a.id)),
    schemas: Object.keys(links?.shared ?? {})
      .sort(compareText)
      .map((name) => ({ name, schema: cloneJson(links!.shared[name]!.schema), links: cloneJson(links!.shared[name]!.links) })),
    caching: cachingOf(manifest, auth),
    ...(manifest.state ? { state: compact({ ...manifest.state }) } : {}),
    capabilities: {
      tools: tools.length > 0,
      resources: resources.length + resourceTemplates.length + apps.length > 0,
      prompts: prompts.length > 0,
      completions:
        resourceTemplates.some((t) => t.variables.some((v) => v.completions)) ||
        prompts.some((p) => p.arguments.some((a) => a.completions)),
      apps: tools.some((t) => t.ui),
      tasks: tools.some((t) => t.task !== 'forbidden'),
    },
  };
  if (auth) model.auth = auth;
  return { model, diagnostics };
}

/** Entries' own scopes by key, in key order (only entries that declare `scopes:`). */
function scopesBy<T extends { scopes?: string[] }>(entries: readonly T[], key: (entry: T) => string): Record<string, string[]> {
  const pairs = entries.filter((e) => e.scopes !== undefined).map((e): [string, string[]] => [key(e), [...new Set(e.scopes!)]]);
  return Object.fromEntries(pairs.sort((a, b) => compareText(a[0], b[0])));
}

function authModel(manifest: Manifest): AuthModel | undefined {
  const auth = manifest.auth;
  if (!auth) return undefined;
  return compact({
    issuers: [...auth.issuers],
    resource: auth.resource,
    audiences: auth.audiences,
    scopesSupported: auth.scopesSupported,
    defaultScopes: [...auth.defaultScopes],
    implies: Object.fromEntries(Object.keys(auth.implies).sort(compareText).map((k) => [k, [...auth.implies[k]!]])),
    publicDiscover: auth.publicDiscover,
    algorithms: auth.algorithms,
    typ: auth.typ,
    introspection: auth.introspection,
    tools: scopesBy(manifest.tools, (t) => t.name),
    prompts: scopesBy(manifest.prompts, (p) => p.name),
    resources: scopesBy(manifest.resources, (r) => r.uri),
    resourceTemplates: scopesBy(manifest.resourceTemplates, (t) => t.uriTemplate),
  }) as AuthModel;
}

/** A list filtered by scope differs per caller: private, whatever the manifest says (MG3046 warns). */
function cachingOf(manifest: Manifest, auth: AuthModel | undefined): AppModel['caching'] {
  const caching = Object.fromEntries(CACHE_KINDS.map((kind) => [kind, { ...manifest.caching[kind] }])) as AppModel['caching'];
  if (!auth) return caching;
  for (const kind of ['tools', 'prompts', 'resources', 'resourceTemplates'] as const) {
    if (auth.defaultScopes.length > 0 || Object.values(auth[kind]).some((s) => s.length > 0)) caching[kind].cacheScope = 'private';
  }
  return caching;
}

function appResourceUri(appId: string): string {
  return `ui://${appId}`;
}

/**
 * Hands out generated names per kind and reports two manifest names that would share an
 * identifier or a handler file (DESIGN §5: a collision is a diagnostic, never a silent suffix).
 */
class Namer {
  readonly diagnostics: Diagnostic[] = [];
  private readonly taken = new Map<string, string>();
  constructor(private readonly manifest: Manifest) {}

  claim(kind: string, name: string, path: (string | number)[]): GeneratedNames {
    const names = generatedNames(name);
    // Looked up only for a diagnostic: a position may parse the whole manifest (yaml-source.ts lazyYamlSource).
    const at = () => manifestPosition(this.manifest, path);
    if (!names) {
      this.diagnostics.push(diag('MG3008', `${kind} \`${name}\` has no letters or digits to build an identifier from`, { at: at() }));
      return { camel: '_', pascal: '_', file: '_' };
    }
    for (const [form, value] of [['identifier', names.camel], ['file', names.file]] as const) {
      const key = `${kind}\u0000${form}\u0000${value}`;
      const other = this.taken.get(key);
      if (other !== undefined && other !== name) {
        this.diagnostics.push(
          diag('MG3008', `${kind} \`${name}\` and \`${other}\` both become the ${form} \`${form === 'file' ? names.file : names.camel}\``, { at: at() }),
        );
        break;
      }
      if (other === undefined) this.taken.set(key, name);
    }
    return names;
  }
}

function headerParams(input: JsonSchemaObject): HeaderParamModel[] {
  const params: HeaderParamModel[] = [];
  for (const annotation of findHeaderAnnotations(input)) {
    const chain = propertyChain(annotation.schemaPath);
    const type = headerValueType(annotation.schema);
    if (!chain || !type || typeof annotation.value !== 'string') continue;
    params.push({
      header: `Mcp-Param-${annotation.value}`,
      name: annotation.value,
      propertyPath: chain,
      type,
      required: isChainRequired(input, chain),
    });
  }
  return params.sort(byKey((p) => p.header.toLowerCase()));
}

function templateVariables(uriTemplate: string, completions: Record<string, string[]>): TemplateVariableModel[] {
  const seen = new Set<string>();
  return parseUriTemplate(uriTemplate).variables.flatMap((variable) => {
    if (seen.has(variable.name)) return [];
    seen.add(variable.name);
    const values = Object.hasOwn(completions, variable.name) ? [...completions[variable.name]] : undefined;
    return [compact({ ...variable, completions: values })];
  });
}

function icons(list: readonly ManifestIcon[] | undefined): IconModel[] | undefined {
  return list?.map((icon) => compact({ ...icon, sizes: icon.sizes ? [...icon.sizes] : undefined }));
}

/**
 * A deep copy, as structuredClone makes it. The schemas here are plain JSON trees, copied directly
 * (several times faster); anything else — a shared or cyclic node, a class instance, a `__proto__`
 * key — goes to structuredClone itself, which keeps sharing and cycles.
 */
export function cloneJson<T>(value: T): T {
  try {
    return copyTree(value, new Set()) as T;
  } catch (error) {
    if (error !== NOT_A_TREE) throw error;
    return structuredClone(value);
  }
}

const NOT_A_TREE = Symbol('not a plain JSON tree');

function copyTree(value: unknown, seen: Set<object>): unknown {
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'function' || typeof value === 'symbol') throw NOT_A_TREE; // structuredClone's own error
    return value;
  }
  if (seen.has(value)) throw NOT_A_TREE;
  seen.add(value);
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype || Object.keys(value).length !== value.length) throw NOT_A_TREE;
    return value.map((item) => copyTree(item, seen));
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) throw NOT_A_TREE;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') throw NOT_A_TREE;
    out[key] = copyTree((value as Record<string, unknown>)[key], seen);
  }
  return out;
}

function byKey<T>(...keys: ((item: T) => string)[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const key of keys) {
      const order = compareText(key(a), key(b));
      if (order !== 0) return order;
    }
    return 0;
  };
}
