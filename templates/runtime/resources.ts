import type { RequestContext } from './context.ts';
import { internalError } from './errors.ts';
import { compact } from './json.ts';
import { compileUriTemplate, type CompiledTemplate, type TemplateParams, type TemplateVariables } from './uri-template.ts';
import type { Annotations, CacheHint, Icon, JsonObject, ResourceContents } from './wire.ts';
import type { Completer } from './completion.ts';

/** One piece of resource content; `uri` and `mimeType` default to the resource's own. */
export type ResourceBody =
  | { text: string; uri?: string; mimeType?: string; _meta?: JsonObject }
  | { blob: string | Uint8Array; uri?: string; mimeType?: string; _meta?: JsonObject };

/** A read handler returns one body, several, or overrides caching for this read. */
export type ResourceReadReturn = ResourceBody | ResourceBody[] | { contents: ResourceBody[]; cache?: Partial<CacheHint> };

interface ResourceMetadata {
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  icons?: Icon[];
  annotations?: Annotations;
  _meta?: JsonObject;
  /** Caching hints for `resources/read` of this resource (server/utilities/caching.mdx). */
  cache?: Partial<CacheHint>;
}

export interface ResourceDefinition extends ResourceMetadata {
  uri: string;
  size?: number;
  read: (ctx: RequestContext) => Promise<ResourceReadReturn> | ResourceReadReturn;
}

export interface ResourceTemplateDefinition<T extends string = string> extends ResourceMetadata {
  uriTemplate: T;
  /**
   * Let `{+x}`, `{#x}` and `{/x}` values contain `..` segments. Off by default: a handler that joins
   * a variable onto a path must never be walked out of its root (docs/runtime.md "Hardening").
   */
  allowDotSegments?: boolean;
  /** Completions per template variable for `completion/complete` with `ref/resource`. */
  complete?: { [K in TemplateVariables<T>]?: Completer };
  // Method syntax keeps registries of differently-typed templates assignable (bivariant params).
  read(params: TemplateParams<T>, ctx: RequestContext): Promise<ResourceReadReturn> | ResourceReadReturn;
}

export type AnyResourceTemplateDefinition = ResourceTemplateDefinition<string>;

export function defineResource(definition: ResourceDefinition): ResourceDefinition {
  return definition;
}

/** Identity function that types `read`'s params from the template literal. */
export function defineResourceTemplate<const T extends string>(definition: ResourceTemplateDefinition<T>): ResourceTemplateDefinition<T> {
  return definition;
}

export interface CompiledResourceTemplate {
  definition: AnyResourceTemplateDefinition;
  matcher: CompiledTemplate;
}

export function compileResourceTemplate(definition: AnyResourceTemplateDefinition): CompiledResourceTemplate {
  return { definition, matcher: compileUriTemplate(definition.uriTemplate, { allowDotSegments: definition.allowDotSegments }) };
}

export function resourceListEntry(resource: ResourceDefinition): JsonObject {
  return compact({
    uri: resource.uri,
    name: resource.name,
    title: resource.title,
    description: resource.description,
    mimeType: resource.mimeType,
    size: resource.size,
    icons: resource.icons,
    annotations: resource.annotations,
    _meta: resource._meta,
  }) as unknown as JsonObject;
}

export function templateListEntry(template: AnyResourceTemplateDefinition): JsonObject {
  return compact({
    uriTemplate: template.uriTemplate,
    name: template.name,
    title: template.title,
    description: template.description,
    mimeType: template.mimeType,
    icons: template.icons,
    annotations: template.annotations,
    _meta: template._meta,
  }) as unknown as JsonObject;
}

/** Normalises a read handler's return into `contents` (server/resources.mdx "Reading Resources"). */
export function toReadContents(
  returned: ResourceReadReturn,
  uri: string,
  mimeType: string | undefined,
): { contents: ResourceContents[]; cache?: Partial<CacheHint> } {
  const isWrapped = typeof returned === 'object' && returned !== null && 'contents' in returned && Array.isArray(returned.contents);
  const bodies = isWrapped ? returned.contents : Array.isArray(returned) ? returned : [returned as ResourceBody];
  // An empty `contents` must never stand for "not found" (server/resources.mdx "Error Handling").
  if (bodies.length === 0) throw internalError('Resource handler returned no contents');
  const contents = bodies.map((body): ResourceContents => {
    const base = { uri: body.uri ?? uri, mimeType: body.mimeType ?? mimeType, _meta: body._meta };
    if ('text' in body) return compact({ ...base, text: body.text });
    const blob = typeof body.blob === 'string' ? body.blob : Buffer.from(body.blob).toString('base64');
    return compact({ ...base, blob });
  });
  return { contents, cache: isWrapped ? returned.cache : undefined };
}
