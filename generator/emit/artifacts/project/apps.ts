/**
 * MCP Apps (extension `io.modelcontextprotocol/ui`, extensions/apps-2026-01-26.mdx), emitted only
 * when the manifest declares `apps:`:
 *
 * - src/generated/apps.ts: the ui:// template declarations (MIME type, `_meta.ui` with CSP,
 *   permissions, domain, prefersBorder) and the resources that serve each built view;
 * - src/generated/apps/<app>.ts: view-side bindings over the ext-apps `App` class, typed from the
 *   output schemas of the tools that render the app;
 * - src/generated/apps-build.ts: the `npm run build` step that bundles each view into one HTML file;
 * - src/apps/<app>.html and src/apps/<app>.ts: a starter view, user-owned, created once, when the
 *   manifest's `template:` is the conventional `src/apps/<app>.html`.
 */
import { posix } from 'node:path';
import type { AppModel, ToolModel, UiAppModel } from '../../../app/model.ts';
import type { EmittedFile, ProjectArtifact, ProjectEmitContext } from '../../artifact.ts';
import { renderTemplate } from '../../templates.ts';
import { escapeCommentText } from '../../text.ts';
import { compact } from '../../../json.ts';
import { tsLiteral } from './literals.ts';
import { importSpecifier } from '../../../plan/generated-file.ts';
import type { OutputPlan } from '../../../plan/plan.ts';

/** `_meta.ui` of the template resource: only what the manifest sets (omitted CSP lists mean "none"). */
export function appUiMeta(app: UiAppModel): Record<string, unknown> {
  const csp = compact({
    connectDomains: app.csp.connectDomains.length ? app.csp.connectDomains : undefined,
    resourceDomains: app.csp.resourceDomains.length ? app.csp.resourceDomains : undefined,
    frameDomains: app.csp.frameDomains.length ? app.csp.frameDomains : undefined,
    baseUriDomains: app.csp.baseUriDomains.length ? app.csp.baseUriDomains : undefined,
  });
  return compact({
    csp: Object.keys(csp).length ? csp : undefined,
    permissions: Object.keys(app.permissions).length ? app.permissions : undefined,
    domain: app.domain,
    prefersBorder: app.prefersBorder,
  });
}

/** The template's path relative to the output root (where `npm run build` runs). */
export function appSourcePath(app: UiAppModel, manifestPath: string): string {
  return posix.normalize(posix.join(posix.dirname(manifestPath), app.template));
}

function toolsOf(model: AppModel, app: UiAppModel): ToolModel[] {
  return app.usedBy.map((name) => model.tools.find((t) => t.name === name)!).filter(Boolean);
}

function appView(model: AppModel, app: UiAppModel, manifestPath: string, plan: OutputPlan) {
  const tools = toolsOf(model, app);
  const names = plan.apps[app.id]!;
  const source = appSourcePath(app, manifestPath);
  const declaration = compact({
    id: app.id,
    uri: app.resourceUri,
    name: app.id,
    title: app.title,
    description: app.description,
    mimeType: app.mimeType,
    source,
    ui: appUiMeta(app),
    tools: app.usedBy,
  });
  const label = app.title ?? app.id;
  return {
    id: app.id,
    idLiteral: JSON.stringify(app.id),
    uri: app.resourceUri,
    uriLiteral: JSON.stringify(app.resourceUri),
    names,
    // The starter script imports the view bindings; the path is the plan's.
    starterImport: names.starterScript ? importSpecifier(names.starterScript, names.module) : undefined,
    title: escapeCommentText(label),
    titleHtml: escapeHtml(label),
    titleLiteral: JSON.stringify(label),
    versionLiteral: JSON.stringify(model.server.version),
    source,
    declaration: tsLiteral(declaration),
    toolNames: tools.length ? tools.map((t) => `\`${t.name}\``).join(', ') : 'no tool yet',
    hasTools: tools.length > 0,
    tools: tools.map((t) => ({
      key: JSON.stringify(t.name),
      alias: names.toolAliases[t.name]!,
      module: importSpecifier(names.module, plan.tools[t.name]!.module),
      input: plan.tools[t.name]!.input,
      output: plan.tools[t.name]!.output,
    })),
  };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export const appsArtifact: ProjectArtifact = {
  id: 'apps',
  emit(ctx: ProjectEmitContext) {
    const { app: model } = ctx;
    if (model.apps.length === 0) return [];
    const apps = model.apps.map((a) => appView(model, a, ctx.manifestPath, ctx.plan));
    const files: EmittedFile[] = [
      {
        path: apps[0]!.names.declarationsModule,
        owner: 'generated',
        language: 'typescript',
        content: renderTemplate('project/src/generated/apps.ts.hbs', { apps, appIds: apps.map((a) => a.idLiteral).join(' | ') }),
      },
      {
        path: 'src/generated/apps-build.ts',
        owner: 'generated',
        language: 'typescript',
        content: renderTemplate('project/src/generated/apps-build.ts.hbs', {}),
      },
    ];
    for (const view of apps) {
      files.push({
        path: view.names.module,
        owner: 'generated',
        language: 'typescript',
        content: renderTemplate('project/src/generated/apps/app.ts.hbs', view),
      });
      // Starter view: the plan decides whether there is one (conventional place) and whether it has a script.
      if (view.names.starterHtml) files.push({ path: view.names.starterHtml, owner: 'user', language: 'html', content: renderTemplate('project/src/apps/app.html.hbs', view) });
      if (view.names.starterScript) files.push({ path: view.names.starterScript, owner: 'user', language: 'typescript', content: renderTemplate('project/src/apps/app.ts.hbs', view) });
    }
    return files;
  },
};
