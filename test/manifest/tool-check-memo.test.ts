/**
 * Remembered tool-schema checks (generator/manifest/rules/tool-schemas.ts RememberedToolChecks,
 * through the render memo: incremental/memo-steps.ts memoizedToolChecks) only save work. A load with
 * a memo primed by clean manifests gives the diagnostics (codes, messages, positions, help) and the
 * manifest a load without it gives — after an edit that breaks one tool, a shared schema or a file
 * a tool reaches, on every example and invalid fixture, and with planted entries of the wrong shape.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { memoizedToolChecks } from '../../generator/incremental/memo-steps.ts';
import { RenderMemo } from '../../generator/incremental/render-memo.ts';
import { parseManifest, type ManifestLoadOptions } from '../../generator/manifest/load-manifest.ts';
import type { RememberedToolChecks } from '../../generator/manifest/rules/tool-schemas.ts';
import type { ReadLocalFile } from '../../generator/manifest/schema/schema-resources.ts';
import { syntheticManifest } from '../../bench/lib/synthetic-manifest.ts';
import { REPO_ROOT } from '../helpers/env.ts';
import { readerFor } from './load-for-test.ts';

const STEP = 'tool-schemas-clean';
const FILE = 'mcp-gen.yaml';

/** The loader's answer as the CLI sees it: diagnostics and the manifest, as JSON. */
function load(text: string, read?: ReadLocalFile, options?: ManifestLoadOptions, file = FILE) {
  const r = parseManifest(text, file, read, options);
  return { diagnostics: r.diagnostics, manifest: JSON.stringify(r.manifest) ?? null };
}

const withMemo = (memo: RenderMemo): ManifestLoadOptions => ({ toolChecks: memoizedToolChecks(memo) });

type Doc = Record<string, any>;

/** Edits of one tool (or of what it reaches), each one a problem some check reports. */
const BREAKS: Record<string, (m: Doc) => void> = {
  'misspelled type in a property (MG4001)': (m) => void (m.tools[3].input.properties.id.type = 'strin'),
  'bad keyword value (MG4001)': (m) => void (m.tools[3].input.properties.id.maxLength = -1),
  '$ref to no shared schema (MG4002)': (m) => void (m.tools[3].input.properties.id = { $ref: '#/schemas/Nope' }),
  '$ref pointing nowhere inside the tool (MG4002)': (m) => void (m.tools[3].output.properties.gone = { $ref: '#/$defs/Missing' }),
  '$ref to a network schema (MG4002)': (m) => void (m.tools[3].input.properties.id = { $ref: 'https://example.com/s.json' }),
  '$ref to a missing file (MG4002)': (m) => void (m.tools[3].input.properties.id = { $ref: './missing.json' }),
  '$ref cycle (MG4002)': (m) => {
    m.tools[3].input.$defs = { A: { $ref: '#/$defs/B' }, B: { anyOf: [{ $ref: '#/$defs/A' }] } };
    m.tools[3].input.properties.loop = { $ref: '#/$defs/A' };
  },
  'input root not an object (MG3010)': (m) => void (m.tools[3].input.type = 'array'),
  'root anyOf (MG4003 warning)': (m) => void (m.tools[3].input.anyOf = [{ required: ['id'] }]),
  'positional tuple (MG4005 warning)': (m) => void (m.tools[3].input.properties.pair = { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }] }),
  'output not an object (MG4003 warning)': (m) => void (m.tools[3].output = { type: 'string' }),
  'output not an object under 2025-11-25 (MG3010)': (m) => {
    m.spec = '2025-11-25';
    m.tools[3].output = { type: 'array', items: { type: 'string' } };
  },
  'x-mcp-header on a non-scalar (MG3007)': (m) => void (m.tools[3].input.properties.filter['x-mcp-header'] = 'Filter'),
  'bad pattern (MG4001)': (m) => void (m.tools[3].input.properties.id.pattern = '(unclosed'),
  'unknown keyword (warning)': (m) => void (m.tools[3].input.properties.id.maxLenght = 3),
  'a shared schema used by every tool breaks (MG4001)': (m) => void (m.schemas.Status.type = 'strng'),
  'a shared schema gains a $ref to nothing (MG4002)': (m) => void (m.schemas.Money.properties.amount = { $ref: '#/schemas/Amount' }),
  'a shared schema removed (MG4002 where tools use it)': (m) => void delete m.schemas.Page,
  'lines inserted above, then a tool breaks (positions move)': (m) => {
    m.tools[0].description = 'Moved\nover\nseveral\nlines.';
    m.tools[5].input.properties.id.type = 'strin';
  },
  'a tool gains an elicitation ask whose schema is not flat (MG3011)': (m) =>
    void (m.tools[3].asks = [{ id: 'confirm', kind: 'elicitation', message: 'Sure?', schema: { type: 'object', properties: { deep: { type: 'object', properties: { x: { type: 'string' } } } } } }]),
};

describe('remembered tool-schema checks', () => {
  it('a clean load is remembered, and a second load uses it with the same result', () => {
    const text = syntheticManifest(12, 7);
    const memo = RenderMemo.inMemory();
    const plain = load(text);
    expect(plain.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(load(text, undefined, withMemo(memo))).toEqual(plain);
    expect(memo.stats[STEP]).toEqual({ hits: 0, misses: 12 });
    expect(load(text, undefined, withMemo(memo))).toEqual(plain);
    expect(memo.stats[STEP]).toEqual({ hits: 12, misses: 12 });
  });

  it('an edit that breaks one tool or what it reaches is reported exactly as without the memo', () => {
    const base = parse(syntheticManifest(8, 3)) as Doc;
    const clean = stringify(base);
    for (const [label, breakIt] of Object.entries(BREAKS)) {
      const memo = RenderMemo.inMemory();
      load(clean, undefined, withMemo(memo)); // every tool remembered clean
      const broken = structuredClone(base);
      breakIt(broken);
      const text = stringify(broken);
      const expected = load(text);
      expect(expected.diagnostics.length, `${label}: the edit must be reported at all`).toBeGreaterThan(0);
      expect(load(text, undefined, withMemo(memo)), label).toEqual(expected);
      // The untouched tools did come from the memo (the property was exercised), unless the shared schemas changed.
      if (!label.startsWith('a shared') && !label.includes('2025-11-25')) expect(memo.stats[STEP]!.hits, label).toBeGreaterThan(0);
    }
  });

  it('a tool that reaches a local file is never remembered: an edit of the file alone is reported', () => {
    const files = new Map([['shape.json', JSON.stringify({ type: 'object', properties: { x: { type: 'string' } } })]]);
    const read: ReadLocalFile = (path) => files.get(path);
    const doc = parse(syntheticManifest(3, 5)) as Doc;
    doc.tools[1].input.properties.shape = { $ref: './shape.json' };
    doc.schemas.Viaf = { $ref: './shape.json' }; // through a shared schema too
    doc.tools[2].output.properties.viaf = { $ref: '#/schemas/Viaf' };
    const text = stringify(doc);
    const memo = RenderMemo.inMemory();
    expect(load(text, read, withMemo(memo))).toEqual(load(text, read));
    expect(load(text, read, withMemo(memo))).toEqual(load(text, read));
    expect(memo.stats[STEP]).toEqual({ hits: 1, misses: 5 }); // only tool 0 was remembered
    files.set('shape.json', JSON.stringify({ type: 'object', properties: { x: { type: 'strin' } } }));
    const expected = load(text, read);
    expect(expected.diagnostics.map((d) => d.code)).toContain('MG4001');
    expect(load(text, read, withMemo(memo))).toEqual(expected);
  });

  it('every example and invalid fixture loads the same with a memo primed by all of them', () => {
    const invalidDir = join(REPO_ROOT, 'test', 'manifest', 'invalid');
    const cases = [
      ...['weather', 'kitchen-sink', 'apps'].map((e) => ({ dir: join(REPO_ROOT, 'examples', e), file: 'mcp-gen.yaml' })),
      ...readdirSync(invalidDir).filter((f) => f.endsWith('.yaml')).map((file) => ({ dir: invalidDir, file })),
    ];
    const memo = RenderMemo.inMemory();
    const texts = cases.map((c) => readFileSync(join(c.dir, c.file), 'utf8'));
    cases.forEach((c, i) => load(texts[i]!, readerFor(c.dir), withMemo(memo), c.file));
    cases.forEach((c, i) => expect(load(texts[i]!, readerFor(c.dir), withMemo(memo), c.file), c.file).toEqual(load(texts[i]!, readerFor(c.dir), undefined, c.file)));
    expect(memo.stats[STEP]!.hits).toBeGreaterThan(10);
  });

  it('entries of the wrong shape under the right keys are not believed', () => {
    const text = syntheticManifest(5, 9);
    const memo = RenderMemo.inMemory();
    const real = memoizedToolChecks(memo);
    const keys: unknown[] = [];
    const spy: RememberedToolChecks = { ...real, recall: (inputs) => (keys.push(inputs), real.recall(inputs)) };
    const plain = load(text);
    expect(load(text, undefined, { toolChecks: spy })).toEqual(plain);
    expect(keys).toHaveLength(5);
    const good = parse(JSON.stringify(keys)) as unknown[];
    const planted: unknown[] = [
      { planted: true },
      { input: { type: 'object' }, asks: [], links: { input: { defs: {}, extra: 1 }, asks: {} } },
      { input: { type: 'object' }, output: { type: 'object' }, asks: [], links: { input: { defs: {} }, asks: {} } },
      { input: { type: 'object' }, asks: [['0', {}]], links: { input: { defs: {} }, asks: {} } },
      { input: [], asks: [], links: { input: { defs: {} }, asks: {} } },
    ];
    good.forEach((inputs, i) => memo.remember(STEP, inputs, planted[i]));
    const before = memo.stats[STEP]!.hits;
    expect(load(text, undefined, withMemo(memo))).toEqual(plain);
    expect(memo.stats[STEP]!.hits).toBe(before);
  });
});
