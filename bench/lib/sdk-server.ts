/**
 * (b) @modelcontextprotocol/server@2.4.0 serving the same `echo` tool statelessly for 2026-07-28:
 * `createMcpHandler(factory, { legacy: 'reject' })` — the SDK builds one McpServer per request —
 * behind the SDK's own Host/Origin validators (as its docs show), mounted on node:http with a
 * minimal node→fetch adapter (`@modelcontextprotocol/node`'s `toNodeHandler` is not installed
 * here). The adapter passes the parsed body (`parsedBody`), the SDK's documented fast path.
 * With BENCH_SDK_LEGACY=stateless it is the SDK's legacy mode instead (`legacy: 'stateless'`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import {
  createMcpHandler,
  hostHeaderValidationResponse,
  localhostAllowedHostnames,
  localhostAllowedOrigins,
  McpServer,
  originValidationResponse,
} from '@modelcontextprotocol/server';

const factory = () => {
  const server = new McpServer({ name: 'bench-sdk', version: '1.0.0' });
  server.registerTool('echo', { description: 'Echoes its text', inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
    content: [{ type: 'text', text }],
  }));
  return server;
};

// BENCH_SDK_LEGACY=stateless: the SDK's legacy mode (its default), which answers 2025-11-25 requests
// statelessly (a fresh server per request, no sessions): the session-path section of bench:server.
const handler = createMcpHandler(factory, { legacy: process.env.BENCH_SDK_LEGACY === 'stateless' ? 'stateless' : 'reject' });
const hostnames = localhostAllowedHostnames();
const origins = localhostAllowedOrigins();

async function listener(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const aborter = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) aborter.abort();
  });
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, { method: req.method, headers, body: hasBody ? text : undefined, signal: aborter.signal });
  let parsedBody: unknown;
  try {
    parsedBody = hasBody ? JSON.parse(text) : undefined;
  } catch {
    parsedBody = undefined; // let the SDK answer the parse error itself from the raw body
  }
  const response =
    hostHeaderValidationResponse(request, hostnames) ??
    originValidationResponse(request, origins) ??
    (await handler.fetch(request, parsedBody === undefined ? {} : { parsedBody }));
  const outHeaders: Record<string, string> = {};
  response.headers.forEach((value, key) => (outHeaders[key] = value));
  res.writeHead(response.status, outHeaders);
  if (response.body) for await (const chunk of response.body) res.write(chunk);
  res.end();
}

const server = createServer((req, res) => {
  listener(req, res).catch((error: unknown) => {
    process.stderr.write(`sdk adapter failed: ${String(error)}\n`);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
await once(server, 'listening');
process.stdout.write(`ready http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp\n`);
