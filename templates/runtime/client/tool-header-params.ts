import { isPlainObject } from '../json.ts';
import type { JsonObject } from '../wire.ts';
import { encodeParamValue } from './header-values.ts';

/** One `x-mcp-header` annotation: the header suffix and the `properties` chain it reads. */
export interface HeaderParamSpec {
  header: string;
  path: readonly string[];
}

export type HeaderParamsCheck = { ok: true; params: HeaderParamSpec[] } | { ok: false; reason: string };

/** RFC 9110 §5.6.2 `tchar`. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const PRIMITIVE_TYPES = new Set(['string', 'integer', 'boolean']);

/**
 * JSON Schema keywords whose values are subschemas (or maps/arrays of them). Only `properties`
 * keeps a location "statically reachable"; everything else breaks the chain
 * (basic/transports/streamable-http.mdx "Schema Extension"). Keywords not listed hold data
 * (`const`, `default`, `examples`, `enum`, …) and are not walked.
 */
const SUBSCHEMA_MAPS = ['$defs', 'definitions', 'patternProperties', 'dependentSchemas'];
const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SUBSCHEMA_SINGLE = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties', 'additionalItems'];

function isPrimitiveType(type: unknown): boolean {
  if (typeof type === 'string') return PRIMITIVE_TYPES.has(type);
  if (Array.isArray(type)) {
    const nonNull = type.filter((t) => t !== 'null');
    return nonNull.length === 1 && PRIMITIVE_TYPES.has(String(nonNull[0]));
  }
  return false;
}

/**
 * Validates every `x-mcp-header` annotation of a tool's `inputSchema` and returns the header
 * params, or the first reason the tool definition is invalid (server/tools.mdx "x-mcp-header").
 */
export function checkHeaderParams(inputSchema: unknown): HeaderParamsCheck {
  const params: HeaderParamSpec[] = [];
  const seen = new Set<string>();
  let failure: string | undefined;

  const visit = (node: unknown, path: string[] | undefined, depth: number): void => {
    if (failure || !isPlainObject(node) || depth > 64) return;
    if ('x-mcp-header' in node) {
      const header = node['x-mcp-header'];
      const where = path && path.length > 0 ? `property '${path.join('.')}'` : 'a schema location that is not a property';
      if (!path || path.length === 0) return void (failure = `x-mcp-header on ${where} is not statically reachable through properties`);
      if (typeof header !== 'string' || header.length === 0) return void (failure = `x-mcp-header on ${where} is empty or not a string`);
      if (!TOKEN.test(header)) return void (failure = `x-mcp-header '${header}' on ${where} is not an HTTP token`);
      if (!isPrimitiveType(node.type)) return void (failure = `x-mcp-header '${header}' on ${where} must annotate a string, integer or boolean`);
      const folded = header.toLowerCase();
      if (seen.has(folded)) return void (failure = `x-mcp-header '${header}' is not case-insensitively unique`);
      seen.add(folded);
      params.push({ header, path });
    }
    if (isPlainObject(node.properties))
      for (const [name, child] of Object.entries(node.properties)) visit(child, path ? [...path, name] : undefined, depth + 1);
    for (const key of SUBSCHEMA_MAPS)
      if (isPlainObject(node[key])) for (const child of Object.values(node[key] as JsonObject)) visit(child, undefined, depth + 1);
    for (const key of SUBSCHEMA_LISTS) if (Array.isArray(node[key])) for (const child of node[key] as unknown[]) visit(child, undefined, depth + 1);
    for (const key of SUBSCHEMA_SINGLE) if (key in node) visit(node[key], undefined, depth + 1);
  };

  visit(inputSchema, [], 0);
  return failure ? { ok: false, reason: failure } : { ok: true, params };
}

function valueAt(args: unknown, path: readonly string[]): unknown {
  let current = args;
  for (const key of path) {
    // Own properties only: `constructor` or `__proto__` must not read the prototype chain.
    if (!isPlainObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/** `Mcp-Param-{Name}` headers for one call: absent and null values get no header ("Client Behavior"). */
export function paramHeaders(params: readonly HeaderParamSpec[], args: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const param of params) {
    const encoded = encodeParamValue(valueAt(args, param.path), `Mcp-Param-${param.header}`);
    if (encoded !== undefined) headers[`Mcp-Param-${param.header}`] = encoded;
  }
  return headers;
}
