/**
 * src/generated/client.ts: the typed client SDK. It only declares what the manifest knows (wire
 * names, validators shared with the server side, x-mcp-header params, templates); every method is
 * derived by the client runtime (templates/runtime/client, docs/client.md). Every name and import
 * path comes from the plan (ctx.plan.client, ctx.plan.tools).
 */
import type { ProjectArtifact, ProjectEmitContext } from '../../artifact.ts';
import { importSpecifier } from '../../../plan/generated-file.ts';
import { RUNTIME_OUTPUT_DIR } from './runtime-copy.ts';
import { TOOLS_BARREL } from '../../../plan/plan.ts';
import { renderTemplate } from '../../templates.ts';
import { tsKey } from '../../text.ts';
import { tsLiteral } from './literals.ts';

export const clientSdk: ProjectArtifact = {
  id: 'client-sdk',
  emit(ctx: ProjectEmitContext) {
    const { app, plan } = ctx;
    const client = plan.client;
    const view = {
      manifest: client.manifest,
      clientType: client.clientType,
      factory: client.factory,
      runtimeModule: importSpecifier(client.path, `${RUNTIME_OUTPUT_DIR}/client/index.ts`),
      toolsModule: importSpecifier(client.path, TOOLS_BARREL),
      tools: app.tools.map((t) => ({
        ...client.tools[t.name]!,
        inputSchema: plan.tools[t.name]!.inputSchema,
        outputSchema: plan.tools[t.name]!.outputSchema,
        name: JSON.stringify(t.name),
        headerParams: tsLiteral(t.headerParams.map((h) => ({ header: h.name, path: h.propertyPath }))),
      })),
      prompts: app.prompts.map((p) => ({
        member: client.prompts[p.name]!.member,
        name: JSON.stringify(p.name),
        fields: p.arguments.map((a) => ({ key: tsKey(a.name), optional: a.required ? '' : '.optional()' })),
      })),
      templates: app.resourceTemplates.map((t) => ({
        member: client.templates[t.uriTemplate]!.member,
        name: JSON.stringify(t.name),
        uriTemplate: JSON.stringify(t.uriTemplate),
        mimeType: t.mimeType === undefined ? '' : `, mimeType: ${JSON.stringify(t.mimeType)}`,
      })),
      hasTools: app.tools.length > 0,
      hasPrompts: app.prompts.length > 0,
    };
    return [{ path: client.path, owner: 'generated', language: 'typescript', content: renderTemplate('project/src/generated/client.ts.hbs', view) }];
  },
};
