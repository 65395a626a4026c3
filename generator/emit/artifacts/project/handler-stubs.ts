/** User-owned handler stubs: created once when an entry first appears, never touched again. */
import type { EmittedFile, ProjectArtifact, ProjectEmitContext } from '../../artifact.ts';
import { renderTemplate } from '../../templates.ts';
import { commentLine } from '../../text.ts';

export const handlerStubs: ProjectArtifact = {
  id: 'handler-stubs',
  emit(ctx: ProjectEmitContext) {
    const all = ctx.plan.handlers;
    const files: EmittedFile[] = [];
    for (const kind of ['tools', 'prompts', 'resources', 'templates'] as const) {
      for (const e of all[kind]) {
        files.push({
          path: e.path,
          owner: 'user',
          language: 'typescript',
          content: renderTemplate(`project/src/handlers/${kind}.ts.hbs`, {
            ...e,
            labelComment: commentLine(JSON.stringify(e.label)),
            notImplemented: JSON.stringify(`${e.label} is not implemented yet: edit ${e.path}`),
            description: commentLine(e.description),
          }),
        });
      }
    }
    return files;
  },
};
