/**
 * Turns a schema with `$ref`s to `schemas:` entries and local files into one self-contained
 * schema: every referenced resource is copied once under the root's `$defs` and each `$ref`
 * is rewritten to point there, so references between shared schemas (and recursion) survive.
 *
 * A root that is only `{$ref: X}` becomes X itself, because MCP wants `type: object` at the
 * root of an inputSchema, not a reference to it.
 */
import { diag } from '../../diagnostics/diagnostic.ts';
import { setOwn } from '../../json.ts';
import { isRecord } from '../paths.ts';
import { positionOfValue } from '../yaml-source.ts';
import type { JsonPath } from '../yaml-source.ts';
import { escapePointerToken, resolveRef, type ResolveContext, type SchemaResource, type SchemaSite } from './schema-resources.ts';

export interface BundledSchema {
  schema: Record<string, unknown>;
  /** Where each object of `schema` was written, for diagnostics about the bundled result. */
  origins: WeakMap<object, SchemaSite>;
  /** Which manifest `schemas:` entries this schema uses, so emission can name them once. */
  links: SharedSchemaLinks;
}

/**
 * The manifest `schemas:` entries a bundled schema was built from: emission refers to them by
 * their manifest name instead of printing a private copy (the bundle itself stays the wire literal).
 */
export interface SharedSchemaLinks {
  /** The whole schema is this shared schema (written as a bare `$ref: "#/schemas/Name"`). */
  root?: string;
  /** Root `$defs` key → shared schema name. */
  defs: Record<string, string>;
}

const SHARED_ID_PREFIX = 'manifest:/schemas/';

/** The shared schema name a resource is, if it is one. */
function sharedName(resource: SchemaResource): string | undefined {
  return resource.id.startsWith(SHARED_ID_PREFIX) ? resource.id.slice(SHARED_ID_PREFIX.length) : undefined;
}

/** Keywords that only annotate: a root `$ref` beside them still means "exactly that schema". */
const ANNOTATIONS = new Set(['$ref', 'description', 'title', '$comment', 'examples', 'deprecated']);

const MAX_ROOT_HOPS = 16;

export function bundleSchema(ctx: ResolveContext, root: SchemaResource): BundledSchema {
  const origins = new WeakMap<object, SchemaSite>();
  const rootResource = followRootRef(ctx, root);
  const ownDefs = isRecord(rootResource.value) && isRecord(rootResource.value.$defs) ? rootResource.value.$defs : {};
  const defKeys = new Map<string, string>();
  const bundledDefs: Record<string, unknown> = {};
  const usedKeys = new Set(Object.keys(ownDefs));
  const links: SharedSchemaLinks = { defs: {} };

  const defKeyFor = (resource: SchemaResource): string => {
    const existing = defKeys.get(resource.id);
    if (existing !== undefined) return existing;
    let key = resource.defName || 'Schema';
    // Internal $defs keys only; they never reach a user-facing name, so a suffix is harmless here.
    for (let n = 2; usedKeys.has(key); n++) key = `${resource.defName}_${n}`;
    usedKeys.add(key);
    defKeys.set(resource.id, key);
    const shared = sharedName(resource);
    if (shared !== undefined) links.defs[key] = shared;
    bundledDefs[key] = withoutResourceIdentity(copy(resource.value, resource, []));
    return key;
  };

  const rewriteRef = (ref: string, from: SchemaResource, at: JsonPath): string => {
    const site = { source: from.site.source, path: [...from.site.path, ...at, '$ref'] };
    const target = resolveRef(ctx, ref, from, site);
    if (!target) return ref;
    if (target.fragment !== '' && !target.fragment.startsWith('/')) return `#${target.fragment}`;
    if (target.resource.id === rootResource.id) return `#${target.fragment}`;
    return `#/$defs/${escapePointerToken(defKeyFor(target.resource))}${target.fragment}`;
  };

  function copy(value: unknown, resource: SchemaResource, at: JsonPath): unknown {
    if (Array.isArray(value)) return value.map((item, i) => copy(item, resource, [...at, i]));
    if (!isRecord(value)) return value;
    const out: Record<string, unknown> = {};
    origins.set(out, { source: resource.site.source, path: [...resource.site.path, ...at] });
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') setOwn(out, key, rewriteRef(child, resource, at));
      else if (isDataKeyword(key)) setOwn(out, key, structuredCloneJson(child));
      else if (NAME_MAPS.has(key) && isRecord(child)) setOwn(out, key, copyNamed(child, resource, [...at, key]));
      else setOwn(out, key, copy(child, resource, [...at, key]));
    }
    return out;
  }

  /** Children of `properties` & co. are keyed by names, which may well be `$ref` or `enum`. */
  function copyNamed(map: Record<string, unknown>, resource: SchemaResource, at: JsonPath): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    origins.set(out, { source: resource.site.source, path: [...resource.site.path, ...at] });
    for (const [name, child] of Object.entries(map)) setOwn(out, name, copy(child, resource, [...at, name]));
    return out;
  }

  const schema = copy(rootResource.value, rootResource, []) as Record<string, unknown>;
  if (root !== rootResource && isRecord(root.value)) {
    // Keywords next to the root `$ref` (a description, say) still apply to the whole input.
    for (const [key, child] of Object.entries(root.value)) {
      if (key !== '$ref') schema[key] = copy(child, root, [key]);
    }
  }
  if (Object.keys(bundledDefs).length > 0) {
    const merged = isRecord(schema.$defs) ? schema.$defs : {};
    schema.$defs = { ...merged, ...bundledDefs };
  }
  const rootShared = sharedName(rootResource);
  if (rootShared !== undefined && root !== rootResource && isRecord(root.value) && Object.keys(root.value).every((k) => ANNOTATIONS.has(k))) {
    links.root = rootShared;
  }
  return { schema, origins, links };
}

/** Follows a root that is only a `$ref` to a whole resource; a cycle of such roots is an error. */
function followRootRef(ctx: ResolveContext, root: SchemaResource): SchemaResource {
  let current = root;
  const chain: string[] = [];
  const visited = new Set([root.id]);
  for (let hop = 0; hop < MAX_ROOT_HOPS; hop++) {
    const value = current.value;
    if (!isRecord(value) || typeof value.$ref !== 'string') return current;
    chain.push(value.$ref);
    const site = { source: current.site.source, path: [...current.site.path, '$ref'] };
    const quiet = { ...ctx, diagnostics: [] };
    const target = resolveRef(quiet, value.$ref, current, site);
    if (!target || target.fragment !== '') return current;
    if (visited.has(target.resource.id) || chain.length >= MAX_ROOT_HOPS) {
      ctx.diagnostics.push(
        diag('MG4002', `\`$ref\` cycle: ${chain.join(' → ')} never reaches a schema`, { at: positionOfValue(site.source, site.path) }),
      );
      return current;
    }
    current = target.resource;
    visited.add(current.id);
  }
  return current;
}

/**
 * A bundled file keeps its content but not `$id`/`$schema`: an `$id` would move the base URI
 * its rewritten `#/$defs/...` refs resolve against, and `$schema` belongs to a document root.
 */
function withoutResourceIdentity(schema: unknown): unknown {
  if (!isRecord(schema)) return schema;
  const { $id: _id, $schema: _dialect, ...rest } = schema;
  return rest;
}

const NAME_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

/** Keywords whose values are instance data: copied verbatim, never searched for `$ref`. */
function isDataKeyword(key: string): boolean {
  return key === 'enum' || key === 'const' || key === 'default' || key === 'examples';
}

function structuredCloneJson(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}
