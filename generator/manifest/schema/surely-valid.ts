/**
 * A sound shortcut before Ajv's meta-schema check (meta-validate.ts): true only when `schema`
 * certainly validates against the JSON Schema 2020-12 meta-schema (its vocabularies as ajv ships
 * them: ajv/dist/refs/json-schema-2020-12). Every keyword the meta-schema constrains is either
 * checked here exactly as the meta-schema says, or makes the answer "not sure" ($id's pattern,
 * anchors, vocabularies, legacy `dependencies`…), and so does any value it does not expect; Ajv
 * then decides and reports. Keywords the meta-schema does not name are unconstrained there.
 * Why: compiling the meta-schema was most of a cold run's manifest checks, for schemas that are
 * nearly always plain (`type`, `properties`, `required`, bounds). test/manifest/surely-valid.test.ts
 * holds the shortcut to Ajv on real, synthetic and mutated schemas.
 */
import { isPlainObject } from '../../json.ts';

/** Keywords whose value is one schema. */
const SCHEMA = new Set(['items', 'contains', 'additionalProperties', 'propertyNames', 'if', 'then', 'else', 'not', 'unevaluatedItems', 'unevaluatedProperties', 'contentSchema']);
/** A non-empty array of schemas. */
const SCHEMA_ARRAY = new Set(['prefixItems', 'allOf', 'anyOf', 'oneOf']);
/** An object whose values are schemas. */
const SCHEMA_MAP = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const NUMBER = new Set(['maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum']);
/** nonNegativeInteger. */
const COUNT = new Set(['maxLength', 'minLength', 'maxItems', 'minItems', 'maxContains', 'minContains', 'maxProperties', 'minProperties']);
/** Strings whose `format` (uri-reference, regex) Ajv does not check here (validateFormats: false). */
const STRING = new Set(['$ref', '$comment', 'pattern', 'format', 'title', 'description', 'contentEncoding', 'contentMediaType']);
const BOOLEAN = new Set(['uniqueItems', 'deprecated', 'readOnly', 'writeOnly']);
/** Any value. */
const ANY = new Set(['const', 'default']);
/** Any array. */
const ARRAY = new Set(['enum', 'examples']);
/** Constrained by the meta-schema in ways not checked here: Ajv decides. */
const UNSURE = new Set(['$id', '$schema', '$anchor', '$dynamicRef', '$dynamicAnchor', '$vocabulary', '$recursiveAnchor', '$recursiveRef', 'dependencies', 'dependentRequired']);
const SIMPLE_TYPES = new Set(['array', 'boolean', 'integer', 'null', 'number', 'object', 'string']);

const MAX_DEPTH = 64;

const uniqueStrings = (v: unknown[]): boolean => v.every((s) => typeof s === 'string') && new Set(v).size === v.length;

/** True only when `schema` certainly validates against the 2020-12 meta-schema; false means "not sure". */
export function surelyMetaValid(schema: unknown, depth = 0): boolean {
  if (typeof schema === 'boolean') return true;
  if (!isPlainObject(schema) || depth > MAX_DEPTH) return false;
  for (const key of Object.keys(schema)) {
    const v = schema[key];
    if (UNSURE.has(key)) return false;
    if (SCHEMA.has(key)) {
      if (!surelyMetaValid(v, depth + 1)) return false;
    } else if (SCHEMA_ARRAY.has(key)) {
      if (!Array.isArray(v) || v.length === 0 || !v.every((s) => surelyMetaValid(s, depth + 1))) return false;
    } else if (SCHEMA_MAP.has(key)) {
      if (!isPlainObject(v) || !Object.values(v).every((s) => surelyMetaValid(s, depth + 1))) return false;
    } else if (NUMBER.has(key)) {
      if (typeof v !== 'number' || !Number.isFinite(v)) return false;
    } else if (COUNT.has(key)) {
      if (!Number.isSafeInteger(v) || (v as number) < 0) return false;
    } else if (STRING.has(key)) {
      if (typeof v !== 'string') return false;
    } else if (BOOLEAN.has(key)) {
      if (typeof v !== 'boolean') return false;
    } else if (ARRAY.has(key)) {
      if (!Array.isArray(v)) return false;
    } else if (key === 'type') {
      if (typeof v === 'string' ? !SIMPLE_TYPES.has(v) : !Array.isArray(v) || v.length === 0 || !uniqueStrings(v) || !v.every((t) => SIMPLE_TYPES.has(t as string))) return false;
    } else if (key === 'required') {
      if (!Array.isArray(v) || !uniqueStrings(v)) return false;
    } else if (key === 'multipleOf') {
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return false;
    } else if (!ANY.has(key) && v === undefined) {
      return false; // not JSON: leave it to Ajv
    }
  }
  return true;
}
