/** `mcp-gen pull --url URL | --stdio "cmd"`: a manifest from a live server. */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DiagnosticError, diag, renderDiagnostics } from '../diagnostics/diagnostic.ts';
import type { CliIO } from './io.ts';

interface PullFlags {
  url?: string;
  stdio?: string;
  out: string;
  force?: boolean;
  tokenEnv?: string;
  clientId?: string;
  clientSecretEnv?: string;
  login?: boolean;
  tokenStore?: string;
}

function fromEnv(io: CliIO, name: string, flag: string): string {
  const value = io.env[name];
  if (!value) throw new DiagnosticError(diag('MG9001', `${flag} ${name}: the environment variable is not set`));
  return value;
}

/**
 * OAuth for `pull --url` (../shared/spec/2026-07-28/docs/basic/authorization/): the client runtime's
 * own OAuth client, so pull reaches a protected server exactly as a generated client would. It
 * only acts on a 401; an open server never sees any of this. Non-interactive in CI (a token from
 * the environment, or client credentials); a loopback login only when asked or on a terminal.
 */
async function pullAuth(opts: PullFlags, io: CliIO) {
  const { createOAuth, FileTokenStore, loopbackLogin } = await import('../../templates/runtime/client/index.ts');
  const store = opts.tokenStore ? new FileTokenStore(resolve(io.cwd, opts.tokenStore)) : undefined;
  if (opts.tokenEnv) return createOAuth({ accessToken: fromEnv(io, opts.tokenEnv, '--token-env') });
  const secret = opts.clientSecretEnv ? fromEnv(io, opts.clientSecretEnv, '--client-secret-env') : undefined;
  if (opts.clientId && secret !== undefined && !opts.login) return createOAuth({ clientCredentials: { clientId: opts.clientId, clientSecret: secret }, ...(store && { store }) });
  const interactive = opts.login || process.stdin.isTTY === true;
  return createOAuth({
    clientName: 'mcp-gen pull',
    ...(store && { store }),
    ...(opts.clientId && { clients: () => ({ clientId: opts.clientId!, ...(secret !== undefined && { clientSecret: secret }) }) }),
    ...(interactive && { login: loopbackLogin({ print: (line) => io.err(line) }) }),
  });
}

export function registerPull(program: Command, io: CliIO): void {
  program
    .command('pull')
    .description('write a manifest from a live MCP server (discover + tools/prompts/resources lists) for `generate --client-only`')
    .option('--url <url>', 'Streamable HTTP endpoint')
    .option('--stdio <command>', 'command line that starts a stdio server')
    .option('--out <file>', 'manifest to write', 'mcp-gen.yaml')
    .option('--force', 'replace an existing manifest')
    .option('--token-env <name>', 'protected server: send the access token held in this environment variable (CI)')
    .option('--client-id <id>', 'protected server: OAuth client id (client-credentials grant with --client-secret-env, else a pre-registered client for the login)')
    .option('--client-secret-env <name>', 'environment variable holding the client secret')
    .option('--login', 'protected server: log in through the browser (loopback redirect); the default when stdin is a terminal')
    .option('--token-store <file>', 'keep OAuth registrations and tokens in this file (mode 0600) between runs')
    .addHelpText('after', '\nExamples:\n  $ mcp-gen pull --url http://127.0.0.1:3000/mcp\n  $ MCP_TOKEN=ey… mcp-gen pull --url https://mcp.example.com/mcp --token-env MCP_TOKEN\n  $ mcp-gen pull --url https://mcp.example.com/mcp --client-id ci-bot --client-secret-env MCP_CLIENT_SECRET\n  $ mcp-gen pull --stdio "node dist/main.js --stdio" --out client/mcp-gen.yaml && mcp-gen generate --manifest client/mcp-gen.yaml --client-only')
    .action(async (opts: PullFlags) => {
      if (!opts.url === !opts.stdio) throw new DiagnosticError(diag('MG9001', 'pass exactly one of --url or --stdio'));
      const out = resolve(io.cwd, opts.out);
      if (existsSync(out) && !opts.force) throw new DiagnosticError(diag('MG5006', `${opts.out} already exists; pull never overwrites it`, { help: 'pass --force, or --out <other file>' }));
      let pulled;
      try {
        const { pullManifest } = await import('../pull.ts'); // the generator, loaded only when needed
        pulled = await pullManifest({ url: opts.url, stdio: opts.stdio, ...(opts.url && { auth: await pullAuth(opts, io) }) });
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
