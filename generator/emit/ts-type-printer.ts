/**
 * The text json-schema-to-typescript (16.0.0, `format: false`, the options of ts-types.ts's
 * compilerOptions) prints for the roots ts-types.ts builds, without loading it: that compiler, lodash
 * and its `$ref` parser are the largest library cost of a cold generate. Written from reading its
 * pipeline (normalizer rules, typesOfSchema matchers, parser, optimizer, generator); no code shared.
 *
 * Only for schemas whose output we are sure of: anything else (pattern properties, tuples, schemas
 * that match several of the compiler's shapes, names it would rename, keywords that make it throw
 * or rename, …) answers undefined and the caller compiles the whole root as before.
 * test/unit/ts-type-printer.test.ts holds this printer to the compiler's exact text on the examples,
 * the bench manifests, the JSON Schema Test Suite and random schemas.
 */
import { isPlainObject } from '../json.ts';

type Json = unknown;
type Schema = Record<string, Json>;

export interface PrinterOptions {
  /** The compiler's `ignoreMinAndMaxItems` (exact mode): arrays never become tuples by length. */
  ignoreMinAndMaxItems: boolean;
}

/** Thrown (never escapes this module) where the compiler's output is not certain. */
const UNSURE = Symbol('unsure');
function unsure(): never {
  throw UNSURE;
}

/** The compiler's AST kinds this printer produces. */
type Kind = 'ARRAY' | 'BOOLEAN' | 'CUSTOM_TYPE' | 'INTERFACE' | 'INTERSECTION' | 'LITERAL' | 'NEVER' | 'NULL' | 'NUMBER' | 'STRING' | 'UNION' | 'UNKNOWN';

interface TypeNode {
  kind: Kind;
  /** How the compiler writes the type where it is used (an anonymous type, inline). */
  text: string;
  comment?: string;
  deprecated?: boolean;
  /** ARRAY: the item type. */
  item?: TypeNode;
  /** UNION: the members left after the optimizer's dedup (what index signatures flatten). */
  members?: TypeNode[];
}

interface Param {
  key: string;
  node: TypeNode;
  required: boolean;
  index: boolean;
}

const UNKNOWN_NODE: TypeNode = { kind: 'UNKNOWN', text: 'unknown' };
const NEVER_NODE: TypeNode = { kind: 'NEVER', text: 'never' };

/**
 * The compiler's output for `root` (`{title, type: object, additionalProperties: false, properties: {},
 * $defs}`, named `rootName`) before ts-types' stripRoot, or undefined when unsure.
 */
export function printTypesRoot(root: Schema, rootName: string, options: PrinterOptions): string | undefined {
  try {
    return printRoot(root, rootName, options);
  } catch {
    // UNSURE, or input deep enough to exhaust the stack: the compiler decides (and reports) as before.
    return undefined;
  }
}

function printRoot(root: Schema, rootName: string, options: PrinterOptions): string {
  const keys = Object.keys(root).sort().join(',');
  if (keys !== '$defs,additionalProperties,properties,title,type' || root.title !== rootName || root.type !== 'object') unsure();
  if (root.additionalProperties !== false || !isPlainObject(root.properties) || Object.keys(root.properties).length > 0) unsure();
  if (!isPlainObject(root.$defs) || !isSafeName(rootName)) unsure();
  const defs = root.$defs;
  const typeDecls: string[] = [];
  const interfaceDecls: string[] = [];
  const seen = new Set([rootName]);
  for (const name of Object.keys(defs)) {
    // The compiler names each def after its title through toSafeString, numbering repeats: only names it keeps as they are.
    if (!isSafeName(name) || seen.has(name)) unsure();
    seen.add(name);
    const def = defs[name];
    if (!isPlainObject(def) || def.title !== name) unsure();
    vetData(def);
    vetTraversal(def);
    // The title names the declaration; anywhere else a title would name (and rename) a type: unsure.
    const { title: _title, ...schema } = def;
    const node = parseNode(schema, options);
    // A def the optimizer made a bare `unknown` is declared nowhere (the compiler's output lacks it).
    if (node.kind === 'UNKNOWN') unsure();
    const note = `This interface was referenced by \`${rootName}\`'s JSON-Schema\nvia the \`definition\` "${name}".`;
    const named: TypeNode = { ...node, comment: node.comment ? `${node.comment}\n\n${note}` : note };
    if (node.kind === 'INTERFACE') {
      interfaceDecls.push(`${comment(named.comment, named.deprecated)}\nexport interface ${name} ${node.text}`);
    } else {
      // A type alias's comment never carries @deprecated (the compiler passes the comment alone).
      const commented = withItemsComment(named);
      typeDecls.push(`${comment(commented.comment, undefined)}\nexport type ${name} = ${node.text}`);
    }
  }
  const interfaces = [`export interface ${rootName} {\n\n}`, ...interfaceDecls].join('\n');
  return [typeDecls.join('\n'), interfaces].filter(Boolean).join('\n\n') + '\n';
}

/** Names the compiler's toSafeString returns unchanged (ASCII, leading capital, no lower-case letter after a digit). */
function isSafeName(name: string): boolean {
  return /^[A-Z][A-Za-z0-9_]*$/.test(name) && !/\d[a-z]/.test(name) && !/_[a-z]/.test(name);
}

/**
 * Every value of the def, schema or data: the compiler's `$ref` parser reads `$ref` anywhere, its
 * linker calls each object's own `hasOwnProperty` (an own key of that name makes it throw); values
 * other than JSON data are not this printer's to judge.
 */
function vetData(value: Json): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) unsure();
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) vetData(v);
    return;
  }
  if (!isPlainObject(value)) unsure();
  for (const key of Object.keys(value)) {
    if (key === '$ref' || key === 'hasOwnProperty') unsure();
    const v = value[key];
    if (v === undefined) unsure();
    vetData(v);
  }
}

/** Keys the compiler's schema walk does not descend into through its catch-all step. */
const NOT_WALKED = new Set([
  'id', '$defs', '$id', '$schema', 'title', 'description', 'default', 'multipleOf', 'maximum', 'exclusiveMaximum',
  'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'additionalItems', 'items', 'maxItems', 'minItems',
  'uniqueItems', 'maxProperties', 'minProperties', 'required', 'additionalProperties', 'definitions', 'properties',
  'patternProperties', 'dependencies', 'enum', 'type', 'allOf', 'anyOf', 'oneOf', 'not',
]);

/**
 * Every node the compiler's validator and normalizer rules visit (their schema walk, which also
 * enters the entries of unknown keywords' values): nodes it would reject or throw on are unsure.
 * Nodes that are only visited, never parsed, may be rewritten by its rules without changing output.
 */
function vetTraversal(node: Json): void {
  if (node === null || node === undefined || Array.isArray(node)) unsure();
  if (typeof node !== 'object') return;
  const s = node as Schema;
  // Its validator: these make compile() throw.
  if ('tsEnumNames' in s) unsure();
  if (s.deprecated !== undefined && typeof s.deprecated !== 'boolean') unsure();
  for (const k of ['minItems', 'maxItems']) if (typeof s[k] === 'number' && (s[k] as number) < 0) unsure();
  if (typeof s.minItems === 'number' && typeof s.maxItems === 'number' && s.maxItems < s.minItems) unsure();
  // Rules that throw (id/$id, definitions/$defs disagreeing) or read definitions.
  if (('id' in s && '$id' in s) || 'definitions' in s || '$defs' in s) unsure();
  for (const k of ['anyOf', 'allOf', 'oneOf']) {
    const v = s[k];
    if (v) {
      if (!Array.isArray(v)) unsure();
      v.forEach(vetTraversal);
    }
  }
  for (const k of ['properties', 'patternProperties']) if (s[k]) vetEntries(s[k]);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') vetTraversal(s.additionalProperties);
  if (s.items) {
    if (Array.isArray(s.items)) s.items.forEach(vetTraversal);
    else vetTraversal(s.items);
  }
  if (s.additionalItems && typeof s.additionalItems === 'object') vetTraversal(s.additionalItems);
  if (s.dependencies) {
    if (Array.isArray(s.dependencies)) s.dependencies.forEach(vetTraversal);
    else vetEntries(s.dependencies);
  }
  if (s.not) vetTraversal(s.not);
  for (const key of Object.keys(s)) {
    if (NOT_WALKED.has(key)) continue;
    const child = s[key];
    if (child && typeof child === 'object') vetEntries(child);
  }
}

/** The compiler walks the object-valued entries of a map (arrays and primitives inside it are skipped). */
function vetEntries(map: Json): void {
  if (typeof map !== 'object' || map === null) return;
  for (const v of Object.values(map)) if (v && typeof v === 'object' && !Array.isArray(v)) vetTraversal(v);
}

const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'object', 'array']);

/** Keywords that, on a parsed schema, take paths this printer does not follow. */
const UNSUPPORTED = ['title', '$id', 'id', 'nullable', 'extends', 'patternProperties', 'tsEnumNames', '$ref', 'additionalItems', 'dependencies'];

function hasType(s: Schema, type: string): boolean {
  return s.type === type || (Array.isArray(s.type) && s.type.includes(type));
}

function isObjectType(s: Schema): boolean {
  return s.properties !== undefined || hasType(s, 'object') || hasType(s, 'any');
}

function isArrayType(s: Schema): boolean {
  return s.items !== undefined || hasType(s, 'array') || hasType(s, 'any');
}

/** A parsed schema after the compiler's normalizer rules, in their order (a shallow copy). */
function normalized(schema: Schema, options: PrinterOptions): Schema {
  const s: Schema = { ...schema };
  for (const k of UNSUPPORTED) if (k in s) unsure();
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.every((t) => typeof t === 'string' && JSON_TYPES.has(t))) unsure();
  }
  if (Array.isArray(s.enum) && s.enum.includes(null) && Array.isArray(s.type) && s.type.includes('null')) {
    s.type = s.type.filter((t) => t !== 'null');
  }
  if (Array.isArray(s.type) && s.type.length === 1) s.type = s.type[0];
  if (isObjectType(s) && !('required' in s)) s.required = [];
  if (s.required === false) s.required = [];
  if (isObjectType(s) && !('additionalProperties' in s) && s.patternProperties === undefined) s.additionalProperties = true;
  if (s.description !== undefined) {
    if (typeof s.description !== 'string') unsure();
    s.description = s.description.replace(/\*\//g, '* /');
  }
  if (isArrayType(s)) {
    const tags = [
      'minItems' in s ? `@minItems ${String(s.minItems)}` : '',
      'maxItems' in s ? `@maxItems ${String(s.maxItems)}` : '',
    ].filter(Boolean);
    if (('minItems' in s && typeof s.minItems !== 'number') || ('maxItems' in s && typeof s.maxItems !== 'number')) unsure();
    if (tags.length) s.description = s.description ? `${s.description as string}\n\n${tags.join('\n')}` : tags.join('\n');
    if (options.ignoreMinAndMaxItems) {
      delete s.minItems;
      delete s.maxItems;
    } else {
      // Lengths make tuples, except a maximum so large the compiler drops it (more than its `maxItems`
      // option, 20, over the minimum: with no minimum here, and no enclosing bounded array left to multiply it).
      if (typeof s.minItems === 'number' && s.minItems > 0) unsure();
      s.minItems = 0;
      if (s.maxItems !== undefined) {
        if ((s.maxItems as number) <= 20) unsure();
        delete s.maxItems;
      }
    }
  }
  if (s.const !== undefined) {
    // The compiler's walk enters an object `const` (not an `enum`) and its rules rewrite the value it then prints.
    if (s.const !== null && typeof s.const === 'object') unsure();
    s.enum = [s.const];
    delete s.const;
  }
  return s;
}

function isCompound(s: Schema): boolean {
  return Array.isArray(s.type) || 'anyOf' in s || 'oneOf' in s;
}

/** The compiler's typesOfSchema, for the shapes this printer knows; more than one shape is unsure. */
function shapeOf(s: Schema): string {
  if (s.tsType) return 'CUSTOM_TYPE';
  const shapes: string[] = [];
  if ('allOf' in s) shapes.push('ALL_OF');
  if (Object.keys(s).length === 0 || s.type === 'any') shapes.push('ANY');
  if ('anyOf' in s) shapes.push('ANY_OF');
  if (!('enum' in s) && (s.type === 'boolean' || (!isCompound(s) && typeof s.default === 'boolean'))) shapes.push('BOOLEAN');
  if (s.type === 'null' || s.type === null) shapes.push('NULL');
  if (!('enum' in s) && (s.type === 'integer' || s.type === 'number' || (!isCompound(s) && typeof s.default === 'number'))) shapes.push('NUMBER');
  if (
    s.type === 'object' && !isPlainObject(s.additionalProperties) &&
    !s.allOf && !s.anyOf && !s.oneOf && !s.patternProperties && !s.properties && !s.required
  ) shapes.push('OBJECT');
  if ('oneOf' in s) shapes.push('ONE_OF');
  if (!('enum' in s) && (s.type === 'string' || (!isCompound(s) && typeof s.default === 'string'))) shapes.push('STRING');
  if (!(s.type && s.type !== 'array') && 'items' in s) shapes.push('TYPED_ARRAY');
  if (Array.isArray(s.type)) shapes.push('UNION');
  if ((!s.type || ['boolean', 'integer', 'number', 'string'].includes(s.type as string)) && 'enum' in s) shapes.push('UNNAMED_ENUM');
  if ((s.type === undefined || s.type === 'object') && 'properties' in s) shapes.push('UNNAMED_SCHEMA');
  if (s.type === 'array' && !('items' in s)) shapes.push('UNTYPED_ARRAY');
  if (shapes.length === 0) return 'UNNAMED_SCHEMA';
  if (shapes.length > 1) unsure();
  return shapes[0]!;
}

function parseNode(schema: Json, options: PrinterOptions): TypeNode {
  if (schema === true) return UNKNOWN_NODE;
  if (schema === false) return NEVER_NODE;
  if (!isPlainObject(schema)) unsure();
  return parseNormalized(normalized(schema, options), options);
}

/** A parsed node of the compiler's AST (after its optimizer), from a schema its rules already normalized. */
function parseNormalized(s: Schema, options: PrinterOptions): TypeNode {
  const comment = s.description as string | undefined;
  const deprecated = s.deprecated as boolean | undefined;
  const node = (kind: Kind, text: string): TypeNode => ({ kind, text, comment, deprecated });
  switch (shapeOf(s)) {
    case 'CUSTOM_TYPE':
      if (typeof s.tsType !== 'string') unsure();
      return node('CUSTOM_TYPE', s.tsType);
    case 'BOOLEAN':
      return node('BOOLEAN', 'boolean');
    case 'NULL':
      return node('NULL', 'null');
    case 'NUMBER':
      return node('NUMBER', 'number');
    case 'STRING':
      return node('STRING', 'string');
    case 'ANY_OF':
      return union(s.anyOf, comment, deprecated, options);
    case 'ONE_OF':
      return union(s.oneOf, comment, deprecated, options);
    case 'ALL_OF':
      return intersection(s.allOf, comment, deprecated, options);
    case 'UNNAMED_ENUM': {
      if (!Array.isArray(s.enum)) unsure();
      const literals = s.enum.map((value): TypeNode => ({ kind: 'LITERAL', text: JSON.stringify(value) }));
      return setOperation('UNION', literals, comment, deprecated);
    }
    case 'TYPED_ARRAY': {
      if (Array.isArray(s.items)) unsure(); // a tuple
      const item = parseNode(s.items, options);
      return { ...node('ARRAY', arrayText(item)), item };
    }
    case 'UNTYPED_ARRAY':
      return { ...node('ARRAY', arrayText(UNKNOWN_NODE)), item: UNKNOWN_NODE };
    case 'UNION': {
      // Each listed type is parsed as a copy of the schema with that one type (no annotations, a default only if it fits).
      if ('enum' in s) unsure();
      const { $id: _id, description: _description, title: _title, ...rest } = s;
      const members = (s.type as string[]).map((type) => {
        const member: Schema = { ...rest, type };
        if ('default' in member && !defaultFits(type, member.default)) delete member.default;
        return parseNormalized(member, options);
      });
      return setOperation('UNION', members, comment, deprecated);
    }
    case 'UNNAMED_SCHEMA':
      return node('INTERFACE', interfaceText(s, options));
    default:
      return unsure();
  }
}

function defaultFits(type: string, value: Json): boolean {
  switch (type) {
    case 'array':
      return Array.isArray(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
    case 'number':
      return typeof value === 'number';
    case 'string':
      return typeof value === 'string';
    case 'null':
      return value === null;
    case 'object':
      return isPlainObject(value);
    default:
      return false;
  }
}

function arrayText(item: TypeNode): string {
  return item.text.endsWith('"') ? `(${item.text})[]` : `${item.text}[]`;
}

function union(members: Json, comment: string | undefined, deprecated: boolean | undefined, options: PrinterOptions): TypeNode {
  if (!Array.isArray(members)) unsure();
  const nodes = members.map((m) => parseNode(m, options));
  // The optimizer turns a union with an `unknown` member into a bare `unknown` (without its comment).
  if (nodes.some((n) => n.kind === 'UNKNOWN')) return UNKNOWN_NODE;
  return setOperation('UNION', nodes, comment, deprecated);
}

function intersection(members: Json, comment: string | undefined, deprecated: boolean | undefined, options: PrinterOptions): TypeNode {
  if (!Array.isArray(members) || members.length === 0) unsure();
  const parsed = members.map((m) => parseNode(m, options));
  // The parser drops some members that only say `{[k: string]: unknown}` (not all: unsure).
  if (parsed.some((n) => n.kind === 'INTERFACE' && n.text === '{\n[k: string]: unknown\n}')) unsure();
  // The optimizer drops `unknown` members beside others; only `unknown` ones leave a bare `unknown`.
  const nodes = parsed.filter((n) => n.kind !== 'UNKNOWN');
  if (nodes.length === 0) return UNKNOWN_NODE;
  return setOperation('INTERSECTION', nodes, comment, deprecated);
}

/** A union or intersection after the optimizer dropped members printed like an earlier one. */
function setOperation(kind: 'UNION' | 'INTERSECTION', nodes: TypeNode[], comment: string | undefined, deprecated: boolean | undefined): TypeNode {
  const seen = new Set<string>();
  const members = nodes.filter((n) => !seen.has(n.text) && seen.add(n.text));
  const text = members.length === 0 ? (kind === 'UNION' ? 'never' : unsure()) : members.length === 1 ? members[0]!.text : `(${members.map((m) => m.text).join(kind === 'UNION' ? ' | ' : ' & ')})`;
  return { kind, text, comment, deprecated, members };
}

function interfaceText(s: Schema, options: PrinterOptions): string {
  const props = s.properties;
  if (props !== undefined && !isPlainObject(props)) unsure();
  const required = s.required;
  if (required !== undefined && !(Array.isArray(required) && required.every((r) => typeof r === 'string'))) unsure();
  const params: Param[] = [];
  for (const key of Object.keys(props ?? {})) {
    const value = props![key];
    if (isPlainObject(value) && value.required === true) unsure();
    params.push({ key, node: parseNode(value, options), required: Boolean(required?.includes(key)), index: false });
  }
  const extra = s.additionalProperties;
  let index: Param | undefined;
  if (extra === undefined || extra === true) index = { key: '[k: string]', node: UNKNOWN_NODE, required: true, index: true };
  else if (isPlainObject(extra)) index = { key: '[k: string]', node: parseNode(extra, options), required: true, index: true };
  else if (extra !== false) unsure();
  const widened = index ? indexSignatureType(index.node, params) : undefined;
  if (index) params.push(index);
  const lines = params.map((p) => {
    const commented = withItemsComment(p.node);
    const doc = hasComment(commented) ? `${comment(commented.comment, commented.deprecated)}\n` : '';
    const key = p.index ? p.key : keyText(p.key);
    const type = p.index && widened !== undefined ? widened : p.node.text;
    return `${doc}${key}${p.required ? '' : '?'}: ${type}`;
  });
  return `{\n${lines.join('\n')}\n}`;
}

function keyText(key: string): string {
  return key.length > 0 && /[A-Za-z_$]/.test(key.charAt(0)) && /^[\w$]+$/.test(key) ? key : JSON.stringify(key);
}

const isAny = (n: TypeNode) => n.kind === 'CUSTOM_TYPE' && n.text.trim() === 'any';
const isUnknown = (n: TypeNode) => n.kind === 'UNKNOWN' || (n.kind === 'CUSTOM_TYPE' && n.text.trim() === 'unknown');

/**
 * The compiler widens an index signature's type to cover the named properties beside it (each
 * property's type must be assignable to it): the union of them all, `| undefined` for optional ones.
 * Undefined: the signature keeps its own type.
 */
function indexSignatureType(signature: TypeNode, siblings: Param[]): string | undefined {
  if (isAny(signature) || isUnknown(signature)) return undefined;
  const members: TypeNode[] = [];
  const add = (n: TypeNode): void => {
    if (n.kind === 'UNION') {
      n.members!.forEach(add);
      return;
    }
    if (n.kind === 'CUSTOM_TYPE' && n.text.includes('|') && /^[\w$.\s|]+$/.test(n.text)) {
      for (const part of n.text.split('|')) {
        const trimmed = part.trim();
        if (trimmed) members.push({ kind: 'CUSTOM_TYPE', text: trimmed });
      }
      return;
    }
    members.push(n);
  };
  add(signature);
  let needsUndefined = false;
  for (const sibling of siblings) {
    if (isAny(sibling.node)) continue;
    if (!sibling.required) needsUndefined = true;
    if (sibling.node.kind === 'NEVER') continue;
    add(sibling.node);
  }
  if (members.some(isAny)) return 'any';
  if (members.some(isUnknown)) return 'unknown';
  if (members.length === 0 || (members.length === 1 && !needsUndefined)) return undefined;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const m of members) {
    if (seen.has(m.text)) continue;
    seen.add(m.text);
    out.push(m.kind === 'CUSTOM_TYPE' && !/^[\w$.]+(\[\])*$/.test(m.text) ? `(${m.text})` : m.text);
  }
  if (needsUndefined && !seen.has('undefined')) out.push('undefined');
  return out.join(' | ');
}

function hasComment(n: TypeNode): boolean {
  return (n.comment !== undefined && n.comment !== '') || n.deprecated === true;
}

/**
 * An array's inline item type has no line for its own comment: the compiler adds it to the
 * array's as "Items: …" (one description, not an array's, no JSDoc tag in it).
 */
function withItemsComment(n: TypeNode): TypeNode {
  if (n.kind !== 'ARRAY') return n;
  const item = n.item!;
  const itemComment = item.kind === 'ARRAY' ? undefined : item.comment;
  if (!itemComment || /(^|\s)@\w/.test(itemComment)) return n;
  const items = `Items: ${itemComment}`;
  return { ...n, comment: n.comment ? `${n.comment}\n\n${items}` : items };
}

function comment(text: string | undefined, deprecated: boolean | undefined): string {
  const lines = ['/**'];
  if (deprecated) lines.push(' * @deprecated');
  if (text !== undefined) lines.push(...text.split('\n').map((line) => ` * ${line}`));
  lines.push(' */');
  return lines.join('\n');
}
