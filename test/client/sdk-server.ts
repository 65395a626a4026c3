/**
 * A 2026-07-28 server written with the official SDK (@modelcontextprotocol/server@2.4.0), for
 * interop and benchmarks: a header-mirrored tool, a structured tool, a two-round elicitation tool
 * (MRTR via `inputRequired`), a progress tool, a change trigger, a prompt and a resource template.
 *
 *   npx tsx test/client/sdk-server.ts --stdio     serve on stdio
 *   startSdkHttpServer()                           serve Streamable HTTP on 127.0.0.1
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { acceptedContent, createMcpHandler, inputRequired, McpServer, ResourceTemplate, type McpHttpHandler } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

let notifier: McpHttpHandler['notify'] | undefined;

export function buildSdkServer(): McpServer {
  const server = new McpServer({ name: 'sdk-interop', version: '1.0.0' }, { capabilities: { tools: { listChanged: true }, resources: { subscribe: true } } });
  server.registerTool(
    'greet',
    { description: 'Greets someone', inputSchema: z.object({ name: z.string().meta({ 'x-mcp-header': 'Name' }) }) },
    async ({ name }) => ({ content: [{ type: 'text', text: `Hello, ${name}!` }] }),
  );
  server.registerTool(
    'add',
    { description: 'Adds two numbers', inputSchema: z.object({ a: z.number(), b: z.number() }), outputSchema: z.object({ sum: z.number() }) },
    async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }], structuredContent: { sum: a + b } }),
  );
  server.registerTool('wizard', { description: 'Asks for a name, then a colour (two MRTR rounds)', inputSchema: z.object({}) }, async (_args, ctx) => {
    const responses = ctx.mcpReq.inputResponses;
    const carried = ctx.mcpReq.requestState<string>();
    const name = acceptedContent<{ name: string }>(responses, 'name')?.name ?? carried;
    if (!name) return inputRequired({ inputRequests: { name: inputRequired.elicit({ message: 'Your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } }) } });
    const colour = acceptedContent<{ colour: string }>(responses, 'colour')?.colour;
    if (!colour)
      return inputRequired({
        inputRequests: { colour: inputRequired.elicit({ message: 'Favourite colour?', requestedSchema: { type: 'object', properties: { colour: { type: 'string' } }, required: ['colour'] } }) },
        requestState: name,
      });
    return { content: [{ type: 'text', text: `${name} likes ${colour}` }] };
  });
  server.registerTool('progress', { description: 'Reports progress three times', inputSchema: z.object({}) }, async (_args, ctx) => {
    const token = ctx.mcpReq._meta?.progressToken;
    for (let i = 1; i <= 3; i++) if (token !== undefined) await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress: i, total: 3 } });
    return { content: [{ type: 'text', text: 'done' }] };
  });
  server.registerTool('change', { description: 'Announces a tool list change', inputSchema: z.object({}) }, async () => {
    notifier?.toolsChanged();
    return { content: [{ type: 'text', text: 'changed' }] };
  });
  server.registerPrompt('brief', { description: 'A brief', argsSchema: z.object({ topic: z.string() }) }, ({ topic }) => ({
    messages: [{ role: 'user', content: { type: 'text', text: `Brief on ${topic}` } }],
  }));
  server.registerResource('item', new ResourceTemplate('items://{id}', { list: undefined }), { mimeType: 'text/plain' }, async (uri, { id }) => ({
    contents: [{ uri: uri.href, text: `item ${String(id)}` }],
  }));
  return server;
}

export interface SdkHttpServer {
  url: string;
  close(): Promise<void>;
}

/** Bridges node:http to the SDK's web-standard handler (the SDK's own node adapter is a separate package). */
/** `legacy`: how 2025-era traffic is served ('reject' by default here; the SDK's own default is 'stateless'). */
export async function startSdkHttpServer(options: { legacy?: 'stateless' | 'reject' } = {}): Promise<SdkHttpServer> {
  const handler = createMcpHandler(() => buildSdkServer(), { legacy: options.legacy ?? 'reject' });
  notifier = handler.notify;
  const http = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(key, value);
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method,
      headers,
      body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
      signal: controller.signal,
    });
    const response = await handler.fetch(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return void res.end();
    try {
      for await (const chunk of response.body) res.write(chunk);
    } catch {
      // client went away
    }
    res.end();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: async () => {
      await handler.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

if (process.argv.includes('--stdio')) serveStdio(() => buildSdkServer());
