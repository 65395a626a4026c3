/** `mcp-gen generate`: the protocol layer alone (`--protocol-only`) or a project from its manifest. */
import { Command } from 'commander';
import { resolve } from 'node:path';
import { DiagnosticError, diag, renderDiagnostics } from '../diagnostics/diagnostic.ts';
import type { WriteReport } from '../write/write-output.ts';
import { EXIT, type CliIO } from './io.ts';

export interface GenerateFlags {
  protocolOnly?: boolean;
  clientOnly?: boolean;
  force?: boolean;
  spec?: string;
  schema?: string;
  out?: string;
  manifest?: string;
  check?: boolean;
  dryRun?: boolean;
  watch?: boolean;
  /** In-process callers (tests) stop `--watch` with this instead of a signal. */
  watchSignal?: AbortSignal;
}

export function printReport(io: CliIO, report: WriteReport, mode: 'write' | 'check' | 'dry-run'): number {
  if (report.warnings.length) io.err(renderDiagnostics(report.warnings));
  if (mode === 'check') {
    if (report.stale.length) {
      io.err(renderDiagnostics([diag('MG5001', `${report.stale.length} generated file(s) are stale:\n${report.stale.map((p) => `  ${p}`).join('\n')}`)]));
      return EXIT.diagnostics;
    }
    io.out('generated files are up to date');
    return EXIT.ok;
  }
  const changed = report.actions.filter((a) => a.action !== 'unchanged' && a.action !== 'keep-user' && a.action !== 'keep-edited');
  if (mode === 'dry-run') {
    for (const a of report.actions) io.out(`${a.action.padEnd(9)} ${a.path}`);
    io.out(`dry run: ${changed.length} file(s) would change; nothing written`);
    return EXIT.ok;
  }
  for (const a of changed) io.out(`${a.action.padEnd(9)} ${a.path}`);
  io.out(`${changed.length} file(s) changed, ${report.actions.length - changed.length} unchanged or user-owned`);
  return EXIT.ok;
}

export function registerGenerate(program: Command, io: CliIO, setExit: (code: number) => void, projectGenerate?: (flags: GenerateFlags) => Promise<number>): void {
  program
    .command('generate')
    .description('generate code: the protocol layer (--protocol-only) or the project described by mcp-gen.yaml')
    .option('--protocol-only', 'emit only protocol/types.ts, schemas.ts and methods.ts')
    .option('--client-only', 'emit only what a typed client needs (no server wiring, handlers or entry point)')
    .option('--spec <rev>', 'spec revision (default: the manifest\'s `spec:`)')
    .option('--schema <file>', 'use this schema.json instead of the cache/mirror/upstream')
    .option('--out <dir>', 'output directory (default: the manifest\'s directory)')
    .option('--manifest <file>', 'manifest path (default: mcp-gen.yaml)')
    .option('--check', 'exit 1 and list stale files instead of writing')
    .option('--dry-run', 'print what would change; write nothing')
    .option('--force', 'replace files at generated paths that mcp-gen did not write (MG5007)')
    .option('--watch', 'regenerate on every save of the manifest, the schema files it $refs and its app templates (Ctrl-C to stop)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ mcp-gen generate                      # regenerate the project in this directory\n  $ mcp-gen generate --check              # CI: exit 1 when generated files are stale\n  $ mcp-gen generate --watch              # regenerate on save; one line per run\n  $ mcp-gen generate --protocol-only --spec 2026-07-28 --out ./out\n  $ mcp-gen pull --url https://example.com/mcp && mcp-gen generate --client-only',
    )
    .action(async (flags: GenerateFlags) => {
      if (flags.check && flags.dryRun) throw new DiagnosticError(diag('MG9001', '--check and --dry-run cannot be combined'));
      const mode = flags.check ? 'check' : flags.dryRun ? 'dry-run' : 'write';
      if (flags.protocolOnly) {
        if (flags.watch) throw new DiagnosticError(diag('MG9001', '--watch works on a project (mcp-gen.yaml), not with --protocol-only'));
        if (!flags.out) throw new DiagnosticError(diag('MG9001', '--protocol-only needs --out <dir>'));
        if (!flags.spec && !flags.schema) throw new DiagnosticError(diag('MG9001', '--protocol-only needs --spec <rev> or --schema <file>'));
        const { generateProtocolOnly } = await import('../pipeline.ts'); // the generator, loaded only when needed
        const result = await generateProtocolOnly({
          revision: flags.spec,
          source: { schemaFile: flags.schema ? resolve(io.cwd, flags.schema) : undefined, env: io.env },
          outDir: resolve(io.cwd, flags.out),
          mode,
        });
        if (!result.spec.pinned) io.err(`warning: ${flags.schema} matches no pinned revision; generated as ${result.spec.revision} (unverified)`);
        setExit(printReport(io, result.report, mode));
        return;
      }
      if (!projectGenerate) throw new DiagnosticError(diag('MG9001', 'project generation is not available in this build; use --protocol-only'));
      setExit(await projectGenerate(flags));
    });
}
