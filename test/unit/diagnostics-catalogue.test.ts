import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogueMarkdown } from '../../generator/diagnostics/catalogue-markdown.ts';
import { CODES } from '../../generator/diagnostics/codes.ts';
import { diag, renderDiagnostic } from '../../generator/diagnostics/diagnostic.ts';
import { REPO_ROOT } from '../helpers/env.ts';

describe('diagnostic catalogue', () => {
  it('every code has a title, cause and fix', () => {
    for (const [code, info] of Object.entries(CODES)) {
      expect(code).toMatch(/^MG\d{4}$/);
      expect(info.title.length && info.cause.length && info.fix.length, code).toBeTruthy();
    }
  });
  it('docs/diagnostics.md documents every code (npm run docs:diagnostics)', () => {
    expect(readFileSync(join(REPO_ROOT, 'docs', 'diagnostics.md'), 'utf8')).toBe(catalogueMarkdown());
  });
  it('renders position, code frame and help', () => {
    const text = 'a: 1\nbad_key: 2\n';
    const d = diag('MG2003', 'unknown key "bad_key"', { at: { file: 'm.yaml', line: 2, column: 1, length: 7 }, help: 'did you mean "bad"?' });
    expect(renderDiagnostic(d, new Map([['m.yaml', text]]))).toBe(
      'm.yaml:2:1 error MG2003 unknown key "bad_key"\n2 | bad_key: 2\n  | ^^^^^^^\n  help: did you mean "bad"?',
    );
  });
});
