/** `mcp-gen init <dir>`: scaffold a project from a template or an existing manifest, and generate it. */
import type { Command } from 'commander';
import { relative, resolve } from 'node:path';
import { renderDiagnostics } from '../diagnostics/diagnostic.ts';
import { INIT_TEMPLATES } from '../init-templates.ts';
import { printReport } from './generate-command.ts';
import type { CliIO } from './io.ts';

export function registerInit(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('init')
    .argument('<dir>', 'directory for the new project (created if missing)')
    .description('create a project: manifest, package.json, tsconfig, handler stubs, then generate (all or nothing)')
    .option('--template <name>', `one of ${Object.keys(INIT_TEMPLATES).join(', ')} (default: minimal)`)
    .option('--from <manifest>', 'start from an existing manifest (copied to <dir>/mcp-gen.yaml with the local files it references)')
    .option('--spec <rev>', 'spec revision to pin in the manifest')
    .option('--name <name>', 'server name (default: the directory name for the minimal template)')
    .option(
      '--generator-spec <spec>',
      'the npm spec of mcp-gen to pin as the project\'s devDependency (version, file:…tgz, git URL); env MCP_GEN_GENERATOR_SPEC; default: how this mcp-gen was installed',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ mcp-gen init my-server\n  $ mcp-gen init shop --template kitchen-sink\n  $ mcp-gen init my-server --from ../api/mcp-gen.yaml\n  $ cd my-server && npm install && npm run build && npm start',
    )
    .action(async (dir: string, opts: { template?: string; from?: string; spec?: string; name?: string; generatorSpec?: string }) => {
      // Loaded when the command runs, so `--help` and light commands do not load the generator (prettier, Ajv, …).
      const { initProject } = await import('../init.ts');
      const result = await initProject({
        dir: resolve(io.cwd, dir),
        template: opts.template,
        from: opts.from,
        spec: opts.spec,
        name: opts.name,
        generatorSpec: opts.generatorSpec,
        cwd: io.cwd,
        source: { env: io.env },
      });
      if (result.warnings.length) io.err(renderDiagnostics(result.warnings, result.sources));
      const code = printReport(io, result.report, 'write');
      const rel = relative(io.cwd, resolve(io.cwd, dir)) || '.';
      io.out(`devDependency mcp-gen: ${result.generator.spec} (${result.generator.origin})`);
      io.out(`\nNext:\n  cd ${rel}\n  npm install && npm run build && npm start\n  # after editing mcp-gen.yaml: npm run generate`);
      setExit(code);
    });
}
