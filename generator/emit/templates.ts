/**
 * Handlebars whole-file skeletons. Templates get a precomputed view: no logic, no helpers
 * (knownHelpersOnly), strict so a missing view field fails loudly, noEscape because the output is code.
 */
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PACKAGE_ROOT, TEMPLATES_DIR } from '../paths.ts';
import { sha256Hex } from '../sha256.ts';

const compiled = new Map<string, Handlebars.TemplateDelegate>();

export const TEMPLATE_OPTIONS: CompileOptions = { noEscape: true, strict: true, knownHelpersOnly: true };

/** Layout of dist/templates.precompiled.json (scripts/precompile-templates.mjs writes it at build time). */
export const PRECOMPILED_FORMAT = 'mcp-gen-templates/1';

interface Precompiled {
  format: string;
  handlebars: string;
  templates: Record<string, { sha256: string; spec: string }>;
}

let precompiled: Precompiled['templates'] | null | undefined;

/** The build's precompiled templates, if there is a file of this layout made by this Handlebars. */
function precompiledTemplates(): Precompiled['templates'] | null {
  if (precompiled !== undefined) return precompiled;
  try {
    const file = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'dist', 'templates.precompiled.json'), 'utf8')) as Precompiled;
    precompiled = file.format === PRECOMPILED_FORMAT && file.handlebars === Handlebars.VERSION ? file.templates : null;
  } catch {
    precompiled = null; // not built (running from source): compile as before
  }
  return precompiled;
}

/**
 * The template at `relativePath`: revived from the build's precompiled spec when that was made
 * from exactly this source (a sha256 check), else compiled here. Both give the same function.
 */
function load(relativePath: string): Handlebars.TemplateDelegate {
  return reviveOrCompile(readFileSync(join(TEMPLATES_DIR, relativePath), 'utf8'), precompiledTemplates()?.[relativePath]);
}

/** Exported for tests: `entry` is used only when it was compiled from `source`. */
export function reviveOrCompile(source: string, entry: { sha256: string; spec: string } | undefined): Handlebars.TemplateDelegate {
  if (entry && entry.sha256 === sha256Hex(source)) {
    // The spec is JavaScript that Handlebars.precompile wrote at build time, from this very source.
    return Handlebars.template(new Function(`return ${entry.spec}`)() as TemplateSpecification);
  }
  return compiler().compile(source, TEMPLATE_OPTIONS);
}

/**
 * What compiles a template: `Handlebars` itself, except in the bundle, where `handlebars` is the
 * runtime alone (scripts/bundle-cli.mjs) and the full package is loaded only now.
 */
function compiler(): typeof Handlebars {
  return typeof Handlebars.compile === 'function' ? Handlebars : (createRequire(import.meta.url)('handlebars') as typeof Handlebars);
}

/** Exported for tests: the precompiled entries this build has (null when there is no usable file). */
export const buildPrecompiledTemplates = precompiledTemplates;

export function renderTemplate(relativePath: string, view: object): string {
  let template = compiled.get(relativePath);
  if (!template) {
    template = load(relativePath);
    compiled.set(relativePath, template);
  }
  return template(view);
}
