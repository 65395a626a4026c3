/**
 * Puts several self-contained JSON Schemas (a tool's input and output, say) into one document so
 * one zod module and one set of TS types can be printed for them without name clashes. Local
 * refs are re-rooted under `#/$defs/<name>`; every ref target gets a stable type name.
 */
import { setOwn } from '../json.ts';

type Json = unknown;
type SchemaObject = Record<string, Json>;

export interface CombinedSchemas {
  /** `{ $defs: { <name>: schema, … } }` with every local `$ref` re-rooted. */
  document: { $defs: Record<string, Json> };
  /** JSON pointer (without `#`) → type name, for the roots and every `$ref` target. */
  names: Map<string, string>;
}

/** Keywords whose values are instance data, not schemas: a `$ref` key in there is just data. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples']);

function rewriteRefs(schema: Json, prefix: string): Json {
  if (Array.isArray(schema)) return schema.map((s) => rewriteRefs(s, prefix));
  if (schema === null || typeof schema !== 'object') return schema;
  const out: SchemaObject = {};
  for (const [k, v] of Object.entries(schema as SchemaObject)) {
    const value = (k === '$ref' || k === '$dynamicRef') && typeof v === 'string' && (v === '#' || v.startsWith('#/')) ? `#${prefix}${v.slice(1)}` : DATA_KEYWORDS.has(k) ? v : rewriteRefs(v, prefix);
    setOwn(out, k, value);
  }
  return out;
}

function collectRefs(schema: Json, into: Set<string>): void {
  if (Array.isArray(schema)) return schema.forEach((s) => collectRefs(s, into));
  if (schema === null || typeof schema !== 'object') return;
  for (const [k, v] of Object.entries(schema as SchemaObject)) {
    // A `$ref` is a URI: its fragment is percent-encoded (`#/$defs/percent%25field`), the pointer is not.
    if (k === '$ref' && typeof v === 'string' && v.startsWith('#/')) into.add(fragmentPointer(v));
    else if (!DATA_KEYWORDS.has(k)) collectRefs(v, into);
  }
}

/** The JSON pointer a local `$ref` names (its fragment, percent-decoded). */
export function fragmentPointer(ref: string): string {
  try {
    return decodeURIComponent(ref.slice(1));
  } catch {
    return ref.slice(1);
  }
}

const decode = (seg: string) => seg.replace(/~1/g, '/').replace(/~0/g, '~');

function pascalSegment(seg: string): string {
  const words = decode(seg).split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return /^[0-9]/.test(joined) ? `_${joined}` : joined || '_';
}

const STRUCTURAL = new Set(['$defs', 'definitions', 'properties', 'items', 'prefixItems', 'additionalProperties', 'anyOf', 'oneOf', 'allOf']);

/**
 * The type name of every part and every `$ref` target of the combined document (JSON pointer →
 * name). The plan calls this to allocate the helper names (`Order_Address`) in its symbol table;
 * emission then receives the map instead of naming anything itself.
 */
export function combinedTypeNames(parts: Record<string, SchemaObject>): Map<string, string> {
  return nameRefTargets(rootDefs(parts));
}

function rootDefs(parts: Record<string, SchemaObject>): Record<string, Json> {
  const $defs: Record<string, Json> = {};
  for (const name of Object.keys(parts).sort()) $defs[name] = rewriteRefs(parts[name], `/$defs/${name}`);
  return $defs;
}

/** `names`: the plan's allocation (combinedTypeNames of the same parts). */
export function combineSchemas(parts: Record<string, SchemaObject>, names?: ReadonlyMap<string, string>): CombinedSchemas {
  const $defs = rootDefs(parts);
  return { document: { $defs }, names: new Map(names ?? nameRefTargets($defs)) };
}

function nameRefTargets($defs: Record<string, Json>): Map<string, string> {
  const names = new Map<string, string>();
  for (const name of Object.keys($defs)) names.set(`/$defs/${name}`, name);
  const refs = new Set<string>();
  collectRefs($defs, refs);
  const taken = new Set(names.values());
  for (const pointer of [...refs].sort()) {
    if (names.has(pointer)) continue;
    const segs = pointer.split('/').slice(1);
    const root = segs[1]!;
    const meaningful = segs.slice(2).filter((s) => !STRUCTURAL.has(s));
    let candidate = `${root}_${meaningful.map(pascalSegment).join('_') || 'Self'}`;
    for (let i = 2; taken.has(candidate); i++) candidate = `${root}_${meaningful.map(pascalSegment).join('_')}${i}`;
    taken.add(candidate);
    names.set(pointer, candidate);
  }
  return names;
}

/** The schema at a JSON pointer in the document. */
export function schemaAt(document: Json, pointer: string): Json {
  let node = document;
  for (const seg of pointer.split('/').slice(1)) node = (node as SchemaObject)?.[decode(seg)];
  return node;
}
