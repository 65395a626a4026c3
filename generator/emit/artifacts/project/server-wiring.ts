/** src/generated/server.ts: the registry wiring manifest entries to the user's handler files. */
import type { ProjectArtifact, ProjectEmitContext } from '../../artifact.ts';
import { renderTemplate } from '../../templates.ts';
import { compact } from '../../../json.ts';
import { tsLiteral } from './literals.ts';
import { importSpecifier } from '../../../plan/generated-file.ts';
import { GENERATED_ROOT, TOOLS_BARREL } from '../../../plan/plan.ts';
import { RUNTIME_OUTPUT_DIR } from './runtime-copy.ts';
import { revisionsIndexPath } from '../protocol-revisions.ts';
import { arrayMember, importStatement, prettierString } from '../../../format/preformatted.ts';
import { layoutTsObjectLiteral } from '../../../format/ts-literal-layout.ts';
import type { HandlerEntry } from '../../../plan/handlers.ts';

const nonEmpty = <T>(record: Record<string, T>): Record<string, T> | undefined => (Object.keys(record).length > 0 ? record : undefined);

export const serverWiring: ProjectArtifact = {
  id: 'server-wiring',
  emit(ctx: ProjectEmitContext) {
    const texts = serverTexts(ctx);
    if (texts.shaped !== undefined) return [{ path: texts.path, owner: 'generated', language: 'typescript', prettierShaped: true, content: texts.shaped }];
    return [{ path: texts.path, owner: 'generated', language: 'typescript', content: texts.template() }];
  },
};

/**
 * server.ts two ways: the template (prettier formats it) and, for a server without auth, state or
 * task defaults, the same text built in prettier's layout. Exported so a test can hold the two to
 * the same output (test/project/preformatted.test.ts): a template edit must not leave the built form behind.
 */
export function serverTexts(ctx: ProjectEmitContext): { path: string; template: () => string; shaped: string | undefined } {
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
  const shaped = shapedServer(view, { info: compact({ name: app.server.name, version: app.server.version, title: app.server.title, description: app.server.description, websiteUrl: app.server.websiteUrl, icons: app.server.icons }), caching: app.caching, instructions: app.server.instructions });
  return { path: server.path, template: () => renderTemplate('project/src/generated/server.ts.hbs', view), shaped };
}

interface ServerView {
  names: { serverInfo: string; caching: string; createServer: string };
  modules: Record<'runtime' | 'tools' | 'prompts' | 'resources' | 'apps' | 'revisions', string>;
  timeoutMs?: string;
  state?: string;
  auth?: string;
  hasTaskDefaults: boolean;
  tools: HandlerEntry[];
  prompts: HandlerEntry[];
  resources: HandlerEntry[];
  templates: HandlerEntry[];
  hasApps: boolean;
}

/**
 * server.ts written in prettier's layout (the same text prettier makes of the template's), for a
 * server without `auth:`, `state:` or task defaults: import lists and handler arrays on one line
 * when they fit, else one entry a line; the data literals laid out by ts-literal-layout.ts. Marked
 * prettierShaped, so format/preformatted.ts still sends it to prettier when a line is too wide
 * (a long instructions string, long names). Undefined: the template, formatted by prettier.
 */
function shapedServer(view: ServerView, data: { info: unknown; caching: unknown; instructions: string | undefined }): string | undefined {
  if (view.auth !== undefined || view.state !== undefined || view.hasTaskDefaults) return undefined;
  const info = layoutTsObjectLiteral(data.info as never);
  const caching = layoutTsObjectLiteral(data.caching as never);
  if (info === undefined || caching === undefined) return undefined;
  const { names, modules } = view;
  const lines: string[] = [
    '/* The server registry: every manifest entry bound to its handler in src/handlers/. */',
    importStatement(['createMcpServer', 'type McpServer', 'type McpServerOptions'], modules.runtime),
    importStatement(['SERVED_REVISIONS', 'SERVED_VERSIONS'], modules.revisions),
  ];
  if (view.tools.length) lines.push(importStatement(view.tools.map((t) => t.binder), modules.tools));
  if (view.prompts.length) lines.push(importStatement(view.prompts.map((t) => t.binder), modules.prompts));
  if (view.resources.length + view.templates.length) lines.push(importStatement([...view.resources, ...view.templates].map((t) => t.binder), modules.resources));
  if (view.hasApps) lines.push(importStatement(['appsExtension', 'appTemplateResources'], modules.apps));
  for (const h of [...view.tools, ...view.prompts, ...view.resources, ...view.templates]) lines.push(importStatement([`${h.exportName} as ${h.alias}`], h.importPath));
  // An array property of the options object: prettier keeps it on one line when it fits (arrays keep no source breaks).
  const array = (key: string, items: string[]) => arrayMember('    ', key, items);
  const calls = (hs: HandlerEntry[]) => hs.map((h) => `${h.binder}(${h.alias})`);
  lines.push(
    '',
    `export const ${names.serverInfo} = ${info};`,
    '',
    `export const ${names.caching} = ${caching} satisfies McpServerOptions['caching'];`,
    '',
    '/** Builds the server; `overrides` replace any option (state secret, event bus, logger…). */',
    `export function ${names.createServer}(overrides: Partial<McpServerOptions> = {}): McpServer {`,
    '  return createMcpServer({',
    `    info: ${names.serverInfo},`,
    '    // The method tables the dispatcher reads, and the versions answered (newest first).',
    '    protocol: SERVED_REVISIONS,',
    '    protocolVersions: SERVED_VERSIONS,',
    `    instructions: ${data.instructions === undefined ? 'undefined' : prettierString(data.instructions)},`,
    array('tools', calls(view.tools)),
    array('prompts', calls(view.prompts)),
    array('resources', [...calls(view.resources), ...(view.hasApps ? ['...appTemplateResources()'] : [])]),
    array('resourceTemplates', calls(view.templates)),
    `    ${names.caching},`,
    ...(view.timeoutMs !== undefined ? [`    requestTimeoutMs: ${view.timeoutMs},`] : []),
    ...(view.hasApps ? ['    extensions: appsExtension,'] : []),
    '    ...overrides,',
    '  });',
    '}',
  );
  return lines.join('\n') + '\n';
}
