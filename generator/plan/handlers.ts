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

/** The contract names each handler binds to, as the plan allocated them. */
export interface PlannedContracts {
  tools: Record<string, { binder?: string; handler?: string }>;
  prompts: Record<string, { binder: string; handler: string }>;
  resources: Record<string, { binder: string; handler: string }>;
  templates: Record<string, { binder: string; handler: string }>;
}

export function handlerEntries(app: AppModel, planned: PlannedContracts): Record<HandlerEntry['kind'], HandlerEntry[]> {
  const entry = (kind: HandlerEntry['kind'], file: string, camel: string, contract: { binder?: string; handler?: string }, label: string, description: string): HandlerEntry => ({
    path: `src/handlers/${kind}/${file}.ts`,
    importPath: `../handlers/${kind}/${file}.ts`,
    exportName: camel,
    alias: `${kind.slice(0, -1)}_${camel}`,
    // A client-only project plans no tool binders; its handler entries are never rendered.
    binder: contract.binder ?? '',
    handlerType: contract.handler ?? '',
    label,
    description,
    kind,
  });
  return {
    tools: app.tools.map((t) => entry('tools', t.names.file, t.names.camel, planned.tools[t.name]!, t.name, t.description)),
    prompts: app.prompts.map((p) => entry('prompts', p.names.file, p.names.camel, planned.prompts[p.name]!, p.name, p.description ?? '')),
    resources: app.resources.map((r) => entry('resources', r.names.file, r.names.camel, planned.resources[r.uri]!, r.uri, r.description ?? '')),
    templates: app.resourceTemplates.map((t) => entry('templates', t.names.file, t.names.camel, planned.templates[t.uriTemplate]!, t.uriTemplate, t.description ?? '')),
  };
}
