/**
 * The data-literal fast path of the format layer (generator/format/ts-literal-layout.ts) must give
 * prettier's own output byte for byte: random literals of every shape near the 100-column edge
 * (keys that need quotes, strings with both quote kinds and escapes, long strings under short and
 * long keys, arrays that just fit), inside files like the ones mcp-gen emits. Each case also
 * checks that the fast path was taken often enough for the comparison to mean something.
 */
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../generator/fixtures/prng.ts';
import { PRETTIER_CONFIG } from '../../generator/format/format.ts';
import { formatWithLiteralSlots, layoutTsObjectLiteral, layoutTsValue } from '../../generator/format/ts-literal-layout.ts';

const viaPrettier = (text: string) => prettier.format(text, { ...PRETTIER_CONFIG, parser: 'babel-ts' });

function randomString(random: () => number): string {
  const alphabet = ['a', 'b', 'Z', ' ', '-', "'", '"', '\\', '\n', '/', '`', '$', '{', 'é', '✓', '\u2028', '0'];
  let s = '';
  const n = Math.floor(random() * random() * (random() < 0.2 ? 120 : 40));
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(random() * (random() < 0.85 ? 7 : alphabet.length))];
  return s;
}

function randomKey(random: () => number, i: number): string {
  const r = random();
  if (r < 0.55) return `${['k', 'type', 'name', 'description', 'inputSchema', 'x', '$ref', '_meta', 'uri'][Math.floor(random() * 9)]}${i}${'q'.repeat(Math.floor(random() * random() * 30))}`;
  if (r < 0.65) return ['default', 'class', 'new', 'enum', 'const', 'if', 'null', 'true'][Math.floor(random() * 8)]!;
  if (r < 0.75) return `${i}`; // numeric: JSON.parse reorders these, the fast path must notice
  if (r < 0.95) return randomString(random) || `k-${i}`;
  return `ké${i}`;
}

function randomValue(random: () => number, depth: number): unknown {
  const r = random();
  if (depth > 4 || r < 0.4) {
    const k = random();
    if (k < 0.5) return randomString(random);
    if (k < 0.75) return [0, 1, -3, 2.5, 1e21, 5e-7, 123456789, -0.25][Math.floor(random() * 8)];
    if (k < 0.9) return random() < 0.5;
    return null;
  }
  if (r < 0.65) return Array.from({ length: Math.floor(random() * random() * 12) }, () => randomValue(random, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = 0; i < Math.floor(random() * 6); i++) o[randomKey(random, i)] = randomValue(random, depth + 1);
  return o;
}

/** A file shaped like a tool contract: code around two top-level data literals. */
function fileAround(name: string, a: unknown, b: unknown): string {
  return [
    "import { z } from 'zod';",
    `/** What tools/list serves for ${JSON.stringify(name)}. */`,
    `export const ${name}Definition = ${JSON.stringify(a, null, 2)} as const;`,
    `export const ${name}Schema = z.object({ id: z.string(), count: z.number().int().min(0).optional() });`,
    '',
    '',
    `export const ${name}Mock = ${JSON.stringify(b, null, 2)};`,
    `export function use${name}() { return { ...${name}Definition, mock: ${name}Mock }; }`,
    '',
  ].join('\n');
}

async function expectSameAsPrettier(text: string): Promise<boolean> {
  let slotted = false;
  const ours = await formatWithLiteralSlots(text, async (t) => {
    if (t !== text) slotted = true;
    return viaPrettier(t);
  });
  expect(ours, text).toBe(await viaPrettier(text));
  return slotted;
}

describe('formatWithLiteralSlots', () => {
  it('equals prettier on 600 files of random literals whenever it lays them out (and does for most)', async () => {
    const random = seededRandom(7_28);
    let laidOut = 0;
    for (let i = 0; i < 600; i++) {
      const object = () => {
        const o: Record<string, unknown> = {};
        for (let k = 0; k < 1 + Math.floor(random() * 6); k++) o[randomKey(random, k)] = randomValue(random, 1);
        return o;
      };
      if (await expectSameAsPrettier(fileAround(`tool${'X'.repeat(Math.floor(random() * 40))}${i}`, object(), object()))) laidOut++;
    }
    expect(laidOut).toBeGreaterThan(180);
  });

  it('edges: strings and arrays at and past 100 columns under short and long keys, quotes, bare and quoted keys', async () => {
    const values: Record<string, unknown>[] = [];
    for (let n = 85; n <= 104; n++) {
      values.push({ description: 'd'.repeat(n - 17) }, { name: 'n'.repeat(n - 10) }, { abcd: 'a'.repeat(n - 10) }, { abcde: 'a'.repeat(n - 11) });
      values.push({ required: ['r'.repeat(n - 17)] }, { nested: { enum: ['a'.repeat(n - 30), 'b'.repeat(10)] } }, { deep: { deeper: { s: "it's".repeat(n / 4) } } });
      values.push({ 'needs-quotes': 'q'.repeat(n - 20) }, { flags: [true, false, null, 'x'.repeat(n - 40)] });
    }
    values.push({ q: `it's "quoted"` }, { q: `it's` }, { q: `"double"` }, { q: `both ' and '' and "` }, { q: 'back\\slash \\" and \n' });
    values.push({ 'it\'s': 1, 'say "hi"': 2, 'a b': 3, $ref: 4, _x: 5, default: 6, new: 7 }, { a: [[1, 2], [3, 4]], b: [{}, []], c: [{ x: 1 }], d: [[1], [2]] });
    values.push({ nums: Array.from({ length: 40 }, (_, i) => i) }, { exp: 1e21 }, { uni: 'é'.repeat(120) }, { ké: 1 }, { __proto__: null, x: 1 });
    let laidOut = 0;
    for (const v of values) if (await expectSameAsPrettier(fileAround('edge', v, { x: 1 }))) laidOut++;
    expect(laidOut).toBeGreaterThan(values.length * 0.8);
  });

  it('leaves alone what it is not certain about: no layout for exponents, filled number arrays, non-ASCII keys', () => {
    expect(layoutTsObjectLiteral({ exp: 1e21 })).toBeUndefined();
    expect(layoutTsObjectLiteral({ nums: Array.from({ length: 40 }, (_, i) => i) })).toBeUndefined();
    expect(layoutTsObjectLiteral({ ké: 1 })).toBeUndefined();
    // A `__proto__` key printed bare would set the literal's prototype (the mock server's data for a tool of that name).
    const proto = JSON.parse('{"tools":{"__proto__":{"text":"x"}},"a":1}');
    expect(layoutTsObjectLiteral(proto)).toBeUndefined();
    expect(layoutTsValue(proto, 2, 10)).toBeUndefined();
    expect(layoutTsObjectLiteral({ k: 'é' })).toBe("{\n  k: 'é',\n}"); // width irrelevant here: no fit decision
  });

  it('falls back to prettier alone when a literal is spelled otherwise than JSON.stringify(v, null, 2)', async () => {
    const texts = [
      'export const a = {\n  "b": 1, "c": 2\n};\n',
      'export const a = {\n  ["__proto__"]: 1\n};\n',
      'export const a = {\n  "2": 1,\n  "1": 2\n};\n',
      `export const ${'x'.repeat(70)} = {\n  "b": 1\n} as const;\n`,
      'export const a = {\n  "b": 1\n};\nconst __mcpgenLiteral0__ = 1;\n',
    ];
    for (const text of texts) await expectSameAsPrettier(text);
  });
});
