import { evaluatedItemsExpression, evaluatedPropertiesExpression } from './evaluated-locations.ts';
import { appendPointer, isSchema } from './json-pointer.ts';
import { isValidRegex, printRegex, printValue } from './literals.ts';
import { printObjectMember } from './object-member.ts';
import { isNumber, optional } from './schema-values.ts';
import { enterResource, type DynamicBindings } from './dynamic-scope.ts';
import { printList } from './layout.ts';
import type { ResourceIndex } from './resource-index.ts';
import type { RuntimeHelperName } from './runtime-helpers.ts';
import type { JsonSchema, SchemaLocation, SchemaObject } from './schema-types.ts';

export type ReferenceUse = 'structural' | 'deferred';

/** What the compiler needs from the module being built. */
export interface CompileHost {
  readonly index: ResourceIndex;
  /** Text standing for the const of a schema; `deferred` when read only inside a closure (no z.lazy needed). */
  reference(location: SchemaLocation, bindings: DynamicBindings, use: ReferenceUse): string;
  /** A caller-provided identifier for a raw `$ref` value, if any. */
  externalRef(ref: string): string | undefined;
  helper(name: RuntimeHelperName): string;
  fallback(keyword: string, location: SchemaLocation, note: string): void;
}

type JsonType = 'null' | 'boolean' | 'object' | 'array' | 'number' | 'integer' | 'string';
const MEMBER_ORDER = ['object', 'array', 'string', 'number', 'boolean', 'null'] as const;

/** Keywords that are no longer part of 2020-12: ignoring them is correct, but the author probably meant something. */
const OTHER_DRAFT_KEYWORDS: Record<string, string> = {
  $recursiveRef: 'draft 2019-09 keyword; use $dynamicRef',
  $recursiveAnchor: 'draft 2019-09 keyword; use $dynamicAnchor',
  dependencies: 'pre-2019 keyword; use dependentRequired/dependentSchemas',
  additionalItems: 'pre-2020 keyword; use prefixItems + items',
};

const VALIDATION_VOCABULARY = 'https://json-schema.org/draft/2020-12/vocab/validation';
const VALIDATION_KEYWORDS = [
  'type', 'enum', 'const', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum',
  'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxContains', 'minContains',
  'maxProperties', 'minProperties', 'required', 'dependentRequired',
];

/** Non-validating keywords that may sit next to `$ref` without making it more than an alias. */
const ANNOTATIONS = new Set([
  '$comment', 'title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly', '$schema',
]);

function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

function typeAllows(types: readonly string[] | undefined, value: unknown): boolean {
  if (!types) return true;
  const type = jsonTypeOf(value);
  return types.includes(type) || (type === 'integer' && types.includes('number'));
}

function isSchemaMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPrimitive(value: unknown): value is string | number | boolean | null {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

const positive = (schema: SchemaObject, keyword: string) => isNumber(schema[keyword]) && (schema[keyword] as number) > 0;
const present = (schema: SchemaObject, ...keywords: string[]) => keywords.some((k) => schema[k] !== undefined);

/** Compiles one schema position to a zod expression, inlining subschemas and referencing consts for `$ref`s. */
export class SchemaCompiler {
  constructor(private readonly host: CompileHost) {}

  get index(): ResourceIndex {
    return this.host.index;
  }

  helper(name: RuntimeHelperName): string {
    return this.host.helper(name);
  }

  fallback(keyword: string, location: SchemaLocation, note: string): void {
    this.host.fallback(keyword, location, note);
  }

  enter(location: SchemaLocation, bindings: DynamicBindings): DynamicBindings {
    return enterResource(this.index, bindings, this.index.baseUriOf(location));
  }

  /** The schema as its dialect sees it: a metaschema without the validation vocabulary turns those keywords into annotations. */
  schemaAt(location: SchemaLocation): JsonSchema {
    const schema = this.index.schemaAt(location);
    if (typeof schema === 'boolean') return schema;
    const vocabularies = this.index.vocabulariesOf(location);
    if (!vocabularies || vocabularies.includes(VALIDATION_VOCABULARY)) return schema;
    return Object.fromEntries(Object.entries(schema).filter(([keyword]) => !VALIDATION_KEYWORDS.includes(keyword)));
  }

  /**
   * `contextTypes`: the JSON types an enclosing schema already restricts instances to (its `type`
   * when this schema is one of its allOf/anyOf/oneOf subschemas). A subschema without `type` then
   * only needs members for those types: `{type: object, anyOf: [{required: [a]}, …]}` prints
   * object-only branches, so the inferred type stays an object and `z.strictObject` keeps its
   * meaning. Values of other types were rejected by the enclosing schema anyway.
   */
  compile(location: SchemaLocation, outerBindings: DynamicBindings, contextTypes?: string[]): string {
    const schema = this.schemaAt(location);
    if (schema === true) return 'z.unknown()';
    if (schema === false) return 'z.never()';
    const bindings = this.enter(location, outerBindings);
    this.reportOtherDraftKeywords(schema, location);

    const parts: string[] = [];
    const refinements: string[] = [];
    const ownTypes = this.declaredTypes(schema, location);
    const declaredTypes = ownTypes ?? (contextTypes && this.hasTypeSpecificKeywords(schema) ? contextTypes : undefined);
    const subContext = ownTypes ?? contextTypes;
    const literals = this.literalParts(schema, declaredTypes, location);
    const typed = this.typeMembers(schema, declaredTypes, location, bindings);
    parts.push(...literals);
    if (typed !== undefined && (literals.length === 0 || this.hasTypeSpecificKeywords(schema))) parts.push(typed);

    if (typeof schema.$ref === 'string') parts.push(this.refExpression(schema.$ref, location, bindings, 'structural'));
    if (typeof schema.$dynamicRef === 'string') {
      parts.push(this.host.reference(this.resolveDynamicRef(schema.$dynamicRef, location, bindings), bindings, 'structural'));
    }
    this.eachSubschema(schema, 'allOf', location, (sub) => {
      const expression = this.compile(sub, bindings, subContext);
      if (expression !== 'z.unknown()') parts.push(expression);
    });
    for (const [keyword, combinator] of [['anyOf', 'z.union'], ['oneOf', 'z.xor']] as const) {
      const branches: string[] = [];
      this.eachSubschema(schema, keyword, location, (sub) => branches.push(this.compile(sub, bindings, subContext)));
      if (Array.isArray(schema[keyword])) {
        if (branches.length <= 1) parts.push(branches[0] ?? 'z.never()');
        else parts.push(`${combinator}(${printList('[', branches, ']')})`);
      }
    }
    if (isSchema(schema.not)) {
      const negated = this.closureRef(this.child(location, 'not'), bindings);
      if (negated === 'true') parts.push('z.never()');
      else if (negated !== 'false') refinements.push(`(v) => !${this.helper('__matches')}(${negated}, v)`);
    }
    const conditional = this.conditionalRefinement(schema, location, bindings);
    if (conditional) refinements.push(conditional);
    refinements.push(...this.unevaluatedRefinements(schema, location, bindings));

    if (parts.length > 1 && schema.additionalProperties === false) refinements.push(this.onlyDeclaredKeys(schema));
    let expression = parts.length === 0 ? 'z.unknown()' : parts.reduce((all, part) => `${all}.and(${part})`);
    for (const refinement of refinements) expression += `.refine(${refinement})`;
    return expression;
  }

  /** additionalProperties:false as a refinement, for when the object is intersected with other parts. */
  private onlyDeclaredKeys(schema: SchemaObject): string {
    const declared = isSchemaMap(schema.properties) ? Object.keys(schema.properties) : [];
    const patterns = isSchemaMap(schema.patternProperties) ? Object.keys(schema.patternProperties) : [];
    const regexes = patterns.map((p) => `new RegExp(${printValue(p)}, 'u')`);
    return `(v) => ${this.helper('__onlyKeys')}(v, ${printList('[', declared.map(printValue), ']')}, ${printList('[', regexes, ']')})`;
  }

  /** A schema read from inside a closure: a const, or `true`/`false` for boolean schemas (helpers accept both). */
  closureRef(location: SchemaLocation, bindings: DynamicBindings): string {
    const schema = this.schemaAt(location);
    if (typeof schema === 'boolean') return String(schema);
    const keys = Object.keys(schema);
    if (typeof schema.$ref === 'string' && keys.every((k) => k === '$ref' || ANNOTATIONS.has(k))) {
      return this.refExpression(schema.$ref, location, this.enter(location, bindings), 'deferred');
    }
    return this.host.reference(location, bindings, 'deferred');
  }

  child(location: SchemaLocation, ...segments: (string | number)[]): SchemaLocation {
    return { documentUri: location.documentUri, pointer: appendPointer(location.pointer, ...segments) };
  }

  resolveRef(ref: string, location: SchemaLocation): SchemaLocation {
    return this.index.resolve(ref, this.index.baseUriOf(location)).location;
  }

  /** `$dynamicRef` resolves like `$ref` unless its target declares the same `$dynamicAnchor`; then the outermost binding wins. */
  resolveDynamicRef(ref: string, location: SchemaLocation, bindings: DynamicBindings): SchemaLocation {
    const resolved = this.index.resolve(ref, this.index.baseUriOf(location));
    if (resolved.anchor === undefined) return resolved.location;
    const target = this.schemaAt(resolved.location);
    if (typeof target === 'boolean' || target.$dynamicAnchor !== resolved.anchor) return resolved.location;
    const bound = bindings.find(([name]) => name === resolved.anchor);
    return bound ? bound[1] : resolved.location;
  }

  eachSubschema(
    schema: SchemaObject,
    keyword: 'allOf' | 'anyOf' | 'oneOf',
    location: SchemaLocation,
    visit: (sub: SchemaLocation) => void,
  ): void {
    const list = schema[keyword];
    if (Array.isArray(list)) list.forEach((_, i) => visit(this.child(location, keyword, i)));
  }

  private refExpression(ref: string, location: SchemaLocation, bindings: DynamicBindings, use: ReferenceUse): string {
    const external = this.host.externalRef(ref);
    if (external !== undefined) return external;
    return this.host.reference(this.resolveRef(ref, location), bindings, use);
  }

  private reportOtherDraftKeywords(schema: SchemaObject, location: SchemaLocation): void {
    for (const keyword of Object.keys(OTHER_DRAFT_KEYWORDS).sort()) {
      if (keyword in schema) this.host.fallback(keyword, location, `ignored: ${OTHER_DRAFT_KEYWORDS[keyword]}`);
    }
  }

  private declaredTypes(schema: SchemaObject, location: SchemaLocation): string[] | undefined {
    if (schema.type === undefined) return undefined;
    const list = Array.isArray(schema.type) ? schema.type : [schema.type];
    const known = list.filter((t): t is string => typeof t === 'string' && [...MEMBER_ORDER, 'integer'].includes(t));
    if (known.length !== list.length) this.host.fallback('type', location, 'unknown type names ignored');
    return [...new Set(known)];
  }

  /** Asked several times per schema position: remembered per schema object. */
  private readonly typeSpecific = new WeakMap<SchemaObject, boolean>();

  private hasTypeSpecificKeywords(schema: SchemaObject): boolean {
    let known = this.typeSpecific.get(schema);
    if (known === undefined) this.typeSpecific.set(schema, (known = MEMBER_ORDER.some((type) => this.constrains(schema, type))));
    return known;
  }

  /** Whether the schema says anything about instances of this type beyond `type` itself. */
  private constrains(schema: SchemaObject, type: (typeof MEMBER_ORDER)[number]): boolean {
    switch (type) {
      case 'string':
        return positive(schema, 'minLength') || present(schema, 'maxLength', 'pattern');
      case 'number':
        return present(schema, 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf');
      case 'array':
        return positive(schema, 'minItems') || present(schema, 'items', 'prefixItems', 'maxItems', 'contains') || schema.uniqueItems === true;
      case 'object':
        return (
          positive(schema, 'minProperties') ||
          (Array.isArray(schema.required) && schema.required.length > 0) ||
          present(schema, 'properties', 'additionalProperties', 'patternProperties', 'propertyNames', 'maxProperties') ||
          present(schema, 'dependentRequired', 'dependentSchemas')
        );
      default:
        return false;
    }
  }

  /** `const` and `enum` as literal schemas; values `type` rules out are dropped when nothing else constrains them. */
  private literalParts(schema: SchemaObject, declaredTypes: string[] | undefined, location: SchemaLocation): string[] {
    const filter = this.hasTypeSpecificKeywords(schema) ? undefined : declaredTypes;
    const parts: string[] = [];
    if ('const' in schema) parts.push(this.literalSet([schema.const].filter((v) => typeAllows(filter, v))));
    if (schema.enum !== undefined) {
      if (Array.isArray(schema.enum)) parts.push(this.literalSet(schema.enum.filter((v) => typeAllows(filter, v))));
      else this.host.fallback('enum', location, 'enum is not an array; ignored');
    }
    return parts;
  }

  private literalSet(values: readonly unknown[]): string {
    if (values.length === 0) return 'z.never()';
    if (values.every(isPrimitive)) {
      const unique = [...new Set(values)];
      if (unique.length === 1) return unique[0] === null ? 'z.null()' : `z.literal(${printValue(unique[0])})`;
      const list = printList('[', unique.map(printValue), ']');
      return unique.every((v) => typeof v === 'string') ? `z.enum(${list})` : `z.literal(${list})`;
    }
    const equal = this.helper('__jsonEqual');
    if (values.length === 1) return `z.unknown().refine((v) => ${equal}(v, ${printValue(values[0])}))`;
    return `z.unknown().refine((v) => ${printList('[', values.map(printValue), ']')}.some((e) => ${equal}(v, e)))`;
  }

  private typeMembers(
    schema: SchemaObject,
    declaredTypes: string[] | undefined,
    location: SchemaLocation,
    bindings: DynamicBindings,
  ): string | undefined {
    let members: string[];
    if (declaredTypes === undefined) {
      if (!this.hasTypeSpecificKeywords(schema)) return undefined;
      members = MEMBER_ORDER.map((type) =>
        this.constrains(schema, type) ? this.member(type, schema, location, bindings) : PLAIN_MEMBERS[type],
      );
    } else {
      const wanted = declaredTypes.filter((t) => t !== 'integer' || !declaredTypes.includes('number'));
      members = wanted.map((type) => this.member(type as JsonType, schema, location, bindings));
    }
    if (members.length === 0) return 'z.never()';
    return members.length === 1 ? members[0] : `z.union(${printList('[', members, ']')})`;
  }

  private member(type: JsonType, schema: SchemaObject, location: SchemaLocation, bindings: DynamicBindings): string {
    switch (type) {
      case 'object':
        return printObjectMember(this, schema, location, bindings);
      case 'array':
        return this.arrayMember(schema, location, bindings);
      case 'string':
        return this.stringMember(schema, location);
      case 'number':
      case 'integer':
        return this.numberMember(schema, type === 'integer', location);
      default:
        return PLAIN_MEMBERS[type];
    }
  }

  private stringMember(schema: SchemaObject, location: SchemaLocation): string {
    let expression = 'z.string()';
    const { minLength, maxLength, pattern } = schema;
    if (isNumber(minLength) && minLength > 0) {
      expression += minLength === 1 ? '.min(1)' : `.refine((s) => ${this.helper('__codePoints')}(s) >= ${minLength})`;
    }
    if (isNumber(maxLength)) {
      expression += maxLength === 0 ? '.max(0)' : `.refine((s) => ${this.helper('__codePoints')}(s) <= ${maxLength})`;
    }
    if (typeof pattern === 'string') {
      if (isValidRegex(pattern)) expression += `.regex(${printRegex(pattern)})`;
      else this.host.fallback('pattern', location, `not a valid ECMAScript regex with the u flag: ${pattern}`);
    }
    return expression;
  }

  private numberMember(schema: SchemaObject, integer: boolean, location: SchemaLocation): string {
    let expression = integer ? 'z.int()' : 'z.number()';
    const bounds = [
      ['minimum', 'min'],
      ['exclusiveMinimum', 'gt'],
      ['maximum', 'max'],
      ['exclusiveMaximum', 'lt'],
      ['multipleOf', 'multipleOf'],
    ] as const;
    for (const [keyword, method] of bounds) {
      const value = schema[keyword];
      if (value === undefined) continue;
      if (isNumber(value)) expression += `.${method}(${printValue(value)})`;
      else this.host.fallback(keyword, location, 'not a finite number; ignored');
    }
    return expression;
  }

  private arrayMember(schema: SchemaObject, location: SchemaLocation, bindings: DynamicBindings): string {
    const { prefixItems, items, minItems, maxItems, contains } = schema;
    const refinements: string[] = [];
    let expression: string;
    if (Array.isArray(prefixItems)) {
      const elements = prefixItems.map((_, i) => optional(this.compile(this.child(location, 'prefixItems', i), bindings)));
      const rest = items === undefined ? 'z.unknown()' : items === false ? undefined : this.compile(this.child(location, 'items'), bindings);
      expression = `z.tuple(${printList('[', elements, ']')}${rest ? `, ${rest}` : ''})`;
      if (isNumber(minItems) && minItems > 0) refinements.push(`(a) => a.length >= ${minItems}`);
      if (isNumber(maxItems)) refinements.push(`(a) => a.length <= ${maxItems}`);
    } else {
      if (items === false) expression = 'z.tuple([])';
      else expression = `z.array(${isSchema(items) ? this.compile(this.child(location, 'items'), bindings) : 'z.unknown()'})`;
      if (isNumber(minItems) && minItems > 0) expression += `.min(${minItems})`;
      if (isNumber(maxItems)) expression += `.max(${maxItems})`;
    }
    if (schema.uniqueItems === true) refinements.push(`(a) => ${this.helper('__uniqueItems')}(a)`);
    if (isSchema(contains)) {
      const min = isNumber(schema.minContains) ? schema.minContains : 1;
      const max = isNumber(schema.maxContains) ? schema.maxContains : Infinity;
      if (min > 0 || max !== Infinity) {
        const target = this.closureRef(this.child(location, 'contains'), bindings);
        refinements.push(`(a) => ${this.helper('__containsBetween')}(a, ${target}, ${min}, ${max})`);
      }
    }
    return expression + refinements.map((r) => `.refine(${r})`).join('');
  }

  private conditionalRefinement(schema: SchemaObject, location: SchemaLocation, bindings: DynamicBindings): string | undefined {
    if (!isSchema(schema.if) || (!isSchema(schema.then) && !isSchema(schema.else))) return undefined;
    const matches = this.helper('__matches');
    const branch = (keyword: 'then' | 'else') =>
      isSchema(schema[keyword]) ? `${matches}(${this.closureRef(this.child(location, keyword), bindings)}, v)` : 'true';
    const condition = this.closureRef(this.child(location, 'if'), bindings);
    return `(v) => (${matches}(${condition}, v) ? ${branch('then')} : ${branch('else')})`;
  }

  private unevaluatedRefinements(schema: SchemaObject, location: SchemaLocation, bindings: DynamicBindings): string[] {
    const refinements: string[] = [];
    if (isSchema(schema.unevaluatedProperties)) {
      const evaluated = evaluatedPropertiesExpression(this, location, bindings);
      const target = this.closureRef(this.child(location, 'unevaluatedProperties'), bindings);
      if (evaluated !== 'true' && target !== 'true') {
        refinements.push(
          `(v) => ${this.helper('__unevaluatedProperties')}(v, (k, o) => ${evaluated || 'false'}, ${target})`,
        );
      }
    }
    if (isSchema(schema.unevaluatedItems)) {
      const evaluated = evaluatedItemsExpression(this, location, bindings);
      const target = this.closureRef(this.child(location, 'unevaluatedItems'), bindings);
      if (evaluated !== 'true' && target !== 'true') {
        refinements.push(`(v) => ${this.helper('__unevaluatedItems')}(v, (i, a) => ${evaluated || 'false'}, ${target})`);
      }
    }
    return refinements;
  }
}

const PLAIN_MEMBERS: Record<JsonType, string> = {
  object: 'z.looseObject({})',
  array: 'z.array(z.unknown())',
  string: 'z.string()',
  number: 'z.number()',
  integer: 'z.int()',
  boolean: 'z.boolean()',
  null: 'z.null()',
};
