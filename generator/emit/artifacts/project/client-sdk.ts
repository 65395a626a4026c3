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
import { importStatement, memberCallWithObject, prettierKey, prettierString, typeAliasOfGeneric } from '../../../format/preformatted.ts';
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
      toolsImport: importStatement(
        app.tools.flatMap((t) => [plan.tools[t.name]!.inputSchema, ...(plan.tools[t.name]!.outputSchema ? [plan.tools[t.name]!.outputSchema!] : [])]),
        importSpecifier(client.path, TOOLS_BARREL),
      ),
      tools: app.tools.map((t) => ({
        ...client.tools[t.name]!,
        argsType: typeAliasOfGeneric(client.tools[t.name]!.args, '__ToolInput', `typeof ${client.manifest}.tools.${client.tools[t.name]!.member}`),
        resultType: typeAliasOfGeneric(client.tools[t.name]!.callResult, '__ToolOutput', `typeof ${client.manifest}.tools.${client.tools[t.name]!.member}`),
        inputSchema: plan.tools[t.name]!.inputSchema,
        outputSchema: plan.tools[t.name]!.outputSchema,
        name: prettierString(t.name),
        headerParams: tsLiteral(t.headerParams.map((h) => ({ header: h.name, path: h.propertyPath }))),
      })),
      prompts: app.prompts.map((p) => ({
        member: client.prompts[p.name]!.member,
        name: prettierString(p.name),
        fields: p.arguments.map((a) => ({ key: prettierKey(a.name), optional: a.required ? '' : '.optional()' })),
      })),
      templates: app.resourceTemplates.map((t) => ({
        read: memberCallWithObject('    ', client.templates[t.uriTemplate]!.member, '__defineResourceTemplateRead', [
          ['name', prettierString(t.name)],
          ['uriTemplate', prettierString(t.uriTemplate)],
          ...(t.mimeType === undefined ? [] : [['mimeType', prettierString(t.mimeType)] as [string, string]]),
        ]),
      })),
      hasTools: app.tools.length > 0,
      hasPrompts: app.prompts.length > 0,
      hasTemplates: app.resourceTemplates.length > 0,
    };
    // In prettier's layout (format/preformatted.ts), except header params: their literal is JSON text.
    const prettierShaped = app.tools.every((t) => t.headerParams.length === 0);
    return [{ path: client.path, owner: 'generated', language: 'typescript', prettierShaped, content: renderTemplate('project/src/generated/client.ts.hbs', view) }];
  },
};
