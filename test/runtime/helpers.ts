import { z } from 'zod';
import { SERVED_REVISIONS } from '../helpers/served-protocol.ts';
import { createMcpServer, defineTool, silentLoggerForTests, type McpServerOptions, type TransportContext } from './runtime-under-test.ts';

export const VERSION = '2026-07-28';

export function meta(extra: Record<string, unknown> = {}, capabilities: Record<string, unknown> = {}) {
  return {
    'io.modelcontextprotocol/protocolVersion': VERSION,
    'io.modelcontextprotocol/clientCapabilities': capabilities,
    'io.modelcontextprotocol/clientInfo': { name: 'vitest', version: '1.0.0' },
    ...extra,
  };
}

let nextId = 1;
export function request(method: string, params: Record<string, unknown> = {}, options: { meta?: Record<string, unknown>; capabilities?: Record<string, unknown>; id?: string | number } = {}) {
  return { jsonrpc: '2.0' as const, id: options.id ?? nextId++, method, params: { ...params, _meta: meta(options.meta, options.capabilities) } };
}

export const echoTool = defineTool({
  name: 'echo',
  description: 'Echoes its text',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  input: z.object({ text: z.string() }),
  output: z.object({ echoed: z.string() }),
  outputSchema: { type: 'object', properties: { echoed: { type: 'string' } }, required: ['echoed'] },
  handler: (input) => ({ structured: { echoed: input.text } }),
});

export function testServer(options: Partial<McpServerOptions> = {}) {
  return createMcpServer({
    info: { name: 'test-server', version: '0.0.1' },
    protocol: SERVED_REVISIONS,
    tools: [echoTool],
    stateSecret: 'test-secret-test-secret-test-secret!!',
    logger: silentLoggerForTests,
    ...options,
  });
}

/** Runs one message through the dispatcher, collecting the notifications it streamed. */
export async function roundTrip(server: ReturnType<typeof createMcpServer>, message: unknown, transport: TransportContext = {}) {
  const notifications: { method: string; params?: Record<string, unknown> }[] = [];
  const outcome = await server.handle(message, { send: (n) => notifications.push(n as never), ...transport });
  return { ...outcome, notifications, result: (outcome.response as { result?: Record<string, unknown> } | undefined)?.result, error: (outcome.response as { error?: { code: number; message: string; data?: unknown } } | undefined)?.error };
}
