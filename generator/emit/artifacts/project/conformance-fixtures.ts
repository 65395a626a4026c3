/**
 * The conformance kit of a generated project: fixture files (test/conformance/fixtures/*.json),
 * a fixture-driven mock server (src/generated/mock-server.ts), and the vitest suite replaying the
 * fixtures over HTTP and stdio (test/conformance/conformance.test.ts). All generated.
 */
import { buildFixtures, primaryWire, toolFixtureInput } from '../../../fixtures/build-fixtures.ts';
import { isLaidOutToolFixture, laidOutToolFixture, laidOutToolsFile } from '../../../fixtures/laid-out-tools-file.ts';
import { synthesize } from '../../../fixtures/synthesize.ts';
import { specExampleCases } from '../../../fixtures/spec-examples.ts';
import type { EmittedFile, ProjectArtifact, ProjectEmitContext } from '../../artifact.ts';
import { renderTemplate } from '../../templates.ts';
import { printKey } from '../../zod-printer/literals.ts';
import { importSpecifier } from '../../../plan/generated-file.ts';
import { GENERATED_ROOT } from '../../../plan/plan.ts';
import { RUNTIME_OUTPUT_DIR } from './runtime-copy.ts';
import { mockServerView } from './mock-server-view.ts';
import { revisionsIndexPath } from '../protocol-revisions.ts';

export const FIXTURES_DIR = 'test/conformance/fixtures';
export const SPEC_EXAMPLES_FIXTURE = `${FIXTURES_DIR}/spec-examples.json`;

export const conformanceFixtures: ProjectArtifact = {
  id: 'conformance-fixtures',
  emit(ctx: ProjectEmitContext) {
    const { app, plan } = ctx;
    const synth = ctx.synthesize ?? synthesize;
    // Each tool's cases in prettier's layout and its mock answer, remembered per tool: a one-tool
    // edit computes and lays out that tool's only (fixtures/laid-out-tools-file.ts).
    const wire = primaryWire(app);
    const parts = app.tools.map((t) => {
      const input = toolFixtureInput(t, wire);
      return ctx.memo ? ctx.memo.getSync('tool-fixture', input, isLaidOutToolFixture, () => laidOutToolFixture(input, synth)) : laidOutToolFixture(input, synth);
    });
    const laidOut = parts.every((p) => p.cases !== null);
    // Unsure of a tool's layout: every tool's cases are computed again and the whole file formatted, as before.
    let { files, mock } = buildFixtures(app, synth, laidOut ? parts.map((p) => ({ cases: [], mock: p.mock })) : undefined);
    const toolsText = laidOut ? laidOutToolsFile(files[0]!, parts.map((p) => p.cases)) : undefined;
    if (laidOut && toolsText === undefined) ({ files, mock } = buildFixtures(app, synth));
    const out: EmittedFile[] = files.map((f) =>
      f.kind === 'tools' && toolsText !== undefined
        ? { path: `${FIXTURES_DIR}/${f.kind}.json`, owner: 'generated', language: 'json', preformatted: true, content: toolsText }
        : { path: `${FIXTURES_DIR}/${f.kind}.json`, owner: 'generated', language: 'json', content: JSON.stringify(f, null, 2) },
    );
    const examples = { kind: 'spec-examples', wire, seed: 0, cases: specExampleCases(app, ctx.specExamples ?? []) };
    out.push({ path: SPEC_EXAMPLES_FIXTURE, owner: 'generated', language: 'json', content: JSON.stringify(examples, null, 2) });
    // info, caching and the mock data literal come from mockServerView (laid out there).
    const view = {
      names: plan.mock,
      mockNames: plan.mock,
      mockImport: importSpecifier(plan.conformanceTest, plan.mock.path),
      modules: {
        runtime: importSpecifier(plan.mock.path, `${RUNTIME_OUTPUT_DIR}/index.ts`),
        prompts: importSpecifier(plan.mock.path, `${GENERATED_ROOT}/prompts.ts`),
        resources: importSpecifier(plan.mock.path, `${GENERATED_ROOT}/resources.ts`),
        revisions: importSpecifier(plan.mock.path, revisionsIndexPath(ctx.protocolDir)),
      },
      tools: app.tools.map((t) => {
        const names = plan.tools[t.name]!;
        return {
          name: JSON.stringify(t.name),
          key: printKey(t.name),
          module: importSpecifier(plan.mock.path, names.module),
          binder: names.binder,
          headerParams: names.headerParams,
          outputSchema: names.outputSchema,
          output: names.output,
          hasOutput: Boolean(t.outputSchema),
          hasAsks: t.asks.length > 0,
        };
      }),
      prompts: app.prompts.map((p) => ({ name: JSON.stringify(p.name), key: printKey(p.name), binder: plan.prompts[p.name]!.binder })),
      resources: app.resources.map((r) => ({ uri: JSON.stringify(r.uri), binder: plan.resources[r.uri]!.binder })),
      templates: app.resourceTemplates.map((t) => ({ uriTemplate: JSON.stringify(t.uriTemplate), binder: plan.templates[t.uriTemplate]!.binder })),
      hasTools: app.tools.length > 0,
      hasAsks: app.tools.some((t) => t.asks.length > 0),
      hasPrompts: app.prompts.length > 0,
      hasResources: app.resources.length + app.resourceTemplates.length > 0,
    };
    const mockServer = mockServerView(app, plan, mock, view.modules, (module) => importSpecifier(plan.mock.path, module));
    out.push({
      path: plan.mock.path,
      owner: 'generated',
      language: 'typescript',
      prettierShaped: mockServer.shaped,
      content: renderTemplate('project/src/generated/mock-server.ts.hbs', { ...view, ...mockServer.view }),
    });
    // The template is prettier's layout; only plan names and an import path are pasted in (format/preformatted.ts checks their widths).
    out.push({ path: plan.conformanceTest, owner: 'generated', language: 'typescript', prettierShaped: true, content: renderTemplate('project/test/conformance/conformance.test.ts.hbs', view) });
    return out;
  },
};
