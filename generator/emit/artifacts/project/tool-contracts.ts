/**
 * src/generated/tools/<tool>.ts per tool (types, validators, wire definition, handler contract,
 * typed asks) and src/generated/tools.ts re-exporting each tool's public names.
 */
import type { SharedSchemaLinks, ToolModel } from '../../../app/model.ts';
import { posix } from 'node:path';
import { GeneratedFile } from '../../../plan/generated-file.ts';
import { symbolOf, TOOLS_BARREL, type OutputPlan } from '../../../plan/plan.ts';
import type { EmittedFile, ProjectArtifact, ProjectEmitContext } from '../../artifact.ts';
import { hasPrototypeMemberProperty } from '../../prototype-members.ts';
import { renderSchemaModule, type SchemaModuleOptions } from '../../schema-module.ts';
import { memoizedLaidOut, memoizedSchemaModule, memoizedTemplateFile } from '../../../incremental/memo-steps.ts';
import type { RenderMemo } from '../../../incremental/render-memo.ts';
import { renderTemplate } from '../../templates.ts';
import { compact } from '../../../json.ts';
import { tsLiteral } from './literals.ts';
import { laidOutTypeScript, layoutToolFile } from '../../../format/ts-tool-layout.ts';

const TOOL_TEMPLATE = 'project/src/generated/tools/tool.ts.hbs';

export function toolWireDefinition(tool: ToolModel): Record<string, unknown> {
  return compact({
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: tool.inputSchema,
    outputSchema: tool.outputSchema,
    annotations: tool.annotations,
    icons: tool.icons,
    // MCP Apps: the template a host renders for this tool (extensions/apps-2026-01-26.mdx).
    _meta: tool.ui ? { ui: { resourceUri: tool.ui.resourceUri } } : undefined,
  });
}

/**
 * The tool's types and validators, from the render cache when its inputs did not change. What the
 * `shared` callback answers depends on this module's path and declared names and on the planned
 * shared schema symbols: they are the rest of the key.
 */
function renderToolSchemas(parts: Record<string, Record<string, unknown>>, options: SchemaModuleOptions, module: string, declared: string[], memo?: ToolMemo) {
  if (!memo) return renderSchemaModule(parts, options);
  return memoizedSchemaModule(memo.memo, renderSchemaModule, parts, options, { module, declared, sharedSymbols: memo.sharedSymbols });
}

interface ToolMemo {
  memo: RenderMemo;
  /** [name, kind, file] of every planned shared schema symbol. */
  sharedSymbols: string[][];
}

function toolMemo(plan: OutputPlan, memo: RenderMemo | undefined): ToolMemo | undefined {
  if (!memo) return undefined;
  const sharedSymbols = Object.values(plan.schemas).flatMap((s) => [s.type, s.validator].map((n) => symbolOf(plan, n)).map(({ name, kind, file }) => [name, kind, file]));
  return { memo, sharedSymbols };
}

/** A plan's symbols by file path, built once per plan: a find per tool was quadratic in the number of tools. */
const symbolsByPath = new WeakMap<OutputPlan, Map<string, string[]>>();
function declaredSymbols(plan: OutputPlan, path: string): string[] {
  let byPath = symbolsByPath.get(plan);
  if (!byPath) {
    byPath = new Map();
    for (const f of plan.files) if (!byPath.has(f.path)) byPath.set(f.path, f.symbols);
    symbolsByPath.set(plan, byPath);
  }
  return byPath.get(path) ?? [];
}

async function toolView(tool: ToolModel, plan: OutputPlan, memo?: ToolMemo) {
  const names = plan.tools[tool.name]!;
  const declared = declaredSymbols(plan, names.module);
  const file = new GeneratedFile(names.module, declared);
  const parts: Record<string, Record<string, unknown>> = { [names.input]: tool.inputSchema };
  // Validators carry the planned names directly: one exported name each.
  const validatorNames: Record<string, string> = { [names.input]: names.inputSchema };
  const links: Record<string, SharedSchemaLinks> = { [names.input]: tool.schemaLinks.input };
  if (tool.outputSchema && names.output) {
    parts[names.output] = tool.outputSchema;
    if (tool.schemaLinks.output) links[names.output] = tool.schemaLinks.output;
  }
  for (const ask of tool.asks) {
    const askType = names.askTypes[ask.id];
    if (ask.kind !== 'elicitation' || !ask.schema || !askType) continue;
    parts[askType] = ask.schema;
    validatorNames[askType] = names.askValidators[ask.id]!;
    if (ask.schemaLinks) links[askType] = ask.schemaLinks;
  }
  const inputCast = hasPrototypeMemberProperty(tool.inputSchema);
  const outputCast = Boolean(names.output) && hasPrototypeMemberProperty(tool.outputSchema);
  if (names.output && names.outputSchema) validatorNames[names.output] = names.outputSchema;
  const unchecked = new Set([...(inputCast ? [names.input] : []), ...(outputCast && names.output ? [names.output] : [])]);
  const elicitations = tool.asks.filter((ask) => ask.kind === 'elicitation');
  const mod = await renderToolSchemas(parts, {
    links,
    typeNames: new Map(Object.entries(names.typeNames)),
    validatorNames,
    unchecked,
    shared: (name) => {
      const s = plan.schemas[name];
      if (!s) throw new Error(`mcp-gen bug: shared schema ${name} was not planned`);
      return { type: file.import(symbolOf(plan, s.type)), validator: file.import(symbolOf(plan, s.validator)) };
    },
  }, names.module, declared, memo);
  return {
    imports: file.importLines(),
    // A client-only project has no server runtime: the module is the shared half (types, validators, wire data).
    withServer: !plan.clientOnly,
    // Every name comes from the plan; the template only places them.
    symbols: names,
    moduleSpecifier: `./${posix.relative(posix.dirname(TOOLS_BARREL), names.module)}`,
    name: tool.name,
    nameLiteral: JSON.stringify(tool.name),
    types: mod.types,
    validators: mod.validators,
    hasOutput: Boolean(tool.outputSchema),
    definition: tsLiteral(toolWireDefinition(tool)),
    headerParams: tsLiteral(tool.headerParams.map((h) => ({ header: h.name, path: h.propertyPath }))),
    // Only elicitations carry a message and a schema a handler passes to ctx.elicit; other asks need no export.
    hasAsks: elicitations.length > 0,
    asks: elicitations.map((ask) => ({
      key: JSON.stringify(ask.id),
      message: JSON.stringify(ask.message ?? `${tool.title ?? tool.name} needs your input`),
      hasSchema: Boolean(ask.schema),
      schemaConst: ask.schema ? names.askValidators[ask.id]! : '',
      requestedSchema: tsLiteral(ask.schema ?? { type: 'object', properties: {} }),
    })),
    timeoutMs: tool.timeoutMs === undefined ? undefined : String(tool.timeoutMs),
    // Tasks extension: how (and for how long) this tool runs as a task; forbidden emits nothing.
    task: tool.task === 'forbidden' ? undefined : tsLiteral(compact({ mode: tool.task, ttlMs: tool.taskTtlMs, pollIntervalMs: tool.taskPollIntervalMs, retry: tool.taskRetry })),
    hasRequires: Boolean(tool.requires?.length),
    requires: tsLiteral(Object.fromEntries((tool.requires ?? []).map((c) => [c, {}]))),
  };
}

export const toolContracts: ProjectArtifact = {
  id: 'tool-contracts',
  async emit(ctx: ProjectEmitContext) {
    const files: EmittedFile[] = [];
    const views = [];
    const memo = toolMemo(ctx.plan, ctx.memo);
    for (const tool of ctx.app.tools) {
      const view = await toolView(tool, ctx.plan, memo);
      views.push(view);
      // prettier's layout computed without prettier (format/ts-tool-layout.ts); unsure: prettier formats it.
      const file = memoizedTemplateFile(ctx.memo, TOOL_TEMPLATE, view, () => laidOutTypeScript(renderTemplate(TOOL_TEMPLATE, view)));
      files.push({ path: ctx.plan.tools[tool.name]!.module, owner: 'generated', language: 'typescript', ...file });
    }
    files.push({
      path: TOOLS_BARREL,
      owner: 'generated',
      language: 'typescript',
      ...memoizedLaidOut(ctx.memo, layoutToolFile, renderTemplate('project/src/generated/tools.ts.hbs', { tools: views, hasTools: views.length > 0, withServer: !ctx.plan.clientOnly })),
    });
    return files;
  },
};
