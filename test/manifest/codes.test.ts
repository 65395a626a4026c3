/** The diagnostic codes this stage adds are catalogued, explained and actually emitted. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CODES } from '../../generator/diagnostics/codes.ts';

/** Codes added to the catalogue for the manifest stage. */
const ADDED = ['MG2007', 'MG3010', 'MG3011', 'MG3012'] as const;

const root = fileURLToPath(new URL('../../', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const stageSource = ['generator/manifest', 'generator/app']
  .flatMap((dir) => sourceFiles(join(root, dir)))
  .map((file) => readFileSync(file, 'utf8'))
  .join('\n');
const usedCodes = [...new Set(stageSource.match(/'MG\d{4}'/g)?.map((c) => c.slice(1, -1)) ?? [])].sort();

const invalidDir = join(root, 'test/manifest/invalid');
const expectedText = readdirSync(invalidDir)
  .filter((f) => f.endsWith('.expected.txt'))
  .map((f) => readFileSync(join(invalidDir, f), 'utf8'))
  .join('\n');

describe('diagnostic codes of the manifest stage', () => {
  for (const code of ADDED) {
    it(`${code} is in the catalogue with title, cause and fix, and is emitted`, () => {
      const info = CODES[code];
      for (const field of [info.title, info.cause, info.fix]) expect(field.trim().length).toBeGreaterThan(5);
      expect(usedCodes).toContain(code);
    });
  }

  it('every code used by generator/manifest and generator/app exists', () => {
    for (const code of usedCodes) expect(Object.keys(CODES)).toContain(code);
  });

  it('every code used (except MG2001, which has no file) has an invalid-manifest fixture', () => {
    for (const code of usedCodes.filter((c) => c !== 'MG2001')) expect(expectedText, code).toContain(` ${code} `);
  });
});
