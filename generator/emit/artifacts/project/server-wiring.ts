/** src/generated/server.ts: the registry wiring manifest entries to the user's handler files. */
import type { ProjectArtifact, ProjectEmitContext } from '../../artifact.ts';
import { renderTemplate } from '../../templates.ts';
import { compact } from '../../../json.ts';
import { tsLiteral } from './literals.ts';
import { importSpecifier } from '../../../plan/generated-file.ts';
import { GENERATED_ROOT, TOOLS_BARREL } from '../../../plan/plan.ts';
import { RUNTIME_OUTPUT_DIR } from './runtime-copy.ts';
import { revisionsIndexPath } from '../protocol-revisions.ts';

const nonEmpty = <T>(record: Record<string, T>): Record<string, T> | undefined => (Object.keys(record).length > 0 ? record : undefined);

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
        auth: from(`${RUNTIME_OUTPUT_DIR}/auth/index.ts`),
        revisions: from(revisionsIndexPath(ctx.protocolDir)),
      },
      info: tsLiteral(compact({ name: app.server.name, version: app.server.version, title: app.server.title, description: app.server.description, websiteUrl: app.server.websiteUrl, icons: app.server.icons })),
      instructions: app.server.instructions === undefined ? 'undefined' : JSON.stringify(app.server.instructions),
      caching: tsLiteral(app.caching),
      timeoutMs: app.server.timeoutMs === undefined ? undefined : String(app.server.timeoutMs),
      // `state:` of the manifest; MCP_REDIS_URL still selects Redis at run time without it.
      state: app.state ? `{ ${Object.entries(app.state).map(([key, value]) => `${key}: ${JSON.stringify(value)}`).join(', ')} }` : undefined,
      // Tasks extension: the manifest's defaults; `overrides.tasks` (a store, say) adds to them.
      hasTaskDefaults: app.capabilities.tasks && app.server.tasks !== undefined,
      taskDefaults: tsLiteral(app.server.tasks ?? {}),
      tools: handlers.tools,
      prompts: handlers.prompts,
      resources: handlers.resources,
      templates: handlers.templates,
      hasTools: app.tools.length > 0,
      hasPrompts: app.prompts.length > 0,
      hasResources: app.resources.length + app.resourceTemplates.length > 0,
      // MCP Apps: ui:// templates join the resources; the extension is advertised in server/discover.
      hasApps: app.apps.length > 0,
      // OAuth 2.1 resource server (docs/auth.md): the options literal, applied by the HTTP transports.
      auth: app.auth
        ? tsLiteral(
            compact({
              ...app.auth,
              introspection: undefined,
              tools: nonEmpty(app.auth.tools),
              prompts: nonEmpty(app.auth.prompts),
              resources: nonEmpty(app.auth.resources),
              resourceTemplates: nonEmpty(app.auth.resourceTemplates),
              implies: nonEmpty(app.auth.implies),
            }),
          )
        : undefined,
      introspectionEndpoint: app.auth?.introspection ? JSON.stringify(app.auth.introspection.endpoint ?? null) : undefined,
    };
    return [{ path: server.path, owner: 'generated', language: 'typescript', content: renderTemplate('project/src/generated/server.ts.hbs', view) }];
  },
};
