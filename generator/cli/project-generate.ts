/**
 * `mcp-gen generate` for a project: the no-op shortcut first (generator/incremental/noop-stamp.ts:
 * nothing changed since a settled run → its report, without loading the generator), else the
 * project driver, whose settled write runs record the shortcut for next time.
 */
import { DiagnosticError, diag, renderDiagnostics } from '../diagnostics/diagnostic.ts';
import { dropNoopStamp, saveNoopStamp } from '../incremental/noop-stamp.ts';
import { answerNoop, stampKeyFor } from './noop-shortcut.ts';
import type { GenerateFlags } from './generate-command.ts';
import { printReport } from './generate-command.ts';
import type { CliIO } from './io.ts';

export async function runProjectGenerate(io: CliIO, flags: GenerateFlags): Promise<number> {
  const mode = flags.check ? 'check' : flags.dryRun ? 'dry-run' : 'write';
  // The paths as the no-op stamp's key resolves them; the generator takes `outDir` only when given.
  const key = stampKeyFor(io.cwd, flags);
  const { manifestPath, schemaFile } = key;
  const outDir = flags.out ? key.outDir : undefined;
  if (flags.watch) {
    if (mode !== 'write') throw new DiagnosticError(diag('MG9001', `--watch cannot be combined with ${flags.check ? '--check' : '--dry-run'}`));
    const { watchProject } = await import('./watch.ts');
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      return await watchProject(io, {
        manifestPath,
        outDir,
        revision: flags.spec,
        source: { schemaFile, env: io.env },
        clientOnly: flags.clientOnly,
        force: flags.force,
        signal: flags.watchSignal ?? stop.signal,
      });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
  if (mode !== 'dry-run' && (await answerNoop(io, key, mode))) return 0;
  const { generateProject } = await import('../project.ts'); // the generator, loaded only when there is work
  const result = await generateProject({
    manifestPath,
    outDir,
    revision: flags.spec,
    source: { schemaFile, env: io.env },
    mode,
    clientOnly: flags.clientOnly,
    force: flags.force,
  });
  const warnings = result.warnings.length ? renderDiagnostics(result.warnings, result.sources) : '';
  if (warnings) io.err(warnings);
  // A rerun lists every planned file as unchanged or user-owned; the lock is not listed when unchanged.
  const actions = result.report.actions.filter((a) => a.owner !== 'lock').length;
  if (result.settled) await saveNoopStamp({ ...key, reads: result.reads, warnings, actions });
  else if (mode === 'write') await dropNoopStamp(key.outDir);
  for (const line of result.timings.lines()) io.err(line);
  return printReport(io, result.report, mode);
}
