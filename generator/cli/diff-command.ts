/**
 * `mcp-gen diff --against <git-ref>`: what changed for clients between the manifest at a ref and
 * the working one, each change breaking or compatible. Exit 1 on a breaking change not listed in
 * the allow file, 2 on a bad ref or a ref without the manifest (one line).
 */
import type { Command } from 'commander';
import type { DiffOptions } from './diff-run.ts';
import type { CliIO } from './io.ts';

export const ALLOW_FILE = 'mcp-gen.allow.yaml';

export function registerDiff(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('diff')
    .description("breaking-change check of this server's tools, prompts and resources against the manifest at a git ref")
    .requiredOption('--against <ref>', 'git ref to compare with (a branch, tag or commit), e.g. main or origin/main')
    .option('--manifest <file>', 'manifest path', 'mcp-gen.yaml')
    .option('--allow <file>', `accepted breaking changes (default: ${ALLOW_FILE} beside the manifest)`)
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      `
Breaking (exit 1): a removed tool, prompt, resource or resource template; a new required input field
or prompt argument; a narrowed input type, enum, range or pattern; a removed, retyped or no longer
guaranteed output field; a widened output enum; a changed x-mcp-header; a changed URI template.
Compatible: additions, optional fields, widened inputs.

To accept a breaking change, list its id in ${ALLOW_FILE}:
  allow:
    - tool-removed:get_forecast
    - { id: input-field-required:ship_order.zip, reason: "v2: clients updated" }

Examples:
  $ mcp-gen diff --against main
  $ mcp-gen diff --against origin/main --json`,
    )
    .action(async (opts: DiffOptions) => {
      // Loaded when the command runs, so `--help` and light commands do not load the generator.
      const { runDiff } = await import('./diff-run.ts');
      await runDiff(io, opts, setExit);
    });
}
