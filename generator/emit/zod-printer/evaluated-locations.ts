import { bindingsKey, type DynamicBindings } from './dynamic-scope.ts';
import { isSchema } from './json-pointer.ts';
import { printRegex, printString, isValidRegex } from './literals.ts';
import type { SchemaCompiler } from './schema-compiler.ts';
import { locationKey, type SchemaLocation, type SchemaObject } from './schema-types.ts';

/*
 * unevaluatedProperties/unevaluatedItems depend on which keywords *succeeded* around them, which zod
 * cannot report. So we build, at print time, a boolean expression telling whether a property key `k`
 * of object `o` (or an index `i` of array `a`) was evaluated: static parts (property names, patterns,
 * prefix lengths) plus runtime checks of the branches whose success decides it (anyOf/oneOf/if/
 * dependentSchemas/contains). '' means "nothing evaluated", 'true' means "everything".
 */

interface Vocabulary {
  instance: 'o' | 'a';
  /** Keywords that evaluate every member once they pass. */
  evaluatesAll: (schema: SchemaObject, nested: boolean) => boolean;
  ownTerms: (compiler: SchemaCompiler, schema: SchemaObject, location: SchemaLocation, bindings: DynamicBindings) => string[];
}

const PROPERTIES: Vocabulary = {
  instance: 'o',
  evaluatesAll: (schema, nested) =>
    isSchema(schema.additionalProperties) || (nested && isSchema(schema.unevaluatedProperties)),
  ownTerms(compiler, schema, location, bindings) {
    const terms: string[] = [];
    const names = isObject(schema.properties) ? Object.keys(schema.properties) : [];
    if (names.length === 1) terms.push(`k === ${printString(names[0])}`);
    else if (names.length > 1) terms.push(`[${names.map(printString).join(', ')}].includes(k)`);
    if (isObject(schema.patternProperties)) {
      for (const pattern of Object.keys(schema.patternProperties)) {
        if (isValidRegex(pattern)) terms.push(`${printRegex(pattern)}.test(k)`);
      }
    }
    if (isObject(schema.dependentSchemas)) {
      for (const name of Object.keys(schema.dependentSchemas)) {
        const inner = evaluated(PROPERTIES, compiler, compiler.child(location, 'dependentSchemas', name), bindings, new Set());
        if (inner) terms.push(and(`Object.hasOwn(o, ${printString(name)})`, inner));
      }
    }
    return terms;
  },
};

const ITEMS: Vocabulary = {
  instance: 'a',
  evaluatesAll: (schema, nested) => isSchema(schema.items) || (nested && isSchema(schema.unevaluatedItems)),
  ownTerms(compiler, schema, location, bindings) {
    const terms: string[] = [];
    if (Array.isArray(schema.prefixItems) && schema.prefixItems.length > 0) terms.push(`i < ${schema.prefixItems.length}`);
    if (isSchema(schema.contains)) {
      const contains = compiler.closureRef(compiler.child(location, 'contains'), bindings);
      terms.push(contains === 'true' || contains === 'false' ? contains : `${compiler.helper('__matches')}(${contains}, a[i])`);
    }
    return terms.filter((t) => t !== 'false');
  },
};

export function evaluatedPropertiesExpression(compiler: SchemaCompiler, location: SchemaLocation, bindings: DynamicBindings): string {
  return evaluated(PROPERTIES, compiler, location, bindings, new Set(), false);
}

export function evaluatedItemsExpression(compiler: SchemaCompiler, location: SchemaLocation, bindings: DynamicBindings): string {
  return evaluated(ITEMS, compiler, location, bindings, new Set(), false);
}

function evaluated(
  vocabulary: Vocabulary,
  compiler: SchemaCompiler,
  location: SchemaLocation,
  outerBindings: DynamicBindings,
  visiting: Set<string>,
  nested = true,
): string {
  const schema = compiler.schemaAt(location);
  if (typeof schema === 'boolean') return '';
  const bindings = compiler.enter(location, outerBindings);
  const visitKey = `${locationKey(location)}|${bindingsKey(bindings)}`;
  // A schema that reaches itself in place never terminates in a validator either; stop collecting.
  if (visiting.has(visitKey)) return '';
  if (vocabulary.evaluatesAll(schema, nested)) return 'true';
  visiting.add(visitKey);
  const recurse = (sub: SchemaLocation) => evaluated(vocabulary, compiler, sub, bindings, visiting);
  const passes = (sub: SchemaLocation) => {
    const target = compiler.closureRef(sub, bindings);
    return target === 'true' || target === 'false' ? target : `${compiler.helper('__matches')}(${target}, ${vocabulary.instance})`;
  };

  const terms = vocabulary.ownTerms(compiler, schema, location, bindings);
  if (typeof schema.$ref === 'string') terms.push(recurse(compiler.resolveRef(schema.$ref, location)));
  if (typeof schema.$dynamicRef === 'string') {
    terms.push(recurse(compiler.resolveDynamicRef(schema.$dynamicRef, location, bindings)));
  }
  compiler.eachSubschema(schema, 'allOf', location, (sub) => terms.push(recurse(sub)));
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    compiler.eachSubschema(schema, keyword, location, (sub) => {
      const inner = recurse(sub);
      if (inner) terms.push(and(passes(sub), inner));
    });
  }
  if (isSchema(schema.if)) {
    const condition = passes(compiler.child(location, 'if'));
    const whenTrue = any([recurse(compiler.child(location, 'if')), isSchema(schema.then) ? recurse(compiler.child(location, 'then')) : '']);
    const whenFalse = isSchema(schema.else) ? recurse(compiler.child(location, 'else')) : '';
    if (whenTrue && whenFalse) terms.push(`(${condition} ? ${whenTrue} : ${whenFalse})`);
    else if (whenTrue) terms.push(and(condition, whenTrue));
    else if (whenFalse) terms.push(and(`!${condition}`, whenFalse));
  }
  visiting.delete(visitKey);
  return any(terms);
}

function isObject(value: unknown): value is SchemaObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isOneGroup(term: string): boolean {
  if (!term.startsWith('(')) return false;
  let depth = 0;
  for (let i = 0; i < term.length; i++) {
    if (term[i] === '(') depth++;
    else if (term[i] === ')' && --depth === 0) return i === term.length - 1;
  }
  return false;
}

function parenthesize(term: string): string {
  return /\|\||&&|\?/.test(term) && !isOneGroup(term) ? `(${term})` : term;
}

function any(terms: string[]): string {
  const present = terms.filter((t) => t !== '' && t !== 'false');
  if (present.includes('true')) return 'true';
  return present.length === 1 ? present[0] : present.map(parenthesize).join(' || ');
}

function and(condition: string, term: string): string {
  if (condition === 'false' || term === '' || term === 'false') return '';
  if (condition === 'true') return term;
  return term === 'true' ? condition : `${parenthesize(condition)} && ${parenthesize(term)}`;
}
