/**
 * Mutated manifests never crash the loader: each one either loads or yields at least one error,
 * every position points inside the file it names, and rendering always works.
 */
import { seededRandom } from '../../generator/fixtures/prng.ts';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument, stringify } from 'yaml';
import { buildAppModel } from '../../generator/app/build.ts';
import { hasErrors, renderDiagnostics, type Diagnostic } from '../../generator/diagnostics/diagnostic.ts';
import { parseManifest } from '../../generator/manifest/load-manifest.ts';
import { readerFor } from './load-for-test.ts';

const MUTANTS_PER_EXAMPLE = 600;
const examples = ['weather', 'kitchen-sink'].map((name) => {
  const dir = fileURLToPath(new URL(`../../examples/${name}/`, import.meta.url));
  return { name, dir, text: readFileSync(`${dir}mcp-gen.yaml`, 'utf8') };
});

const prng = seededRandom;
type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)];
const int = (random: Random, max: number) => Math.floor(random() * max);

const SCALARS = ['42', 'true', 'null', '[]', '{}', '"text"', '-1', '1.5', '~', "''", '0x1F', '.inf', '2026-07-28'];
const SYNTAX = ['{', '[', '"', "'", ': :', '\t', '- ', '&a ', '*b ', '!!binary x', '%YAML 1.2\n', '? ', '|', '>-', '---\n', '#', '\\', '}'];
const UNICODE = ['\u0000', '\uFEFF', '\u202E', '\u0301', '😀', '\uD800', '𝔘', 'ß', 'İ', '\u2028', '\r', '\u00A0', '中文'];

function mutateText(text: string, random: Random): string {
  const lines = text.split('\n');
  const line = int(random, lines.length);
  const at = int(random, text.length + 1);
  switch (int(random, 8)) {
    case 0:
      lines.splice(line, 1);
      return lines.join('\n');
    case 1:
      lines.splice(line, 0, lines[line]);
      return lines.join('\n');
    case 2: {
      // Rename a key by one edit.
      lines[line] = lines[line].replace(/([A-Za-z$-]+)(?=:)/, (key) => {
        const i = int(random, key.length + 1);
        return random() < 0.5 ? key.slice(0, i) + key.slice(i + 1) : key.slice(0, i) + pick(random, ['x', 'e', '_', 'S']) + key.slice(i);
      });
      return lines.join('\n');
    }
    case 3:
      lines[line] = lines[line].replace(/:\s.*$/, `: ${pick(random, SCALARS)}`);
      return lines.join('\n');
    case 4:
      return text.slice(0, at);
    case 5:
      return text.slice(0, at) + pick(random, SYNTAX) + text.slice(at);
    case 6:
      return text.slice(0, at) + pick(random, UNICODE) + text.slice(at);
    default:
      return mutateStructure(text, random);
  }
}

/** Deletes, duplicates or retypes one node of the parsed manifest and prints it back. */
function mutateStructure(text: string, random: Random): string {
  let value: unknown;
  try {
    value = parseDocument(text).toJS();
  } catch {
    return text;
  }
  const containers: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach((child, i) => (containers.push({ parent: node, key: i }), visit(child)));
    else if (node && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) containers.push({ parent: node as Record<string, unknown>, key }), visit(child);
    }
  };
  visit(value);
  if (containers.length === 0) return text;
  const { parent, key } = pick(random, containers);
  const current = (parent as Record<string | number, unknown>)[key];
  const choice = int(random, 4);
  if (choice === 0) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  } else if (choice === 1) {
    if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(current));
    else parent[`${String(key)}_copy`] = structuredClone(current);
  } else if (choice === 2) {
    (parent as Record<string | number, unknown>)[key] = pick(random, [42, true, null, [], {}, 'text', -1, 1.5, 'x'.repeat(200)]);
  } else if (!Array.isArray(parent)) {
    parent[`${String(key)}x`] = current;
    delete parent[key as string];
  }
  return stringify(value);
}

function assertInside(d: Diagnostic, sources: Map<string, string>): void {
  if (!d.at) return;
  const text = sources.get(d.at.file);
  expect(text, `unknown file ${d.at.file}`).toBeDefined();
  const lines = text!.split(/\r?\n|\r|\u2028/);
  expect(d.at.line).toBeGreaterThanOrEqual(1);
  expect(d.at.column).toBeGreaterThanOrEqual(1);
  // LineCounter only breaks on \n; compare against \n-split lines for the column bound.
  const nLines = text!.split('\n');
  expect(d.at.line).toBeLessThanOrEqual(nLines.length);
  expect(d.at.column, JSON.stringify({ d, line: nLines[d.at.line - 1] })).toBeLessThanOrEqual(nLines[d.at.line - 1].length + 1);
  expect(lines.length).toBeGreaterThan(0);
}

describe('fuzzed manifests', () => {
  for (const example of examples) {
    it(`${example.name}: ${MUTANTS_PER_EXAMPLE} mutants load or fail with positioned errors`, () => {
      const random = prng(0x5eed ^ example.name.length);
      const read = readerFor(example.dir);
      let loadedCount = 0;
      for (let i = 0; i < MUTANTS_PER_EXAMPLE; i++) {
        let text = example.text;
        const rounds = 1 + int(random, 3);
        for (let r = 0; r < rounds; r++) text = mutateText(text, random);
        const context = `mutant ${i}:\n${text}`;
        let result: ReturnType<typeof parseManifest>;
        try {
          result = parseManifest(text, 'mcp-gen.yaml', read);
        } catch (error) {
          throw new Error(`parseManifest threw on ${context}\n${String(error)}`);
        }
        if (result.manifest) {
          loadedCount++;
          expect(() => buildAppModel(result.manifest!), context).not.toThrow();
        } else {
          const errors = result.diagnostics.filter((d) => d.severity === 'error');
          expect(errors.length, context).toBeGreaterThan(0);
          expect(hasErrors(result.diagnostics)).toBe(true);
          expect(errors.some((d) => d.at !== undefined), context).toBe(true);
        }
        for (const d of result.diagnostics) assertInside(d, result.sources);
        expect(() => renderDiagnostics(result.diagnostics, result.sources), context).not.toThrow();
      }
      // Some mutants must survive, or the mutations only ever test the YAML parser.
      expect(loadedCount).toBeGreaterThan(10);
      expect(loadedCount).toBeLessThan(MUTANTS_PER_EXAMPLE);
    });
  }
});
