/**
 * `x-mcp-header` on tool input properties. Every constraint below is from
 * 2026-07-28/docs/basic/transports/streamable-http.mdx, section "Schema Extension"
 * (repeated in 2026-07-28/docs/server/tools.mdx, "x-mcp-header"); a client drops a tool that
 * breaks any of them, so each one is an error here.
 */
import { isRecord } from '../paths.ts';
import { walkSchema, type SchemaPath } from '../schema/walk-schema.ts';

export const HEADER_KEYWORD = 'x-mcp-header';

/** RFC 9110 §5.6.2 token: `1*tchar`. */
const TCHAR_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const HEADER_TYPES = ['string', 'integer', 'boolean'] as const;
export type HeaderValueType = (typeof HEADER_TYPES)[number];

export interface HeaderAnnotation {
  /** Path of the annotated subschema from the schema root. */
  schemaPath: SchemaPath;
  schema: Record<string, unknown>;
  value: unknown;
}

export interface HeaderProblem {
  schemaPath: SchemaPath;
  /** Keyword the problem is about, to point at it (defaults to `x-mcp-header`). */
  keyword: string;
  message: string;
}

export function findHeaderAnnotations(inputSchema: unknown): HeaderAnnotation[] {
  const found: HeaderAnnotation[] = [];
  // Most inputs have none: a plain scan for the key is much cheaper than the schema walk.
  if (!hasKeyAnywhere(inputSchema, HEADER_KEYWORD, new Set())) return found;
  walkSchema(inputSchema, (schema, schemaPath) => {
    if (Object.hasOwn(schema, HEADER_KEYWORD)) found.push({ schemaPath, schema, value: schema[HEADER_KEYWORD] });
  });
  return found;
}

/** Whether some object in `value` (any depth, data included) has `key` as an own key. */
function hasKeyAnywhere(value: unknown, key: string, seen: Set<object>): boolean {
  if (typeof value !== 'object' || value === null || seen.has(value)) return false;
  seen.add(value);
  if (Array.isArray(value)) return value.some((item) => hasKeyAnywhere(item, key, seen));
  if (Object.hasOwn(value, key)) return true;
  for (const child of Object.values(value)) if (hasKeyAnywhere(child, key, seen)) return true;
  return false;
}

/** The chain of property names when `path` is `properties/a/properties/b/...`, else undefined. */
export function propertyChain(path: SchemaPath): string[] | undefined {
  if (path.length === 0 || path.length % 2 !== 0) return undefined;
  const chain: string[] = [];
  for (let i = 0; i < path.length; i += 2) {
    if (path[i] !== 'properties') return undefined;
    chain.push(String(path[i + 1]));
  }
  return chain;
}

export function headerValueType(schema: Record<string, unknown>): HeaderValueType | undefined {
  const types = ([] as unknown[]).concat(schema.type).filter((t) => t !== 'null');
  if (types.length !== 1) return undefined;
  return (HEADER_TYPES as readonly unknown[]).includes(types[0]) ? (types[0] as HeaderValueType) : undefined;
}

export function checkHeaderAnnotations(inputSchema: unknown): HeaderProblem[] {
  const problems: HeaderProblem[] = [];
  const seen = new Map<string, string>();
  for (const { schemaPath, schema, value } of findHeaderAnnotations(inputSchema)) {
    const problem = (message: string, keyword = HEADER_KEYWORD) => problems.push({ schemaPath, keyword, message });
    // "MUST NOT be empty" and "MUST match HTTP field-name token syntax (1*tchar)".
    if (typeof value !== 'string') {
      problem('`x-mcp-header` must be a string (the Name in Mcp-Param-{Name})');
      continue;
    }
    if (value === '') problem('`x-mcp-header` must not be empty');
    // "MUST NOT contain control characters, including CR and LF".
    else if (CONTROL.test(value)) problem('`x-mcp-header` must not contain control characters (CR, LF, …)');
    else if (!TCHAR_TOKEN.test(value)) {
      problem(`\`x-mcp-header: ${value}\` is not an HTTP field-name token (letters, digits and !#$%&'*+-.^_\`|~ only)`);
    }
    // "MUST be case-insensitively unique among all x-mcp-header values in the inputSchema".
    const folded = value.toLowerCase();
    const earlier = seen.get(folded);
    if (earlier !== undefined && value !== '') {
      problem(`\`x-mcp-header: ${value}\` repeats \`${earlier}\` (header names compare case-insensitively)`);
    } else seen.set(folded, value);
    // "MUST only be applied to properties that are statically reachable from the schema root":
    // only `properties` steps; no items, composition, conditionals or $ref on the way.
    if (!propertyChain(schemaPath)) {
      problem(
        schemaPath.length === 0
          ? '`x-mcp-header` must annotate a property, not the schema root'
          : `\`x-mcp-header\` is only allowed on properties reached through \`properties\` alone; this one is reached through ${describeDetour(schemaPath)}`,
      );
    }
    // "MUST only be applied to parameters with primitive types (integer, string, boolean).
    // Parameters with type number are not permitted."
    const type = headerValueType(schema);
    if (type === undefined && !isUnknownTypeName(schema.type)) {
      problem(
        schema.type === undefined
          ? 'a property with `x-mcp-header` must declare `type: string`, `integer` or `boolean`'
          : `a property with \`x-mcp-header\` must be a string, integer or boolean, not ${JSON.stringify(schema.type)}`,
        schema.type === undefined ? HEADER_KEYWORD : 'type',
      );
    }
    // "Integer values MUST be within the safe range for JavaScript (−2^53+1 to 2^53−1)".
    if (type === 'integer') {
      for (const bound of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']) {
        const limit = schema[bound];
        if (typeof limit === 'number' && Math.abs(limit) > MAX_SAFE) {
          problem(`\`${bound}\` lets header integers leave the safe range ±(2^53−1)`, bound);
        }
      }
    }
  }
  return problems;
}

/** A misspelt `type` is reported by meta-validation with a suggestion; do not pile on. */
function isUnknownTypeName(type: unknown): boolean {
  return typeof type === 'string' && !['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'].includes(type);
}

function describeDetour(path: SchemaPath): string {
  let i = 0;
  while (i < path.length && path[i] === 'properties') i += 2;
  const detour = String(path[i] ?? path[0]);
  return detour === '$defs' || detour === 'definitions' ? '`$ref`' : `\`${detour}\``;
}

/** Whether every property on the chain is listed in its parent's `required`. */
export function isChainRequired(inputSchema: unknown, chain: readonly string[]): boolean {
  let node: unknown = inputSchema;
  for (const name of chain) {
    if (!isRecord(node)) return false;
    const required = Array.isArray(node.required) ? node.required : [];
    if (!required.includes(name)) return false;
    node = isRecord(node.properties) ? node.properties[name] : undefined;
  }
  return true;
}
