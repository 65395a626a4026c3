/**
 * Mutations of a valid example guided by its schema: drop a required field, give a typed field a
 * value of another type, break a const or an enum. Walks nested objects through $ref and allOf;
 * anyOf/oneOf branches are not entered (which branch applies is ambiguous).
 */
type Json = unknown;
type Schema = Record<string, Json>;

export interface Mutation {
  kind: 'drop-required' | 'wrong-type' | 'wrong-const' | 'wrong-enum';
  path: string;
  value: Json;
}

function resolve(doc: { $defs: Record<string, Json> }, s: Json): Schema | undefined {
  if (!s || typeof s !== 'object') return undefined;
  const sch = s as Schema;
  if (typeof sch.$ref === 'string') return resolve(doc, doc.$defs[sch.$ref.replace('#/$defs/', '')]);
  if (Array.isArray(sch.allOf)) {
    const merged: Schema = { ...sch, properties: { ...(sch.properties as object) }, required: [...((sch.required as string[]) ?? [])] };
    for (const part of sch.allOf) {
      const r = resolve(doc, part);
      if (!r) continue;
      Object.assign(merged.properties as object, r.properties ?? {});
      (merged.required as string[]).push(...((r.required as string[]) ?? []));
      if (r.type && !merged.type) merged.type = r.type;
    }
    return merged;
  }
  return sch;
}

function wrongValueFor(type: Json): Json {
  const t = Array.isArray(type) ? type : [type];
  if (!t.includes('string')) return 'mutated-string';
  if (!t.includes('number') && !t.includes('integer')) return 12345;
  if (!t.includes('boolean')) return true;
  return null;
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

function setAt(root: Json, path: (string | number)[], value: Json | typeof DROP): Json {
  const copy = clone(root);
  let node = copy as Record<string | number, Json>;
  for (const seg of path.slice(0, -1)) node = node[seg] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (value === DROP) delete node[last];
  else node[last] = value;
  return copy;
}
const DROP = Symbol('drop');

export function mutationsOf(doc: { $defs: Record<string, Json> }, defName: string, example: Json, limit = 16): Mutation[] {
  const out: Mutation[] = [];
  const visit = (schema: Json, value: Json, path: (string | number)[], depth: number) => {
    const s = resolve(doc, schema);
    if (!s || depth > 6 || out.length >= limit) return;
    if (path.length === 0 && s.type !== undefined) {
      // Several wrong JSON types for the whole message; Ajv (the oracle) filters out any that are valid.
      for (const v of ['mutated-string', 12345, true, null, [value]]) out.push({ kind: 'wrong-type', path: '/', value: v });
    }
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const obj = value as Record<string, Json>;
      const props = (s.properties ?? {}) as Record<string, Json>;
      for (const key of (s.required as string[] | undefined) ?? []) {
        if (key in obj) out.push({ kind: 'drop-required', path: `/${[...path, key].join('/')}`, value: setAt(rootValue, [...path, key], DROP) });
      }
      for (const [key, propSchema] of Object.entries(props)) {
        if (!(key in obj)) continue;
        const p = resolve(doc, propSchema);
        if (!p) continue;
        if ('const' in p) out.push({ kind: 'wrong-const', path: `/${[...path, key].join('/')}`, value: setAt(rootValue, [...path, key], typeof p.const === 'string' ? `${p.const}-mutated` : 'mutated') });
        else if (Array.isArray(p.enum)) out.push({ kind: 'wrong-enum', path: `/${[...path, key].join('/')}`, value: setAt(rootValue, [...path, key], '__not_in_enum__') });
        else if (p.type !== undefined) out.push({ kind: 'wrong-type', path: `/${[...path, key].join('/')}`, value: setAt(rootValue, [...path, key], wrongValueFor(p.type)) });
        visit(propSchema, obj[key], [...path, key], depth + 1);
      }
    }
  };
  const rootValue = example;
  visit({ $ref: `#/$defs/${defName}` }, example, [], 0);
  return out.slice(0, limit);
}
