/** `mcp-gen manifest schema`: the manifest's JSON Schema for editors (same definition that validates). */
import type { Command } from 'commander';
import type { CliIO } from './io.ts';

export function registerManifest(program: Command, io: CliIO): void {
  const manifest = program
    .command('manifest')
    .description('manifest tooling')
    .addHelpText('after', '\nExample:\n  $ mcp-gen manifest schema > mcp-gen.schema.json');
  manifest
    .command('schema')
    .description('print the JSON Schema of mcp-gen.yaml (for yaml-language-server and other editors)')
    .addHelpText('after', '\nExample:\n  $ mcp-gen manifest schema > mcp-gen.schema.json')
    .action(async () => {
      const { manifestJsonSchema } = await import('../manifest/validate-manifest.ts'); // zod and yaml only when needed
      io.out(JSON.stringify(manifestJsonSchema(), null, 2));
    });
}
