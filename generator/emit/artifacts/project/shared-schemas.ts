/**
 * src/generated/schemas.ts: every manifest `schemas:` entry once, under the name the plan gave
 * it (type `Order`, validator `zodOrder`). Tool contracts import them instead of printing copies.
 */
import type { ProjectArtifact, ProjectEmitContext } from '../../artifact.ts';
import { SHARED_SCHEMAS_PATH } from '../../../plan/plan.ts';
import { renderSchemaModule, type SharedNames } from '../../schema-module.ts';
import { renderTemplate } from '../../templates.ts';
import { layoutToolFile } from '../../../format/ts-tool-layout.ts';
import { memoizedLaidOut, memoizedSchemaModule } from '../../../incremental/memo-steps.ts';

export const sharedSchemas: ProjectArtifact = {
  id: 'shared-schemas',
  async emit(ctx: ProjectEmitContext) {
    const { app, plan } = ctx;
    const planned = app.schemas.filter((s) => plan.schemas[s.name]);
    if (planned.length === 0) return [];
    const names = (name: string): SharedNames => {
      const s = plan.schemas[name];
      if (!s) throw new Error(`mcp-gen bug: shared schema ${name} was not planned`);
      return { type: s.type, validator: s.validator, part: s.type };
    };
    const parts = Object.fromEntries(planned.map((s) => [names(s.name).type, s.schema]));
    const options = { links: Object.fromEntries(planned.map((s) => [names(s.name).type, s.links])), shared: names, typeNames: new Map(Object.entries(plan.sharedTypeNames)) };
    // Remembered like a tool's module (a one-tool edit would otherwise load json-schema-to-typescript
    // for this file alone); `shared` answers from the planned names of every shared schema.
    const sharedContext = { module: SHARED_SCHEMAS_PATH, planned: Object.entries(plan.schemas).map(([name, s]) => [name, s.type, s.validator]) };
    const mod = ctx.memo ? await memoizedSchemaModule(ctx.memo, renderSchemaModule, parts, options, sharedContext) : await renderSchemaModule(parts, options);
    return [{ path: SHARED_SCHEMAS_PATH, owner: 'generated', language: 'typescript', ...memoizedLaidOut(ctx.memo, layoutToolFile, renderTemplate('project/src/generated/schemas.ts.hbs', mod)) }];
  },
};
