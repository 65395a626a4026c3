/** Small readers over schema.json $defs: the only place that knows how a def is shaped. */
import type { SpecDocument } from '../load/load-spec.ts';

export type Schema = Record<string, unknown>;

export function defOf(doc: SpecDocument, name: string): Schema | undefined {
  const d = doc.$defs[name];
  return typeof d === 'object' && d !== null ? (d as Schema) : undefined;
}

/** `#/$defs/Foo` → `Foo`; anything else → undefined. */
export function refTarget(schema: unknown): string | undefined {
  const ref = (schema as Schema | undefined)?.$ref;
  if (typeof ref !== 'string') return undefined;
  const m = /^#\/(?:\$defs|definitions)\/([^/]+)$/.exec(ref);
  return m ? decodeURIComponent(m[1]!.replace(/~1/g, '/').replace(/~0/g, '~')) : undefined;
}

export function properties(schema: Schema | undefined): Record<string, Schema> {
  const p = schema?.properties;
  return typeof p === 'object' && p !== null ? (p as Record<string, Schema>) : {};
}

export function requiredOf(schema: Schema | undefined): string[] {
  return Array.isArray(schema?.required) ? (schema!.required as string[]) : [];
}

/** The `const` of `properties.method`, which is what makes a def a message. */
export function methodConst(schema: Schema | undefined): string | undefined {
  const c = properties(schema).method?.const;
  return typeof c === 'string' ? c : undefined;
}

/** Members of a union def (`anyOf`/`oneOf` of refs); a def that is itself a message is its own single member. */
export function unionMembers(doc: SpecDocument, name: string): string[] {
  const def = defOf(doc, name);
  if (!def) return [];
  const list = (def.anyOf ?? def.oneOf) as unknown[] | undefined;
  if (Array.isArray(list)) return list.map(refTarget).filter((x): x is string => Boolean(x));
  const alias = refTarget(def);
  if (alias) return unionMembers(doc, alias);
  return methodConst(def) ? [name] : [];
}

/** The error code a def pins, looking through `error` and `allOf` the way 2026-07-28 nests it. */
export function errorCodeOf(doc: SpecDocument, def: Schema): { code: number; dataRequired: string[] } | undefined {
  const direct = properties(def).code?.const;
  if (typeof direct === 'number') {
    return { code: direct, dataRequired: requiredOf(properties(def).data as Schema) };
  }
  const err = properties(def).error;
  if (!err) return undefined;
  const parts: Schema[] = [err, ...((err.allOf as Schema[] | undefined) ?? [])];
  for (const part of parts) {
    const target = refTarget(part);
    const resolved = target ? defOf(doc, target) : part;
    const code = properties(resolved).code?.const;
    if (typeof code === 'number') {
      return { code, dataRequired: requiredOf(properties(resolved).data as Schema) };
    }
  }
  return undefined;
}

/** Short type label for dumps: `string`, `Implementation`, `ProgressToken`… */
export function typeLabel(schema: Schema | undefined): string | undefined {
  if (!schema) return undefined;
  const target = refTarget(schema);
  if (target) return target;
  const t = schema.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.join('|');
  return undefined;
}
