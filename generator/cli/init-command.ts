/** `mcp-gen init <dir>`: scaffold a project from a template and generate it. */
import type { Command } from 'commander';
import { relative, resolve } from 'node:path';
import { renderDiagnostics } from '../diagnostics/diagnostic.ts';
import { INIT_TEMPLATES, initProject } from '../init.ts';
import { printReport } from './generate-command.ts';
import type { CliIO } from './io.ts';

export function registerInit(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('init')
    .argument('<dir>', 'directory for the new project (created if missing)')
    .description('create a project: manifest, package.json, tsconfig, handler stubs, then generate')
    .option('--template <name>', `one of ${Object.keys(INIT_TEMPLATES).join(', ')}`, 'minimal')
    .option('--spec <rev>', 'spec revision to pin in the manifest')
    .option('--name <name>', 'server name (default: the directory name for the minimal template)')
    .addHelpText('after', '\nExamples:\n  $ mcp-gen init my-server\n  $ mcp-gen init shop --template kitchen-sink\n  $ cd my-server && npm install && npm run build && npm start')
    .action(async (dir: string, opts: { template: string; spec?: string; name?: string }) => {
      const result = await initProject({ dir: resolve(io.cwd, dir), template: opts.template, spec: opts.spec, name: opts.name, source: { env: io.env } });
      if (result.warnings.length) io.err(renderDiagnostics(result.warnings, result.sources));
      const code = printReport(io, result.report, 'write');
      const rel = relative(io.cwd, resolve(io.cwd, dir)) || '.';
      io.out(`\nNext:\n  cd ${rel}\n  npm install && npm run build && npm start`);
      setExit(code);
    });
}
