/**
 * `mcp-gen init`: a new project from a template (one of examples/ or templates/init/), then a
 * first generate. Never overwrites: a directory that already has a manifest is refused.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { DiagnosticError, diag } from './diagnostics/diagnostic.ts';
import { MANIFEST_SCHEMA_PATH } from './emit/artifacts/project/manifest-schema-file.ts';
import { findPin, pinnedRevisions } from './load/spec-versions.ts';
import { PACKAGE_ROOT } from './paths.ts';
import { generateProject, type ProjectResult } from './project.ts';
import type { SpecSourceOptions } from './load/load-spec.ts';

export const INIT_TEMPLATES = {
  minimal: join(PACKAGE_ROOT, 'templates', 'init', 'minimal'),
  weather: join(PACKAGE_ROOT, 'examples', 'weather'),
  'kitchen-sink': join(PACKAGE_ROOT, 'examples', 'kitchen-sink'),
  apps: join(PACKAGE_ROOT, 'examples', 'apps'),
} as const;
export type InitTemplate = keyof typeof INIT_TEMPLATES;

export const MANIFEST_FILE = 'mcp-gen.yaml';
export const SCHEMA_MODELINE = `# yaml-language-server: $schema=./${MANIFEST_SCHEMA_PATH}`;

export interface InitOptions {
  dir: string;
  template: string;
  spec?: string;
  name?: string;
  source?: SpecSourceOptions;
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const abs = join(dir, name);
      const rel = prefix ? `${prefix}/${name}` : name;
      return statSync(abs).isDirectory() ? listFiles(abs, rel) : [rel];
    });
}

/** Sets spec/server.name, keeping the template's comments, and puts the schema modeline first. */
export function personalizeManifest(text: string, changes: { spec?: string; name?: string }): string {
  const doc = parseDocument(text);
  if (changes.spec) doc.set('spec', changes.spec);
  if (changes.name) doc.setIn(['server', 'name'], changes.name);
  const body = doc.toString({ lineWidth: 0 }).replace(/^# yaml-language-server:.*\n/m, '');
  return `${SCHEMA_MODELINE}\n${body}`;
}

export async function initProject(opts: InitOptions): Promise<ProjectResult> {
  const templateDir = INIT_TEMPLATES[opts.template as InitTemplate];
  if (!templateDir) {
    throw new DiagnosticError(
      diag('MG9001', `unknown template "${opts.template}"`, { help: `choose one of: ${Object.keys(INIT_TEMPLATES).join(', ')}` }),
    );
  }
  if (opts.spec && !findPin(opts.spec)) {
    throw new DiagnosticError(
      diag('MG1001', `unknown spec revision "${opts.spec}"`, { help: `known revisions: ${pinnedRevisions().map((p) => p.revision).join(', ')}` }),
    );
  }
  if (opts.spec && findPin(opts.spec)?.era !== 'stateless') {
    throw new DiagnosticError(
      diag('MG1008', `projects for ${opts.spec} (the session era) are not generated yet; the runtime speaks the stateless 2026-07-28 wire`, { help: 'use --spec 2026-07-28' }),
    );
  }
  const dir = resolve(opts.dir);
  const manifestPath = join(dir, MANIFEST_FILE);
  if (existsSync(manifestPath)) {
    throw new DiagnosticError(diag('MG5006', `${relative(process.cwd(), manifestPath) || MANIFEST_FILE} already exists; init never overwrites it`));
  }
  await mkdir(dir, { recursive: true });
  for (const rel of listFiles(templateDir)) {
    const target = join(dir, rel);
    if (existsSync(target)) continue; // a user's file wins over the template's
    await mkdir(join(target, '..'), { recursive: true });
    if (rel === MANIFEST_FILE) {
      const name = opts.name ?? (opts.template === 'minimal' ? basename(dir) : undefined);
      await writeFile(target, personalizeManifest(await readFile(join(templateDir, rel), 'utf8'), { spec: opts.spec, name }));
    } else {
      await copyFile(join(templateDir, rel), target);
    }
  }
  return generateProject({ manifestPath, outDir: dir, mode: 'write', source: opts.source });
}
