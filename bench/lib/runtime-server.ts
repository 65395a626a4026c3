/**
 * (a) The generated-style server: the mcp-gen runtime serving one `echo` tool. Prints `ready <url>`.
 * BENCH_STATE=memory|redis adds a `touch` tool that publishes a change on the listen event bus,
 * with state in memory or in Redis (MCP_REDIS_URL): the shared-state section of bench:server, and
 * a `job` tool that always runs as a task for clients declaring the Tasks extension (the task
 * round-trip rows), its records in the same backend.
 */
import { z } from 'zod';
import { createMcpServer, defineTool, serveHttp } from '../../templates/runtime/index.ts';

const echo = defineTool({
  name: 'echo',
  description: 'Echoes its text',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  input: z.object({ text: z.string() }),
  handler: ({ text }) => ({ content: [{ type: 'text', text }] }),
});

const touch = defineTool({
  name: 'touch',
  description: 'Announces an update of bench://doc to every listen stream',
  inputSchema: { type: 'object' },
  input: z.looseObject({}),
  handler: async (_input, ctx) => {
    await ctx.changes.resourceUpdated('bench://doc');
    return { content: [{ type: 'text', text: 'touched' }] };
  },
});

// Starts the task at once and finishes at the next turn: what is measured is the task machinery
// (create, durable record, settle, tasks/get), not the work.
const job = defineTool({
  name: 'job',
  description: 'A trivial job that runs as a task',
  inputSchema: { type: 'object' },
  input: z.looseObject({}),
  task: { mode: 'optional' },
  handler: async (_input, ctx) => {
    await ctx.task.start();
    return { content: [{ type: 'text', text: 'job done' }] };
  },
});

const stateBackend = process.env.BENCH_STATE;
const server = createMcpServer({
  info: { name: 'bench-runtime', version: '1.0.0' },
  tools: stateBackend ? [echo, touch, job] : [echo],
  // A client polling a task that is still running waits this long (tasks.md "Task Polling"):
  // short, so the rows measure the server rather than the client's sleep.
  ...(stateBackend ? { tasks: { pollIntervalMs: 5 } } : {}),
  stateSecret: 'bench-secret-bench-secret-bench-secret-00',
  ...(stateBackend === 'redis' ? { state: { backend: 'redis' as const, url: process.env.MCP_REDIS_URL } } : {}),
});
const handle = await serveHttp(server, { port: Number(process.env.PORT ?? 0) });
process.stdout.write(`ready ${handle.url}\n`);
