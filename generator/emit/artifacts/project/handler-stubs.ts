/**
 * User-owned handler stubs: created once when an entry first appears, never touched again.
 * Written in prettier's layout (format/preformatted.ts): a 100-tool project has over a hundred.
 */
import type { EmittedFile, ProjectArtifact, ProjectEmitContext } from '../../artifact.ts';
import { renderTemplate } from '../../templates.ts';
import { commentLine } from '../../text.ts';
import { callWithString } from '../../../format/preformatted.ts';

/** How each kind's stub says it is not implemented yet. */
const NOT_IMPLEMENTED = { tools: 'return ctx.error', prompts: 'throw new Error', resources: 'throw new Error', templates: 'throw new Error' } as const;

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
          prettierShaped: true,
          content: renderTemplate(`project/src/handlers/${kind}.ts.hbs`, {
            ...e,
            labelComment: commentLine(JSON.stringify(e.label)),
            notImplemented: callWithString('  ', NOT_IMPLEMENTED[kind], `${e.label} is not implemented yet: edit ${e.path}`, ';'),
            description: commentLine(e.description),
          }),
        });
      }
    }
    return files;
  },
};
