/**
 * The shortcut before Ajv's meta-schema check (generator/manifest/schema/surely-valid.ts) is sound:
 * whenever it says "surely valid", Ajv (as meta-validate.ts configures it) agrees — on the examples'
 * and the synthetic manifests' schemas, on every constrained keyword given wrong values, and on
 * seeded random mutations. And it is useful: the plain schemas of a synthetic manifest never reach Ajv.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { seededRandom } from '../../generator/fixtures/prng.ts';
import { surelyMetaValid } from '../../generator/manifest/schema/surely-valid.ts';
import { syntheticManifest } from '../../bench/lib/synthetic-manifest.ts';
import { REPO_ROOT } from '../helpers/env.ts';

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const ajvValid = (s: unknown) => ajv.validateSchema(s as object) as boolean;

type Doc = Record<string, any>;
function schemasOf(doc: Doc): unknown[] {
  const out: unknown[] = [];
  for (const t of doc.tools ?? []) {
    if (t.input) out.push(t.input);
    if (t.output) out.push(t.output);
    for (const a of t.asks ?? []) if (a.schema) out.push(a.schema);
  }
  for (const s of Object.values(doc.schemas ?? {})) out.push(s);
  return out;
}

const corpus = [
  ...['weather', 'kitchen-sink', 'apps'].flatMap((e) => schemasOf(parse(readFileSync(join(REPO_ROOT, 'examples', e, 'mcp-gen.yaml'), 'utf8')) as Doc)),
  ...[3, 20].flatMap((n) => schemasOf(parse(syntheticManifest(n, n)) as Doc)),
];

/** Values of every kind, including the edge of each constraint. */
const VALUES: unknown[] = [
  0, -1, 1, 1.5, -0.5, 2 ** 60, Number.NaN, Infinity, -Infinity, '', 'string', 'strin', 'object', '#/x', '^(', true, false, null,
  [], [1], ['a', 'a'], ['a', 'b'], ['string', 'null'], ['string', 'string'], ['strin'], [{}], [true], [{ type: 'strin' }], [null],
  {}, { type: 'string' }, { type: 'strin' }, { a: { type: 1 } }, { a: true }, { a: [] }, { $id: 'x#y' }, undefined,
];
const KEYWORDS = [
  'type', 'properties', 'required', 'items', 'prefixItems', 'additionalProperties', 'patternProperties', 'propertyNames', 'enum', 'const',
  'default', 'examples', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'pattern',
  'format', 'minItems', 'maxItems', 'uniqueItems', 'contains', 'minContains', 'maxContains', 'minProperties', 'maxProperties',
  'dependentRequired', 'dependentSchemas', 'dependencies', 'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', '$ref', '$defs',
  'definitions', '$id', '$anchor', '$dynamicRef', '$dynamicAnchor', '$vocabulary', '$comment', 'title', 'description', 'deprecated',
  'readOnly', 'writeOnly', 'contentEncoding', 'contentMediaType', 'contentSchema', 'unevaluatedItems', 'unevaluatedProperties',
  '$recursiveRef', '$recursiveAnchor', 'x-mcp-header', 'unknownKeyword',
];

function expectSound(schema: unknown, label: string): boolean {
  const sure = surelyMetaValid(schema);
  if (sure) expect(ajvValid(schema), `${label}: surely valid, but Ajv rejects ${JSON.stringify(schema)}`).toBe(true);
  return sure;
}

describe('surelyMetaValid', () => {
  it('is sure of the plain schemas of the examples and synthetic manifests, and Ajv agrees', () => {
    let sure = 0;
    corpus.forEach((s, i) => (sure += expectSound(s, `corpus ${i}`) ? 1 : 0));
    expect(sure).toBe(corpus.length);
  });

  it('is never sure of a wrong value under any constrained keyword, at the root or nested', () => {
    let sure = 0;
    let rejected = 0;
    for (const keyword of KEYWORDS) {
      for (const value of VALUES) {
        for (const schema of [{ [keyword]: value }, { type: 'object', properties: { p: { [keyword]: value } } }, { anyOf: [{ items: { [keyword]: value } }] }]) {
          if (expectSound(schema, `${keyword}=${JSON.stringify(value)}`)) sure++;
          if (!ajvValid(schema)) rejected++;
        }
      }
    }
    expect(sure).toBeGreaterThan(300); // it answers for the ordinary values
    expect(rejected).toBeGreaterThan(300); // and the wrong ones were really wrong
  });

  it('stays sound under 4 000 seeded random mutations of real schemas', () => {
    const random = seededRandom(20261207);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    let sure = 0;
    for (let i = 0; i < 4000; i++) {
      const schema = structuredClone(pick(corpus)) as Doc;
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
        // Walk down a random path of objects, then set or delete a keyword there.
        let node: Doc = schema;
        for (let d = Math.floor(random() * 4); d > 0; d--) {
          const children = Object.values(node).filter((v) => typeof v === 'object' && v !== null) as Doc[];
          if (children.length === 0) break;
          node = pick(children);
        }
        if (Array.isArray(node)) node.push(structuredClone(pick(VALUES)));
        else if (random() < 0.2) delete node[pick(Object.keys(node).concat('type'))];
        else node[pick(KEYWORDS)] = structuredClone(pick(VALUES));
      }
      if (expectSound(schema, `mutation ${i}`)) sure++;
    }
    expect(sure).toBeGreaterThan(400);
  });
});
