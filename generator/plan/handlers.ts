/** Where each manifest entry's user-owned handler lives, and the name it exports. Planned once for stubs and wiring. */
import type { AppModel } from '../app/model.ts';

export type HandlerKind = 'tools' | 'prompts' | 'resources' | 'templates';

export interface HandlerEntry {
  /** Output-root-relative path of the user-owned file. */
  path: string;
  /** Import specifier from src/generated/server.ts. */
  importPath: string;
  /** Name the handler file exports. */
  exportName: string;
  /** Local alias in server.ts (kinds may share names). */
  alias: string;
  /** Contract function in src/generated (`getWeatherTool`, …). */
  binder: string;
  /** Handler type name. */
  handlerType: string;
  /** Manifest name (or URI) for comments. */
  label: string;
  description: string;
  kind: HandlerKind;
}

export function handlerEntries(app: AppModel): Record<HandlerEntry['kind'], HandlerEntry[]> {
  const entry = (kind: HandlerEntry['kind'], file: string, camel: string, binder: string, handlerType: string, label: string, description: string): HandlerEntry => ({
    path: `src/handlers/${kind}/${file}.ts`,
    importPath: `../handlers/${kind}/${file}.ts`,
    exportName: camel,
    alias: `${kind.slice(0, -1)}_${camel}`,
    binder,
    handlerType,
    label,
    description,
    kind,
  });
  return {
    tools: app.tools.map((t) => entry('tools', t.names.file, t.names.camel, `${t.names.camel}Tool`, `${t.names.pascal}Handler`, t.name, t.description)),
    prompts: app.prompts.map((p) => entry('prompts', p.names.file, p.names.camel, `${p.names.camel}Prompt`, `${p.names.pascal}PromptHandler`, p.name, p.description ?? '')),
    resources: app.resources.map((r) => entry('resources', r.names.file, r.names.camel, `${r.names.camel}Resource`, `${r.names.pascal}ResourceHandler`, r.uri, r.description ?? '')),
    templates: app.resourceTemplates.map((t) => entry('templates', t.names.file, t.names.camel, `${t.names.camel}Template`, `${t.names.pascal}TemplateHandler`, t.uriTemplate, t.description ?? '')),
  };
}
