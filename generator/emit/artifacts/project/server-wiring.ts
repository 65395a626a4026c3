/** src/generated/server.ts: the registry wiring manifest entries to the user's handler files. */
import type { ProjectArtifact, ProjectEmitContext } from '../../artifact.ts';
import { renderTemplate } from '../../templates.ts';
import { compact } from '../../../json.ts';
import { tsLiteral } from './literals.ts';
import { importSpecifier } from '../../../plan/generated-file.ts';
import { GENERATED_ROOT, TOOLS_BARREL } from '../../../plan/plan.ts';
import { RUNTIME_OUTPUT_DIR } from './runtime-copy.ts';

export const serverWiring: ProjectArtifact = {
  id: 'server-wiring',
  emit(ctx: ProjectEmitContext) {
    const { app } = ctx;
    const handlers = ctx.plan.handlers;
    const server = ctx.plan.server;
    const from = (to: string) => importSpecifier(server.path, to);
    const view = {
      names: server,
      modules: {
        runtime: from(`${RUNTIME_OUTPUT_DIR}/index.ts`),
        tools: from(TOOLS_BARREL),
        prompts: from(`${GENERATED_ROOT}/prompts.ts`),
        resources: from(`${GENERATED_ROOT}/resources.ts`),
        apps: from(`${GENERATED_ROOT}/apps.ts`),
      },
      info: tsLiteral(compact({ name: app.server.name, version: app.server.version, title: app.server.title, description: app.server.description, websiteUrl: app.server.websiteUrl, icons: app.server.icons })),
      instructions: app.server.instructions === undefined ? 'undefined' : JSON.stringify(app.server.instructions),
      caching: tsLiteral(app.caching),
      timeoutMs: app.server.timeoutMs === undefined ? undefined : String(app.server.timeoutMs),
      tools: handlers.tools,
      prompts: handlers.prompts,
      resources: handlers.resources,
      templates: handlers.templates,
      hasTools: app.tools.length > 0,
      hasPrompts: app.prompts.length > 0,
      hasResources: app.resources.length + app.resourceTemplates.length > 0,
      // MCP Apps: ui:// templates join the resources; the extension is advertised in server/discover.
      hasApps: app.apps.length > 0,
    };
    return [{ path: server.path, owner: 'generated', language: 'typescript', content: renderTemplate('project/src/generated/server.ts.hbs', view) }];
  },
};
