/** CLI entry: commander wiring and the mapping of failures to exit codes (0 ok, 1 diagnostics/stale, 2 usage). */
import { Command, CommanderError } from 'commander';
import { DiagnosticError, renderDiagnostics } from '../diagnostics/diagnostic.ts';
import { GENERATOR_VERSION } from '../paths.ts';
import { registerDiff } from './diff-command.ts';
import { registerGenerate } from './generate-command.ts';
import { registerInit } from './init-command.ts';
import { registerManifest } from './manifest-command.ts';
import { registerInspect } from './inspect-command.ts';
import { EXIT, processIO, type CliIO } from './io.ts';
import { registerPull } from './pull-command.ts';
import { registerSpec } from './spec-command.ts';
import { addSpecSourceHelp } from './spec-source-help.ts';
import { registerUpgrade } from './upgrade-command.ts';

// The launcher (generator/launch/bundle-runner.ts) hands the bundle its own import().
export { useImporter } from '../load/import-package.ts';

export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('mcp-gen')
    .description('Spec-driven code generator for the Model Context Protocol')
    .version(GENERATOR_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ mcp-gen init my-server --template weather\n  $ mcp-gen generate --check\n  $ mcp-gen spec diff 2025-11-25 2026-07-28',
    );
  program.exitOverride();
  program.configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  registerInit(program, io, setExit);
  registerGenerate(program, io, setExit, async (flags) => (await import('./project-generate.ts')).runProjectGenerate(io, flags));
  registerSpec(program, io);
  registerInspect(program, io);
  registerManifest(program, io);
  registerUpgrade(program, io, setExit);
  registerPull(program, io);
  registerDiff(program, io, setExit);
  addSpecSourceHelp(program);
  for (const cmd of program.commands) {
    cmd.exitOverride();
    cmd.configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
    for (const sub of cmd.commands) {
      sub.exitOverride();
      sub.configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
    }
  }
  return program;
}

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // `--help`/`--version` exit 0; help shown because a command or argument is missing is a usage error.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof DiagnosticError) {
      io.err(renderDiagnostics(e.diagnostics, e.sources));
      return e.diagnostics.some((d) => d.code === 'MG9001') ? EXIT.usage : EXIT.diagnostics;
    }
    io.err(`error MG9002 internal error: ${(e as Error).message}`);
    if (io.env.MCP_GEN_DEBUG) io.err(String((e as Error).stack));
    io.err('  help: re-run with MCP_GEN_DEBUG=1 for a stack trace and report it');
    return EXIT.diagnostics;
  }
}
