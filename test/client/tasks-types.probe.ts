/**
 * Compile-must-fail probes for the typed task handle (`npm run typecheck` compiles this file and
 * fails if any `@ts-expect-error` below stops being an error). Never executed.
 */
import { z } from 'zod';
import { createTypedClient, defineToolCall, type TaskHandle } from '../../templates/runtime/client/index.ts';

const manifest = {
  tools: {
    crunch: defineToolCall({ name: 'crunch', input: z.object({ n: z.number() }), output: z.object({ doubled: z.number() }) }),
    noArgs: defineToolCall({ name: 'no_args', input: z.object({}) }),
  },
};

export async function probes(): Promise<void> {
  const client = createTypedClient({ url: 'http://127.0.0.1:1/mcp' }, manifest);
  const handle = await client.tools.crunch.start({ n: 1 });
  const typed: TaskHandle<{ doubled: number }> = handle;
  const result = await typed.result();
  if (!result.isError) {
    const doubled: number = result.structured.doubled;
    void doubled;
    // @ts-expect-error the handle's result is the tool's output type: `doubled` is a number
    const wrong: string = result.structured.doubled;
    // @ts-expect-error no field the output schema does not declare
    void result.structured.tripled;
    void wrong;
  }
  // @ts-expect-error start() takes the tool's typed input
  await client.tools.crunch.start({ n: 'one' });
  // @ts-expect-error start() requires the input the call requires
  await client.tools.crunch.start();
  await client.tools.noArgs.start();
  // @ts-expect-error a handle for one tool is not a handle for another tool's output
  const other: TaskHandle<{ doubled: string }> = handle;
  void other;
  // @ts-expect-error respond() takes a map of answers keyed by input request key, not a list
  await handle.respond([{ action: 'accept' }]);
  // @ts-expect-error no such tool
  await client.tools.missing.start();
}
