/**
 * The project driver: inputs (manifest, spec + examples, app templates, previous lock; read once by
 * load/project-inputs.ts) → AppModel + ProtocolModel → plan → artifacts → format → write.
 * Only the input and write stages (and the format cache) touch the filesystem.
 */
import { dirname, resolve } from 'node:path';
import type { AppModel } from './app/model.ts';
import { DiagnosticError, diag, hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.ts';
import type { EmittedFile, ProjectEmitContext, ServedRevision } from './emit/artifact.ts';
import { emitArtifacts, PROJECT_ARTIFACTS, PROTOCOL_ARTIFACTS } from './emit/registry.ts';
import { formatAll, type FinalFile } from './format/format.ts';
import { FormatCache, type FormatStore } from './format/format-cache.ts';
import { memoizedSynthesize, SYNTHESIS_PACK } from './fixtures/synthesis-memo.ts';
import { loadSpec, sha256Hex, type LoadedSpec, type SpecSourceOptions } from './load/load-spec.ts';
import { pinnedRevisions } from './load/spec-versions.ts';
import { loadProjectInputs } from './load/project-inputs.ts';
import { GENERATOR_VERSION } from './paths.ts';
import { memoizedProtocolArtifact } from './incremental/memo-steps.ts';
import { RenderMemo, type RenderMemoStats } from './incremental/render-memo.ts';
import { ProtocolLayerCache } from './incremental/machine-cache.ts';
import { buildProtocolModel } from './protocol/build.ts';
import type { LockFile } from './write/lockfile.ts';
import { GENERATED_ROOT, planProject, type OutputPlan, type PlanOptions } from './plan/plan.ts';
import type { ProtocolModel } from './protocol/model.ts';
import { writeOutput, type WriteMode, type WriteReport } from './write/write-output.ts';
import { packageDrift } from './write/package-drift.ts';
import { StageTimings } from './stage-timings.ts';

export { GENERATED_ROOT };
export { loadApp, type LoadedApp } from './load/project-inputs.ts';
/** Where stale generated files of a project may be deleted. */
const PROTOCOL_DIR = `${GENERATED_ROOT}/protocol`;
export const PROJECT_DELETABLE_ROOTS = [GENERATED_ROOT, '.mcp-gen', 'test/conformance'];

export interface ProjectOptions {
  manifestPath: string;
  /** Output root; default the manifest's directory. */
  outDir?: string;
  /** Overrides the manifest's `spec:`. */
  revision?: string;
  source?: SpecSourceOptions;
  mode: WriteMode;
  beforeCommitStep?: (index: number, path: string) => void;
  /**
   * Only what a client needs: no server wiring, handlers, entry point, mock, conformance kit or
   * server runtime. Undefined: what the lock file says (a client-only project stays one).
   */
  clientOnly?: boolean;
  /** Replace foreign files at generated paths (MG5007). */
  force?: boolean;
  /** Stage wall times; default from MCP_GEN_TIMINGS (generator/stage-timings.ts). */
  timings?: StageTimings;
}


export interface ProjectResult {
  app: AppModel;
  spec: LoadedSpec;
  files: FinalFile[];
  report: WriteReport;
  /** Manifest warnings and ownership notes, to print even on success. */
  warnings: Diagnostic[];
  sources: Map<string, string>;
  /** Files the inputs stage read or probed (absolute path → text, undefined when absent). */
  reads: Map<string, string | undefined>;
  /**
   * A write run that left nothing pending: its output is a function of `reads`, the flags and
   * the generator build, and a rerun would print only the manifest's own warnings. Only such a
   * run may record the no-op shortcut (generator/incremental/noop-stamp.ts).
   */
  settled: boolean;
  /** What the incremental caches saved and what this run recomputed (tests watch it so the speed-up cannot silently vanish). */
  incremental: { render: RenderMemoStats; format: FormatCache['stats']; synthesis: FormatCache['stats']; machine: ProtocolLayerCache['stats'] };
  timings: StageTimings;
}

/** The models planned, or a DiagnosticError for a name clash the plan found. */
export function planOrThrow(app: AppModel, protocol: ProtocolModel, options: PlanOptions, sources?: Map<string, string>): OutputPlan {
  const plan = planProject(app, protocol, options);
  if (hasErrors(plan.diagnostics)) throw new DiagnosticError(sortDiagnostics(plan.diagnostics), sources);
  return plan;
}

/** Emit: every artifact renders what the plan says; an unplanned file is a generator bug. */
export async function emitProject(ctx: ProjectEmitContext, timings?: StageTimings): Promise<EmittedFile[]> {
  const planned = new Set(ctx.plan.files.map((f) => f.path));
  const omitted = new Set(ctx.plan.omitted);
  // The protocol layer depends on the spec(s) alone: with a render cache it is rendered once per spec.
  const memo = ctx.memo;
  const artifacts = memo ? PROJECT_ARTIFACTS.map((a) => (PROTOCOL_ARTIFACTS.includes(a) ? memoizedProtocolArtifact(a, memo, ctx.protocolMemo) : a)) : PROJECT_ARTIFACTS;
  const timed = timings?.detailed ? (id: string, ms: number) => timings.part(id, ms) : undefined;
  return (await emitArtifacts(artifacts, ctx, timed)).filter((f) => {
    if (planned.has(f.path)) return true;
    if (omitted.has(f.path)) return false;
    throw new Error(`mcp-gen bug: ${f.path} is emitted but not planned (add it to generator/plan/plan.ts)`);
  });
}

/** Format: prettier (through the cache) and the one-line header naming the command that regenerates. */
export function formatProject(
  emitted: EmittedFile[],
  plan: OutputPlan,
  spec: Pick<LoadedSpec, 'revision' | 'sha256'>,
  cache?: FormatStore,
  storeFor?: (file: EmittedFile) => FormatStore,
): Promise<FinalFile[]> {
  return formatAll(emitted, { revision: spec.revision, sha256: spec.sha256, command: plan.clientOnly ? 'mcp-gen generate --client-only' : 'mcp-gen generate' }, cache, storeFor);
}

/** Pure part: models and plan in, formatted files out. */
export async function renderProject(ctx: ProjectEmitContext, cache?: FormatCache): Promise<FinalFile[]> {
  return formatProject(await emitProject(ctx), ctx.plan, ctx.spec, cache);
}

/** Handler stubs the previous run planned that are no longer in the manifest: kept, with a warning. */
function orphanedStubs(previous: LockFile | undefined, planned: FinalFile[]): Diagnostic[] {
  const now = new Set(planned.filter((f) => f.owner === 'user').map((f) => f.path));
  return (previous?.userFiles ?? [])
    .filter((p) => p.startsWith('src/handlers/') && !now.has(p))
    .map((p) => diag('MG5004', `${p} belongs to an entry no longer in the manifest; it was kept`, { severity: 'warning' }));
}

/** Numeric compare of dotted versions (pre-release tags ignored): enough to tell an upgrade from a downgrade. */
function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).slice(0, 3).map(Number), pb = b.split(/[.+-]/).slice(0, 3).map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/**
 * The lock names the generator version that wrote the output. `--check` with another version
 * would report every header as stale, so it refuses and says which version to run; a write with
 * a newer version is an upgrade (warning), with an older one a downgrade (refused without --force).
 */
export function generatorVersionCheck(lock: LockFile | undefined, mode: WriteMode, force = false): Diagnostic[] {
  const wrote = lock?.generator?.version;
  if (!wrote || wrote === GENERATOR_VERSION) return [];
  const message = `the generated files were written by mcp-gen ${wrote}; this is mcp-gen ${GENERATOR_VERSION}`;
  if (mode === 'check') {
    throw new DiagnosticError(
      diag('MG5010', message, { help: `run the project's own generator (\`npm install\`, then \`npm run check\`), or regenerate with ${GENERATOR_VERSION} (\`npm run generate\`) and commit` }),
    );
  }
  if (compareVersions(GENERATOR_VERSION, wrote) < 0 && !force) {
    throw new DiagnosticError(diag('MG5010', `${message}, an older version`, { help: `run the project's own mcp-gen (\`npx --no-install mcp-gen\`) or pass --force to downgrade` }));
  }
  return mode === 'write' ? [diag('MG5010', `${message}: regenerating upgrades the project to ${GENERATOR_VERSION}`, { severity: 'warning', help: `pin "mcp-gen": "${GENERATOR_VERSION}" in package.json devDependencies so \`npm run check\` uses it` })] : [];
}

export async function generateProject(opts: ProjectOptions): Promise<ProjectResult> {
  // The caches only save work: output is the same without them (test/project/incremental-render.test.ts).
  const timings = opts.timings ?? StageTimings.fromEnv();
  const memo = await RenderMemo.load(resolve(opts.outDir ?? dirname(opts.manifestPath)));
  const inputs = await loadProjectInputs({ ...opts, memo, vetPreviousLock: (lock) => generatorVersionCheck(lock, opts.mode, opts.force) });
  timings.mark('inputs');
  const protocol = projectProtocolModel(inputs.spec);
  const served = await loadServed(servedRevisionList(inputs.app, inputs.spec.revision), { spec: inputs.spec, protocol }, opts.source, inputs.app.serve !== undefined);
  const plan = planOrThrow(inputs.app, protocol, { ...planOptions(inputs, opts), served: served.map((s) => ({ revision: s.spec.revision, defs: s.protocol.defs })), memo }, inputs.sources);
  timings.mark('models');
  const synthesisMemo = await FormatCache.load(inputs.outDir, SYNTHESIS_PACK);
  const ctx = { ...emitContext(inputs, protocol, plan), served };
  // The protocol layer of this spec and generator build, rendered and formatted by an earlier project on this machine.
  const machine = await ProtocolLayerCache.load(ctx, opts.source?.env);
  const emitted = await emitProject({ ...ctx, synthesize: memoizedSynthesize(synthesisMemo), memo, protocolMemo: machine.memo }, timings);
  timings.mark('emit');
  const formatCache = await FormatCache.load(inputs.outDir);
  const files = await formatProject(emitted, plan, inputs.spec, formatCache, machine.formatStoreFor(formatCache));
  timings.mark('format');
  const report = await writeProject(inputs, plan, files, opts);
  timings.mark('write');
  if (opts.mode === 'write') await Promise.all([formatCache.save(), synthesisMemo.save(), memo.save(), machine.save()]); // --check and --dry-run write nothing, not even the caches
  timings.mark('caches');
  const orphans = orphanedStubs(inputs.previousLock, files);
  // Not in `reads`, so a run that warns here never settles: the warning repeats until fixed.
  const drift = await packageDrift(inputs.outDir, files);
  const settled = opts.mode === 'write' && inputs.settled && orphans.length === 0 && drift.length === 0 && report.warnings.length === 0;
  return {
    app: inputs.app,
    spec: inputs.spec,
    files,
    report,
    warnings: [...inputs.warnings, ...orphans, ...drift],
    sources: inputs.sources,
    reads: inputs.reads,
    settled,
    incremental: { render: memo.stats, format: formatCache.stats, synthesis: synthesisMemo.stats, machine: machine.stats },
    timings,
  };
}

type ProjectInputs = Awaited<ReturnType<typeof loadProjectInputs>>;

/** The ProtocolModel of the project's revision (either era: the runtime serves both). */
export function projectProtocolModel(spec: LoadedSpec): ProtocolModel {
  return buildProtocolModel(spec);
}

/**
 * The revisions the server answers, newest first: the manifest's `serve:` (checked against the
 * project's revision, which `--spec` or `upgrade` may have changed), or by default the project's
 * revision and every older pinned one, so old clients keep working for the deprecation window.
 */
export function servedRevisionList(app: Pick<AppModel, 'serve'>, revision: string): string[] {
  if (!app.serve) return [revision, ...pinnedRevisions().map((p) => p.revision).filter((r) => r < revision)];
  const newer = app.serve.filter((r) => r > revision);
  if (newer.length > 0)
    throw new DiagnosticError(diag('MG3024', `\`serve\` lists ${newer.join(', ')}, newer than the revision generated (${revision})`, { help: 'remove it from `serve`' }));
  if (!(app.serve as readonly string[]).includes(revision))
    throw new DiagnosticError(diag('MG3025', `\`serve\` does not list the revision generated (${revision})`, { help: `add ${revision} to \`serve\`, or remove \`serve\` for the default` }));
  return [...new Set(app.serve)].sort((a, b) => (a < b ? 1 : -1));
}

/**
 * Schema and model of every served revision; the project's own is already loaded. `listed`: the
 * manifest names them in `serve:` (else they are served by default), for the message when one
 * cannot be loaded.
 */
export async function loadServed(revisions: string[], own: { spec: LoadedSpec; protocol: ProtocolModel }, source: SpecSourceOptions | undefined, listed = false): Promise<ServedRevision[]> {
  const out: ServedRevision[] = [];
  for (const revision of revisions) {
    if (revision === own.spec.revision) {
      out.push(own);
      continue;
    }
    // `--schema FILE` replaces the project's own revision only; the others come from cache or mirror.
    const spec = await loadSpec(revision, { ...source, schemaFile: undefined }).catch((error: unknown) => {
      throw servedSchemaMissing(error, revision, own.spec.revision, listed);
    });
    out.push({ spec, protocol: buildProtocolModel(spec) });
  }
  return out;
}

/**
 * A second served revision whose schema could not be fetched (offline, or a mirror without it):
 * say why the project needs it and the one command that fixes it, instead of only the download error.
 */
function servedSchemaMissing(error: unknown, revision: string, own: string, listed: boolean): unknown {
  const first = error instanceof DiagnosticError ? error.diagnostics[0] : undefined;
  if (!first || (first.code !== 'MG1006' && first.code !== 'MG1002')) return error;
  const why = listed ? `the manifest lists ${revision} in \`serve:\`` : `by default a ${own} project also serves every older pinned revision (${revision}) so its clients keep working`;
  return new DiagnosticError(
    diag(first.code, `the schema of ${revision} is needed too: ${why}; it is not in the cache and ${first.message.replace(/^cannot fetch/, 'could not fetch')}`, {
      help: `run \`mcp-gen spec pull ${revision}\` once while online (or with MCP_GEN_SPEC_MIRROR set), then generate again; or serve ${own} only with \`serve: [${own}]\` in the manifest`,
    }),
  );
}

export function planOptions(inputs: ProjectInputs, opts: ProjectOptions): PlanOptions {
  return {
    manifestPath: inputs.manifestRelPath,
    protocolDir: PROTOCOL_DIR,
    // A client-only project stays one: the lock remembers it when the flag is not given.
    clientOnly: opts.clientOnly ?? inputs.previousLock?.clientOnly === true,
    appTemplates: inputs.appTemplates,
    locate: inputs.locate,
  };
}

export function emitContext(inputs: ProjectInputs, protocol: ProtocolModel, plan: OutputPlan): ProjectEmitContext {
  return {
    spec: inputs.spec,
    protocol,
    protocolDir: PROTOCOL_DIR,
    app: inputs.app,
    plan,
    manifestPath: inputs.manifestRelPath,
    appTemplates: inputs.appTemplates,
    specExamples: inputs.specExamples,
  };
}

function writeProject(inputs: ProjectInputs, plan: OutputPlan, files: FinalFile[], opts: ProjectOptions): Promise<WriteReport> {
  return writeOutput({
    outDir: inputs.outDir,
    files,
    deletableRoots: PROJECT_DELETABLE_ROOTS,
    lock: {
      generator: { name: 'mcp-gen', version: GENERATOR_VERSION },
      spec: { revision: inputs.spec.revision, sha256: inputs.spec.sha256 },
      manifest: { path: inputs.manifestRelPath, sha256: sha256Hex(inputs.manifestText) },
      userFiles: files.filter((f) => f.owner === 'user').map((f) => f.path).sort(),
      clientOnly: plan.clientOnly || undefined,
    },
    mode: opts.mode,
    force: opts.force,
    stamps: true,
    beforeCommitStep: opts.beforeCommitStep,
  });
}
