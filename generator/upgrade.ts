/**
 * `mcp-gen upgrade --to <rev>`: move a project to another spec revision. First the schema diff,
 * narrowed to what this manifest uses (its tools, prompts, resources, completions, apps); then
 * the manifest's `spec:` is rewritten in place (comments kept) and the project regenerated, so
 * `tsc` points at handlers the new contracts break.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setScalarInPlace } from './manifest/edit-in-place.ts';
import type { AppModel } from './app/model.ts';
import { DiagnosticError, diag } from './diagnostics/diagnostic.ts';
import { loadSpec, type SpecSourceOptions } from './load/load-spec.ts';
import { findPin, pinnedRevisions } from './load/spec-versions.ts';
import { buildProtocolModel } from './protocol/build.ts';
import { diffSpecs, type SpecDiff } from './protocol/diff.ts';
import { generateProject, loadApp, type ProjectResult } from './project.ts';

/** Def and method name fragments per manifest feature; changes elsewhere count as core. */
const FEATURE_PATTERNS: Record<string, RegExp> = {
  tools: /Tool|tools\//,
  prompts: /Prompt|prompts\//,
  resources: /Resource|resources\//,
  completions: /Complete|completion\//,
};

function usedFeatures(app: AppModel): Set<string> {
  const used = new Set<string>();
  if (app.tools.length) used.add('tools');
  if (app.prompts.length) used.add('prompts');
  if (app.resources.length || app.resourceTemplates.length || app.apps.length) used.add('resources');
  if (app.capabilities.completions) used.add('completions');
  return used;
}

/** Whether a change to this def or method concerns the manifest: core changes always do. */
export function relevantTo(app: AppModel): (name: string) => boolean {
  const used = usedFeatures(app);
  return (name) => {
    const features = Object.entries(FEATURE_PATTERNS).filter(([, re]) => re.test(name)).map(([f]) => f);
    return features.length === 0 || features.some((f) => used.has(f));
  };
}

export function narrowDiff(diff: SpecDiff, app: AppModel): SpecDiff {
  const keep = relevantTo(app);
  const byDef = <T extends { def: string }>(xs: T[]) => xs.filter((x) => keep(x.def));
  return {
    ...diff,
    methods: { added: diff.methods.added.filter(keep), removed: diff.methods.removed.filter(keep), changed: diff.methods.changed.filter((c) => keep(c.method)) },
    defs: { added: diff.defs.added.filter(keep), removed: diff.defs.removed.filter(keep) },
    fields: {
      added: byDef(diff.fields.added),
      removed: byDef(diff.fields.removed),
      changed: byDef(diff.fields.changed),
      newlyRequired: byDef(diff.fields.newlyRequired),
      noLongerRequired: byDef(diff.fields.noLongerRequired),
    },
    // Each breaking line reads "<kind> <name…> …": the second word names the method or def(.field).
    breaking: diff.breaking.filter((line) => keep((line.split(' ')[1] ?? '').split('.')[0]!.replace(/:$/, ''))),
  };
}

export interface UpgradeResult {
  from: string;
  to: string;
  diff: SpecDiff;
  project?: ProjectResult;
}

export interface UpgradeOptions {
  manifestPath: string;
  to: string;
  dryRun?: boolean;
  source?: SpecSourceOptions;
  /** Fault injection for tests: passed to the writer's commit loop. */
  beforeCommitStep?: (index: number, path: string) => void;
}

/** Replaces a file by rename, so a crash leaves the old bytes or the new ones, never half of either. */
async function replaceFile(path: string, bytes: Buffer | string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * Transactional: the manifest's new `spec:` and the regenerated output land together or not at
 * all. The writer already rolls its own commit back on failure; here the manifest is put back
 * byte for byte (read as bytes, not text, so encoding quirks survive) when anything after its
 * rewrite fails.
 */
export async function upgradeProject(opts: UpgradeOptions): Promise<UpgradeResult> {
  if (!findPin(opts.to)) {
    throw new DiagnosticError(diag('MG1001', `unknown spec revision "${opts.to}"`, { help: `known revisions: ${pinnedRevisions().map((p) => p.revision).join(', ')}` }));
  }
  if (findPin(opts.to)?.era !== 'stateless') {
    throw new DiagnosticError(diag('MG1008', `projects for ${opts.to} (the session era) are not generated yet`, { help: 'upgrade to 2026-07-28' }));
  }
  const { app } = await loadApp(opts.manifestPath);
  const [before, after] = [await loadSpec(app.spec, opts.source), await loadSpec(opts.to, opts.source)];
  const diff = narrowDiff(
    diffSpecs({ model: buildProtocolModel(before), document: before.document }, { model: buildProtocolModel(after), document: after.document }),
    app,
  );
  if (opts.dryRun || app.spec === opts.to) return { from: app.spec, to: opts.to, diff };

  const original = await readFile(opts.manifestPath);
  // Only the `spec:` value changes; every other byte of the manifest stays as the user wrote it.
  await replaceFile(opts.manifestPath, setScalarInPlace(original.toString('utf8'), ['spec'], opts.to));
  try {
    const project = await generateProject({ manifestPath: opts.manifestPath, mode: 'write', source: opts.source, beforeCommitStep: opts.beforeCommitStep });
    return { from: app.spec, to: opts.to, diff, project };
  } catch (error) {
    // The new revision could not be generated: put the manifest back exactly as it was.
    await replaceFile(opts.manifestPath, original);
    throw error;
  }
}
