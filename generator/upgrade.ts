/**
 * `mcp-gen upgrade --to <rev>`: move a project to another spec revision. First the schema diff,
 * narrowed to what this manifest uses (its tools, prompts, resources, completions, apps); then
 * the manifest's `spec:` is rewritten in place (comments kept) and the project regenerated, so
 * `tsc` points at handlers the new contracts break.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './fs/atomic-file.ts';
import { setListInPlace, setScalarInPlace } from './manifest/edit-in-place.ts';
import type { AppModel } from './app/model.ts';
import { DiagnosticError, diag } from './diagnostics/diagnostic.ts';
import { loadSpec, type SpecSourceOptions } from './load/load-spec.ts';
import { findPin, pinnedRevisions } from './load/spec-versions.ts';
import { buildProtocolModel } from './protocol/build.ts';
import { diffSpecs, type SpecDiff } from './protocol/diff.ts';
import { generateProject, loadApp, servedRevisionList, type ProjectResult } from './project.ts';

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

/** An explicit `serve:` after moving to `to`: `to` joins it, revisions newer than `to` leave it. */
export function upgradedServe(serve: readonly string[], to: string): string[] {
  return [...new Set([to, ...serve.filter((r) => r <= to)])].sort((a, b) => (a < b ? 1 : -1));
}

export interface UpgradeResult {
  from: string;
  to: string;
  diff: SpecDiff;
  /** manifestImpact lines: the methods the manifest uses that the move changes, and what is served after. */
  impact: string[];
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
  const { app } = await loadApp(opts.manifestPath);
  const [before, after] = [await loadSpec(app.spec, opts.source), await loadSpec(opts.to, opts.source)];
  const diff = narrowDiff(
    diffSpecs({ model: buildProtocolModel(before), document: before.document }, { model: buildProtocolModel(after), document: after.document }),
    app,
  );
  const impact = manifestImpact(diff, app, servedRevisionList({ serve: app.serve ? (upgradedServe(app.serve, opts.to) as AppModel['serve']) : undefined }, opts.to));
  if (opts.dryRun || app.spec === opts.to) return { from: app.spec, to: opts.to, diff, impact };

  const original = await readFile(opts.manifestPath);
  // Only `spec:` (and an explicit `serve:`, which must list it) change; every other byte stays as written.
  let text = setScalarInPlace(original.toString('utf8'), ['spec'], opts.to);
  if (app.serve) text = setListInPlace(text, ['serve'], upgradedServe(app.serve, opts.to));
  await writeFileAtomic(opts.manifestPath, text);
  try {
    const project = await generateProject({ manifestPath: opts.manifestPath, mode: 'write', source: opts.source, beforeCommitStep: opts.beforeCommitStep });
    return { from: app.spec, to: opts.to, diff, impact, project };
  } catch (error) {
    // The new revision could not be generated: put the manifest back exactly as it was.
    await writeFileAtomic(opts.manifestPath, original);
    throw error;
  }
}

/** The methods a manifest's entries reach on the wire, by what uses them. */
function methodUsers(app: AppModel): { method: string; users: string }[] {
  const names = (xs: { name: string }[]) => xs.map((x) => x.name).join(', ');
  const rows: { method: string; users: string }[] = [];
  if (app.tools.length) for (const m of ['tools/list', 'tools/call']) rows.push({ method: m, users: `tools ${names(app.tools)}` });
  if (app.prompts.length) for (const m of ['prompts/list', 'prompts/get']) rows.push({ method: m, users: `prompts ${names(app.prompts)}` });
  const resources = [...app.resources.map((r) => r.name), ...app.resourceTemplates.map((t) => t.name)];
  if (resources.length) for (const m of ['resources/list', 'resources/templates/list', 'resources/read', 'resources/subscribe']) rows.push({ method: m, users: `resources ${resources.join(', ')}` });
  if (app.capabilities.completions) rows.push({ method: 'completion/complete', users: 'completions' });
  const askMethod = { elicitation: 'elicitation/create', sampling: 'sampling/createMessage', roots: 'roots/list' } as Record<string, string>;
  for (const kind of Object.keys(askMethod)) {
    const askers = app.tools.flatMap((t) => t.asks.filter((a) => a.kind === kind).map((a) => `${t.name}.${a.id}`));
    if (askers.length) rows.push({ method: askMethod[kind]!, users: `asks ${askers.join(', ')}` });
  }
  return rows;
}

/**
 * What a move between revisions means for this manifest, one line per method its entries use:
 * added to, removed from or changed in the newer revision, and which entries are concerned. The
 * handler contracts do not change with the revision (one handler serves every era), so a line
 * here is a wire change the runtime absorbs unless it says otherwise.
 */
export function manifestImpact(diff: SpecDiff, app: AppModel, servedAfter: readonly string[]): string[] {
  const out: string[] = [];
  for (const { method, users } of methodUsers(app)) {
    const changes = diff.methods.changed.filter((c) => c.method === method).map((c) => `${c.what} ${c.from} → ${c.to}`);
    if (diff.methods.removed.includes(method)) out.push(`${method} (${users}): removed in ${diff.to}; served to ${diff.from} clients only`);
    else if (diff.methods.added.includes(method)) out.push(`${method} (${users}): new in ${diff.to}`);
    else if (changes.length) out.push(`${method} (${users}): ${changes.join('; ')}`);
  }
  out.push(`served after the move: ${servedAfter.join(', ')}${servedAfter.includes(diff.from) ? ` (${diff.from} clients keep working)` : ` (${diff.from} clients are refused)`}`);
  return out;
}
