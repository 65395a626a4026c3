/**
 * Handlebars whole-file skeletons. Templates get a precomputed view: no logic, no helpers
 * (knownHelpersOnly), strict so a missing view field fails loudly, noEscape because the output is code.
 */
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATES_DIR } from '../paths.ts';

const compiled = new Map<string, Handlebars.TemplateDelegate>();

export const TEMPLATE_OPTIONS: CompileOptions = { noEscape: true, strict: true, knownHelpersOnly: true };

export function renderTemplate(relativePath: string, view: object): string {
  let template = compiled.get(relativePath);
  if (!template) {
    const source = readFileSync(join(TEMPLATES_DIR, relativePath), 'utf8');
    template = Handlebars.compile(source, TEMPLATE_OPTIONS);
    compiled.set(relativePath, template);
  }
  return template(view);
}
