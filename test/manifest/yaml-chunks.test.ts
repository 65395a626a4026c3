/**
 * The piece-by-piece manifest read (generator/manifest/yaml-chunks.ts) is a shortcut to the value
 * the whole-file parse gives, never another answer: for every text, either it declines (the loader
 * parses the whole file) or its value is deep-equal to the whole parse's, and it always declines
 * when the whole parse has an error or a warning (so those are reported, with positions). Checked
 * on the examples and the invalid-manifest fixtures, the bench's synthetic manifests, hand-made
 * texts aimed at the cut lines, and seeded random line mutations of real manifests; then through
 * the loader: a manifest loaded with remembered pieces has the same result and diagnostics.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { seededRandom } from '../../generator/fixtures/prng.ts';
import { parseManifest } from '../../generator/manifest/load-manifest.ts';
import { splitManifest, valueByPieces, type YamlPieceMemo } from '../../generator/manifest/yaml-chunks.ts';
import { syntheticManifest } from '../../bench/lib/synthetic-manifest.ts';
import { REPO_ROOT } from '../helpers/env.ts';

/** A memo as the render cache backs it: values go through JSON. */
function jsonMemo(): YamlPieceMemo & { hits: number } {
  const m = new Map<string, string>();
  return {
    hits: 0,
    get(text, fits) {
      const v = m.get(text);
      if (v === undefined || !fits(JSON.parse(v))) return undefined;
      this.hits++;
      return { value: JSON.parse(v) };
    },
    set: (text, value) => void m.set(text, JSON.stringify(value)),
  };
}

function whole(text: string): { ok: boolean; value?: unknown } {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0 || doc.warnings.length > 0) return { ok: false };
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: 1000 }) };
  } catch {
    return { ok: false };
  }
}

/** The property, with a fresh memo and again with every piece remembered. Returns whether the pieces were used. */
function check(text: string, label: string): boolean {
  const expected = whole(text);
  const memo = jsonMemo();
  let used = false;
  for (const round of ['fresh', 'remembered']) {
    const got = valueByPieces(text, memo);
    if (!expected.ok) expect(got, `${label} (${round}): the whole parse reports a problem, the pieces must decline`).toBeUndefined();
    else if (got) {
      expect(isDeepStrictEqual(got.value, expected.value), `${label} (${round}): value differs from the whole parse`).toBe(true);
      used = true;
    }
  }
  return used;
}

const examples = ['weather', 'kitchen-sink', 'apps'].map((e) => join(REPO_ROOT, 'examples', e, 'mcp-gen.yaml'));
const invalidDir = join(REPO_ROOT, 'test', 'manifest', 'invalid');
const invalid = readdirSync(invalidDir).filter((f) => f.endsWith('.yaml')).map((f) => join(invalidDir, f));

/** Texts aimed at the cut lines: each either declines or agrees (and must decline when invalid). */
const ADVERSARIAL: Record<string, string> = {
  'quoted scalar continuing at an item line': 'spec: 2026-07-28\ntools:\n  - name: a\n    description: "x\n  - y"\n  - name: b\n',
  'single-quoted scalar continuing at column 0': "server:\n  name: 'x\nspec: y'\n",
  'flow sequence over lines': 'tools: [\n{ name: a },\n{ name: b }\n]\nspec: 2026-07-28\n',
  'flow mapping over item lines': 'tools:\n  - { name: a,\n  - b: 1 }\n',
  'alias to an anchor in another piece': 'schemas:\n  A: &a { type: string }\ntools:\n  - name: a\n    input: *a\n',
  'anchor and alias in one item': 'tools:\n  - name: a\n    input: &i { type: object }\n    output: *i\n',
  'anchor redefined in a later piece': 'x: &a 1\ny: &a 2\nz: *a\n',
  'duplicate top-level key': 'spec: 2026-07-28\ntools: []\nspec: 2025-11-25\n',
  'duplicate key inside an item': 'tools:\n  - name: a\n    name: b\n',
  directive: '%YAML 1.1\n---\nspec: 2026-07-28\n',
  'document marker': 'spec: 2026-07-28\n---\ntools: []\n',
  'document end marker': 'spec: 2026-07-28\n...\n',
  'keep-chomped block scalar at a piece end': 'tools:\n  - name: a\n    description: |+\n      line\n\n  - name: b\n    description: >-\n      folded\n      text\n',
  'clip-chomped block scalar at the file end, no newline': 'tools:\n  - name: a\n    description: |\n      last',
  'tools at column 0': 'tools:\n- name: a\n- name: b\n  description: x\nspec: 2026-07-28\n',
  'comments between items and before the first': 'tools: # the tools\n  # first\n  - name: a\n# between\n  - name: b\n\n\n  - name: c\n',
  'tools header with no items': 'tools:\nspec: 2026-07-28\n',
  'empty tools sequence in flow': 'tools: []\nspec: x\n',
  CRLF: 'spec: 2026-07-28\r\ntools:\r\n  - name: a\r\n    description: x\r\n  - name: b\r\n',
  'infinity and NaN': 'tools:\n  - name: a\n    x: .inf\n    y: .nan\n',
  '__proto__ key': 'tools:\n  - name: a\n    __proto__: { polluted: true }\n',
  'complex key at column 0': '? [a, b]\n: value\nspec: x\n',
  'root is a sequence': '- a\n- b\n',
  'scalar root': 'just text\n',
  'empty file': '',
  'comments only': '# nothing\n',
  'tab after a dash': 'tools:\n  -\tname: a\n',
  'dash without a space (a plain scalar)': 'tools:\n  -name: a\n',
  'bare dash item': 'tools:\n  -\n    name: a\n  - name: b\n',
  'item lines less indented than the first item': 'tools:\n    - name: a\n  - name: b\n',
  'a top-level key named like a tools item': 'tools:\n  - name: a\nname: b\n',
  'tags on values': 'tools:\n  - name: !!str 123\n    n: !!int "7"\n',
  'a second tools key': 'tools:\n  - name: a\ntools:\n  - name: b\n',
  'BOM': '\ufeffspec: 2026-07-28\ntools:\n  - name: a\n',
};

describe('manifest pieces (yaml-chunks.ts)', () => {
  it('agrees with the whole parse on the examples, the invalid fixtures and the synthetic manifests, and is used there', () => {
    for (const file of [...examples, ...invalid]) {
      const text = readFileSync(file, 'utf8');
      expect(check(text, file), `${file}: pieces not used`).toBe(whole(text).ok);
    }
    for (const n of [1, 10, 100]) {
      const text = syntheticManifest(n);
      expect(check(text, `synthetic ${n}`)).toBe(true);
      expect(splitManifest(text)!.length).toBeGreaterThan(n); // one piece per tool at least
    }
  });

  it('declines or agrees on texts aimed at the cut lines, and declines on every invalid one', () => {
    let used = 0;
    for (const [label, text] of Object.entries(ADVERSARIAL)) if (check(text, label)) used++;
    // Not all decline: the shortcut still serves the valid ones it can.
    expect(used).toBeGreaterThan(10);
    // These must decline (a piece alone cannot show their meaning or their problem).
    for (const label of ['quoted scalar continuing at an item line', 'flow sequence over lines', 'alias to an anchor in another piece', 'duplicate top-level key', 'directive', 'document marker'])
      expect(valueByPieces(ADVERSARIAL[label]!, jsonMemo()), label).toBeUndefined();
  });

  it('keeps the property under 3 000 seeded random line mutations of real manifests', { timeout: 300_000 }, () => {
    const random = seededRandom(20261207);
    const bases = [...examples.map((f) => readFileSync(f, 'utf8')), syntheticManifest(5)];
    const snippets = ['  - ', '- ', '"', "'", '&a ', '*a', '[', ']', '{', '}', '|', '|+', '>-', '#', '? ', ': ', '---', '%TAG', '\t', 'tools:', '  ', 'spec: x'];
    const pick = <T,>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
    let used = 0;
    let declined = 0;
    for (let i = 0; i < 3000; i++) {
      const lines = pick(bases).split('\n');
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
        const at = Math.floor(random() * lines.length);
        const line = lines[at]!;
        switch (Math.floor(random() * 5)) {
          case 0: // re-indent
            lines[at] = line.replace(/^ */, ' '.repeat(Math.floor(random() * 7)));
            break;
          case 1: // insert a snippet
            {
              const col = Math.floor(random() * (line.length + 1));
              lines[at] = line.slice(0, col) + pick(snippets) + line.slice(col);
            }
            break;
          case 2: // duplicate a line elsewhere
            lines.splice(Math.floor(random() * lines.length), 0, line);
            break;
          case 3: // drop a line
            lines.splice(at, 1);
            break;
          default: // a snippet as its own line
            lines.splice(at, 0, pick(snippets) + pick(['', 'x', 'name: y', '- z']));
        }
      }
      const text = lines.join('\n');
      if (process.env.SHOW_MUTATION === String(i)) console.log(JSON.stringify(text));
      if (check(text, `mutation ${i}`)) used++;
      else declined++;
    }
    expect(used).toBeGreaterThan(300); // the property was exercised on values, not only on declines
    expect(declined).toBeGreaterThan(300);
  });

  it('the loader gives the same manifest and diagnostics (positions included) with remembered pieces', () => {
    for (const file of [...examples, ...invalid]) {
      const text = readFileSync(file, 'utf8');
      const plain = parseManifest(text, file);
      const memo = jsonMemo();
      const first = parseManifest(text, file, undefined, { yamlPieces: memo });
      const second = parseManifest(text, file, undefined, { yamlPieces: memo });
      if (whole(text).ok) expect(memo.hits, file).toBeGreaterThan(0);
      for (const r of [first, second]) {
        expect(r.diagnostics, file).toEqual(plain.diagnostics);
        expect(JSON.stringify(r.manifest), file).toBe(JSON.stringify(plain.manifest));
      }
    }
  });
});
