/**
 * TS types through json-schema-to-typescript with names we control: every `$ref` becomes a
 * `tsType` reference to a name the caller chose, so the compiler never dereferences (which would
 * rename shared targets `Result1`, `RequestId2`…) and every named schema keeps its own name.
 */
import { compile } from 'json-schema-to-typescript';
import { escapeCommentText } from './text.ts';

type Json = unknown;

const ROOT_NAME = 'McpGenTypesRoot__';

/** Keywords that give json-schema-to-typescript a shape; a schema with none of them is `unknown`. */
const SHAPING_KEYWORDS = new Set([
  'type', 'properties', 'additionalProperties', 'patternProperties', 'required', 'items', 'prefixItems',
  'enum', 'const', 'anyOf', 'oneOf', 'allOf', 'not', '$ref', 'if', 'then', 'else', 'tsType',
]);

/** json-schema-to-typescript prints these verbatim into the output: never from user input. */
const COMPILER_KEYWORDS = new Set(['tsType', 'tsEnumNames']);

function isEmptySchema(s: Record<string, Json>): boolean {
  // Annotations alone (default, examples, x-…) must not invent a type the zod validator lacks.
  return !Object.keys(s).some((k) => SHAPING_KEYWORDS.has(k));
}

const MAP_KEYWORDS = new Set(['properties', '$defs', 'definitions', 'patternProperties', 'dependentSchemas']);

/** Replace `$ref` by `tsType`, `{}` by `unknown` (the compiler renders `{}` as an object), drop nested `$defs`. */
function normalize(schema: Json, resolveRef: (ref: string) => string, keyIsMap = false): Json {
  if (Array.isArray(schema)) return schema.map((s) => normalize(s, resolveRef));
  if (schema === null || typeof schema !== 'object') return schema;
  const s = schema as Record<string, Json>;
  if (keyIsMap) return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, normalize(v, resolveRef)]));
  if (typeof s.$ref === 'string') {
    const { $ref, ...rest } = s;
    return { ...(normalize(rest, resolveRef) as object), tsType: resolveRef($ref) };
  }
  if (isEmptySchema(s)) return { ...keepAnnotations(s), tsType: 'unknown' };
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(s)) {
    if (COMPILER_KEYWORDS.has(k)) continue; // would be pasted into generated code as-is
    if (k === '$defs' || k === 'definitions') continue; // each ref target is compiled as its own named type
    if (k === 'description' && typeof v === 'string') out[k] = escapeCommentText(v);
    else if (k === 'title') continue; // titles would rename types; names come from the caller
    else out[k] = normalize(v, resolveRef, MAP_KEYWORDS.has(k));
  }
  return out;
}

function keepAnnotations(s: Record<string, Json>): Record<string, Json> {
  return typeof s.description === 'string' ? { description: escapeCommentText(s.description) } : {};
}

export function defsRef(ref: string): string {
  const m = /^#\/(?:\$defs|definitions)\/([^/]+)$/.exec(ref);
  if (!m) throw new Error(`unsupported $ref ${ref}: mcp-gen never fetches network refs`);
  return m[1]!;
}

/** One exported type per entry of `defs`, named by its key; `resolveRef` names each `$ref`. */
export async function compileNamedTypes(defs: Record<string, Json>, resolveRef: (ref: string) => string = defsRef): Promise<string> {
  const root = {
    title: ROOT_NAME,
    type: 'object',
    additionalProperties: false,
    properties: {},
    $defs: Object.fromEntries(
      Object.keys(defs)
        .sort()
        .map((name) => {
          const def = defs[name];
          const normalized = typeof def === 'boolean' ? { tsType: def ? 'unknown' : 'never' } : (normalize(def, resolveRef) as object);
          return [name, { ...normalized, title: name }];
        }),
    ),
  };
  const ts = await compile(root as never, ROOT_NAME, {
    bannerComment: '',
    format: false,
    additionalProperties: true,
    unreachableDefinitions: true,
    declareExternallyReferenced: true,
    strictIndexSignatures: false,
    enableConstEnums: false,
  });
  return stripRoot(ts);
}

/** Drops the synthetic root interface and the "referenced by the root" notes it leaves in comments. */
function stripRoot(ts: string): string {
  let out = ts;
  const start = out.indexOf(`export interface ${ROOT_NAME} {`);
  if (start >= 0) out = out.slice(0, start) + out.slice(out.indexOf('\n}\n', start) + 3);
  const note = String.raw` \* This interface was referenced by \`` + ROOT_NAME + String.raw`\`'s JSON-Schema\n \* via the \`definition\` "[^"]+"\.\n`;
  out = out.replace(new RegExp(String.raw`/\*\*\n` + note + String.raw` \*/\n`, 'g'), '');
  out = out.replace(new RegExp(String.raw` \* ?\n` + note, 'g'), '');
  return out;
}
