/**
 * TS types through json-schema-to-typescript with names we control: every `$ref` becomes a
 * `tsType` reference to a name the caller chose, so the compiler never dereferences (which would
 * rename shared targets `Result1`, `RequestId2`…) and every named schema keeps its own name.
 */
import { importPackage } from '../load/import-package.ts';
import { escapeCommentText } from './text.ts';
import { printTypesRoot } from './ts-type-printer.ts';

// Loaded on first use: a run whose types all come from the render cache (incremental/) never needs it.
let compiler: Promise<typeof import('json-schema-to-typescript')> | undefined;
const loadCompiler = () => (compiler ??= importPackage<typeof import('json-schema-to-typescript')>('json-schema-to-typescript'));

type Json = unknown;

/** The synthetic root every def hangs under (stripRoot removes it from the output). */
export const TYPES_ROOT_NAME = 'McpGenTypesRoot__';

/** Keywords that give json-schema-to-typescript a shape; a schema with none of them is `unknown`. */
const SHAPING_KEYWORDS = new Set([
  'type', 'properties', 'additionalProperties', 'patternProperties', 'required', 'items', 'prefixItems',
  'enum', 'const', 'anyOf', 'oneOf', 'allOf', 'not', '$ref', 'if', 'then', 'else', 'tsType',
]);

/** json-schema-to-typescript prints these verbatim into the output: never from user input. */
const COMPILER_KEYWORDS = new Set(['tsType', 'tsEnumNames']);

/** Checked by zod refinements, so they never change the validator's type: in exact mode they do not shape ours either. */
const REFINEMENT_KEYWORDS = new Set(['not', 'if', 'then', 'else']);

function isEmptySchema(s: Record<string, Json>, exact: boolean): boolean {
  // Annotations alone (default, examples, x-…) must not invent a type the zod validator lacks.
  return !Object.keys(s).some((k) => SHAPING_KEYWORDS.has(k) && !(exact && REFINEMENT_KEYWORDS.has(k)));
}

const MAP_KEYWORDS = new Set(['properties', '$defs', 'definitions', 'patternProperties', 'dependentSchemas']);

/** Replace `$ref` by `tsType`, `{}` by `unknown` (the compiler renders `{}` as an object), drop nested `$defs`. */
interface NormalizeContext {
  resolveRef: (ref: string) => string;
  /** Match the zod printer (user schemas): arrays never tuples by length, `prefixItems` tuples, closed objects. */
  exact: boolean;
}

/** The JSON types a schema's `type` allows, in TYPE_SPECIFIC's terms (integer is a number). */
function typesOf(s: Record<string, Json>): string[] | undefined {
  const list = typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? s.type.filter((t): t is string => typeof t === 'string') : undefined;
  return list?.map((t) => (t === 'integer' ? 'number' : t));
}

const COMBINATORS = new Set(['allOf', 'anyOf', 'oneOf']);

/** `within`: the types an enclosing schema allows (a combinator branch of `type: object` only meets objects). */
function normalize(schema: Json, ctx: NormalizeContext, keyIsMap = false, within?: string[]): Json {
  if (Array.isArray(schema)) return schema.map((s) => normalize(s, ctx, false, within));
  if (schema === null || typeof schema !== 'object') return schema;
  const s = schema as Record<string, Json>;
  if (keyIsMap) return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, normalize(v, ctx)]));
  if (typeof s.$ref === 'string') {
    const { $ref, ...rest } = s;
    return { ...(normalize(rest, ctx) as object), tsType: ctx.resolveRef($ref) };
  }
  if (isEmptySchema(s, ctx.exact)) return { ...keepAnnotations(s), tsType: 'unknown' };
  if (ctx.exact && s.type === undefined) {
    const split = splitByType(s, within);
    if (split) return normalize(split, ctx);
  }
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(s)) {
    if (COMPILER_KEYWORDS.has(k)) continue; // would be pasted into generated code as-is
    if (k === '$defs' || k === 'definitions') continue; // each ref target is compiled as its own named type
    if (k === 'description' && typeof v === 'string') out[k] = escapeCommentText(v);
    else if (k === 'title') continue; // titles would rename types; names come from the caller
    else if (ctx.exact && (k === 'prefixItems' || k === 'items' || k === 'additionalItems')) continue; // arrayShape below
    else if (ctx.exact && (REFINEMENT_KEYWORDS.has(k) || k === 'patternProperties')) continue; // closedObject below
    else if (ctx.exact && COMBINATORS.has(k)) out[k] = normalize(v, ctx, false, typesOf(s) ?? within);
    else out[k] = normalize(v, ctx, MAP_KEYWORDS.has(k));
  }
  if (ctx.exact) Object.assign(out, arrayShape(s, ctx), closedObject(s));
  return out;
}

/**
 * Where the type and the zod validator of a schema cannot be rendered identically (MG4005): the
 * printer's `prefixItems` tuple leaves every position optional, json-schema-to-typescript's requires
 * them. Such validators are cast to their declared type (the validator stays exact at run time).
 */
export function typeMismatches(schema: Json, path: (string | number)[] = []): { keyword: string; path: (string | number)[] }[] {
  if (Array.isArray(schema)) return schema.flatMap((s, i) => typeMismatches(s, [...path, i]));
  if (schema === null || typeof schema !== 'object') return [];
  const out: { keyword: string; path: (string | number)[] }[] = [];
  for (const [k, v] of Object.entries(schema as Record<string, Json>)) {
    if (DATA_KEYWORDS.has(k)) continue;
    if (k === 'prefixItems' && Array.isArray(v)) out.push({ keyword: k, path });
    out.push(...typeMismatches(v, [...path, k]));
  }
  return out;
}

const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples']);

/** Keywords that constrain only instances of one JSON type (the zod printer's view, docs/zod-printer.md). */
const TYPE_SPECIFIC: Record<string, string[]> = {
  object: ['properties', 'patternProperties', 'additionalProperties', 'required', 'propertyNames', 'minProperties', 'maxProperties', 'dependentRequired', 'dependentSchemas', 'unevaluatedProperties'],
  array: ['items', 'prefixItems', 'contains', 'minItems', 'maxItems', 'uniqueItems', 'minContains', 'maxContains', 'unevaluatedItems'],
  string: ['minLength', 'maxLength', 'pattern'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  boolean: [],
  null: [],
};

/**
 * A schema without `type` whose keywords only constrain some types still accepts every other JSON
 * value (`{properties: …}` accepts `"text"`): the zod printer validates the union of the six types,
 * each carrying its own keywords, so the type is that union too. Other keywords stay beside it.
 */
function splitByType(s: Record<string, Json>, within?: string[]): Record<string, Json> | undefined {
  if ('enum' in s || 'const' in s) return undefined; // the values pin the type
  const specific = new Set(Object.values(TYPE_SPECIFIC).flat());
  if (!Object.keys(s).some((k) => specific.has(k))) return undefined;
  const types = Object.entries(TYPE_SPECIFIC).filter(([type]) => within === undefined || within.includes(type));
  if (types.length === 0) return undefined;
  const branches = types.map(([type, keys]) => ({
    type,
    ...Object.fromEntries(keys.filter((k) => k in s).map((k) => [k, s[k]])),
  }));
  const rest = Object.fromEntries(Object.entries(s).filter(([k]) => !specific.has(k)));
  const union = branches.length === 1 ? branches[0]! : { anyOf: branches };
  return Object.keys(rest).some((k) => SHAPING_KEYWORDS.has(k)) ? { ...keepAnnotations(rest), allOf: [union, rest] } : { ...rest, ...union };
}

/**
 * 2020-12 arrays in the compiler's draft-07 terms: `prefixItems` → positional `items`, `items` →
 * `additionalItems`. Length keywords never shape the type (`ignoreMinAndMaxItems`): the zod printer
 * checks them with `.min()`/`.max()` on a plain array, and a tuple here would reject its output.
 */
function arrayShape(s: Record<string, Json>, ctx: NormalizeContext): Record<string, Json> {
  if (!Array.isArray(s.prefixItems)) return s.items === undefined ? {} : { items: normalize(s.items, ctx) };
  return {
    items: normalize(s.prefixItems, ctx),
    additionalItems: s.items === undefined ? true : normalize(s.items, ctx),
  };
}


/**
 * Object types are closed (no `[k: string]: unknown`) unless the schema opens them: an explicit
 * `additionalProperties`/`patternProperties`/`unevaluatedProperties`, or an object schema that names
 * no properties at all (a free-form map). See docs/manifest.md "How schemas become types".
 */
function closedObject(s: Record<string, Json>): Record<string, Json> {
  const props = s.properties;
  const named = props !== null && typeof props === 'object' && Object.keys(props).length > 0;
  // zod checks pattern-named keys in a refinement over a loose object: the extra values stay unknown.
  if ('patternProperties' in s) return { additionalProperties: true };
  if (!named || 'additionalProperties' in s) return {};
  if ('unevaluatedProperties' in s && s.unevaluatedProperties !== false) return {};
  return { additionalProperties: false };
}

function keepAnnotations(s: Record<string, Json>): Record<string, Json> {
  return typeof s.description === 'string' ? { description: escapeCommentText(s.description) } : {};
}

export function defsRef(ref: string): string {
  const m = /^#\/(?:\$defs|definitions)\/([^/]+)$/.exec(ref);
  if (!m) throw new Error(`unsupported $ref ${ref}: mcp-gen never fetches network refs`);
  return m[1]!;
}

/**
 * One exported type per entry of `defs`, named by its key; `resolveRef` names each `$ref`.
 * `exact`: types for user schemas, which must match the zod printer's validators (see NormalizeContext).
 */
export async function compileNamedTypes(
  defs: Record<string, Json>,
  resolveRef: (ref: string) => string = defsRef,
  { exact = false }: { exact?: boolean } = {},
): Promise<string> {
  return compileTypesRoot(namedTypesRoot(defs, resolveRef, exact), exact);
}

/** The one schema handed to json-schema-to-typescript: every def normalized, under a synthetic root. */
export function namedTypesRoot(defs: Record<string, Json>, resolveRef: (ref: string) => string, exact: boolean): Record<string, Json> {
  const ctx: NormalizeContext = { resolveRef, exact };
  const root = {
    title: TYPES_ROOT_NAME,
    type: 'object',
    additionalProperties: false,
    properties: {},
    $defs: Object.fromEntries(
      Object.keys(defs)
        .sort()
        .map((name) => {
          const def = defs[name];
          const normalized = typeof def === 'boolean' ? { tsType: def ? 'unknown' : 'never' } : (normalize(def, ctx) as object);
          return [name, { ...normalized, title: name }];
        }),
    ),
  };
  rootObserver?.(root, exact);
  return root;
}

/** The compiler's options for a root: `ignoreMinAndMaxItems` in exact mode (see arrayShape). */
export function compilerOptions(exact: boolean) {
  return {
    bannerComment: '',
    format: false,
    additionalProperties: true,
    unreachableDefinitions: true,
    declareExternallyReferenced: true,
    strictIndexSignatures: false,
    enableConstEnums: false,
    ignoreMinAndMaxItems: exact,
  } as const;
}

/**
 * The types of a root. ts-type-printer prints what json-schema-to-typescript would for the schemas
 * it is sure about, without loading it (with lodash and the ref parser, the largest library cost of
 * a cold generate); for any other root the compiler runs, exactly as before. `printer: false`
 * always runs the compiler (test/unit/ts-type-printer.test.ts compares the two).
 */
export async function compileTypesRoot(root: Record<string, Json>, exact: boolean, { printer = true }: { printer?: boolean } = {}): Promise<string> {
  const printed = printer ? printTypesRoot(root, TYPES_ROOT_NAME, { ignoreMinAndMaxItems: exact }) : undefined;
  if (printed !== undefined) return stripRoot(printed);
  const { compile } = await loadCompiler();
  const ts = await compile(root as never, TYPES_ROOT_NAME, compilerOptions(exact));
  return stripRoot(ts);
}

/** Tests see every root compileNamedTypes builds (the example projects' real inputs). */
let rootObserver: ((root: Record<string, Json>, exact: boolean) => void) | undefined;
export function observeTypesRoots(observer: typeof rootObserver): void {
  rootObserver = observer;
}

/** Drops the synthetic root interface and the "referenced by the root" notes it leaves in comments. */
function stripRoot(ts: string): string {
  let out = ts;
  const start = out.indexOf(`export interface ${TYPES_ROOT_NAME} {`);
  if (start >= 0) out = out.slice(0, start) + out.slice(out.indexOf('\n}\n', start) + 3);
  const note = String.raw` \* This interface was referenced by \`` + TYPES_ROOT_NAME + String.raw`\`'s JSON-Schema\n \* via the \`definition\` "[^"]+"\.\n`;
  out = out.replace(new RegExp(String.raw`/\*\*\n` + note + String.raw` \*/\n`, 'g'), '');
  out = out.replace(new RegExp(String.raw` \* ?\n` + note, 'g'), '');
  return out;
}
