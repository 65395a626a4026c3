/** `mcp-gen generate` for a project: runs the project driver and prints its report. */
import { resolve } from 'node:path';
import { renderDiagnostics } from '../diagnostics/diagnostic.ts';
import { generateProject } from '../project.ts';
import type { GenerateFlags } from './generate-command.ts';
import { printReport } from './generate-command.ts';
import type { CliIO } from './io.ts';

export async function runProjectGenerate(io: CliIO, flags: GenerateFlags): Promise<number> {
  const mode = flags.check ? 'check' : flags.dryRun ? 'dry-run' : 'write';
  const manifestPath = flags.manifest ?? 'mcp-gen.yaml';
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
