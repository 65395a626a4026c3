import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printZodModule } from '../../generator/emit/zod-printer.ts';
import { SHARED_SPEC } from '../helpers/env.ts';

const REVISIONS = ['2026-07-28', '2025-11-25'];
/** Under test/tmp (gitignored) so `zod` resolves from the repo's node_modules. */
const OUT_DIR = join(import.meta.dirname, '../tmp/zod-printer-mcp');
const TSC = join(import.meta.dirname, '../../node_modules/typescript/bin/tsc');

describe('zod printer: the MCP schemas compile under tsc --strict', () => {
  it(
    'every $def of every revision, in one tsc run',
    () => {
      mkdirSync(OUT_DIR, { recursive: true });
      const files = REVISIONS.map((revision) => {
        const document = JSON.parse(readFileSync(join(SHARED_SPEC, revision, 'schema.json'), 'utf8')) as { $defs: Record<string, unknown> };
        const exports = Object.fromEntries(Object.keys(document.$defs).map((name) => [name, `/$defs/${name}`]));
        const output = printZodModule({ document, exports });
        expect(output.fallbacks).toEqual([]);
        expect(output.consts.filter((c) => c.exported)).toHaveLength(Object.keys(exports).length);
        const file = join(OUT_DIR, `${revision}.ts`);
        writeFileSync(file, `import { z } from 'zod';\n\n${output.source}`);
        return file;
      });
      const args = ['--noEmit', '--strict', '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--skipLibCheck', ...files];
      let diagnostics = '';
      try {
        execFileSync(process.execPath, [TSC, ...args], { encoding: 'utf8' });
      } catch (error) {
        diagnostics = String((error as { stdout?: string }).stdout ?? error);
      }
      expect(diagnostics).toBe('');
    },
    120_000,
  );
});
