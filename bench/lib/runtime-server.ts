/**
 * (a) The generated-style server: the mcp-gen runtime serving one `echo` tool. Prints `ready <url>`.
 * BENCH_STATE=memory|redis adds a `touch` tool that publishes a change on the listen event bus,
 * with state in memory or in Redis (MCP_REDIS_URL): the shared-state section of bench:server.
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

const stateBackend = process.env.BENCH_STATE;
const server = createMcpServer({
  info: { name: 'bench-runtime', version: '1.0.0' },
  tools: stateBackend ? [echo, touch] : [echo],
  stateSecret: 'bench-secret-bench-secret-bench-secret-00',
  ...(stateBackend === 'redis' ? { state: { backend: 'redis' as const, url: process.env.MCP_REDIS_URL } } : {}),
});
const handle = await serveHttp(server, { port: Number(process.env.PORT ?? 0) });
process.stdout.write(`ready ${handle.url}\n`);
