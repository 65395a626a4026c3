/**
 * Templates precompiled at build time (scripts/precompile-templates.mjs → dist/templates.precompiled.json)
 * are what renderTemplate runs: every template has an entry made from its current source, so the fast
 * path is taken (the goldens then pin its output); an entry made from other text is never used.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { buildPrecompiledTemplates, reviveOrCompile, TEMPLATE_OPTIONS } from '../../generator/emit/templates.ts';
import { REPO_ROOT } from '../helpers/env.ts';

const dir = join(REPO_ROOT, 'templates');
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('precompiled templates', () => {
  it('the build has an entry for every template, made from its current source', () => {
    const entries = buildPrecompiledTemplates();
    expect(entries, 'dist/templates.precompiled.json missing or of another layout: run `npm run build`').not.toBeNull();
    const templates = readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.hbs'));
    expect(templates.length).toBeGreaterThan(20);
    for (const rel of templates) expect(entries![rel]?.sha256, rel).toBe(sha(readFileSync(join(dir, rel), 'utf8')));
  });

  it('a revived template renders like a compiled one; an entry from other text is ignored', () => {
    const source = '// {{title}}\n{{#each items}}export const {{name}} = {{{value}}};\n{{/each}}';
    const view = { title: 'a & <b>', items: [{ name: 'x', value: '"q" & 1' }, { name: 'y', value: '{}' }] };
    const compiled = Handlebars.compile(source, TEMPLATE_OPTIONS)(view);
    expect(compiled).toContain('a & <b>'); // noEscape holds
    expect(reviveOrCompile(source, { sha256: sha(source), spec: Handlebars.precompile(source, TEMPLATE_OPTIONS) as string })(view)).toBe(compiled);
    const stale = { sha256: sha('older text'), spec: Handlebars.precompile('STALE', TEMPLATE_OPTIONS) as string };
    expect(reviveOrCompile(source, stale)(view)).toBe(compiled);
    // strict mode survives precompilation: a missing field fails loudly on the revived path too
    expect(() => reviveOrCompile(source, { sha256: sha(source), spec: Handlebars.precompile(source, TEMPLATE_OPTIONS) as string })({ items: [] })).toThrow(/title/);
  });
});
