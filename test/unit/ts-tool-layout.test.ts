/**
 * The tool contract fast path (generator/format/ts-tool-layout.ts) must give prettier's own output
 * byte for byte, on whole tool files: random input/output schemas (nested objects, arrays, enums,
 * $refs, string limits that make refinements, long descriptions, names long enough to push lines
 * across the 100-column edge, non-ASCII text) rendered by the real type emitter and zod printer into
 * the real tool template shape. For every file the fast path claims, `layout === prettier(input)` and
 * prettier leaves the layout unchanged; the fraction claimed must stay high enough to mean something.
 */
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../generator/fixtures/prng.ts';
import { PRETTIER_CONFIG } from '../../generator/format/format.ts';
import { layout, layoutToolFile, stableHelperSources } from '../../generator/format/ts-tool-layout.ts';
import { formatWithLiteralSlots } from '../../generator/format/ts-literal-layout.ts';
import { partsToPrint, renderSchemaModule } from '../../generator/emit/schema-module.ts';
import { combinedTypeNames } from '../../generator/emit/schema-bundle.ts';
import { renderTemplate } from '../../generator/emit/templates.ts';
import { tsLiteral } from '../../generator/emit/artifacts/project/literals.ts';
import { HARD_CASES, suiteObjectSchemas } from '../project/compile-corpus.ts';

const viaPrettier = (text: string) => prettier.format(text, { ...PRETTIER_CONFIG, parser: 'babel-ts' });

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function propertyName(random: Random, i: number): string {
  const r = random();
  if (r < 0.6) return `${pick(random, ['id', 'name', 'status', 'items', 'since', 'totalAmountInMinorUnits', 'x'])}${i}`;
  if (r < 0.75) return `${'veryLongPropertyName'.repeat(1 + Math.floor(random() * 4))}${i}`;
  if (r < 0.85) return `kebab-case-${i}`;
  if (r < 0.92) return `prix-${i}-€`;
  return pick(random, ['default', 'class', 'new']);
}

function description(random: Random): string | undefined {
  const r = random();
  if (r < 0.6) return undefined;
  if (r < 0.8) return 'Short description.';
  if (r < 0.9) return `A long description that goes on ${'and on '.repeat(Math.floor(random() * 20))}until it ends.`;
  return 'Température en °C — “quoted” and \'single\'';
}

let withRefs = true;

function schema(random: Random, depth: number): Record<string, unknown> {
  const r = random();
  const described = (s: Record<string, unknown>) => {
    const d = description(random);
    // A long string under a key of 4-6 characters: prettier keeps it beside a short key, else breaks after the colon.
    const titled = random() < 0.2 ? { ...s, [pick(random, ['title', 'const', 'format'])]: `The ${'long '.repeat(12 + Math.floor(random() * 6))}title` } : s;
    return d ? { ...titled, description: d } : titled;
  };
  if (depth > 3 || r < 0.45) {
    const k = random();
    if (k < 0.3) return described({ type: 'string', ...(random() < 0.3 ? { maxLength: 200 } : {}), ...(random() < 0.2 ? { pattern: pick(random, ['^[A-Z]{2}$', '^[a-z0-9-]+$', '^.*$']) } : {}) });
    if (k < 0.45) return described({ type: 'integer', ...(random() < 0.5 ? { minimum: 0 } : {}), ...(random() < 0.5 ? { maximum: 10000 } : {}) });
    if (k < 0.55) return { type: 'number' };
    if (k < 0.65) return { type: 'boolean' };
    if (k < 0.8) return { type: 'string', enum: Array.from({ length: 1 + Math.floor(random() * 8) }, (_, i) => `${pick(random, ['draft', 'open', 'a-rather-long-enum-member-name', 'é'])}${i}`) };
    if (k < 0.85) return withRefs ? { $ref: '#/$defs/Shared' } : { type: 'null' };
    if (k < 0.9) return { type: ['string', 'null'] };
    if (k < 0.95) return { const: pick(random, ['fixed', 42, true]) };
    return { type: 'string', format: 'date-time' };
  }
  if (r < 0.52) return { [pick(random, ['anyOf', 'oneOf', 'allOf'])]: [schema(random, depth + 1), schema(random, depth + 1)] };
  if (r < 0.56) return { type: 'object', additionalProperties: random() < 0.5 ? { type: 'string' } : true };
  if (r < 0.65) return described({ type: 'array', items: schema(random, depth + 1), ...(random() < 0.3 ? { maxItems: 5 } : {}) });
  const properties: Record<string, unknown> = {};
  const n = Math.floor(random() * 7);
  for (let i = 0; i < n; i++) properties[propertyName(random, i)] = schema(random, depth + 1);
  const names = Object.keys(properties);
  return described({ type: 'object', properties, required: names.filter(() => random() < 0.5), ...(random() < 0.15 ? { additionalProperties: false } : {}) });
}

const SHARED = { type: 'object', properties: { code: { type: 'string' }, label: { type: 'string' } }, required: ['code'] };

/** A tool file shaped by the real template, from the real type emitter and zod printer. */
async function toolFile(random: Random, seed: number, given?: Record<string, unknown>): Promise<string> {
  const base = pick(random, ['Ping', 'SearchOrders', 'ArchiveTheCustomerAccountAndEveryRelatedRecord', 'ReconcileQuarterlyLedgerEntriesAcrossSubsidiaries']);
  const pascal = `${base}${seed}`;
  const camel = pascal[0]!.toLowerCase() + pascal.slice(1);
  const properties: Record<string, unknown> = { id: { type: 'string' } };
  for (let i = 0; i < Math.floor(random() * 6); i++) properties[propertyName(random, i)] = schema(random, 1);
  const input = given ?? ({ type: 'object', properties, required: ['id'], $defs: { Shared: SHARED } } as Record<string, unknown>);
  const hasOutput = given !== undefined || random() < 0.7;
  const output = given ?? (hasOutput ? ({ type: 'object', properties: { items: { type: 'array', items: schema(random, 1) } }, $defs: { Shared: SHARED } } as Record<string, unknown>) : undefined);
  const parts: Record<string, Record<string, unknown>> = { [`${pascal}Input`]: input };
  const validatorNames: Record<string, string> = { [`${pascal}Input`]: `${camel}InputSchema` };
  if (output) {
    parts[`${pascal}Output`] = output;
    validatorNames[`${pascal}Output`] = `${camel}OutputSchema`;
  }
  const mod = await renderSchemaModule(parts, { validatorNames, typeNames: combinedTypeNames(partsToPrint(parts) as never) });
  const name = pascal.replace(/[A-Z]/g, (c, i: number) => (i ? '_' : '') + c.toLowerCase());
  const symbols = {
    definition: `${camel}Definition`,
    headerParams: `${camel}HeaderParams`,
    asks: `${camel}Asks`,
    result: `${pascal}Result`,
    output: `${pascal}Output`,
    input: `${pascal}Input`,
    handler: `${pascal}Handler`,
    binder: `${camel}Tool`,
    inputSchema: `${camel}InputSchema`,
    outputSchema: `${camel}OutputSchema`,
  };
  const definition = { name, description: description(random) ?? 'A tool.', inputSchema: input, ...(output ? { outputSchema: output } : {}) };
  return renderTemplate('project/src/generated/tools/tool.ts.hbs', {
    imports: random() < 0.5 ? "import { type Shared, zodShared } from '../schemas.ts';" : '',
    withServer: true,
    symbols,
    nameLiteral: JSON.stringify(name),
    types: mod.types,
    validators: mod.validators,
    hasOutput,
    definition: tsLiteral(definition),
    headerParams: tsLiteral(random() < 0.3 ? [{ header: 'Tenant', path: ['tenant'] }] : []),
    hasAsks: random() < 0.2,
    asks: [{ key: JSON.stringify('confirm'), message: JSON.stringify('Really?'), hasSchema: false, schemaConst: '', requestedSchema: tsLiteral({ type: 'object', properties: {} }) }],
    timeoutMs: random() < 0.2 ? '30000' : undefined,
    task: random() < 0.2 ? tsLiteral({ mode: 'optional' }) : undefined,
    hasRequires: false,
    requires: '{}',
  });
}

function reasonUnsure(text: string): string {
  try {
    layout(text);
    return 'none';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('tool contract layout without prettier', () => {
  it('random tool files: every file it lays out is byte-identical to prettier, and most are laid out', async () => {
    let claimed = 0;
    const reasons: Record<string, number> = {};
    const cases = 120;
    for (let seed = 1; seed <= cases; seed++) {
      withRefs = true;
      // Some deep `$ref` layouts make the type emitter throw "unresolved $ref" (noted in the report, not
      // this module's concern): such a seed is drawn again without refs.
      const text = await toolFile(seededRandom(seed), seed).catch(() => ((withRefs = false), toolFile(seededRandom(seed), seed)));
      const laidOut = layoutToolFile(text);
      if (laidOut === undefined) {
        const reason = reasonUnsure(text);
        reasons[reason] = (reasons[reason] ?? 0) + 1;
        continue;
      }
      claimed++;
      expect(laidOut, `seed ${seed}`).toBe(await viaPrettier(text));
      expect(await viaPrettier(laidOut), `seed ${seed} (stable)`).toBe(laidOut);
    }
    // The fast path must actually be exercised for the comparison to mean something.
    expect(claimed, JSON.stringify(reasons)).toBeGreaterThan(cases * 0.85);
  }, 120_000);

  it('JSON Schema Test Suite object schemas (the compile corpus) as input and output: claimed files are prettier\'s', async () => {
    const corpus = [...suiteObjectSchemas().entries, ...HARD_CASES];
    let claimed = 0;
    let rendered = 0;
    for (const [i, entry] of corpus.entries()) {
      // Shared-schema refs of the corpus need the project's plan: those entries are the project test's.
      const text = await toolFile(seededRandom(i + 1), i, entry.schema as Record<string, unknown>).catch(() => undefined);
      if (text === undefined) continue;
      rendered++;
      const laidOut = layoutToolFile(text);
      if (laidOut === undefined) continue;
      claimed++;
      expect(laidOut, entry.label).toBe(await viaPrettier(text));
    }
    expect(rendered).toBeGreaterThan(corpus.length * 0.8);
    expect(claimed).toBeGreaterThan(rendered * 0.4);
  }, 120_000);

  it('an array prettier always breaks keeps an arrow function out of the fast path', async () => {
    const text = 'export const a = z.looseObject({}).refine((o) => __propertyRest(o, [], [[/f.*/u, true], [/b.*/u, false]], true));\n';
    expect(layoutToolFile(text)).toBeUndefined();
    const fits = 'export const a = z.looseObject({}).refine((o) => __propertyRest(o, [], [/f.*/u, true], true));\n';
    expect(layoutToolFile(fits)).toBe(await viaPrettier(fits));
  });

  it('a key so long that the value\'s opening passes column 100 (prettier moves the value under it)', async () => {
    const key = `k${'x'.repeat(94)}`;
    for (const value of [{ type: 'string' }, [], {}, null, ['a', 'b']]) {
      const text = `export const def = ${JSON.stringify({ inputSchema: { properties: { [key]: value } } }, null, 2)} as const;\n`;
      const laidOut = layoutToolFile(text);
      if (laidOut !== undefined) expect(laidOut, JSON.stringify(value)).toBe(await viaPrettier(text));
      expect(await formatWithLiteralSlots(text, viaPrettier), JSON.stringify(value)).toBe(await viaPrettier(text));
    }
  });

  it('parentheses json-schema-to-typescript writes around array element types: dropped or kept as prettier does', async () => {
    const long = 'z'.repeat(90);
    const text = `export interface A {\nb?: ("x")[][]\nc?: (string | null)[]\nd?: (Foo | null)[]\ne: (("a" | "b"))\nf?: {\nx: string } | ("a" | "b")\ng: "x" | ("y" | "${long}" | "w")\nh?: ("x") | string\n}\n`;
    const laidOut = layoutToolFile(text);
    expect(laidOut).toBeDefined();
    expect(laidOut).toBe(await viaPrettier(text));
    // An alias of a parenthesized union (anyOf in $defs): prettier drops the parentheses and breaks after `=`.
    for (const alias of ['export type A = ({\nx: string\n} | {\ny: number\n})\n', 'export type A = ("a" | "b")\n', 'export type A = (string)\n']) {
      expect(layoutToolFile(alias), alias).toBe(await viaPrettier(alias));
    }
  });

  it('intersections (allOf) as prettier prints them: objects side by side, others broken after `&`, parentheses inside unions', async () => {
    const long = 'B'.repeat(100);
    const text = `export type A = ({\nx: string\n} & {\ny: number\n})\nexport type C = (Foo & Bar & {\ny: number\n} & Baz)\nexport interface D {\na?: ({\nx: string\n} & Foo)\nb: Foo & ${long}\nc: (Foo & Bar) | null\nd: ((Foo & Bar) | "x")\n}\n`;
    const laidOut = layoutToolFile(text);
    expect(laidOut).toBeDefined();
    expect(laidOut).toBe(await viaPrettier(text));
  });

  it('runtime helpers it copies verbatim are already in prettier layout', async () => {
    for (const source of stableHelperSources()) expect(await viaPrettier(source)).toBe(`${source}\n`);
  });

  it('refuses what it does not model rather than guessing', () => {
    // A comment inside an expression, a line comment, an intersection type, a block-bodied arrow.
    expect(layoutToolFile("export const a = z.object({\n  // note\n  b: z.string(),\n});\n")).toBeUndefined();
    expect(layoutToolFile('export type A = (B | C) & D;\n')).toBeUndefined();
    expect(layoutToolFile('export const a = z.unknown().refine((v) => {\n  return true;\n});\n')).toBeUndefined();
  });
});
