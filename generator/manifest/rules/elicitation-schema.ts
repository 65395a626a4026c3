/**
 * Form elicitation schemas are "limited to flat objects with primitive properties only"
 * (2026-07-28/docs/client/elicitation.mdx, "Requested Schema"; schema.json
 * `ElicitRequestFormParams.requestedSchema` and `PrimitiveSchemaDefinition`).
 */
import { isRecord } from '../paths.ts';
import type { SchemaPath } from '../schema/walk-schema.ts';

export interface ElicitationProblem {
  schemaPath: SchemaPath;
  message: string;
}

const ROOT_KEYS = new Set(['$schema', 'type', 'properties', 'required', 'title', 'description']);
const COMMON = ['type', 'title', 'description', 'default'];
const KEYS_BY_TYPE: Record<string, Set<string>> = {
  string: new Set([...COMMON, 'minLength', 'maxLength', 'format', 'enum', 'oneOf', 'enumNames']),
  number: new Set([...COMMON, 'minimum', 'maximum']),
  integer: new Set([...COMMON, 'minimum', 'maximum']),
  boolean: new Set(COMMON),
  array: new Set([...COMMON, 'minItems', 'maxItems', 'items']),
};
const STRING_FORMATS = ['date', 'date-time', 'email', 'uri'];

export function checkElicitationSchema(schema: unknown): ElicitationProblem[] {
  const problems: ElicitationProblem[] = [];
  const problem = (schemaPath: SchemaPath, message: string) => problems.push({ schemaPath, message });
  if (!isRecord(schema)) return [{ schemaPath: [], message: 'an elicitation schema must be a mapping' }];
  if (schema.type !== 'object') problem(schema.type === undefined ? [] : ['type'], 'an elicitation schema must have `type: object` at its root');
  for (const key of Object.keys(schema)) {
    if (!ROOT_KEYS.has(key)) problem([key], `\`${key}\` is not allowed at the root of an elicitation form (flat objects only)`);
  }
  if (!isRecord(schema.properties)) {
    problem([], 'an elicitation schema needs `properties`');
    return problems;
  }
  for (const [name, property] of Object.entries(schema.properties)) {
    const at: SchemaPath = ['properties', name];
    if (!isRecord(property)) {
      problem(at, `form field \`${name}\` must be a mapping`);
      continue;
    }
    const type = property.type;
    const allowed = typeof type === 'string' ? KEYS_BY_TYPE[type] : undefined;
    if (!allowed) {
      const expected = 'string, number, integer, boolean or array (of enum values)';
      problem(
        type === undefined ? at : [...at, 'type'],
        type === undefined ? `form field \`${name}\` needs a \`type\`: ${expected}` : `form field \`${name}\` must have type ${expected}, not ${JSON.stringify(type)}`,
      );
      continue;
    }
    for (const key of Object.keys(property)) {
      if (!allowed.has(key)) problem([...at, key], `\`${key}\` is not supported on ${type === 'integer' || type === 'array' ? 'an' : 'a'} ${String(type)} form field`);
    }
    if (type === 'string' && property.format !== undefined && !STRING_FORMATS.includes(String(property.format))) {
      problem([...at, 'format'], `form fields support the formats ${STRING_FORMATS.join(', ')}, not \`${String(property.format)}\``);
    }
    if (type === 'array' && !isEnumItems(property.items)) {
      problem(property.items === undefined ? at : [...at, 'items'], `array form field \`${name}\` must be a multi-select: \`items\` with \`type: string\` and \`enum\`, or \`anyOf\` of {const, title}`);
    }
  }
  return problems;
}

function isEnumItems(items: unknown): boolean {
  if (!isRecord(items)) return false;
  if (items.type === 'string' && Array.isArray(items.enum)) return true;
  return Array.isArray(items.anyOf) && items.anyOf.every((option) => isRecord(option) && 'const' in option);
}
