/**
 * The Ajv-free sample check (generator/fixtures/sample-check.ts) answers only where it gives Ajv's
 * verdict: compared with Ajv (the options synthesize.ts uses) on every value of the JSON Schema
 * Test Suite (draft 2020-12) whose schema it takes, on seeded random schemas (refs, recursion,
 * combinators, near-miss values), and on the tool schemas of the examples and the synthetic bench
 * manifest, which it must take (else the cold-run saving is gone).
 */
import Ajv2020 from 'ajv/dist/2020.js';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../generator/fixtures/prng.ts';
import { compileSampleCheck } from '../../generator/fixtures/sample-check.ts';
import { synthesize } from '../../generator/fixtures/synthesize.ts';
import { loadApp } from '../../generator/project.ts';
import { syntheticManifest } from '../../bench/lib/synthetic-manifest.ts';
import { REPO_ROOT, tempDir } from '../helpers/env.ts';

type Schema = Record<string, unknown>;
const ajvOf = (schema: unknown) =>
  new Ajv2020.default({ strict: false, logger: false, validateFormats: false, allErrors: false, validateSchema: false, code: { optimize: false } }).compile(schema as Schema);

/** Every value must get Ajv's verdict; returns how many were compared. */
function agree(schema: unknown, values: unknown[], where: string): number {
  const ours = compileSampleCheck(schema);
  if (!ours) return 0;
  const ajv = ajvOf(schema);
  let n = 0;
  for (const v of values) {
    const verdict = ours(v);
    if (verdict === undefined) continue; // left to Ajv (inherited key names): Ajv itself may throw on them
    n++;
    expect(verdict, `${where}: ${JSON.stringify(v)} against ${JSON.stringify(schema)}`).toBe(ajv(v));
  }
  return n;
}

const pick = <T,>(random: () => number, xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
const NAMES = ['a', 'b', 'c', 'id', 'x-y', 'ü', ''];
const SCALARS = [0, 1, -1, 2.5, 3, 10, 100, '', 'a', 'ab', 'abc', 'aaaaaa', 'AB', 'ü😀', '2026-07', true, false, null];

function randomSchema(random: () => number, depth: number, defs: string[]): Schema | boolean {
  if (random() < 0.05) return random() < 0.5;
  const s: Schema = {};
  const r = random();
  if (r < 0.6) s.type = random() < 0.8 ? pick(random, ['string', 'number', 'integer', 'boolean', 'null', 'object', 'array']) : ['string', pick(random, ['null', 'integer', 'array'])];
  const maybe = (p: number, k: string, v: () => unknown) => {
    if (random() < p) s[k] = v();
  };
  maybe(0.15, 'enum', () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => (random() < 0.2 ? { a: pick(random, SCALARS) } : random() < 0.1 ? [1, 'a'] : pick(random, SCALARS))));
  maybe(0.05, 'const', () => (random() < 0.3 ? { a: [1] } : pick(random, SCALARS)));
  maybe(0.15, 'minimum', () => pick(random, [0, 1, 2.5, -3]));
  maybe(0.15, 'maximum', () => pick(random, [3, 10, 2.5, 100]));
  maybe(0.1, 'exclusiveMinimum', () => pick(random, [0, 1, 2.5]));
  maybe(0.1, 'exclusiveMaximum', () => pick(random, [3, 10, 2.5]));
  maybe(0.15, 'minLength', () => pick(random, [0, 1, 2, 3]));
  maybe(0.15, 'maxLength', () => pick(random, [0, 1, 2, 5]));
  maybe(0.1, 'pattern', () => pick(random, ['^a', 'b$', '^[A-Z]{2}$', '\\d{4}-\\d{2}', '^.$', '\\p{L}']));
  maybe(0.1, 'format', () => pick(random, ['date', 'email', 'no-such-format']));
  maybe(0.1, 'minItems', () => pick(random, [0, 1, 2]));
  maybe(0.1, 'maxItems', () => pick(random, [0, 1, 3]));
  maybe(0.1, 'uniqueItems', () => random() < 0.8);
  maybe(0.08, 'minProperties', () => pick(random, [0, 1, 2]));
  maybe(0.08, 'maxProperties', () => pick(random, [0, 1, 3]));
  maybe(0.08, 'description', () => 'annotation');
  maybe(0.05, 'default', () => pick(random, SCALARS));
  maybe(0.05, 'x-mcp-header', () => 'Region');
  if (depth < 3) {
    maybe(0.35, 'properties', () => Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [pick(random, NAMES), randomSchema(random, depth + 1, defs)])));
    maybe(0.25, 'required', () => [...new Set(Array.from({ length: Math.floor(random() * 3) }, () => pick(random, NAMES)))]);
    maybe(0.2, 'additionalProperties', () => (random() < 0.5 ? false : randomSchema(random, depth + 1, defs)));
    maybe(0.25, 'items', () => randomSchema(random, depth + 1, defs));
    maybe(0.08, 'anyOf', () => [randomSchema(random, depth + 1, defs), randomSchema(random, depth + 1, defs)]);
    maybe(0.08, 'oneOf', () => [randomSchema(random, depth + 1, defs), randomSchema(random, depth + 1, defs)]);
    maybe(0.06, 'allOf', () => [randomSchema(random, depth + 1, defs)]);
    maybe(0.05, 'not', () => randomSchema(random, depth + 1, defs));
  }
  maybe(0.15, '$ref', () => (random() < 0.15 ? '#' : `#/$defs/${pick(random, defs)}`));
  return s;
}

/** Values near a schema's edges: its synthesized samples, their mutations, and plain scalars and containers. */
function valuesFor(schema: unknown, random: () => number): unknown[] {
  const out: unknown[] = [...SCALARS, {}, [], [1, 1], ['a', 'a'], [{ a: 1 }, { a: 1 }], { a: 1 }, { a: 'x', b: null }, { id: 'x', '': 2 }, { toString: 1 }, [null], [[1]]];
  if (typeof schema === 'object') {
    try {
      const r = synthesize(schema as Schema, { seed: Math.floor(random() * 1000) });
      for (const s of [...r.valid, ...r.invalid]) {
        out.push(s.value);
        if (typeof s.value === 'object' && s.value !== null && !Array.isArray(s.value)) {
          const v = s.value as Schema;
          const k = Object.keys(v);
          if (k.length) out.push({ ...v, [pick(random, k)]: pick(random, SCALARS) });
          out.push({ ...v, [pick(random, NAMES)]: pick(random, SCALARS) });
        }
      }
    } catch {
      /* a schema Ajv refuses: plain values only */
    }
  }
  return out;
}

describe('sample check without Ajv', () => {
  it('gives Ajv’s verdict on 2 000 random schemas (refs, recursion, combinators) and values near them', () => {
    const random = seededRandom(2718);
    let compared = 0;
    let taken = 0;
    for (let i = 0; i < 2000; i++) {
      const defs = ['A', 'B', 'C'];
      const root = randomSchema(random, 0, defs);
      const schema = typeof root === 'boolean' ? root : { ...root, $defs: Object.fromEntries(defs.map((d) => [d, randomSchema(random, 1, defs)])) };
      let ajvTakes = true;
      try {
        ajvOf(schema);
      } catch {
        ajvTakes = false;
      }
      if (!ajvTakes) {
        // A schema Ajv refuses is Ajv's to refuse, in its own words: not taken here.
        expect(compileSampleCheck(schema), JSON.stringify(schema)).toBeUndefined();
        continue;
      }
      const n = agree(schema, valuesFor(schema, random), `random ${i}`);
      if (n > 0) taken++;
      compared += n;
    }
    expect(taken).toBeGreaterThan(550);
    expect(compared).toBeGreaterThan(15_000);
  });

  it('gives Ajv’s verdict on the JSON Schema Test Suite (draft 2020-12) wherever it takes the schema', () => {
    const dir = join(REPO_ROOT, '..', 'shared', 'json-schema-test-suite', 'draft2020-12');
    if (!existsSync(dir)) return;
    let compared = 0;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      for (const group of JSON.parse(readFileSync(join(dir, file), 'utf8')) as { description: string; schema: unknown; tests: { data: unknown }[] }[]) {
        let ajvTakes = true;
        try {
          ajvOf(group.schema);
        } catch {
          ajvTakes = false;
        }
        if (!ajvTakes) {
          expect(compileSampleCheck(group.schema), `${file}: ${group.description}`).toBeUndefined();
          continue;
        }
        compared += agree(group.schema, group.tests.map((t) => t.data), `${file}: ${group.description}`);
      }
    }
    expect(compared).toBeGreaterThan(300);
  });

  it('takes every tool schema of the examples and the synthetic manifest, with Ajv’s verdicts on their samples', async () => {
    const manifests = [join(REPO_ROOT, 'examples', 'weather', 'mcp-gen.yaml'), join(REPO_ROOT, 'examples', 'kitchen-sink', 'mcp-gen.yaml')];
    const dir = tempDir();
    writeFileSync(join(dir, 'mcp-gen.yaml'), syntheticManifest(30, 3));
    manifests.push(join(dir, 'mcp-gen.yaml'));
    const random = seededRandom(5);
    let taken = 0;
    for (const manifestPath of manifests) {
      const { app } = await loadApp(manifestPath);
      for (const t of app.tools) {
        for (const schema of [t.inputSchema, t.outputSchema].filter(Boolean)) {
          // kitchen-sink declares a few shapes on purpose beyond this check; the synthetic tools are all plain.
          if (manifestPath.startsWith(dir)) expect(compileSampleCheck(schema), `${t.name}`).toBeDefined();
          if (agree(schema, valuesFor(schema, random), `${manifestPath} ${t.name}`) > 0) taken++;
        }
      }
    }
    expect(taken).toBeGreaterThan(60);
  });
});
