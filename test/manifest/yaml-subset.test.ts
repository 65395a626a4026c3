/**
 * The subset reader (generator/manifest/yaml-subset.ts) is a shortcut to yaml's value, never
 * another answer: for every text it either declines (undefined) or returns a value equal to
 * `parseDocument(text, { uniqueKeys: true }).toJS()` — key order, -0, number vs string included —
 * and it declines whenever yaml reports an error or a warning. Checked on texts nobody here wrote
 * by hand: the examples, the invalid fixtures and the bench's synthetic manifests (whole and cut
 * into the loader's pieces), the JSON Schema Test Suite's schemas and data dumped by yaml in
 * many styles, random JSON values dumped with random options, and random mutations of all of
 * those. It must also decide (not decline) every real manifest, or it is no shortcut.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument, stringify, type ToStringOptions } from 'yaml';
import { seededRandom, type Random } from '../../generator/fixtures/prng.ts';
import { parseManifest } from '../../generator/manifest/load-manifest.ts';
import { splitManifest } from '../../generator/manifest/yaml-chunks.ts';
import { parseYamlSubset } from '../../generator/manifest/yaml-subset.ts';
import { syntheticManifest } from '../../bench/lib/synthetic-manifest.ts';
import { REPO_ROOT } from '../helpers/env.ts';

/** Equal as yaml's value must be: same types, Object.is for scalars (-0, NaN), same keys in the same order, plain prototypes. */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Reflect.ownKeys(a);
  const kb = Reflect.ownKeys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => k === 'length' || sameValue((a as Record<PropertyKey, unknown>)[k], (b as Record<PropertyKey, unknown>)[k]));
}

interface Tally {
  inputs: number;
  decided: number;
  /** Inputs yaml reads without error or warning (only these can be decided). */
  clean: number;
}
const tally = (): Tally => ({ inputs: 0, decided: 0, clean: 0 });
const share = (t: Tally) => `${t.decided}/${t.inputs} decided (${t.clean} clean for yaml, ${((100 * t.decided) / Math.max(1, t.clean)).toFixed(1)} % of those)`;

/** The property on one text; returns whether the subset decided it. */
function check(text: string, label: string, t: Tally): boolean {
  t.inputs++;
  let got: unknown;
  expect(() => (got = parseYamlSubset(text)), `${label}: throws`).not.toThrow();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  let clean = doc.errors.length === 0 && doc.warnings.length === 0;
  let want: unknown;
  if (clean) {
    try {
      want = doc.toJS({ maxAliasCount: 1000 });
    } catch {
      clean = false;
    }
  }
  if (clean) t.clean++;
  if (got === undefined) {
    // SHOW_DECLINED=file collects the texts yaml reads cleanly but the subset declined (to widen the subset by hand).
    if (clean && process.env.SHOW_DECLINED) appendFileSync(process.env.SHOW_DECLINED, `${JSON.stringify(text)}\n`);
    return false;
  }
  const show = JSON.stringify(text.length > 600 ? `${text.slice(0, 600)}…` : text);
  if (!clean) expect.fail(`${label}: yaml reports a problem (${[...doc.errors, ...doc.warnings].map((e) => e.code).join(', ') || 'toJS throws'}) but the subset decided, on ${show}`);
  if (!sameValue(got, want)) expect.fail(`${label}: subset ${JSON.stringify(got)} ≠ yaml ${JSON.stringify(want)} on ${show}`);
  t.decided++;
  return true;
}

const examples = readdirSync(join(REPO_ROOT, 'examples'))
  .map((e) => join(REPO_ROOT, 'examples', e, 'mcp-gen.yaml'))
  .filter((f) => existsSync(f));
const invalidDir = join(REPO_ROOT, 'test', 'manifest', 'invalid');
const invalid = readdirSync(invalidDir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => join(invalidDir, f));
const initTemplate = join(REPO_ROOT, 'templates', 'init', 'minimal', 'mcp-gen.yaml');

const SUITE = join(REPO_ROOT, '..', 'shared', 'json-schema-test-suite', 'draft2020-12');

/** Dump styles a person or a tool might write (yaml's own stringifier with its options). */
const STYLES: ToStringOptions[] = [
  {},
  { indent: 4, indentSeq: false },
  { lineWidth: 20, minContentWidth: 0 },
  { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' },
  { defaultStringType: 'QUOTE_SINGLE' },
  { collectionStyle: 'flow' },
  { collectionStyle: 'flow', flowCollectionPadding: false, lineWidth: 30 },
  { defaultStringType: 'BLOCK_LITERAL', defaultKeyType: 'PLAIN', lineWidth: 30 },
  { defaultStringType: 'BLOCK_FOLDED', defaultKeyType: 'PLAIN', lineWidth: 30 },
  { nullStr: '~', trueStr: 'True', falseStr: 'FALSE', indent: 1 },
];

const pick = <T,>(random: Random, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

/** Strings yaml must quote, fold or resolve with care. */
const WORDS = ['a', 'name', 'x y', 'yes', 'no', 'on', 'null', 'Null', 'NULL', '~', '', 'true', 'False', 'TRUE', '0', '-0', '+1', '012', '0o17', '0o8', '0x1F', '0xg', '1e3', '-1.5E-2', '.5', '5.', '.inf', '-.Inf', '.nan', '1_000', '2026-07-28', '1:30', 'a: b', 'a #b', 'a#b', '#x', '- x', '-x', '? x', ':x', '[x]', '{x}', 'x, y', '&a', '*a', '!!str', '|', '>', "it's", 'say "hi"', '%YAML', '@x', '`x`', 'back\\slash', 'tab\there', 'line\nbreak', 'trail ', ' lead', 'é', '日本', '😀', '\u0085', '\u00a0', '\u2028', '\ufeff', 'http://x.y/z?a=1#f', '---', '...', '<<', '__proto__', 'toString', 'constructor'];

function randomString(random: Random): string {
  const parts = 1 + Math.floor(random() * 4);
  let s = '';
  for (let i = 0; i < parts; i++) s += (i > 0 ? pick(random, [' ', '', '\n', '  ', '-', ':']) : '') + pick(random, WORDS);
  return random() < 0.1 ? s.repeat(1 + Math.floor(random() * 8)) : s;
}

function randomNumber(random: Random): number {
  return pick(random, [0, -0, 1, -1, 7, 1e21, 123456789012345680000, 0.1, -2.5, 1.5e-7, 2 ** 53 + 2, Math.floor(random() * 1e6), random() * 100 - 50]);
}

function randomValue(random: Random, depth: number): unknown {
  const r = random();
  if (depth <= 0 || r < 0.35) {
    const s = random();
    if (s < 0.1) return null;
    if (s < 0.2) return random() < 0.5;
    if (s < 0.4) return randomNumber(random);
    return randomString(random);
  }
  const n = Math.floor(random() * 5);
  if (r < 0.65) return Array.from({ length: n }, () => randomValue(random, depth - 1));
  const o: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) Object.defineProperty(o, randomString(random), { value: randomValue(random, depth - 1), enumerable: true, writable: true, configurable: true });
  return o;
}

function randomOptions(random: Random): ToStringOptions {
  const o: ToStringOptions = {};
  if (random() < 0.4) o.indent = 1 + Math.floor(random() * 4);
  if (random() < 0.3) o.indentSeq = false;
  if (random() < 0.5) o.lineWidth = pick(random, [0, 10, 15, 20, 40, 80]);
  if (random() < 0.3) o.minContentWidth = pick(random, [0, 5, 20]);
  if (random() < 0.4) o.defaultStringType = pick(random, ['PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'] as const);
  if (random() < 0.3) o.defaultKeyType = pick(random, [null, 'PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'] as const);
  if (random() < 0.3) o.collectionStyle = pick(random, ['any', 'block', 'flow'] as const);
  if (random() < 0.2) o.flowCollectionPadding = false;
  if (random() < 0.2) o.singleQuote = pick(random, [true, false, null]);
  if (random() < 0.2) o.doubleQuotedAsJSON = true;
  if (random() < 0.2) o.doubleQuotedMinMultiLineLength = pick(random, [0, 10, 40]);
  if (random() < 0.2) o.blockQuote = pick(random, [true, false, 'folded', 'literal'] as const);
  if (random() < 0.2) o.nullStr = pick(random, ['null', '~', '', 'Null']);
  if (random() < 0.1) o.trueStr = 'True';
  if (random() < 0.1) o.falseStr = 'FALSE';
  return o;
}

const SNIPPETS = [' ', '  ', '\n', '\n\n', '\t', ': ', ':', ' #', '#', '"', "'", '&a ', '*a', '!!str ', '!x ', '? ', '---\n', '...\n', '- ', '-', '\\', '\\u00e9', '\\x41', '\\U0001F600', '\\q', '[', ']', '{', '}', ', ', ',', '|', '|-', '>+', '|2', '\r\n', '\r', '\ufeff', 'yes', '0x10', '0o7', '-0', '.inf', 'null', '~', '%YAML 1.2\n', 'x: y\n', '  x: y\n', '- z\n', '<<: ', '\u0000', '\u0085', '😀'];

/** One to three random edits of `text`: inserted snippets, deleted ranges, duplicated, dropped or re-indented lines. */
function mutate(random: Random, text: string): string {
  let s = text;
  for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
    const at = Math.floor(random() * (s.length + 1));
    switch (Math.floor(random() * 6)) {
      case 0:
      case 1:
        s = s.slice(0, at) + pick(random, SNIPPETS) + s.slice(at);
        break;
      case 2:
        s = s.slice(0, at) + s.slice(at + 1 + Math.floor(random() * 3));
        break;
      default: {
        const lines = s.split('\n');
        const i = Math.floor(random() * lines.length);
        const line = lines[i]!;
        const op = Math.floor(random() * 3);
        if (op === 0) lines.splice(Math.floor(random() * lines.length), 0, line); // a duplicate key, often
        else if (op === 1) lines.splice(i, 1);
        else lines[i] = line.replace(/^ */, ' '.repeat(Math.floor(random() * 6)));
        s = lines.join('\n');
      }
    }
  }
  return s;
}

/**
 * Random block YAML written line by line (not by yaml's stringifier): nested mappings and
 * sequences with compact items, keys in three styles, plain scalars over lines, quoted scalars
 * with escapes, flow collections over lines with comments, literal and folded block scalars with
 * every chomping, blank and comment lines anywhere — and now and then an indentation off by one.
 */
function randomBlockYaml(random: Random): string {
  const out: string[] = [];
  const sp = (n: number) => ' '.repeat(Math.max(0, n));
  const off = () => (random() < 0.06 ? pick(random, [-1, 1, 2, -2]) : 0);
  const noise = (indent: number) => {
    if (random() < 0.12) out.push(pick(random, ['', sp(Math.floor(random() * 8)), `${sp(indent + off())}# c`, '#', `${sp(indent + 3)}# deeper`, `${sp(indent)}#`]));
  };
  const word = () => pick(random, ['a', 'x y', 'name', 'Lisbon.', 'e.g. this', 'a:b', 'http://h/p?q#f', 'a#b', '-1', '0x1F', '0o7', '1e3', '.5', 'null', '~', 'True', 'yes', '2026-07-28', 'é 😀', '[x]', 'a, b', 'a}', 'd\u00a0', '-x', '--', '0.0', '-0', '+12', '1_0']);
  const key = () => {
    const r = random();
    if (r < 0.7) return pick(random, ['a', 'b', 'name', 'type', 'x y', '$ref', 'a.b', 'k-1', 'ünï', '__proto__', 'toString', 'on', 'a:b', '1', 'null', 'true', '-k', 'a b ']);
    if (r < 0.85) return JSON.stringify(pick(random, ['a', 'q k', '', 'é', '1', 'a: b', '#', "it's"]));
    return `'${pick(random, ['a', "it''s", '', 'a: b', '1'])}'`;
  };
  const quotedScalar = () =>
    random() < 0.5
      ? `"${pick(random, ['', 'a b', '\\n', '\\t', '\\"', '\\\\', '\\/', '\\u00e9', '\\x41', '\\U0001F600', '\\0', '\\e', '\\N', '\\_', '\\ ', 'a\\', '\\q', '\\uD83D', "'", '#', ': '])}${pick(random, ['', 'z', ' ', '\\"'])}"`
      : `'${pick(random, ['', 'a', "it''s", '"', '\\n', ' a ', "'"])}'`;
  const flowItem = (depth: number): string => {
    const r = random();
    if (depth > 0 && r < 0.2) return `[${Array.from({ length: Math.floor(random() * 3) }, () => flowItem(depth - 1)).join(pick(random, [', ', ',', ' , ']))}]`;
    if (depth > 0 && r < 0.4) return `{ ${Array.from({ length: Math.floor(random() * 3) }, () => (random() < 0.8 ? `${key()}: ${flowItem(depth - 1)}` : key())).join(', ')} }`;
    if (r < 0.55) return quotedScalar();
    return word();
  };
  const inline = () => {
    const r = random();
    const comment = random() < 0.15 ? pick(random, [' # c', '  #c', '#c']) : '';
    if (r < 0.55) return word() + comment;
    if (r < 0.75) return quotedScalar() + comment;
    return flowItem(2) + comment;
  };
  /** A value after `head` (a key with its colon, or a dash) at `indent` (the collection's). */
  const value = (head: string, indent: number, depth: number, inSeq: boolean) => {
    const r = random();
    if (depth <= 0 || r < 0.4) return void out.push(`${head} ${inline()}`);
    if (r < 0.46) {
      // quoted scalar over lines: escapes, escaped line breaks, spaces around breaks, empty lines
      const dq = random() < 0.6;
      const bit = () => (dq ? pick(random, ['x', 'a b', ' ', '  ', '\\n', '\\', '\\ ', '\\"', '\\u00e9', '#', "'", '- y', 'k: v', '\\q']) : pick(random, ['x', 'a b', ' ', "''", '"', '#', '- y', 'k: v', '\\']));
      const q = dq ? '"' : "'";
      out.push(`${head} ${q}${bit()}${bit()}`);
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
        if (random() < 0.3) out.push(sp(Math.floor(random() * 4)));
        out.push(`${sp(indent + pick(random, [1, 2, 3, 0, 5]))}${bit()}${bit()}${k === 1 ? q + (random() < 0.2 ? pick(random, [' # c', 'x', ' x']) : '') : ''}`);
      }
      return;
    }
    if (r < 0.5) {
      // plain scalar over lines
      out.push(`${head} ${word()}`);
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
        if (random() < 0.3) out.push(sp(Math.floor(random() * 4)));
        out.push(`${sp(indent + pick(random, [1, 2, 3, 0, 5]))}${word()}`);
      }
      return;
    }
    if (r < 0.62) {
      // block scalar
      out.push(`${head} ${pick(random, ['|', '>', '|-', '>-', '|+', '>+', '|2', '>1-', '| # c'])}`);
      const at = indent + pick(random, [1, 2, 2, 4, 0]);
      if (random() < 0.2) out.push(sp(Math.floor(random() * (at + 2))));
      for (let k = 1 + Math.floor(random() * 4); k > 0; k--) {
        const more = random() < 0.15 ? sp(1 + Math.floor(random() * 2)) : '';
        out.push(random() < 0.2 ? sp(Math.floor(random() * (at + 2))) : `${sp(at)}${more}${pick(random, ['text', 'a b ', '# not a comment', '- x', 'k: v', '"q"'])}`);
      }
      for (let k = Math.floor(random() * 3); k > 0; k--) out.push(sp(Math.floor(random() * (at + 1))));
      return;
    }
    if (r < 0.7) {
      // flow collection over lines
      const open = random() < 0.5;
      out.push(`${head} ${open ? '[' : '{'}`);
      for (let k = Math.floor(random() * 4); k > 0; k--) {
        out.push(`${sp(indent + pick(random, [1, 2, 4, 0]))}${open ? flowItem(1) : `${key()}: ${flowItem(1)}`}${k > 1 || random() < 0.1 ? ',' : ''}${random() < 0.15 ? ' # c' : ''}`);
        noise(indent + 2);
      }
      out.push(`${sp(indent + pick(random, [0, 1, 2]))}${open ? ']' : '}'}`);
      return;
    }
    out.push(head + (random() < 0.1 ? ' # c' : ''));
    noise(indent);
    const child = random() < 0.5 ? 'map' : 'seq';
    const same = child === 'seq' && !inSeq && random() < 0.3;
    collection(child, same ? indent : indent + pick(random, [1, 2, 2, 3, 4]) + off(), depth - 1);
  };
  const collection = (kind: 'map' | 'seq', indent: number, depth: number, firstPrefix?: string) => {
    const n = 1 + Math.floor(random() * 4);
    for (let e = 0; e < n; e++) {
      const lead = e === 0 && firstPrefix !== undefined ? firstPrefix : sp(indent + (e === 0 ? 0 : off()));
      if (kind === 'map') value(`${lead}${key()}${pick(random, [':', ':', ' :'])}`, indent, depth, false);
      else {
        const r = random();
        if (depth > 0 && r < 0.3) {
          const prefix = `${lead}-${sp(1 + Math.floor(random() * 2))}`;
          collection(random() < 0.75 ? 'map' : 'seq', prefix.length, depth - 1, prefix); // a compact item
        } else value(`${lead}-`, indent, depth, true);
      }
      noise(indent);
    }
  };
  if (random() < 0.2) out.push('# leading comment');
  collection(random() < 0.7 ? 'map' : 'seq', random() < 0.9 ? 0 : 1, 4);
  return out.join('\n') + pick(random, ['\n', '\n', '', '\n\n']);
}

describe('yaml subset reader (yaml-subset.ts)', () => {
  it('decides every real manifest, whole and in the loader’s pieces, exactly as yaml reads it', { timeout: 120_000 }, () => {
    const whole = tally();
    const pieces = tally();
    const texts: [string, string][] = [...examples, initTemplate].map((f) => [f, readFileSync(f, 'utf8')]);
    for (const n of [10, 100, 1000]) texts.push([`synthetic ${n}`, syntheticManifest(n)]);
    for (const [label, text] of texts) {
      expect(check(text, label, whole), `${label}: declined`).toBe(true);
      expect(check(text.replace(/\n/g, '\r\n'), `${label} (CRLF)`, whole), `${label} (CRLF): declined`).toBe(true);
      for (const [i, piece] of (splitManifest(text) ?? []).entries()) expect(check(piece.text, `${label} piece ${i}`, pieces), `${label} piece ${i}: declined`).toBe(true);
    }
    // The invalid fixtures are valid YAML (their problems are the manifest's): decided too.
    for (const f of invalid) {
      const text = readFileSync(f, 'utf8');
      check(text, f, whole);
      for (const [i, piece] of (splitManifest(text) ?? []).entries()) check(piece.text, `${f} piece ${i}`, pieces);
    }
    console.log(`real manifests: whole ${share(whole)}; pieces ${share(pieces)}`);
    expect(whole.decided).toBe(whole.clean);
    expect(pieces.decided).toBe(pieces.clean);
  });

  it('agrees with yaml on the JSON Schema Test Suite (draft 2020-12) schemas and data, dumped in many styles', { timeout: 300_000 }, () => {
    if (!existsSync(SUITE)) return;
    const t = tally();
    const files = readdirSync(SUITE).filter((f) => f.endsWith('.json'));
    for (const file of files) {
      const groups = JSON.parse(readFileSync(join(SUITE, file), 'utf8')) as { description: string; schema: unknown; tests: { description: string; data: unknown }[] }[];
      for (const [g, group] of groups.entries()) {
        const values: [string, unknown][] = [[`${file} #${g} schema`, group.schema], ...group.tests.map((test, i): [string, unknown] => [`${file} #${g} data ${i}`, test.data])];
        // Scalars and empty collections as the value of a key, so each dump is a mapping.
        values.push([`${file} #${g} group`, group]);
        for (const [label, value] of values) {
          const root = typeof value === 'object' && value !== null ? value : { value };
          for (const [s, style] of STYLES.entries()) check(stringify(root, style), `${label} style ${s}`, t);
        }
      }
    }
    console.log(`JSON Schema Test Suite dumps: ${share(t)}`);
    expect(t.inputs).toBeGreaterThan(10_000);
    // Most dumps are block YAML of the kind the subset reads.
    expect(t.decided / t.clean).toBeGreaterThan(0.85);
  });

  it('agrees with yaml on random values dumped with random options, and on random mutations of them', { timeout: 300_000 }, () => {
    // YAML_SUBSET_SEED runs another stream (to search further by hand; the default is fixed).
    const random = seededRandom(Number(process.env.YAML_SUBSET_SEED ?? 20261207));
    const dumps = tally();
    const mutated = tally();
    for (let i = 0; i < 4000; i++) {
      const value = random() < 0.5 ? { [pick(random, ['tools', 'a', 'x y'])]: randomValue(random, 5) } : randomValue(random, 5);
      let text: string;
      try {
        text = stringify(value, randomOptions(random));
      } catch {
        continue; // an option set yaml refuses
      }
      check(text, `dump ${i}`, dumps);
      for (let m = 0; m < 2; m++) check(mutate(random, text), `mutation ${i}.${m}`, mutated);
    }
    console.log(`random dumps: ${share(dumps)}; mutations: ${share(mutated)}`);
    expect(dumps.decided).toBeGreaterThan(1000);
    expect(mutated.decided).toBeGreaterThan(1000);
    expect(mutated.inputs - mutated.clean).toBeGreaterThan(1000); // many mutations are broken YAML, and all of those were declined
  });

  it('agrees with yaml on random mutations of real manifests', { timeout: 300_000 }, () => {
    const random = seededRandom(Number(process.env.YAML_SUBSET_SEED ?? 7));
    const bases = [...examples, initTemplate, ...invalid].map((f) => readFileSync(f, 'utf8'));
    bases.push(syntheticManifest(3));
    const t = tally();
    for (let i = 0; i < 4000; i++) check(mutate(random, pick(random, bases)), `manifest mutation ${i}`, t);
    console.log(`manifest mutations: ${share(t)}`);
    expect(t.decided).toBeGreaterThan(1000);
  });

  it('agrees with yaml on random block YAML written line by line', { timeout: 300_000 }, () => {
    const random = seededRandom(Number(process.env.YAML_SUBSET_SEED ?? 99));
    const t = tally();
    for (let i = 0; i < 6000; i++) {
      const text = randomBlockYaml(random);
      check(i % 3 === 0 ? text.replace(/\n/g, '\r\n') : text, `block yaml ${i}`, t);
    }
    console.log(`random block YAML: ${share(t)}`);
    expect(t.decided).toBeGreaterThan(1000);
    expect(t.inputs - t.clean).toBeGreaterThan(500); // broken texts were among them, and all declined
  });

  it('reads a `$ref`ed YAML schema file through it too: same value, yaml when unsure, positions inside the file from yaml', () => {
    const manifest = (file: string) => `spec: 2026-07-28\nserver:\n  name: s\n  version: "1.0.0"\ntools:\n  - name: t\n    description: T.\n    input:\n      $ref: ./${file}\n`;
    const files: Record<string, string> = {
      'plain.yaml': 'type: object\nproperties:\n  q: { type: string, maxLength: 0x10 }\nrequired: [q]\n',
      'anchored.yaml': 'type: object\nproperties:\n  q: &s { type: string, maxLength: 16 }\n  r: *s\n',
      'broken.yaml': 'type: object\nproperties: [\n',
      'badtype.yaml': 'type: object\nproperties:\n  q: { type: strin }\n',
    };
    const read = (path: string) => files[path.replace(/^.*\//, '')];
    const load = (file: string) => parseManifest(manifest(file), 'mcp-gen.yaml', read);
    expect(parseYamlSubset(files['plain.yaml']!)).toBeDefined();
    expect(parseYamlSubset(files['anchored.yaml']!)).toBeUndefined();
    expect(load('plain.yaml').manifest?.tools[0]?.input).toEqual({ type: 'object', properties: { q: { type: 'string', maxLength: 16 } }, required: ['q'] });
    const q = { type: 'string', maxLength: 16 };
    expect(load('anchored.yaml').manifest?.tools[0]?.input).toEqual({ type: 'object', properties: { q, r: q } });
    expect(load('broken.yaml').diagnostics.map((d) => [d.code, /is not valid YAML/.test(d.message)])).toContainEqual(['MG4002', true]);
    const bad = load('badtype.yaml').diagnostics.find((d) => d.code === 'MG4001');
    expect(bad?.at).toEqual({ file: 'badtype.yaml', line: 3, column: 14, length: 5 });
  });

  it('reads what it promises, and declines what it is not sure of', () => {
    const t = tally();
    const decided: Record<string, unknown> = {
      'a: yes\nb: 0x10\nc: 0o17\nd: -0\ne: 1e3\nf: .5\ng: ~\nh: TRUE\ni: 2026-07-28\n': { a: 'yes', b: 16, c: 15, d: -0, e: 1000, f: 0.5, g: null, h: true, i: '2026-07-28' },
      'k:\n- a\n- b: 1\n  c: [x, "y", \'z\']\n-\n  - 1\n': { k: ['a', { b: 1, c: ['x', 'y', 'z'] }, [1]] },
      'd: |\n  one\n   two\n\n\ne: >-\n  folded\n  text\n\n  para\nf: |+\n  kept\n\n': { d: 'one\n two\n', e: 'folded text\npara', f: 'kept\n\n' },
      'p: a plain\n  scalar\n\n  on lines # and a comment\nq: { a, b: 1, c: [] }\n': { p: 'a plain scalar\non lines', q: { a: null, b: 1, c: [] } },
      '"q k": "\\u00e9\\t\\"\\x41\\\\"\n\'s\': \'it\'\'s\'\n__proto__: 1\n': JSON.parse('{"q k":"é\\t\\"A\\\\","s":"it\'s","__proto__":1}'),
      'q: "over\n  two  \n\n  lines \\\n  joined"\nr: \'it\'\'s\n  folded\'\n': { q: 'over two\nlines joined', r: "it's folded" },
    };
    for (const [text, want] of Object.entries(decided)) {
      expect(check(text, text, t), JSON.stringify(text)).toBe(true);
      expect(sameValue(parseYamlSubset(text), want), JSON.stringify(text)).toBe(true);
    }
    const declined = ['a: .inf\n', 'a: &x 1\nb: *x\n', 'a: !!str 1\n', '? a\n: b\n', 'a: 1\na: 2\n', 'a:\n\tb: 1\n', 'a: 1\rb: 2\r\n', '\ufeffa: 1\n', '--- \na: 1\n', 'a: "x\ny"\n', '1: a\n', 'null: a\n', 'a: |2\n   x\n', 'a: [x, ]\n', 'just a scalar\n', '', '<<: {a: 1}\n', '-\n  k: {\n    a: 1\n#\n    }\n'];
    for (const text of declined) {
      check(text, text, t);
      expect(parseYamlSubset(text), JSON.stringify(text)).toBeUndefined();
    }
  });
});
