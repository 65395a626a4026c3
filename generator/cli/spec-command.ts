/** `mcp-gen spec list|pull|show|diff`. */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { renderDiagnostics } from '../diagnostics/diagnostic.ts';
import { cacheStatus, loadSpec, pullSpec } from '../load/load-spec.ts';
import { pinnedRevisions } from '../load/spec-versions.ts';
import type { CliIO } from './io.ts';

/** The protocol model, diff and renderers: loaded by the commands that use them, not by `--help` or `spec list`. */
async function protocolModules() {
  const [{ buildProtocolModel }, { diffSpecs }, { renderDiff, renderProtocolSummary }] = await Promise.all([
    import('../protocol/build.ts'),
    import('../protocol/diff.ts'),
    import('./render-protocol.ts'),
  ]);
  return { buildProtocolModel, diffSpecs, renderDiff, renderProtocolSummary };
}

export function registerSpec(program: Command, io: CliIO): void {
  const spec = program
    .command('spec')
    .description('manage MCP spec revisions (schema.json pinned by sha256)')
    .addHelpText('after', '\nExample:\n  $ mcp-gen spec list\n  $ mcp-gen spec diff 2025-11-25 2026-07-28');

  spec
    .command('list')
    .description('list known revisions, their pins and cache state')
    .option('--json', 'machine-readable output')
    .addHelpText('after', '\nExample:\n  $ mcp-gen spec list --json')
    .action(async (opts: { json?: boolean }) => {
      const status = await cacheStatus(io.env);
      const rows = pinnedRevisions().map((p) => ({ ...p, cache: status[p.revision] }));
      if (opts.json) return io.out(JSON.stringify(rows, null, 2));
      for (const r of rows) io.out(`${r.revision}  ${r.era.padEnd(9)}  sha256:${r.sha256.slice(0, 12)}  cache:${r.cache}`);
    });

  spec
    .command('pull')
    .argument('<rev>', 'spec revision, e.g. 2026-07-28')
    .description('download a revision (schema.json and its examples) into the cache, from MCP_GEN_SPEC_MIRROR or upstream, verifying their sha256')
    .option('--force', 'replace the cached file even if it verifies')
    .addHelpText('after', '\nExample:\n  $ MCP_GEN_SPEC_MIRROR=../shared/spec mcp-gen spec pull 2026-07-28')
    .action(async (rev: string, opts: { force?: boolean }) => {
      const r = await pullSpec(rev, { env: io.env, force: opts.force });
      io.out(r.alreadyCached ? `${rev}: already cached at ${r.path}` : `${rev}: cached ${r.path} (from ${r.origin.location})`);
      if (r.examples.path) io.out(`${rev}: examples ${r.examples.alreadyCached ? 'already cached at' : 'cached'} ${r.examples.path}`);
      if (r.examples.warnings.length) io.err(renderDiagnostics(r.examples.warnings));
    });

  spec
    .command('show')
    .argument('<rev>', 'spec revision')
    .description('methods (direction, params, results, gating capability), error codes and _meta keys of a revision')
    .option('--json', 'print the protocol model as JSON')
    .option('--schema <file>', 'use this schema.json instead of the pinned one')
    .addHelpText('after', '\nExample:\n  $ mcp-gen spec show 2026-07-28')
    .action(async (rev: string, opts: { json?: boolean; schema?: string }) => {
      const loaded = await loadSpec(rev, { env: io.env, schemaFile: opts.schema });
      const { buildProtocolModel, renderProtocolSummary } = await protocolModules();
      const model = buildProtocolModel(loaded);
      io.out(opts.json ? JSON.stringify(model, null, 2) : renderProtocolSummary(model));
    });

  spec
    .command('diff')
    .argument('<a>', 'older revision')
    .argument('<b>', 'newer revision')
    .description('breaking-change report between two revisions')
    .option('--json', 'machine-readable output')
    .option('--manifest <file>', 'narrow the report to what this manifest uses, and say which of its entries each change concerns')
    .addHelpText('after', '\nExample:\n  $ mcp-gen spec diff 2025-11-25 2026-07-28 --json\n  $ mcp-gen spec diff 2025-11-25 2026-07-28 --manifest mcp-gen.yaml')
    .action(async (a: string, b: string, opts: { json?: boolean; manifest?: string }) => {
      const [la, lb] = [await loadSpec(a, { env: io.env }), await loadSpec(b, { env: io.env })];
      const { buildProtocolModel, diffSpecs, renderDiff } = await protocolModules();
      const full = diffSpecs(
        { model: buildProtocolModel(la), document: la.document },
        { model: buildProtocolModel(lb), document: lb.document },
      );
      if (!opts.manifest) return io.out(opts.json ? JSON.stringify(full, null, 2) : renderDiff(full));
      const { manifestImpact, narrowDiff } = await import('../upgrade.ts');
      const { loadApp, servedRevisionList } = await import('../project.ts');
      const { app } = await loadApp(resolve(io.cwd, opts.manifest));
      const d = narrowDiff(full, app);
      const newer = a < b ? b : a;
      const impact = manifestImpact(d, app, servedRevisionList(app.serve?.includes(newer as never) ? app : { serve: undefined }, newer));
      if (opts.json) return io.out(JSON.stringify({ ...d, manifest: opts.manifest, impact }, null, 2));
      io.out([renderDiff(d), '', `for ${opts.manifest}:`, ...impact.map((l) => `  ${l}`)].join('\n'));
    });
}
