/** (a) The generated-style server: the mcp-gen runtime serving one `echo` tool. Prints `ready <url>`. */
import { z } from 'zod';
import { createMcpServer, defineTool, serveHttp } from '../../templates/runtime/index.ts';

const echo = defineTool({
  name: 'echo',
  description: 'Echoes its text',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  input: z.object({ text: z.string() }),
  handler: ({ text }) => ({ content: [{ type: 'text', text }] }),
});

const server = createMcpServer({ info: { name: 'bench-runtime', version: '1.0.0' }, tools: [echo], stateSecret: 'bench-secret-bench-secret-bench-secret-00' });
const handle = await serveHttp(server, { port: Number(process.env.PORT ?? 0) });
process.stdout.write(`ready ${handle.url}\n`);
