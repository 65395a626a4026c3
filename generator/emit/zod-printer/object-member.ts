import type { DynamicBindings } from './dynamic-scope.ts';
import { printList, printShape } from './layout.ts';
import { isValidRegex, printKey, printRegex, printString, printValue } from './literals.ts';
import type { SchemaCompiler } from './schema-compiler.ts';
import { isNumber, isPlainObject, optional } from './schema-values.ts';
import { isSchema } from './json-pointer.ts';
import type { SchemaLocation, SchemaObject } from './schema-types.ts';

/** Own names of Object.prototype: zod reads `input[key]`, so these would see inherited values. */
const INHERITED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * The object member of a schema: a zod object for the typed shape, plus refinements for what zod
 * objects cannot say (patternProperties, property counts, dependencies, names, own-property checks).
 */
export function printObjectMember(
compiler: SchemaCompiler,
schema: SchemaObject,
location: SchemaLocation,
bindings: DynamicBindings,
): string {
  const properties = isPlainObject(schema.properties) ? Object.keys(schema.properties) : [];
  const required = [...new Set(Array.isArray(schema.required) ? schema.required.filter((r) => typeof r === 'string') : [])];
  const patterns = isPlainObject(schema.patternProperties) ? Object.keys(schema.patternProperties) : [];
  const additional = schema.additionalProperties;
  const openRest = additional === undefined || additional === true;
  const shape: string[] = [];
  const ownPropertyChecks: string[] = [];
  const refinements: string[] = [];
  const ownProperty = (name: string, target: string, isRequired: boolean) =>
    ownPropertyChecks.push(`(v) => ${compiler.helper('__ownProperty')}(v, ${printString(name)}, ${target}, ${isRequired})`);

  for (const name of properties) {
    const sub = compiler.child(location, 'properties', name);
    if (INHERITED_NAMES.has(name)) {
      ownProperty(name, compiler.closureRef(sub, bindings), required.includes(name));
      continue;
    }
    const expression = compiler.compile(sub, bindings);
    shape.push(`${printKey(name)}: ${required.includes(name) ? expression : optional(expression)}`);
  }
  const undeclaredRequired = required.filter((name) => !properties.includes(name));
  for (const name of undeclaredRequired) {
    if (INHERITED_NAMES.has(name)) ownProperty(name, 'true', true);
    else if (openRest) shape.push(`${printKey(name)}: z.unknown()`);
    else refinements.push(`(o) => Object.hasOwn(o, ${printString(name)})`);
  }

  let expression: string;
  const restNeedsCheck =
    patterns.length > 0 || (!openRest && (ownPropertyChecks.length > 0 || undeclaredRequired.length > 0));
  if (!restNeedsCheck) {
    if (openRest) expression = `z.looseObject(${printShape(shape)})`;
    else if (additional === false) expression = `z.strictObject(${printShape(shape)})`;
    else expression = `z.object(${printShape(shape)}).catchall(${compiler.compile(compiler.child(location, 'additionalProperties'), bindings)})`;
  } else {
    expression = `z.looseObject(${printShape(shape)})`;
    const patternList = patterns.map((p) => {
      if (!isValidRegex(p)) compiler.fallback('patternProperties', location, `not a valid ECMAScript regex with the u flag: ${p}`);
      const target = compiler.closureRef(compiler.child(location, 'patternProperties', p), bindings);
      return isValidRegex(p) ? `[${printRegex(p)}, ${target}]` : undefined;
    });
    const rest = openRest ? 'true' : compiler.closureRef(compiler.child(location, 'additionalProperties'), bindings);
    const declared = printList('[', properties.map(printString), ']');
    const matchers = printList('[', patternList.filter((p): p is string => p !== undefined), ']');
    refinements.unshift(`(o) => ${compiler.helper('__propertyRest')}(o, ${declared}, ${matchers}, ${rest})`);
  }

  if (isSchema(schema.propertyNames)) {
    const names = compiler.closureRef(compiler.child(location, 'propertyNames'), bindings);
    if (names !== 'true') refinements.push(`(o) => Object.keys(o).every((k) => ${compiler.helper('__matches')}(${names}, k))`);
  }
  if (isNumber(schema.minProperties) && schema.minProperties > 0) {
    refinements.push(`(o) => Object.keys(o).length >= ${schema.minProperties}`);
  }
  if (isNumber(schema.maxProperties)) refinements.push(`(o) => Object.keys(o).length <= ${schema.maxProperties}`);
  if (isPlainObject(schema.dependentRequired)) {
    for (const [name, dependencies] of Object.entries(schema.dependentRequired)) {
      if (!Array.isArray(dependencies) || dependencies.length === 0) continue;
      const list = printValue(dependencies);
      refinements.push(`(o) => !Object.hasOwn(o, ${printString(name)}) || ${list}.every((d) => Object.hasOwn(o, d))`);
    }
  }
  if (isPlainObject(schema.dependentSchemas)) {
    for (const name of Object.keys(schema.dependentSchemas)) {
      const target = compiler.closureRef(compiler.child(location, 'dependentSchemas', name), bindings);
      if (target === 'true') continue;
      refinements.push(`(o) => !Object.hasOwn(o, ${printString(name)}) || ${compiler.helper('__matches')}(${target}, o)`);
    }
  }
  expression += refinements.map((r) => `.refine(${r})`).join('');
  if (ownPropertyChecks.length > 0) {
    expression += `.and(z.unknown()${ownPropertyChecks.map((r) => `.refine(${r})`).join('')})`;
  }
  // zod objects build their output by assignment, so a declared `__proto__` property would become
  // the prototype and vanish from what the handler gets: check the value, hand it back as received.
  if (properties.includes('__proto__')) return `z.unknown().refine((v) => ${compiler.helper('__matches')}(${expression}, v))`;
  return expression;
}
