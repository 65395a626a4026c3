/**
 * The compile corpus: JSON Schemas nobody on the project wrote (the official JSON Schema Test Suite,
 * draft 2020-12) plus hard cases, each used as one tool's input AND output in a single generated
 * project, with compile-must-fail probes. See compile-corpus.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { listJson } from '../jsts/jsts-harness.ts';

export const SUITE_DIR = join(import.meta.dirname, '..', '..', '..', 'shared', 'json-schema-test-suite', 'draft2020-12');

type Schema = Record<string, unknown>;
export interface CorpusEntry {
  /** Where it comes from: `<file> / <group description>` or `hard: <label>`. */
  label: string;
  schema: Schema;
}
export interface Skipped {
  label: string;
  reason: string;
}

/** Keywords that say a schema describes objects. */
const OBJECT_KEYWORDS = [
  'properties', 'patternProperties', 'additionalProperties', 'required', 'propertyNames', 'minProperties',
  'maxProperties', 'dependentRequired', 'dependentSchemas', 'unevaluatedProperties',
];


function mentions(value: unknown, test: (key: string, v: unknown) => boolean): boolean {
  if (Array.isArray(value)) return value.some((v) => mentions(v, test));
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([k, v]) => test(k, v) || mentions(v, test));
}

/**
 * The filter (documented in the test and counted): a schema can be a tool's input when its root is
 * an object schema — `type: "object"`, or no `type` and at least one object keyword (then
 * `type: "object"` is added, as MCP requires it at the root of `inputSchema`). Left out: boolean
 * roots, roots typed otherwise, and schemas that need what a manifest cannot hold (remote `$ref`s,
 * a `$schema` other than 2020-12, `$id`-based resolution, `$dynamicRef`).
 */
export function suiteObjectSchemas(): { entries: CorpusEntry[]; skipped: Skipped[]; total: number } {
  const entries: CorpusEntry[] = [];
  const skipped: Skipped[] = [];
  let total = 0;
  for (const file of listJson(SUITE_DIR)) {
    const groups = JSON.parse(readFileSync(file, 'utf8')) as { description: string; schema: unknown }[];
    for (const group of groups) {
      total++;
      const label = `${relative(SUITE_DIR, file)} / ${group.description}`;
      const s = group.schema;
      if (s === null || typeof s !== 'object' || Array.isArray(s)) { skipped.push({ label, reason: 'boolean root' }); continue; }
      const schema = s as Schema;
      const type = schema.type;
      const objectish = type === 'object' || (type === undefined && OBJECT_KEYWORDS.some((k) => k in schema));
      if (!objectish) { skipped.push({ label, reason: 'root is not an object schema' }); continue; }
      if (mentions(schema, (k, v) => (k === '$ref' || k === '$dynamicRef') && typeof v === 'string' && !v.startsWith('#'))) {
        skipped.push({ label, reason: 'non-local $ref' }); continue;
      }
      if (mentions(schema, (k) => k === '$id' || k === '$dynamicRef' || k === '$dynamicAnchor' || k === '$anchor')) {
        skipped.push({ label, reason: '$id/anchor resolution' }); continue;
      }
      if (typeof schema.$schema === 'string' && !schema.$schema.includes('2020-12/schema')) { skipped.push({ label, reason: 'other $schema' }); continue; }
      entries.push({ label, schema: type === undefined ? { type: 'object', ...schema } : schema });
    }
  }
  return { entries, skipped, total };
}

const str = { type: 'string' };
const labels = (extra: Schema) => ({ type: 'object', properties: { labels: { type: 'array', items: str, ...extra } }, required: ['labels'] });

/** Cases the suite does not cover in a tool's shape. `#/schemas/…` refs point at the manifest's shared schemas. */
export const HARD_CASES: CorpusEntry[] = [
  ...[0, 1, 20, 21].flatMap((n) => [
    { label: `hard: minItems ${n}`, schema: labels({ minItems: n }) },
    { label: `hard: maxItems ${n}`, schema: labels({ maxItems: n }) },
  ]),
  { label: 'hard: minItems 1 maxItems 10', schema: labels({ minItems: 1, maxItems: 10 }) },
  { label: 'hard: prefixItems with rest', schema: { type: 'object', properties: { pair: { type: 'array', prefixItems: [str, { type: 'integer' }], items: { type: 'boolean' } } }, required: ['pair'] } },
  { label: 'hard: prefixItems closed (items: false)', schema: { type: 'object', properties: { pair: { type: 'array', prefixItems: [str, { type: 'number' }], items: false } }, required: ['pair'] } },
  { label: 'hard: items false', schema: { type: 'object', properties: { none: { type: 'array', items: false } }, required: ['none'] } },
  { label: 'hard: nested $ref to shared schemas', schema: { type: 'object', properties: { order: { $ref: '#/schemas/CorpusOrder' }, list: { type: 'array', items: { $ref: '#/schemas/CorpusLine' } } }, required: ['order'] } },
  { label: 'hard: local $defs $ref chain', schema: { type: 'object', properties: { a: { $ref: '#/$defs/A' } }, required: ['a'], $defs: { A: { type: 'object', properties: { b: { $ref: '#/$defs/B' } }, required: ['b'] }, B: { type: 'integer' } } } },
  { label: 'hard: additionalProperties true', schema: { type: 'object', properties: { name: str }, required: ['name'], additionalProperties: true } },
  { label: 'hard: additionalProperties false', schema: { type: 'object', properties: { name: str }, required: ['name'], additionalProperties: false } },
  { label: 'hard: additionalProperties schema', schema: { type: 'object', properties: { name: str }, required: ['name'], additionalProperties: { type: 'string' } } },
  { label: 'hard: additionalProperties schema only', schema: { type: 'object', additionalProperties: { type: 'number' } } },
  { label: 'hard: patternProperties', schema: { type: 'object', properties: { name: str }, required: ['name'], patternProperties: { '^x-': { type: 'string' } } } },
  { label: 'hard: mixed-type enum', schema: { type: 'object', properties: { v: { enum: ['a', 1, true, null] } }, required: ['v'] } },
  { label: 'hard: mixed-type const and type union', schema: { type: 'object', properties: { v: { type: ['string', 'integer', 'null'] }, c: { const: 42 } }, required: ['v', 'c'] } },
  { label: 'hard: object without properties', schema: { type: 'object' } },
  { label: 'hard: properties named like Object.prototype members', schema: { type: 'object', properties: { toString: str, constructor: { type: 'number' }, valueOf: str }, required: ['toString'] } },
  { label: 'hard: prefixItems in a $defs target (cast, MG4005)', schema: { type: 'object', properties: { p: { $ref: '#/$defs/P' } }, required: ['p'], $defs: { P: { type: 'array', prefixItems: [{ type: 'integer' }], items: false } } } },
  { label: 'hard: nested closed objects', schema: { type: 'object', properties: { outer: { type: 'object', properties: { inner: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] } }, required: ['inner'] } }, required: ['outer'] } },
];

export const SHARED_SCHEMAS: Record<string, Schema> = {
  CorpusLine: { type: 'object', properties: { sku: str, qty: { type: 'integer', minimum: 1 } }, required: ['sku', 'qty'] },
  CorpusOrder: { type: 'object', properties: { id: str, lines: { type: 'array', items: { $ref: '#/schemas/CorpusLine' }, minItems: 1 } }, required: ['id', 'lines'] },
};

const PRIMITIVE_WRONG: Record<string, string> = { string: '42', number: "'not a number'", integer: "'not a number'", boolean: "'not a boolean'", array: "'not an array'", object: "'not an object'" };

/**
 * A value of the wrong type for the schema, as TS source: a declared property with a definite
 * type gets a value of another type; otherwise the whole value is a string (never an object).
 */
export function wrongValue(schema: Schema): string {
  const props = (schema.properties ?? {}) as Record<string, unknown>;
  for (const [name, prop] of Object.entries(props)) {
    if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) || prop === null || typeof prop !== 'object') continue;
    const t = (prop as Schema).type;
    if (typeof t === 'string' && t in PRIMITIVE_WRONG) return `{ ${name}: ${PRIMITIVE_WRONG[t]} }`;
  }
  return `'not an object'`;
}
