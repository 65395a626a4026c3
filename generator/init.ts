/**
 * `mcp-gen init`: a new project from a template (one of examples/ or templates/init/) or from a
 * manifest the user already has (`--from`), then a first generate.
 *
 * All or nothing: the project is assembled in a staging directory beside the target (a copy of
 * the target's existing files, then the template, then the generated files) and swapped into
 * place with renames only when everything succeeded. A failure leaves the target as it was (no
 * directory at all if there was none), so a retry starts clean. A directory that already has a
 * manifest is refused: init never overwrites it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { copyFile, cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { DiagnosticError, diag, hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.ts';
import { MANIFEST_SCHEMA_PATH } from './emit/artifacts/project/manifest-schema-file.ts';
import { resolveGeneratorSpec, type GeneratorSpec } from './generator-spec.ts';
import { findPin, pinnedRevisions } from './load/spec-versions.ts';
import { setScalarInPlace } from './manifest/edit-in-place.ts';
import { parseManifest } from './manifest/load-manifest.ts';
import { generateProject, type ProjectResult } from './project.ts';
import { INIT_TEMPLATES, type InitTemplate } from './init-templates.ts';
import type { SpecSourceOptions } from './load/load-spec.ts';

export { INIT_TEMPLATES, type InitTemplate } from './init-templates.ts';

export const MANIFEST_FILE = 'mcp-gen.yaml';
export const SCHEMA_MODELINE = `# yaml-language-server: $schema=./${MANIFEST_SCHEMA_PATH}`;

export interface InitOptions {
  dir: string;
  template?: string;
  /** An existing manifest to build the project around (instead of a template). */
  from?: string;
  spec?: string;
  name?: string;
  source?: SpecSourceOptions;
  /** `--generator-spec`: the `mcp-gen` devDependency to write (see generator-spec.ts). */
  generatorSpec?: string;
  /** For resolving relative paths in `generatorSpec`; default process.cwd(). */
  cwd?: string;
  /** Test hook: runs after staging, before the swap (fault injection). */
  beforeSwap?: (stageDir: string) => void | Promise<void>;
}

export interface InitResult extends ProjectResult {
  generator: GeneratorSpec;
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
  let body = text;
  if (changes.spec) body = setScalarInPlace(body, ['spec'], changes.spec);
  if (changes.name) body = setScalarInPlace(body, ['server', 'name'], changes.name);
  return `${SCHEMA_MODELINE}\n${body.replace(/^# yaml-language-server:.*\n/m, '')}`;
}

function checkSpecOption(spec: string | undefined): void {
  if (!spec) return;
  if (!findPin(spec)) {
    throw new DiagnosticError(diag('MG1001', `unknown spec revision "${spec}"`, { help: `known revisions: ${pinnedRevisions().map((p) => p.revision).join(', ')}` }));
  }
  if (findPin(spec)?.era !== 'stateless') {
    throw new DiagnosticError(
      diag('MG1008', `projects for ${spec} (the session era) are not generated yet; the runtime speaks the stateless 2026-07-28 wire`, { help: 'use --spec 2026-07-28' }),
    );
  }
}

/** Template files (relative path → absolute source) for `--template`. */
function templateFiles(template: string): Map<string, string> {
  const templateDir = INIT_TEMPLATES[template as InitTemplate];
  if (!templateDir) {
    throw new DiagnosticError(diag('MG9001', `unknown template "${template}"`, { help: `choose one of: ${Object.keys(INIT_TEMPLATES).join(', ')}` }));
  }
  return new Map(listFiles(templateDir).map((rel) => [rel, join(templateDir, rel)]));
}

/**
 * Files for `--from <manifest>`: the manifest (copied to mcp-gen.yaml) and the local files it
 * references ($ref'd schema files, app templates) that sit under its directory, at the same
 * relative paths so the references still resolve.
 */
function manifestFiles(from: string): Map<string, string> {
  const path = resolve(from);
  let text: string;
  try {
    text = readText(path);
  } catch {
    throw new DiagnosticError(diag('MG2001', `no manifest at \`${from}\``, { help: 'pass the path of an existing mcp-gen.yaml to --from' }));
  }
  const base = dirname(path);
  const referenced = new Set<string>();
  const loaded = parseManifest(text, path, (p) => {
    const abs = isAbsolute(p) ? p : resolve(base, p);
    try {
      const t = readText(abs);
      referenced.add(abs);
      return t;
    } catch {
      return undefined;
    }
  });
  // Problems point at the user's own file, before anything is staged.
  if (hasErrors(loaded.diagnostics)) throw new DiagnosticError(sortDiagnostics(loaded.diagnostics), loaded.sources);
  const out = new Map([[MANIFEST_FILE, path]]);
  for (const abs of [...referenced].sort()) {
    const rel = relative(base, abs);
    if (rel && !rel.startsWith('..') && !isAbsolute(rel)) out.set(rel.split(sep).join('/'), abs);
  }
  return out;
}

// Synchronous on purpose: parseManifest's file reader is synchronous.
const readText = (path: string) => readFileSync(path, 'utf8');

/** Adds `mcp-gen` to devDependencies (keys kept sorted) in a package.json this run created. */
export function addGeneratorDependency(packageJson: string, spec: string): string {
  const pkg = JSON.parse(packageJson) as { devDependencies?: Record<string, string> };
  const dev = { ...(pkg.devDependencies ?? {}), 'mcp-gen': spec };
  pkg.devDependencies = Object.fromEntries(Object.entries(dev).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

export async function initProject(opts: InitOptions): Promise<InitResult> {
  if (opts.from && opts.template) {
    throw new DiagnosticError(diag('MG9001', '--from and --template cannot be combined'));
  }
  checkSpecOption(opts.spec);
  const files = opts.from ? manifestFiles(resolve(opts.cwd ?? process.cwd(), opts.from)) : templateFiles(opts.template ?? 'minimal');
  const generator = resolveGeneratorSpec({ flag: opts.generatorSpec, env: opts.source?.env ?? process.env, cwd: opts.cwd ?? process.cwd() });

  const dir = resolve(opts.dir);
  const manifestPath = join(dir, MANIFEST_FILE);
  if (existsSync(manifestPath)) {
    throw new DiagnosticError(diag('MG5006', `${relative(process.cwd(), manifestPath) || MANIFEST_FILE} already exists; init never overwrites it`));
  }
  const targetExisted = existsSync(dir);
  // The first directory mkdir creates above the target: removed again if init fails.
  const createdParent = await mkdir(dirname(dir), { recursive: true });
  const stage = join(dirname(dir), `.${basename(dir)}.mcp-gen-init-${randomBytes(4).toString('hex')}`);
  try {
    if (targetExisted) await cp(dir, stage, { recursive: true, verbatimSymlinks: true });
    else await mkdir(stage);
    const hadPackageJson = existsSync(join(stage, 'package.json'));
    for (const [rel, source] of files) {
      const target = join(stage, rel);
      if (existsSync(target)) continue; // a user's file wins over the template's
      await mkdir(dirname(target), { recursive: true });
      if (rel === MANIFEST_FILE && !opts.from) {
        const name = opts.name ?? (opts.template === undefined || opts.template === 'minimal' ? basename(dir) : undefined);
        await writeFile(target, personalizeManifest(await readFile(source, 'utf8'), { spec: opts.spec, name }));
      } else if (rel === MANIFEST_FILE && (opts.spec || opts.name)) {
        await writeFile(target, personalizeManifest(await readFile(source, 'utf8'), { spec: opts.spec, name: opts.name }));
      } else {
        await copyFile(source, target);
      }
    }
    const result = relocate(await generateProject({ manifestPath: join(stage, MANIFEST_FILE), outDir: stage, mode: 'write', source: opts.source }), stage, dir);
    if (!hadPackageJson) {
      const pkgPath = join(stage, 'package.json');
      await writeFile(pkgPath, addGeneratorDependency(await readFile(pkgPath, 'utf8'), generator.spec));
    }
    await opts.beforeSwap?.(stage);
    await swapIntoPlace(stage, dir, targetExisted);
    return { ...result, generator };
  } catch (error) {
    await rm(stage, { recursive: true, force: true });
    if (createdParent) await rm(createdParent, { recursive: true, force: true });
    throw error instanceof DiagnosticError ? new DiagnosticError(error.diagnostics.map((d) => relocateDiag(d, stage, dir)), relocateSources(error.sources, stage, dir)) : error;
  }
}

/** Diagnostics name files where the user will find them: in the target, not the staging directory. */
function relocateDiag(d: Diagnostic, stage: string, dir: string): Diagnostic {
  return {
    ...d,
    message: d.message.split(stage).join(dir),
    ...(d.at ? { at: { ...d.at, file: d.at.file.split(stage).join(dir) } } : {}),
  };
}

function relocateSources(sources: ReadonlyMap<string, string>, stage: string, dir: string): Map<string, string> {
  return new Map([...sources].map(([file, text]) => [file.split(stage).join(dir), text]));
}

function relocate(result: ProjectResult, stage: string, dir: string): ProjectResult {
  return { ...result, warnings: result.warnings.map((d) => relocateDiag(d, stage, dir)), sources: relocateSources(result.sources, stage, dir) };
}

/** Renames the staged project onto the target; an existing target is moved aside first and restored on failure. */
async function swapIntoPlace(stage: string, dir: string, targetExisted: boolean): Promise<void> {
  if (!targetExisted) {
    await rename(stage, dir);
    return;
  }
  const aside = `${stage}.previous`;
  await rename(dir, aside);
  try {
    await rename(stage, dir);
  } catch (error) {
    await rename(aside, dir);
    throw error;
  }
  await rm(aside, { recursive: true, force: true });
}
