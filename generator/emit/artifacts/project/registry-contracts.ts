/**
 * src/generated/prompts.ts and src/generated/resources.ts: argument/params types, wire
 * definitions and handler types for prompts, resources and resource templates.
 */
import type { PromptModel, ResourceModel, ResourceTemplateModel } from '../../../app/model.ts';
import type { ProjectArtifact, ProjectEmitContext } from '../../artifact.ts';
import { renderTemplate } from '../../templates.ts';
import { commentLine, tsKey } from '../../text.ts';
import { compact } from '../../../json.ts';
import type { OutputPlan } from '../../../plan/plan.ts';
import { tsLiteral } from './literals.ts';
import { layoutToolFile } from '../../../format/ts-tool-layout.ts';
import { memoizedLaidOut } from '../../../incremental/memo-steps.ts';

function promptView(p: PromptModel, plan: OutputPlan) {
  return {
    names: plan.prompts[p.name]!,
    nameLiteral: JSON.stringify(p.name),
    nameComment: commentLine(JSON.stringify(p.name)),
    definition: tsLiteral(compact({ name: p.name, title: p.title, description: p.description ?? p.title ?? p.name, icons: p.icons })),
    arguments: tsLiteral(p.arguments.map((a) => compact({ name: a.name, title: a.title, description: a.description, required: a.required }))),
    argFields: p.arguments.map((a) => ({ key: tsKey(a.name), optional: a.required ? '' : '?' })),
    completions: p.arguments.filter((a) => a.completions?.length).map((a) => ({ key: tsKey(a.name), values: tsLiteral(a.completions) })),
  };
}

function resourceView(r: ResourceModel, plan: OutputPlan) {
  return {
    names: plan.resources[r.uri]!,
    uriComment: commentLine(JSON.stringify(r.uri)),
    definition: tsLiteral(compact({ uri: r.uri, name: r.name, title: r.title, description: r.description, mimeType: r.mimeType, size: r.size, icons: r.icons })),
  };
}

function templateView(t: ResourceTemplateModel, plan: OutputPlan) {
  return {
    names: plan.templates[t.uriTemplate]!,
    uriTemplateComment: commentLine(JSON.stringify(t.uriTemplate)),
    definition: tsLiteral(compact({ uriTemplate: t.uriTemplate, name: t.name, title: t.title, description: t.description, mimeType: t.mimeType, icons: t.icons })),
    // Form-style query variables ({?x}, {&x}) may be absent from a URI; path variables never are.
    params: t.variables.map((v) => ({ key: tsKey(v.name), optional: v.operator === '?' || v.operator === '&' ? '?' : '' })),
    completions: t.variables.filter((v) => v.completions?.length).map((v) => ({ key: tsKey(v.name), values: tsLiteral(v.completions) })),
    allowDotSegments: t.allowDotSegments === true,
  };
}

export const promptContracts: ProjectArtifact = {
  id: 'prompt-contracts',
  emit(ctx: ProjectEmitContext) {
    const prompts = ctx.app.prompts.map((p) => promptView(p, ctx.plan));
    return [{ path: 'src/generated/prompts.ts', owner: 'generated', language: 'typescript', ...memoizedLaidOut(ctx.memo, layoutToolFile, renderTemplate('project/src/generated/prompts.ts.hbs', { prompts, hasPrompts: prompts.length > 0 })) }];
  },
};

export const resourceContracts: ProjectArtifact = {
  id: 'resource-contracts',
  emit(ctx: ProjectEmitContext) {
    const resources = ctx.app.resources.map((r) => resourceView(r, ctx.plan));
    const templates = ctx.app.resourceTemplates.map((t) => templateView(t, ctx.plan));
    return [
      {
        path: 'src/generated/resources.ts',
        owner: 'generated',
        language: 'typescript',
        ...memoizedLaidOut(ctx.memo, layoutToolFile, renderTemplate('project/src/generated/resources.ts.hbs', { resources, templates, hasAny: resources.length + templates.length > 0 })),
      },
    ];
  },
};
