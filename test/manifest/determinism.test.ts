/** The AppModel depends on what the manifest says, not on the order it says it in. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { buildAppModel } from '../../generator/app/build.ts';
import { parseManifest } from '../../generator/manifest/load-manifest.ts';
import { readerFor } from './load-for-test.ts';

const dir = fileURLToPath(new URL('../../examples/kitchen-sink/', import.meta.url));
const text = readFileSync(`${dir}mcp-gen.yaml`, 'utf8');
const read = readerFor(dir);

function modelJson(source: string): string {
  const loaded = parseManifest(source, 'mcp-gen.yaml', read);
  expect(loaded.diagnostics.filter((d) => d.code !== 'MG3020')).toEqual([]);
  const built = buildAppModel(loaded.manifest!);
  expect(built.diagnostics).toEqual([]);
  return JSON.stringify(built.model);
}

function shuffled(seed: number): string {
  const doc = parseDocument(text);
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (const key of ['tools', 'resources', 'resourceTemplates', 'prompts', 'apps']) {
    const seq = doc.get(key) as { items: unknown[] } | undefined;
    if (!seq) continue;
    for (let i = seq.items.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [seq.items[i], seq.items[j]] = [seq.items[j], seq.items[i]];
    }
  }
  return doc.toString();
}

describe('AppModel determinism', () => {
  const baseline = modelJson(text);

  it('is identical when run twice', () => expect(modelJson(text)).toBe(baseline));

  it('is identical for shuffled tools, resources, templates and prompts', () => {
    for (const seed of [1, 2, 3, 42, 1234]) {
      const source = shuffled(seed);
      expect(source).not.toBe(text);
      expect(modelJson(source)).toBe(baseline);
    }
  });

  it('does not mutate the manifest', () => {
    const { manifest } = parseManifest(text, 'mcp-gen.yaml', read);
    const before = JSON.stringify(manifest);
    const frozen = deepFreeze(manifest!);
    const built = buildAppModel(frozen);
    expect(JSON.stringify(manifest)).toBe(before);
    // The model owns its schemas: changing them cannot reach the manifest.
    (built.model!.tools[0].inputSchema as Record<string, unknown>).mutated = true;
    expect(JSON.stringify(manifest)).toBe(before);
  });

  it('is plain JSON', () => {
    const model = JSON.parse(baseline) as unknown;
    expect(JSON.stringify(model)).toBe(baseline);
    expect(baseline).not.toContain('undefined');
  });
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
