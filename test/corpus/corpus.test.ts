/**
 * Every example in <spec>/2026-07-28/examples/<Def>/ parses with the generated <Def> schema, and
 * mutated copies that Ajv (the oracle) rejects are rejected too — at least 3 per example.
 */
import Ajv2020 from 'ajv/dist/2020.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { SHARED_SPEC } from '../helpers/env.ts';
import { generateLayer } from '../helpers/protocol-layer.ts';
import { mutationsOf } from './mutations.ts';

const REV = '2026-07-28';
const examplesDir = join(SHARED_SPEC, REV, 'examples');
const layer = await generateLayer(REV, 'corpus');
const S = (await import(join(layer.dir, 'protocol', 'schemas.ts'))) as Record<string, { safeParse(v: unknown): { success: boolean } }>;
const ajv = new Ajv2020.default({ strict: false, logger: false, validateFormats: false });
ajv.addSchema(layer.spec.document as object, 'mcp');

afterAll(() => rmSync(layer.dir, { recursive: true, force: true }));
const defs = readdirSync(examplesDir).filter((d) => existsSync(join(examplesDir, d))).sort();

describe(`corpus: ${REV} examples`, () => {
  const counts = { examples: 0, mutations: 0 };
  for (const def of defs) {
    for (const file of readdirSync(join(examplesDir, def)).filter((f) => f.endsWith('.json')).sort()) {
      it(`${def}/${file}`, () => {
        const example = JSON.parse(readFileSync(join(examplesDir, def, file), 'utf8'));
        const schema = S[def];
        expect(schema, `no generated schema for ${def}`).toBeDefined();
        expect(schema!.safeParse(example).success).toBe(true);
        const validate = ajv.getSchema(`mcp#/$defs/${def}`)!;
        expect(validate(example)).toBe(true);
        const invalid = mutationsOf(layer.spec.document, def, example).filter((m) => !validate(m.value));
        for (const m of invalid) {
          expect(schema!.safeParse(m.value).success, `${m.kind} at ${m.path} accepted`).toBe(false);
        }
        expect(invalid.length, 'at least 3 rejected mutations').toBeGreaterThanOrEqual(3);
        counts.examples++;
        counts.mutations += invalid.length;
      });
    }
  }
  it('reports counts', () => {
    // eslint-disable-next-line no-console
    console.log(`corpus ${REV}: ${counts.examples} examples, ${counts.mutations} rejected mutations`);
    expect(counts.examples).toBeGreaterThan(80);
  });
});
