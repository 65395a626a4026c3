/**
 * src/generated/client.ts: the typed client SDK. It only declares what the manifest knows (wire
 * names, validators shared with the server side, x-mcp-header params, templates); every method is
 * derived by the client runtime (templates/runtime/client, docs/client.md).
 */
import { generatedNames } from '../../../app/names.ts';
import type { ProjectArtifact, ProjectEmitContext } from '../../artifact.ts';
import { renderTemplate } from '../../templates.ts';
import { tsKey } from '../../text.ts';
import { tsLiteral } from './literals.ts';

export const clientSdk: ProjectArtifact = {
  id: 'client-sdk',
  emit(ctx: ProjectEmitContext) {
    const { app } = ctx;
    const server = generatedNames(app.server.name)?.pascal ?? 'Mcp';
    const view = {
      serverPascal: server,
      tools: app.tools.map((t) => ({
        camel: t.names.camel,
        pascal: t.names.pascal,
        name: JSON.stringify(t.name),
        hasOutput: Boolean(t.outputSchema),
        headerParams: tsLiteral(t.headerParams.map((h) => ({ header: h.name, path: h.propertyPath }))),
      })),
      prompts: app.prompts.map((p) => ({
        camel: p.names.camel,
        pascal: p.names.pascal,
        name: JSON.stringify(p.name),
        fields: p.arguments.map((a) => ({ key: tsKey(a.name), optional: a.required ? '' : '.optional()' })),
      })),
      templates: app.resourceTemplates.map((t) => ({
        camel: t.names.camel,
        name: JSON.stringify(t.name),
        uriTemplate: JSON.stringify(t.uriTemplate),
        mimeType: t.mimeType === undefined ? '' : `, mimeType: ${JSON.stringify(t.mimeType)}`,
      })),
      hasTools: app.tools.length > 0,
      hasPrompts: app.prompts.length > 0,
    };
    return [{ path: 'src/generated/client.ts', owner: 'generated', language: 'typescript', content: renderTemplate('project/src/generated/client.ts.hbs', view) }];
  },
};
