/**
 * Visits every subschema of a JSON Schema, knowing which keywords hold schemas. A generic JSON
 * walk would misread data (`enum`, `const`, `default`, `examples`) and property *names*
 * (a property called `x-mcp-header` or `type`) as schema keywords.
 */
import { isRecord } from '../paths.ts';

export type SchemaPath = (string | number)[];

/** Keywords whose value is one subschema. */
const SINGLE = ['additionalProperties', 'unevaluatedProperties', 'unevaluatedItems', 'contains', 'propertyNames', 'not', 'if', 'then', 'else', 'additionalItems', 'contentSchema'];
/** Keywords whose value is a list of subschemas. */
const LIST = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
/** Keywords whose value maps names to subschemas. */
const MAP = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];

export type SchemaVisitor = (schema: Record<string, unknown>, path: SchemaPath) => void;

export function walkSchema(schema: unknown, visit: SchemaVisitor, path: SchemaPath = [], seen = new Set<object>()): void {
  if (!isRecord(schema) || seen.has(schema)) return;
  seen.add(schema);
  visit(schema, path);
  for (const keyword of SINGLE) {
    if (keyword in schema) walkSchema(schema[keyword], visit, [...path, keyword], seen);
  }
  // `items` is one schema in 2020-12 and may be a list in draft-07.
  if (Array.isArray(schema.items)) schema.items.forEach((item, i) => walkSchema(item, visit, [...path, 'items', i], seen));
  else if ('items' in schema) walkSchema(schema.items, visit, [...path, 'items'], seen);
  for (const keyword of LIST) {
    const list = schema[keyword];
    if (Array.isArray(list)) list.forEach((item, i) => walkSchema(item, visit, [...path, keyword, i], seen));
  }
  for (const keyword of MAP) {
    const map = schema[keyword];
    if (isRecord(map)) for (const [name, sub] of Object.entries(map)) walkSchema(sub, visit, [...path, keyword, name], seen);
  }
}
