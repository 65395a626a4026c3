/** `mcp-gen inspect protocol|…`: dump intermediate representations as JSON. */
import type { Command } from 'commander';
import { basename, resolve } from 'node:path';
import { loadSpec } from '../load/load-spec.ts';
import type { CliIO } from './io.ts';

export function registerInspect(program: Command, io: CliIO): Command {
  const inspect = program
    .command('inspect')
    .description('dump an intermediate representation (protocol model, app model, output plan)')
    .addHelpText('after', '\nExample:\n  $ mcp-gen inspect protocol --spec 2026-07-28 --json');
  inspect
    .command('protocol')
    .description('the ProtocolModel of a spec revision')
    .option('--spec <rev>', 'spec revision', '2026-07-28')
    .option('--schema <file>', 'use this schema.json')
    .option('--json', 'JSON output (default: a summary table)')
    .addHelpText('after', '\nExample:\n  $ mcp-gen inspect protocol --spec 2025-11-25 --json')
    .action(async (opts: { spec: string; schema?: string; json?: boolean }) => {
      const [{ buildProtocolModel }, { renderProtocolSummary }] = await Promise.all([import('../protocol/build.ts'), import('./render-protocol.ts')]);
      const model = buildProtocolModel(await loadSpec(opts.spec, { env: io.env, schemaFile: opts.schema }));
      io.out(opts.json ? JSON.stringify(model, null, 2) : renderProtocolSummary(model));
    });
  inspect
    .command('app')
    .description('the AppModel built from a manifest (what would be generated)')
    .option('--manifest <file>', 'manifest path', 'mcp-gen.yaml')
    .option('--json', 'JSON output (the default; kept for symmetry)')
    .addHelpText('after', '\nExample:\n  $ mcp-gen inspect app --manifest examples/weather/mcp-gen.yaml --json')
    .action(async (opts: { manifest: string }) => {
      const { loadApp } = await import('../project.ts'); // the generator, loaded only when needed
      const { app } = await loadApp(resolve(io.cwd, opts.manifest));
      io.out(JSON.stringify(app, null, 2));
    });
  inspect
    .command('plan')
    .description('the OutputPlan: every file (path, owner, side, artifact) and every exported name')
    .option('--manifest <file>', 'manifest path', 'mcp-gen.yaml')
    .option('--client-only', 'plan a client-only project')
    .option('--json', 'JSON output (the default; kept for symmetry)')
    .addHelpText('after', '\nExample:\n  $ mcp-gen inspect plan --manifest examples/kitchen-sink/mcp-gen.yaml --json')
    .action(async (opts: { manifest: string; clientOnly?: boolean }) => {
      const { loadApp, loadServed, planOrThrow, servedRevisionList } = await import('../project.ts'); // the generator, loaded only when needed
      const manifestPath = resolve(io.cwd, opts.manifest);
      const { app, locate, sources } = await loadApp(manifestPath);
      const spec = await loadSpec(app.spec, { env: io.env });
      const { buildProtocolModel } = await import('../protocol/build.ts');
      const protocol = buildProtocolModel(spec);
      const served = await loadServed(servedRevisionList(app, app.spec), { spec, protocol }, { env: io.env }, app.serve !== undefined);
      const plan = planOrThrow(app, protocol, { manifestPath: basename(manifestPath), clientOnly: opts.clientOnly, locate, served: served.map((s) => ({ revision: s.spec.revision, defs: s.protocol.defs })) }, sources);
      io.out(JSON.stringify(plan, null, 2));
    });
  return inspect;
}
