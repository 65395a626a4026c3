/** `mcp-gen generate` for a project: runs the project driver and prints its report. */
import { resolve } from 'node:path';
import { DiagnosticError, diag, renderDiagnostics } from '../diagnostics/diagnostic.ts';
import { generateProject } from '../project.ts';
import type { GenerateFlags } from './generate-command.ts';
import { printReport } from './generate-command.ts';
import type { CliIO } from './io.ts';
import { watchProject } from './watch.ts';

export async function runProjectGenerate(io: CliIO, flags: GenerateFlags): Promise<number> {
  const mode = flags.check ? 'check' : flags.dryRun ? 'dry-run' : 'write';
  const manifestPath = flags.manifest ?? 'mcp-gen.yaml';
  if (flags.watch) {
    if (mode !== 'write') throw new DiagnosticError(diag('MG9001', `--watch cannot be combined with ${flags.check ? '--check' : '--dry-run'}`));
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      return await watchProject(io, {
        manifestPath: resolve(io.cwd, manifestPath),
        outDir: flags.out ? resolve(io.cwd, flags.out) : undefined,
        revision: flags.spec,
        source: { schemaFile: flags.schema ? resolve(io.cwd, flags.schema) : undefined, env: io.env },
        clientOnly: flags.clientOnly,
        force: flags.force,
        signal: flags.watchSignal ?? stop.signal,
      });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
  const result = await generateProject({
    manifestPath: resolve(io.cwd, manifestPath),
    outDir: flags.out ? resolve(io.cwd, flags.out) : undefined,
    revision: flags.spec,
    source: { schemaFile: flags.schema ? resolve(io.cwd, flags.schema) : undefined, env: io.env },
    mode,
    clientOnly: flags.clientOnly,
    force: flags.force,
  });
  if (result.warnings.length) io.err(renderDiagnostics(result.warnings, result.sources));
  return printReport(io, result.report, mode);
}
