/**
 * Compile-must-fail probes for what a handler sees of a retried task (`npm run typecheck` compiles
 * this file and fails if any `@ts-expect-error` below stops being an error). Never executed.
 */
import { z } from 'zod';
import { defineTool, type ToolContext, type ToolTaskOptions } from '../../templates/runtime/index.ts';

export function probes(ctx: ToolContext): void {
  const attempt: number = ctx.task.attempt;
  const isRetry: boolean = ctx.task.isRetry;
  void attempt;
  void isRetry;
  // @ts-expect-error the attempt is a number, not a string
  const wrong: string = ctx.task.attempt;
  void wrong;
  // @ts-expect-error read-only: the runtime decides whether a run is a retry
  ctx.task.isRetry = false;
  // @ts-expect-error read-only
  ctx.task.attempt = 1;
}

export const retryOff: ToolTaskOptions = { mode: 'optional', retry: false };
// @ts-expect-error retry is a boolean
export const retryBad: ToolTaskOptions = { mode: 'optional', retry: 'no' };

export const tool = defineTool({
  name: 'pay',
  description: 'never twice',
  inputSchema: { type: 'object' },
  input: z.object({}),
  task: { mode: 'required', retry: false },
  handler: (_input, ctx) => ({ content: [{ type: 'text', text: ctx.task.isRetry ? 'again' : 'first' }] }),
});
