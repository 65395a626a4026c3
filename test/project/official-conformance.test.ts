/**
 * `npm run conformance` in a generated project: the official suite (server leg,
 * `--requirements 2026-07-28`) against the project's own server, judged against the generated
 * test/conformance/expected-failures.yaml. The referee exits 1 on a stale entry as well as on an
 * unexpected failure, so exit 0 means the baseline predicted every scored scenario exactly.
 *
 * The artifact is emitted here directly (the way generator/project.ts builds its context), so this
 * test does not depend on it being registered. The referee comes from tools/conformance
 * (`npm run conformance:setup`) or MCP_CONFORMANCE_PREFIX; without it the suite runs are skipped (failed under CI).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { officialConformance, EXPECTED_FAILURES_PATH, RUN_OFFICIAL_PATH, WORKFLOW_PATH } from '../../generator/emit/artifacts/project/official-conformance.ts';
import { planProject } from '../../generator/plan/plan.ts';
import type { ProjectEmitContext } from '../../generator/emit/artifact.ts';
import { expectedFailures, SCENARIO_RULES } from '../../generator/fixtures/expected-failures.ts';
import { formatAll } from '../../generator/format/format.ts';
import { initProject } from '../../generator/init.ts';
import { loadSpec } from '../../generator/load/load-spec.ts';
import { loadApp } from '../../generator/project.ts';
import { buildProtocolModel } from '../../generator/protocol/build.ts';
import { parse as parseYaml } from 'yaml';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';

const REFEREE_PREFIX = process.env.MCP_CONFORMANCE_PREFIX ?? join(REPO_ROOT, 'tools', 'conformance');
const refereeInstalled =
  Boolean(process.env.MCP_CONFORMANCE_ENTRY) ||
  existsSync(join(REFEREE_PREFIX, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js'));
const requirementsFile = join(REFEREE_PREFIX, 'node_modules', '@modelcontextprotocol', 'conformance', 'requirements', '2026-07-28.yaml');

/**
 * Measured with the referee (0.2.0-alpha.12) against each template's generated project and handlers
 * (docs/fixtures.md): the scored scenarios that fail or warn. Everything else passes.
 */
const MEASURED_FAILING: Record<string, string[]> = {
  weather: [
    'server-stateless', 'completion-complete',
    'tools-call-simple-text', 'tools-call-image', 'tools-call-audio', 'tools-call-embedded-resource',
    'tools-call-mixed-content', 'tools-call-error', 'tools-call-with-progress',
    'resources-list', 'resources-read-text', 'resources-read-binary', 'resources-templates-read', 'sep-2164-resource-not-found',
    'prompts-list', 'prompts-get-simple', 'prompts-get-with-args', 'prompts-get-embedded-resource', 'prompts-get-with-image',
    'caching',
    'input-required-result-basic-elicitation', 'input-required-result-basic-sampling', 'input-required-result-basic-list-roots',
    'input-required-result-request-state', 'input-required-result-multiple-input-requests', 'input-required-result-multi-round',
    'input-required-result-missing-input-response', 'input-required-result-non-tool-request', 'input-required-result-result-type',
    'input-required-result-tampered-state', 'input-required-result-capability-check', 'input-required-result-ignore-extra-params',
  ],
  'kitchen-sink': [
    'server-stateless', 'completion-complete',
    'tools-call-simple-text', 'tools-call-image', 'tools-call-audio', 'tools-call-embedded-resource',
    'tools-call-mixed-content', 'tools-call-error', 'tools-call-with-progress',
    'resources-read-text', 'resources-read-binary', 'resources-templates-read',
    'prompts-get-simple', 'prompts-get-with-args', 'prompts-get-embedded-resource', 'prompts-get-with-image',
    'input-required-result-basic-elicitation', 'input-required-result-basic-sampling', 'input-required-result-basic-list-roots',
    'input-required-result-request-state', 'input-required-result-multiple-input-requests', 'input-required-result-multi-round',
    'input-required-result-missing-input-response', 'input-required-result-non-tool-request', 'input-required-result-result-type',
    'input-required-result-tampered-state', 'input-required-result-capability-check', 'input-required-result-ignore-extra-params',
  ],
};
// The minimal template measured the same set as weather (one tool, nothing else).
MEASURED_FAILING.minimal = MEASURED_FAILING.weather!;

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Generates a template into test/tmp (so the repo's node_modules resolve) and writes this artifact's files. */
async function generateWithOfficialConformance(template: string): Promise<string> {
  const dir = join(REPO_ROOT, 'test', 'tmp', `official-${template}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  dirs.push(dir);
  const source = { env: hermeticEnv() };
  await initProject({ dir, template, source });
  const manifestPath = join(dir, 'mcp-gen.yaml');
  const { app } = await loadApp(manifestPath);
  const spec = await loadSpec(app.spec, source);
  const protocol = buildProtocolModel(spec);
  const ctx: ProjectEmitContext = {
    spec,
    protocol,
    protocolDir: 'src/generated/protocol',
    app,
    plan: planProject(app, protocol, { manifestPath: 'mcp-gen.yaml' }),
    manifestPath: 'mcp-gen.yaml',
    appTemplates: {},
  };
  const files = await formatAll(await officialConformance.emit(ctx), { revision: spec.revision, sha256: spec.sha256, command: 'mcp-gen generate' });
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  return dir;
}

function runOfficial(dir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', RUN_OFFICIAL_PATH], {
      cwd: dir,
      env: { ...process.env, MCP_CONFORMANCE_PREFIX: REFEREE_PREFIX, MCP_STATE_SECRET: 'official-conformance-test-secret-0123456789' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

const scenarios = SCENARIO_RULES.map((r) => r.scenario);

describe('expected-failures predicates', () => {
  it('cover exactly the scenarios the referee scores at 2026-07-28, in its order', () => {
    expect(new Set(scenarios).size).toBe(37);
    if (existsSync(requirementsFile)) expect(scenarios).toEqual((parseYaml(readFileSync(requirementsFile, 'utf8')) as { server: string[] }).server);
  });

  it('predict nothing for the full fixture catalogue (test/fixtures/conformance/mcp-gen.yaml passes 37/37)', async () => {
    const { app } = await loadApp(join(REPO_ROOT, 'test/fixtures/conformance/mcp-gen.yaml'));
    expect(expectedFailures(app)).toEqual([]);
  });

  for (const template of ['weather', 'kitchen-sink', 'minimal']) {
    it(`match the measured failures of the ${template} template`, async () => {
      const manifest = template === 'minimal' ? join(REPO_ROOT, 'templates/init/minimal/mcp-gen.yaml') : join(REPO_ROOT, 'examples', template, 'mcp-gen.yaml');
      const { app } = await loadApp(manifest);
      expect(expectedFailures(app).map((f) => f.scenario)).toEqual(scenarios.filter((s) => MEASURED_FAILING[template]!.includes(s)));
    });
  }
});

describe('emitted files', () => {
  it('a YAML baseline with a reason per entry, the runner and a user-owned workflow', async () => {
    const { app } = await loadApp(join(REPO_ROOT, 'examples/kitchen-sink/mcp-gen.yaml'));
    const ctx = { app, manifestPath: 'mcp-gen.yaml' } as ProjectEmitContext;
    const files = await officialConformance.emit(ctx);
    expect(files.map((f) => [f.path, f.owner])).toEqual([
      [RUN_OFFICIAL_PATH, 'generated'],
      [EXPECTED_FAILURES_PATH, 'generated'],
      [WORKFLOW_PATH, 'user'],
    ]);
    const yamlText = files[1]!.content;
    const parsed = parseYaml(yamlText) as { server: string[] };
    expect(parsed.server).toEqual(expectedFailures(app).map((f) => f.scenario));
    for (const scenario of parsed.server) expect(yamlText).toMatch(new RegExp(`# missing: [^\\n]+\\n  - ${scenario}\\n`));
    const workflow = parseYaml(files[2]!.content) as { jobs: { check: { steps: { run?: string }[] } } };
    const runs = workflow.jobs.check.steps.map((s) => s.run).filter(Boolean);
    expect(runs).toEqual(expect.arrayContaining(['npm ci', 'npm run build', 'npm test', 'npm run conformance:setup\nnpm run conformance -- -o conformance-results\n']));
    // the project's own devDependency, not a checkout of mcp-gen
    expect(runs).toContain('npx --no-install mcp-gen generate --manifest mcp-gen.yaml --check');
    expect(runs.some((r) => r!.startsWith('npx --no-install mcp-gen diff --manifest mcp-gen.yaml --against'))).toBe(true);
    expect(files[2]!.content).not.toMatch(/MCP_GEN_REPOSITORY|\.mcp-gen-tool|not on the npm registry/);
  });
});

// Each suite run takes 10–15 s on 2 cores; the two run one after the other.
// .ci/run installs the referee (`npm run conformance:setup`): there a missing referee fails.
it.runIf(!refereeInstalled && Boolean(process.env.CI))('the conformance referee is installed', () => expect.fail('run `npm run conformance:setup`'));

describe.runIf(refereeInstalled)('npm run conformance in generated projects', () => {
  for (const template of ['weather', 'kitchen-sink']) {
    it(`${template}: the referee's verdict matches the generated baseline (exit 0)`, { timeout: 120_000 }, async () => {
      const dir = await generateWithOfficialConformance(template);
      const baseline = parseYaml(readFileSync(join(dir, EXPECTED_FAILURES_PATH), 'utf8')) as { server: string[] };
      expect(baseline.server).toEqual(scenarios.filter((s) => MEASURED_FAILING[template]!.includes(s)));
      const { code, output } = await runOfficial(dir);
      expect(output).toContain('Baseline check passed');
      expect(code, output.slice(-4000)).toBe(0);
    });
  }
});
