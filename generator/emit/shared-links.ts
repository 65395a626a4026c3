/**
 * Turns the bundled copies of shared schemas inside a tool's schema back into references:
 * a `$ref` to a `$defs` entry that is a manifest `schemas:` entry becomes a reference to that
 * schema's one emitted type and validator, and the copy (with whatever only it used) is dropped.
 * The bundle itself stays untouched: it is still the wire literal served on tools/list.
 */
import type { SharedSchemaLinks } from '../app/model.ts';
import { setOwn } from '../json.ts';

type Json = unknown;
type SchemaObject = Record<string, Json>;

/** `$ref` value standing for a shared schema until the printers name it. */
const SHARED_REF_PREFIX = 'mcp-gen-shared:';

export function sharedRef(name: string): string {
  return `${SHARED_REF_PREFIX}${name}`;
}

/** The shared schema name of a reference made by `sharedRef`. */
export function sharedRefName(ref: string): string | undefined {
  return ref.startsWith(SHARED_REF_PREFIX) ? ref.slice(SHARED_REF_PREFIX.length) : undefined;
}

const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples']);
const NAME_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

const encode = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');
const decode = (token: string) => token.replace(/~1/g, '/').replace(/~0/g, '~');

function mapRefs(schema: Json, visit: (ref: string) => string, keyIsMap = false): Json {
  if (Array.isArray(schema)) return schema.map((s) => mapRefs(s, visit));
  if (schema === null || typeof schema !== 'object') return schema;
  const out: SchemaObject = {};
  for (const [k, v] of Object.entries(schema as SchemaObject)) {
    if (keyIsMap) setOwn(out, k, mapRefs(v, visit));
    else if (k === '$ref' && typeof v === 'string') setOwn(out, k, visit(v));
    else setOwn(out, k, DATA_KEYWORDS.has(k) ? v : mapRefs(v, visit, NAME_MAPS.has(k)));
  }
  return out;
}

/** Root `$defs` keys a schema refers to (`#/$defs/<key>…`). */
function referencedDefs(schema: Json): Set<string> {
  const keys = new Set<string>();
  mapRefs(schema, (ref) => {
    const m = /^#\/\$defs\/([^/]+)/.exec(ref);
    if (m) keys.add(decode(m[1]!));
    return ref;
  });
  return keys;
}

/**
 * `schema` with every exact reference to a linked `$defs` entry replaced by `sharedRef(name)`,
 * the linked copies removed and root `$defs` nobody reaches any more pruned. A reference into a
 * part of a shared schema (`#/$defs/Order/properties/id`) keeps that copy local.
 */
export function unbundleShared(schema: SchemaObject, links: SharedSchemaLinks): SchemaObject {
  const linked = Object.keys(links.defs);
  if (linked.length === 0) return schema;
  const deep = new Set<string>();
  mapRefs(schema, (ref) => {
    for (const key of linked) if (ref.startsWith(`#/$defs/${encode(key)}/`)) deep.add(key);
    return ref;
  });
  const replace = (ref: string) => {
    const m = /^#\/\$defs\/([^/]+)$/.exec(ref);
    const key = m ? decode(m[1]!) : undefined;
    return key !== undefined && Object.hasOwn(links.defs, key) && !deep.has(key) ? sharedRef(links.defs[key]!) : ref;
  };
  const rewritten = mapRefs(schema, replace) as SchemaObject;
  const defs = (rewritten.$defs ?? {}) as SchemaObject;
  const { $defs: _defs, ...body } = rewritten;
  // Keep the root `$defs` entries still reachable from the body.
  const reached = new Set<string>();
  const queue = [...referencedDefs(body)];
  while (queue.length > 0) {
    const key = queue.pop()!;
    if (reached.has(key) || !Object.hasOwn(defs, key)) continue;
    reached.add(key);
    queue.push(...referencedDefs(defs[key]));
  }
  const kept = Object.keys(defs).filter((key) => reached.has(key));
  return kept.length > 0 ? { ...body, $defs: Object.fromEntries(kept.map((key) => [key, defs[key]])) } : body;
}

/** Replaces every `sharedRef` in `document` by what `resolve` says (a local pointer, say). */
export function resolveSharedRefs<T>(document: T, resolve: (name: string) => string): T {
  return mapRefs(document, (ref) => {
    const name = sharedRefName(ref);
    return name === undefined ? ref : resolve(name);
  }) as T;
}
