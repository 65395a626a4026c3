/** `mcp-gen pull --url URL | --stdio "cmd"`: a manifest from a live server. */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DiagnosticError, diag, renderDiagnostics } from '../diagnostics/diagnostic.ts';
import type { CliIO } from './io.ts';

export function registerPull(program: Command, io: CliIO): void {
  program
    .command('pull')
    .description('write a manifest from a live MCP server (discover + tools/prompts/resources lists) for `generate --client-only`')
    .option('--url <url>', 'Streamable HTTP endpoint')
    .option('--stdio <command>', 'command line that starts a stdio server')
    .option('--out <file>', 'manifest to write', 'mcp-gen.yaml')
    .option('--force', 'replace an existing manifest')
    .addHelpText('after', '\nExamples:\n  $ mcp-gen pull --url http://127.0.0.1:3000/mcp\n  $ mcp-gen pull --stdio "node dist/main.js --stdio" --out client/mcp-gen.yaml && mcp-gen generate --manifest client/mcp-gen.yaml --client-only')
    .action(async (opts: { url?: string; stdio?: string; out: string; force?: boolean }) => {
      if (!opts.url === !opts.stdio) throw new DiagnosticError(diag('MG9001', 'pass exactly one of --url or --stdio'));
      const out = resolve(io.cwd, opts.out);
      if (existsSync(out) && !opts.force) throw new DiagnosticError(diag('MG5006', `${opts.out} already exists; pull never overwrites it`, { help: 'pass --force, or --out <other file>' }));
      let pulled;
      try {
        const { pullManifest } = await import('../pull.ts'); // the generator, loaded only when needed
        pulled = await pullManifest({ url: opts.url, stdio: opts.stdio });
      } catch (error) {
        if (error instanceof DiagnosticError) throw error;
        throw new DiagnosticError(diag('MG1006', `cannot pull from ${opts.url ?? opts.stdio} (${(error as Error).message})`, { help: 'check that the server is running and speaks MCP 2026-07-28' }));
      }
      if (pulled.warnings.length) io.err(renderDiagnostics(pulled.warnings));
      await writeFile(out, pulled.yaml);
      const c = pulled.counts;
      io.out(`wrote ${opts.out}: ${c.tools} tools, ${c.prompts} prompts, ${c.resources} resources, ${c.resourceTemplates} templates`);
    });
}
