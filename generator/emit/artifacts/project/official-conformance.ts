/**
 * The official conformance suite in a generated project (`npm run conformance`):
 * - test/conformance/run-official.ts (generated): serves the project's own server on 127.0.0.1:0
 *   and runs the referee's server leg against it, `--requirements 2026-07-28` judged against
 * - test/conformance/expected-failures.yaml (generated): the scenarios this manifest cannot pass,
 *   each with the reason (generator/fixtures/expected-failures.ts);
 * - .github/workflows/mcp.yml (user-owned, created once): build, test, `mcp-gen generate --check`,
 *   conformance.
 */
import {
  CONFORMANCE_PACKAGE,
  CONFORMANCE_REVISION,
  CONFORMANCE_VERSION,
  expectedFailuresYaml,
  REFEREE_NODE_PACKAGE,
} from '../../../fixtures/expected-failures.ts';
import type { EmittedFile, ProjectArtifact, ProjectEmitContext } from '../../artifact.ts';
import { renderTemplate } from '../../templates.ts';

export const RUN_OFFICIAL_PATH = 'test/conformance/run-official.ts';
export const EXPECTED_FAILURES_PATH = 'test/conformance/expected-failures.yaml';
export const WORKFLOW_PATH = '.github/workflows/mcp.yml';

export const officialConformance: ProjectArtifact = {
  id: 'official-conformance',
  emit(ctx: ProjectEmitContext): EmittedFile[] {
    const view = {
      revision: CONFORMANCE_REVISION,
      conformancePackage: CONFORMANCE_PACKAGE,
      conformanceVersion: CONFORMANCE_VERSION,
      nodePackage: REFEREE_NODE_PACKAGE,
      manifestPath: ctx.manifestPath,
      serverName: ctx.app.server.name,
    };
    return [
      // The template is prettier's layout, and its values are the generator's own constants.
      { path: RUN_OFFICIAL_PATH, owner: 'generated', language: 'typescript', prettierShaped: true, content: renderTemplate('project/test/conformance/run-official.ts.hbs', view) },
      // Comments and scenario names, all the generator's own text, written as prettier prints them.
      { path: EXPECTED_FAILURES_PATH, owner: 'generated', language: 'yaml', preformatted: true, content: expectedFailuresYaml(ctx.app) },
      // prettier's layout; the manifest path is its only value, pasted into plain scalars.
      { path: WORKFLOW_PATH, owner: 'user', language: 'yaml', preformatted: /^[A-Za-z0-9_./-]+$/.test(ctx.manifestPath), content: renderTemplate('project/.github/workflows/mcp.yml.hbs', view) },
    ];
  },
};
