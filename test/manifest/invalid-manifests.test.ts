/**
 * Each `invalid/<case>.yaml` renders exactly `invalid/<case>.expected.txt`.
 * Regenerate after an intended change with: UPDATE_EXPECTED=1 npx vitest run test/manifest
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../generator/diagnostics/diagnostic.ts';
import { loadForTest } from './load-for-test.ts';

const dir = fileURLToPath(new URL('./invalid/', import.meta.url));
const cases = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

describe('invalid manifests', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(15));

  for (const file of cases) {
    it(file, () => {
      const loaded = loadForTest(dir, file);
      expect(hasErrors(loaded.diagnostics) || loaded.diagnostics.length > 0).toBe(true);
      const expectedFile = join(dir, file.replace(/\.yaml$/, '.expected.txt'));
      const actual = `${loaded.rendered}\n`;
      if (process.env.UPDATE_EXPECTED) writeFileSync(expectedFile, actual);
      expect(existsSync(expectedFile), `missing ${expectedFile}; run with UPDATE_EXPECTED=1`).toBe(true);
      expect(actual).toBe(readFileSync(expectedFile, 'utf8'));
    });
  }
});
