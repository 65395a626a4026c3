/**
 * ts-type-printer against json-schema-to-typescript itself: wherever the printer decides, its text
 * is the compiler's, byte for byte (same roots, same options, same stripRoot), on the example
 * projects' real inputs, the bench's synthetic manifests, every schema of the JSON Schema Test Suite
 * (draft 2020-12, optional files included) and seeded random schemas with awkward text. The share
 * of roots the printer decides is printed per corpus; the project corpora must be fully decided.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../generator/project.ts';
import { compileTypesRoot, defsRef, namedTypesRoot, observeTypesRoots, TYPES_ROOT_NAME } from '../../generator/emit/ts-types.ts';
import { printTypesRoot } from '../../generator/emit/ts-type-printer.ts';
import { seededRandom, type Random } from '../../generator/fixtures/prng.ts';
import { syntheticManifest } from '../../bench/lib/synthetic-manifest.ts';
import { hermeticEnv, REPO_ROOT, SHARED_SPEC } from '../helpers/env.ts';
import { generateExample } from '../helpers/project.ts';
import { listJson, SUITE_DIR } from '../jsts/jsts-harness.ts';

type Root = Record<string, unknown>;
interface Case {
  label: string;
  root: Root;
  exact: boolean;
}

const SPEC_MIRROR = SHARED_SPEC;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Every root compileNamedTypes builds while `run` generates (with empty caches, so every tool's types are built). */
async function rootsOf(label: string, run: () => Promise<unknown>): Promise<Case[]> {
  const cases: Case[] = [];
  observeTypesRoots((root, exact) => cases.push({ label: `${label} #${cases.length}`, root: structuredClone(root), exact }));
  try {
    await run();
  } finally {
    observeTypesRoots(undefined);
  }
  return cases;
}

interface Outcome {
  decided: number;
  total: number;
  mismatches: { label: string; printed: string; compiled: string; root: Root }[];
}

/** Printer on vs off through compileTypesRoot; a root the printer decides must compile (no throw) to the same text. */
async function differential(cases: Case[]): Promise<Outcome> {
  const outcome: Outcome = { decided: 0, total: cases.length, mismatches: [] };
  for (const c of cases) {
    if (printTypesRoot(c.root, TYPES_ROOT_NAME, { ignoreMinAndMaxItems: c.exact }) === undefined) continue;
    outcome.decided++;
    const printed = await compileTypesRoot(c.root, c.exact, { printer: true });
    let compiled: string;
    try {
      compiled = await compileTypesRoot(c.root, c.exact, { printer: false });
    } catch (error) {
      compiled = `compiler threw: ${String(error)}`;
    }
    if (printed !== compiled) outcome.mismatches.push({ label: c.label, printed, compiled, root: c.root });
  }
  return outcome;
}

function report(name: string, o: Outcome): void {
  console.log(`ts-type-printer ${name}: decided ${o.decided}/${o.total} roots (${((100 * o.decided) / Math.max(1, o.total)).toFixed(1)} %), ${o.mismatches.length} mismatches`);
}

function expectNoMismatch(o: Outcome): void {
  const first = o.mismatches[0];
  if (first) expect({ label: first.label, schema: JSON.stringify(first.root.$defs), printed: first.printed }).toEqual({ label: first.label, schema: JSON.stringify(first.root.$defs), printed: first.compiled });
  expect(o.mismatches.length).toBe(0);
}

describe('ts-type-printer prints what json-schema-to-typescript prints', () => {
  it('is written against the installed compiler (a new version needs this test read again, and the module doc)', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'json-schema-to-typescript', 'package.json'), 'utf8')) as { version: string };
    expect(pkg.version).toBe('16.0.0');
  });

  it('on the example projects (tool schemas, shared schemas, protocol $defs): all decided', async () => {
    const cases: Case[] = [];
    for (const example of ['weather', 'kitchen-sink', 'apps']) {
      cases.push(
        ...(await rootsOf(example, async () => {
          const { dir } = await generateExample(example);
          dirs.push(dir);
        })),
      );
    }
    const user = await differential(cases.filter((c) => c.exact));
    const protocol = await differential(cases.filter((c) => !c.exact));
    report('examples (exact)', user);
    report('examples (protocol $defs)', protocol);
    expectNoMismatch(user);
    expectNoMismatch(protocol);
    expect(user.total).toBeGreaterThan(5);
    expect(user.decided).toBe(user.total);
    expect(protocol.decided).toBe(protocol.total);
  }, 120_000);

  it('on the $defs of every mirrored spec revision (protocol types): all decided', async () => {
    const cases: Case[] = [];
    for (const rev of readdirSync(SPEC_MIRROR).filter((r) => /^\d{4}-\d{2}-\d{2}$/.test(r))) {
      const { $defs } = JSON.parse(readFileSync(join(SPEC_MIRROR, rev, 'schema.json'), 'utf8')) as { $defs: Record<string, unknown> };
      cases.push({ label: rev, root: namedTypesRoot($defs, defsRef, false), exact: false });
      // Each def alone too: a mismatch then names its def.
      for (const [name, def] of Object.entries($defs)) cases.push({ label: `${rev} ${name}`, root: namedTypesRoot({ [name]: def }, defsRef, false), exact: false });
    }
    const outcome = await differential(cases);
    report('spec $defs', outcome);
    expectNoMismatch(outcome);
    expect(outcome.total).toBeGreaterThan(200);
    expect(outcome.decided).toBe(outcome.total);
  }, 120_000);

  it('on the bench synthetic manifest (100 tools): all decided', async () => {
    const dir = join(REPO_ROOT, 'test', 'tmp', `ts-type-printer-bench-${process.pid}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    dirs.push(dir);
    writeFileSync(join(dir, 'mcp-gen.yaml'), syntheticManifest(100));
    const cases = (
      await rootsOf('bench', () => generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env: hermeticEnv() } }))
    ).filter((c) => c.exact);
    const outcome = await differential(cases);
    report('bench synthetic 100', outcome);
    expectNoMismatch(outcome);
    expect(outcome.total).toBeGreaterThanOrEqual(101); // one per tool, plus the shared schemas
    expect(outcome.decided).toBe(outcome.total);
  }, 120_000);

  it('on every schema of the JSON Schema Test Suite (draft 2020-12), exact and protocol modes', async () => {
    const cases: Case[] = [];
    for (const path of listJson(join(SUITE_DIR, 'draft2020-12'))) {
      const groups = JSON.parse(readFileSync(path, 'utf8')) as { description: string; schema: unknown }[];
      groups.forEach((group, index) => {
        const defs: Record<string, unknown> = { Schema: group.schema };
        // Their $defs too, as named types of their own (the way shared schemas are).
        const own = group.schema !== null && typeof group.schema === 'object' ? (group.schema as { $defs?: unknown }).$defs : undefined;
        if (own !== null && typeof own === 'object') Object.values(own).forEach((d, i) => (defs[`Def${i}`] = d));
        for (const exact of [true, false]) {
          try {
            cases.push({ label: `${path.slice(SUITE_DIR.length)} [${index}] ${exact ? 'exact' : 'protocol'}`, root: namedTypesRoot(defs, () => 'RefTarget', exact), exact });
          } catch {
            // normalize refuses it (unsupported $ref…): compileNamedTypes never reaches either printer
          }
        }
      });
    }
    const outcome = await differential(cases);
    report('JSON Schema Test Suite', outcome);
    expectNoMismatch(outcome);
    expect(outcome.total).toBeGreaterThan(900);
  }, 300_000);

  it('on seeded random schemas (nested objects, arrays, enums, unions, refs, awkward names and text)', async () => {
    const cases: Case[] = [];
    for (let seed = 1; seed <= 1500; seed++) {
      const random = seededRandom(seed);
      const names = ['Alpha', 'Beta', 'Gamma', 'Delta2', 'Epsilon_X'].slice(0, 1 + Math.floor(random() * 4));
      if (random() < 0.03) names.push(pick(random, ['lower', 'Snake_case', 'Tool2a', 'Ünicode', 'A-B']));
      const defs = Object.fromEntries(names.map((n) => [n, randomSchema(random, 0, names)]));
      const exact = random() < 0.7;
      try {
        cases.push({ label: `seed ${seed}`, root: namedTypesRoot(defs, (ref) => defsRef(ref), exact), exact });
      } catch {
        // normalize refuses it
      }
    }
    const outcome = await differential(cases);
    report('random', outcome);
    expectNoMismatch(outcome);
    expect(outcome.decided).toBeGreaterThan(cases.length * 0.4);
  }, 300_000);
});

function pick<T>(random: Random, xs: readonly T[]): T {
  return xs[Math.floor(random() * xs.length)]!;
}

const KEYS = ['id', 'name', 'a-b', '0', '12', 'constructor', '__proto__', 'toString', '', 'with space', 'ünï', '$dollar', '_under', 'class', 'length', 'q"uote', 'line\nbreak', 'x'.repeat(90)];
const TEXTS = [
  'Plain description.',
  'Closes */ a comment',
  'Ends with *',
  '/* opens one',
  'Multi\nline\n\nwith blank',
  'Unicode ✓ — ünïcödé 𝒳',
  'Quotes "double" and \'single\' and `back`',
  '@deprecated looks like a tag',
  'an email@example.com inside',
  'Long '.repeat(60),
  '',
  '  leading and trailing  ',
  'Trailing newline\n',
  'Carriage\r\nreturn',
  'Back\\slash',
];

function randomText(random: Random): string {
  return pick(random, TEXTS);
}

function randomEnumValue(random: Random): unknown {
  return pick(random, ['a', 'B c', '', '"q"', 'ü', 0, 1, -2.5, 1e21, true, false, null, 'constructor', { k: 'v', n: [1, { type: 'object' }] }, ['x', 2], {}]);
}

function randomSchema(random: Random, depth: number, names: string[]): unknown {
  const r = random();
  const leaf = depth >= 3;
  let s: Record<string, unknown>;
  if (r < 0.03) return random() < 0.5;
  if (r < 0.08) s = { $ref: `#/$defs/${pick(random, names)}` };
  else if (r < 0.2) s = { type: pick(random, ['string', 'number', 'integer', 'boolean', 'null']) };
  else if (r < 0.27) s = { type: pick(random, [['string', 'null'], ['integer', 'string'], ['object', 'null'], ['array', 'null'], ['string', 'number', 'boolean']]) };
  else if (r < 0.34) s = { enum: Array.from({ length: 1 + Math.floor(random() * 4) }, () => randomEnumValue(random)), ...(random() < 0.5 ? { type: 'string' } : {}) };
  else if (r < 0.38) s = { const: randomEnumValue(random) };
  else if (r < 0.62 && !leaf) s = randomObject(random, depth, names);
  else if (r < 0.75 && !leaf) s = { type: 'array', items: randomSchema(random, depth + 1, names) };
  else if (r < 0.82 && !leaf) s = { [pick(random, ['anyOf', 'oneOf'])]: Array.from({ length: 1 + Math.floor(random() * 3) }, () => (random() < 0.08 ? true : randomSchema(random, depth + 1, names))) };
  else if (r < 0.86 && !leaf) s = { allOf: [randomObject(random, depth, names), random() < 0.1 ? true : random() < 0.5 ? { $ref: `#/$defs/${pick(random, names)}` } : randomObject(random, depth, names)] };
  else if (r < 0.9) s = { type: pick(random, ['object', 'array']) };
  else s = { type: 'string' };
  // Annotations and keywords the compiler ignores (or must make the printer unsure).
  if (random() < 0.45) s.description = randomText(random);
  if (random() < 0.1) s.deprecated = random() < 0.7;
  if (random() < 0.1) s.default = randomEnumValue(random);
  if (random() < 0.08) s.examples = random() < 0.5 ? ['x', 1] : [{ id: 'e1', nested: { type: 'object' } }];
  if (random() < 0.06) s.format = 'date-time';
  if (s.type === 'array' && random() < 0.3) Object.assign(s, random() < 0.5 ? { minItems: Math.floor(random() * 3) } : { maxItems: 1 + Math.floor(random() * 3) });
  if (random() < 0.02) s.title = 'Titled';
  if (random() < 0.02) s.patternProperties = { '^x': { type: 'string' } };
  if (random() < 0.02) s.prefixItems = [{ type: 'string' }];
  if (random() < 0.02) s.nullable = true;
  if (random() < 0.02) s.not = { type: 'string' };
  if (random() < 0.01) s.$id = 'https://example.com/x';
  if (random() < 0.01) s['x-vendor'] = { nested: { description: 'vendor */ data' } };
  return s;
}

function randomObject(random: Random, depth: number, names: string[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const count = Math.floor(random() * 5);
  for (let i = 0; i < count; i++) properties[pick(random, KEYS)] = randomSchema(random, depth + 1, names);
  const s: Record<string, unknown> = random() < 0.9 ? { type: 'object' } : {};
  if (count > 0 || random() < 0.5) s.properties = properties;
  const keys = Object.keys(properties);
  if (keys.length && random() < 0.7) s.required = keys.filter(() => random() < 0.5);
  const extra = random();
  if (extra < 0.15) s.additionalProperties = false;
  else if (extra < 0.25) s.additionalProperties = true;
  else if (extra < 0.4) s.additionalProperties = randomSchema(random, depth + 1, names);
  return s;
}
