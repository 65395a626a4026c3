/** `mcp-gen upgrade --to <rev>`: diff mapped onto the manifest, then move the pin and regenerate. */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { renderDiagnostics } from '../diagnostics/diagnostic.ts';
import { printReport } from './generate-command.ts';
import type { CliIO } from './io.ts';
import { renderDiff } from './render-protocol.ts';

export function registerUpgrade(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('upgrade')
    .description("move a project to another spec revision: print the changes that concern this manifest, rewrite `spec:`, regenerate")
    .requiredOption('--to <rev>', 'target spec revision')
    .option('--manifest <file>', 'manifest path', 'mcp-gen.yaml')
    .option('--dry-run', 'print the changes only; touch nothing')
    .addHelpText('after', '\nExample:\n  $ mcp-gen upgrade --to 2026-07-28 --dry-run')
    .action(async (opts: { to: string; manifest: string; dryRun?: boolean }) => {
      const { upgradeProject } = await import('../upgrade.ts'); // the generator, loaded only when needed
      const r = await upgradeProject({ manifestPath: resolve(io.cwd, opts.manifest), to: opts.to, dryRun: opts.dryRun, source: { env: io.env } });
      if (r.from === r.to) {
        io.out(`already on ${r.to}`);
        return;
      }
      io.out(renderDiff(r.diff));
      io.out(['', `for ${opts.manifest}:`, ...r.impact.map((l) => `  ${l}`)].join('\n'));
      if (!r.project) {
        io.out('\ndry run: manifest and generated files untouched');
        return;
      }
      io.out(`\nmanifest now pins ${r.to}; regenerated:`);
      if (r.project.warnings.length) io.err(renderDiagnostics(r.project.warnings, r.project.sources));
      setExit(printReport(io, r.project.report, 'write'));
      io.out('run `npm run typecheck`: the compiler names every handler the new contracts break');
    });
}
