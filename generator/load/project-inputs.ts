/**
 * Everything a project's generation reads, read once, before any model is built: the manifest
 * (→ AppModel), the spec with its pinned examples, the app templates the manifest names, and the
 * previous run's lock file. Generated output is a function of these alone: no stage reads a file
 * the previous run wrote, other than the lock (which records ownership, never content to copy).
 */
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { buildAppModel } from '../app/build.ts';
import type { AppModel } from '../app/model.ts';
import { DiagnosticError, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { readIfExists } from '../fs/read-optional.ts';
import { loadManifest, type ManifestLoadOptions } from '../manifest/load-manifest.ts';
import type { RenderMemo } from '../incremental/render-memo.ts';
import { memoizedMetaVerdicts, memoizedToolChecks, memoizedYamlPieces } from '../incremental/memo-steps.ts';
import { locateOrigin } from '../plan/locate.ts';
import type { LocateOrigin } from '../plan/symbols.ts';
import { LOCK_FILE, parseLock, type LockFile } from '../write/lockfile.ts';
import { loadSpec, type LoadedSpec, type SpecSourceOptions } from './load-spec.ts';
import { loadSpecExamples, type SpecExample } from './spec-examples.ts';
import { findPin } from './spec-versions.ts';

export interface ProjectInputOptions {
  manifestPath: string;
  /** Output root; default the manifest's directory. */
  outDir?: string;
  /** Overrides the manifest's `spec:`. */
  revision?: string;
  source?: SpecSourceOptions;
  /**
   * Judges the previous lock before the spec is loaded (e.g. the generator version that wrote the
   * output): throw to refuse, or return notes to print.
   */
  vetPreviousLock?: (lock: LockFile | undefined) => Diagnostic[];
  /** The incremental render cache: meta-schema verdicts and clean tool-schema checks of unchanged schemas come from it. */
  memo?: RenderMemo;
}

export interface ProjectInputs {
  /** Absolute paths. */
  manifestPath: string;
  outDir: string;
  /** Manifest path relative to the output root (POSIX), as the lock and README name it. */
  manifestRelPath: string;
  manifestText: string;
  app: AppModel;
  /** Manifest warnings and spec-example notes, to print even on success. */
  warnings: Diagnostic[];
  /** Source texts by path, for positioned diagnostics. */
  sources: Map<string, string>;
  /** Where a manifest entry is written, for diagnostics of later stages (plan). */
  locate: LocateOrigin;
  spec: LoadedSpec;
  /** The spec's examples matching the pin; empty when no source had them. */
  specExamples: SpecExample[];
  /** Contents of each app's HTML template that exists, by app id. */
  appTemplates: Record<string, string>;
  /** The lock file of the previous run, when there is one that parses. */
  previousLock?: LockFile;
  /** Every file read or probed here besides the spec and the lock (absolute path → text, undefined when absent). */
  reads: Map<string, string | undefined>;
  /**
   * The output is a function of `reads`, the flags and the generator build alone: the spec is a
   * pinned revision, its examples were found (or it pins none), and no note about the previous lock
   * or the examples sources was raised. Only then may a run vouch for a later no-op.
   */
  settled: boolean;
}

const posix = (p: string) => p.split(sep).join('/');

export interface LoadedApp {
  app: AppModel;
  /** Files the manifest load read or probed (absolute path → text, undefined when absent). */
  reads: Map<string, string | undefined>;
  warnings: Diagnostic[];
  sources: Map<string, string>;
  /** Where a manifest entry is written, for diagnostics of later stages (plan). */
  locate: LocateOrigin;
}

/** Manifest → AppModel, or a DiagnosticError carrying every problem with its source text. */
export async function loadApp(manifestPath: string, options?: ManifestLoadOptions): Promise<LoadedApp> {
  const loaded = await loadManifest(manifestPath, options);
  const diagnostics = [...loaded.diagnostics];
  let app: AppModel | undefined;
  if (loaded.manifest && !hasErrors(diagnostics)) {
    const built = buildAppModel(loaded.manifest);
    diagnostics.push(...built.diagnostics);
    app = built.model;
  }
  if (!app || hasErrors(diagnostics)) throw new DiagnosticError(sortDiagnostics(diagnostics), loaded.sources);
  const manifest = loaded.manifest!;
  return { app, reads: loaded.reads ?? new Map(), warnings: diagnostics, sources: loaded.sources, locate: (origin) => locateOrigin(manifest, origin) };
}

/** Existing app templates; one missing at the conventional src/apps/<id>.html gets a starter view. */
async function readAppTemplates(app: AppModel, manifestDir: string, reads: Map<string, string | undefined>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const a of app.apps) {
    const path = resolve(manifestDir, a.template);
    const text = await readIfExists(path);
    reads.set(path, text);
    if (text !== undefined) out[a.id] = text;
  }
  return out;
}

const readPreviousLock = async (outDir: string) => parseLock(await readIfExists(resolve(outDir, LOCK_FILE)));

export async function loadProjectInputs(opts: ProjectInputOptions): Promise<ProjectInputs> {
  const manifestPath = resolve(opts.manifestPath);
  const outDir = resolve(opts.outDir ?? dirname(manifestPath));
  const memo = opts.memo;
  const { app, warnings, sources, locate, reads } = await loadApp(
    opts.manifestPath,
    memo && { metaVerdicts: memoizedMetaVerdicts(memo), yamlPieces: memoizedYamlPieces(memo), toolChecks: memoizedToolChecks(memo) },
  );
  const previousLock = await readPreviousLock(outDir);
  const lockNotes = opts.vetPreviousLock?.(previousLock) ?? [];
  const spec = await loadSpec(opts.revision ?? app.spec, opts.source);
  const examples = await loadSpecExamples(spec, opts.source);
  const examplesSettled = examples.examples.length > 0 || !findPin(spec.revision)?.examplesSha256;
  const appTemplates = await readAppTemplates(app, dirname(manifestPath), reads);
  return {
    manifestPath,
    outDir,
    manifestRelPath: posix(relative(outDir, manifestPath)),
    manifestText: sources.get(opts.manifestPath) ?? (await readFile(manifestPath, 'utf8')),
    app,
    warnings: [...warnings, ...lockNotes, ...examples.warnings],
    sources,
    locate,
    spec,
    specExamples: examples.examples,
    appTemplates,
    previousLock,
    reads,
    settled: spec.pinned && examplesSettled && lockNotes.length === 0 && examples.warnings.length === 0,
  };
}
