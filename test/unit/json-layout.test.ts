/**
 * layoutJsonLikePrettier must equal prettier (parser json, the project's config) byte for byte
 * whenever it answers: random values of every shape near the 100-column edge, and real files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../generator/fixtures/prng.ts';
import { PRETTIER_CONFIG } from '../../generator/format/format.ts';
import { manifestJsonSchema } from '../../generator/manifest/validate-manifest.ts';
import { layoutJsonElementLikePrettier, layoutJsonLikePrettier } from '../../generator/format/json-layout.ts';
import { laidOutCases, laidOutToolsFile } from '../../generator/fixtures/laid-out-tools-file.ts';
import type { FixtureCase, FixtureFile } from '../../generator/fixtures/fixture-types.ts';
import { REPO_ROOT } from '../helpers/env.ts';

const viaPrettier = (text: string) => prettier.format(text, { ...PRETTIER_CONFIG, parser: 'json' });

function randomValue(random: () => number, depth: number): unknown {
  const r = random();
  const str = () => {
    const alphabet = ['a', 'b', 'Z', ' ', '"', '\\', '\n', '/', '-', 'é', '✓', '\u2028', '0'];
    let s = '';
    const n = Math.floor(random() * random() * 60);
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(random() * (random() < 0.9 ? 5 : alphabet.length))];
    return s;
  };
  if (depth > 4 || r < 0.35) {
    const k = random();
    if (k < 0.4) return str();
    if (k < 0.7) return [0, 1, -3, 2.5, 1e21, 5e-7, 123456789, Number.MAX_SAFE_INTEGER][Math.floor(random() * 8)];
    if (k < 0.85) return random() < 0.5;
    return null;
  }
  if (r < 0.65) return Array.from({ length: Math.floor(random() * random() * 12) }, () => randomValue(random, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = 0; i < Math.floor(random() * 6); i++) o[random() < 0.1 ? `k${i}é` : `key${i}${'x'.repeat(Math.floor(random() * 30))}`] = randomValue(random, depth + 1);
  return o;
}

describe('layoutJsonLikePrettier', () => {
  it('equals prettier on 1 500 random documents whenever it answers (and answers most)', async () => {
    const random = seededRandom(2026);
    let answered = 0;
    for (let i = 0; i < 1500; i++) {
      const text = JSON.stringify(randomValue(random, 0), null, 2);
      const ours = layoutJsonLikePrettier(text, 100);
      if (ours === undefined) continue;
      answered++;
      expect(ours, text).toBe(await viaPrettier(text));
    }
    expect(answered).toBeGreaterThan(600);
  });

  it('edges: arrays exactly at and past 100 columns, arrays of arrays, empty containers', async () => {
    const cases: unknown[] = [];
    for (let n = 80; n <= 100; n++) cases.push({ key: ['a'.repeat(n - 14)] }, { key: ['a'.repeat(n - 14)], next: 1 }, [['x'.repeat(n - 10), 'y']]);
    cases.push([[1, 2], [3, 4]], [[1], [2]], [[1, 2], 3], [{}, {}], [{ a: 1 }, { b: 2, c: 3 }], { a: [], b: {}, c: [[]] }, [], {}, 'top', 12, null);
    cases.push(Array.from({ length: 40 }, (_, i) => i)); // a number array that does not fit: prettier fills, we decline
    for (const value of cases) {
      const text = JSON.stringify(value, null, 2);
      const ours = layoutJsonLikePrettier(text, 100);
      if (ours !== undefined) expect(ours, text).toBe(await viaPrettier(text));
    }
    expect(layoutJsonLikePrettier(JSON.stringify(Array.from({ length: 40 }, (_, i) => i), null, 2), 100)).toBeUndefined();
  });

  it('declines text that is not JSON.stringify(value, null, 2) output, and other widths', () => {
    expect(layoutJsonLikePrettier('{"a":1}', 100)).toBeUndefined();
    expect(layoutJsonLikePrettier('{\n  "a": 1,\n}', 100)).toBeUndefined();
    expect(layoutJsonLikePrettier('{\n  "a": 1\n}', 80)).toBeUndefined();
    expect(layoutJsonLikePrettier('{\n  "a": 1\n}', 100)).toBe('{\n  "a": 1\n}\n');
    // Not the stringify layout: indentation, spacing, commas, number spellings prettier rewrites.
    for (const text of ['{\n   "a": 1\n}', '{\n  "a":1\n}', '{\n  "a": 1 \n}', '{\n  "a": 1\n  "b": 2\n}', '[\n  1,\n  2,\n]', '[\n  1.50\n]', '[\n  1e5\n]', '[\n  -0\n]', '[\n  01\n]', '{\n  "a": [\n  1\n  ]\n}', '{\n  "a": 1\n} ', '{\n  "a": 1\n}\n', '[\n]', '{\n  "a": tru\n}']) {
      expect(layoutJsonLikePrettier(text, 100), text).toBeUndefined();
    }
  });

  it('non-ASCII text: printed as written where no width decides, declined where one does', async () => {
    const answered = [
      { 'é': 1, description: 'Trusted servers (https://…), ✓ 漢字 wide', nested: { k: 'ü'.repeat(120) } },
      { list: [{ a: '…' }], 'ключ': 'значение', arr: ['plain', 'ascii'] },
    ];
    for (const value of answered) {
      const text = JSON.stringify(value, null, 2);
      const ours = layoutJsonLikePrettier(text, 100);
      expect(ours, text).toBeDefined();
      expect(ours, text).toBe(await viaPrettier(text));
    }
    // Whether these arrays go on one line depends on display width: prettier's call.
    for (const value of [{ a: ['漢字'.repeat(20)] }, { 'ключ': ['x'] }, ['…']]) {
      expect(layoutJsonLikePrettier(JSON.stringify(value, null, 2), 100), JSON.stringify(value)).toBeUndefined();
    }
  });

  it('the manifest schema (.mcp-gen/manifest.schema.json) is laid out without prettier, as prettier would', async () => {
    const text = JSON.stringify(manifestJsonSchema(), null, 2);
    const ours = layoutJsonLikePrettier(text, 100);
    expect(ours).toBeDefined();
    expect(ours).toBe(await viaPrettier(text));
  });

  it('valid JSON escapes that JSON.stringify would not write are printed as written, as prettier does', async () => {
    for (const text of ['{\n  "a\\u0041": "\\/x\\u0041",\n  "b": [\n    "\\u00e9",\n    "\\/"\n  ]\n}']) {
      const ours = layoutJsonLikePrettier(text, 100);
      expect(ours, text).toBeDefined();
      expect(ours, text).toBe(await viaPrettier(text));
    }
  });

  it('equals prettier on the repository\'s conformance fixtures and goldens', async () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (e.name.endsWith('.json') || e.name.endsWith('.json.snap')) files.push(join(dir, e.name));
      }
    };
    walk(join(REPO_ROOT, 'test', 'project', 'golden'));
    let checked = 0;
    for (const file of files) {
      const formatted = readFileSync(file, 'utf8');
      let value: unknown;
      try {
        value = JSON.parse(formatted);
      } catch {
        continue;
      }
      const text = JSON.stringify(value, null, 2);
      const ours = layoutJsonLikePrettier(text, 100);
      if (ours === undefined) continue;
      checked++;
      expect(ours, file).toBe(await viaPrettier(text));
    }
    expect(checked).toBeGreaterThan(3);
  });

  describe('a file joined from elements laid out one at a time (fixtures/laid-out-tools-file.ts)', () => {
    /** A non-empty object: the shape of a fixture case, with random content. */
    const randomCase = (random: () => number): Record<string, unknown> => {
      const v = randomValue(random, 1);
      // Near the 100-column edge at the case's indentation: `      "edge": ["…"],` is 86 to 103 columns.
      const edge = random() < 0.3 ? { edge: ['a'.repeat(72 + Math.floor(random() * 18))] } : {};
      return { id: `case-${Math.floor(random() * 1000)}`, ...edge, ...(typeof v === 'object' && v !== null && !Array.isArray(v) ? v : { value: v }) };
    };
    const randomFile = (random: () => number) => {
      const groups = Array.from({ length: Math.floor(random() * 5) }, () => Array.from({ length: Math.floor(random() * 4) }, () => randomCase(random)));
      const own = Array.from({ length: Math.floor(random() * 2) }, () => randomCase(random));
      const file = { kind: 'tools', wire: random() < 0.5 ? 'stateless' : 'session', seed: Math.floor(random() * 1e8), cases: own } as unknown as FixtureFile;
      const whole = JSON.stringify({ ...file, cases: [...groups.flat(), ...own] }, null, 2);
      return { groups, file, whole };
    };
    const joined = (groups: Record<string, unknown>[][], file: FixtureFile) => laidOutToolsFile(file, groups.map((g) => laidOutCases(g as unknown as FixtureCase[])));

    it('equals the whole-file layout on 1 500 random files, and declines exactly when it does', () => {
      const random = seededRandom(1807);
      let answered = 0;
      for (let i = 0; i < 1500; i++) {
        const { groups, file, whole } = randomFile(random);
        const ours = joined(groups, file);
        expect(ours, whole).toBe(layoutJsonLikePrettier(whole, 100));
        if (ours !== undefined) answered++;
      }
      expect(answered).toBeGreaterThan(500);
    });

    it('equals prettier on random files whenever it answers', async () => {
      const random = seededRandom(77);
      let answered = 0;
      for (let i = 0; i < 150; i++) {
        const { groups, file, whole } = randomFile(random);
        const ours = joined(groups, file);
        if (ours === undefined) continue;
        answered++;
        expect(ours, whole).toBe(await viaPrettier(whole));
      }
      expect(answered).toBeGreaterThan(50);
    });

    it('an element at the 100-column edge is laid out for its own indentation', async () => {
      for (let n = 70; n <= 100; n++) {
        const element = { key: ['a'.repeat(n - 14)], n };
        const whole = JSON.stringify({ kind: 'tools', cases: [element, element] }, null, 2);
        const ours = `{\n  "kind": "tools",\n  "cases": [\n${[element, element].map((e) => layoutJsonElementLikePrettier(JSON.stringify(e, null, 2), 4, false)).join(',\n')}\n  ]\n}\n`;
        expect(ours, String(n)).toBe(await viaPrettier(whole));
      }
      // Only non-empty objects: a scalar or array element might let the array around it go on one line.
      for (const element of [1, 'x', [1, 2], {}]) expect(layoutJsonElementLikePrettier(JSON.stringify(element, null, 2), 4, false)).toBeUndefined();
    });
  });
});
