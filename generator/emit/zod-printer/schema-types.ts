export type JsonSchema = boolean | { [k: string]: unknown };
export type SchemaObject = { [k: string]: unknown };

/** A schema's place: which document (by URI) and where in it. */
export interface SchemaLocation {
  documentUri: string;
  pointer: string;
}

export function locationKey(location: SchemaLocation): string {
  return `${location.documentUri}#${location.pointer}`;
}

/** Keywords whose value is a single subschema. */
export const SINGLE_SUBSCHEMA_KEYWORDS = [
  'additionalProperties',
  'unevaluatedProperties',
  'items',
  'unevaluatedItems',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'contentSchema',
] as const;

/** Keywords whose value is an array of subschemas. */
export const ARRAY_SUBSCHEMA_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;

/** Keywords whose value is a map of name → subschema. */
export const MAP_SUBSCHEMA_KEYWORDS = ['$defs', 'properties', 'patternProperties', 'dependentSchemas'] as const;
