/**
 * Interop with the official client, @modelcontextprotocol/client@2.4.0 (a devDependency), over
 * Streamable HTTP against the conformance registry. Skipped when the client is not installed;
 * MCP_CONFORMANCE_PREFIX may name another directory whose node_modules has it.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveHttp, type HttpServerHandle } from './runtime-under-test.ts';
import { createConformanceServer } from './conformance-server.ts';

function resolveClient(): string | undefined {
  for (const prefix of [process.env.MCP_CONFORMANCE_PREFIX, process.cwd()]) {
    if (!prefix) continue;
    try {
      return createRequire(join(prefix, 'package.json')).resolve('@modelcontextprotocol/client');
    } catch {
      // not installed there
    }
  }
  return undefined;
}

const clientPath = resolveClient();

// The SDK's types are not available to this repo's type-check; keep the surface we use explicit.
interface SdkClient {
  connect(transport: unknown): Promise<void>;
  close(): Promise<void>;
  setRequestHandler(method: string, handler: (request: { params: Record<string, unknown> }) => Promise<unknown>): void;
  listTools(): Promise<{ tools: { name: string }[] }>;
  callTool(params: { name: string; arguments?: Record<string, unknown> }, options?: { onprogress?: (p: { progress: number }) => void }): Promise<{ content: { type: string; text?: string }[]; isError?: boolean }>;
  readResource(params: { uri: string }): Promise<{ contents: { uri: string; text?: string; blob?: string }[] }>;
  getPrompt(params: { name: string; arguments?: Record<string, string> }): Promise<{ messages: { content: { type: string; text?: string } }[] }>;
  listPrompts(): Promise<{ prompts: { name: string }[] }>;
}

describe.skipIf(!clientPath)('official client @modelcontextprotocol/client interop', () => {
  let http: HttpServerHandle;
  let client: SdkClient;

  beforeAll(async () => {
    http = await serveHttp(createConformanceServer({ stateSecret: 'interop-secret-interop-secret-interop' }), { port: 0, handleSignals: false });
    const sdk = (await import(pathToFileURL(clientPath!).href)) as {
      Client: new (info: object, options: object) => SdkClient;
      StreamableHTTPClientTransport: new (url: URL) => unknown;
    };
    client = new sdk.Client(
      { name: 'interop-test', version: '1.0.0' },
      { capabilities: { elicitation: {}, sampling: {}, roots: {} }, versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { name: 'Ada' } }));
    client.setRequestHandler('sampling/createMessage', async () => ({ role: 'assistant', model: 'm', content: { type: 'text', text: 'Paris' } }));
    client.setRequestHandler('roots/list', async () => ({ roots: [{ uri: 'file:///tmp', name: 'tmp' }] }));
    await client.connect(new sdk.StreamableHTTPClientTransport(new URL(http.url)));
  });

  afterAll(async () => {
    await client?.close();
    await http?.close();
  });

  it('lists and calls tools', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('test_simple_text');
    const result = await client.callTool({ name: 'test_simple_text', arguments: {} });
    expect(result.content[0]).toEqual({ type: 'text', text: 'This is a simple text response for testing.' });
    expect((await client.callTool({ name: 'test_error_handling', arguments: {} })).isError).toBe(true);
  });

  it('reads resources and gets prompts', async () => {
    expect((await client.readResource({ uri: 'test://template/7/data' })).contents[0]?.text).toContain('"id":"7"');
    expect((await client.listPrompts()).prompts.length).toBeGreaterThan(0);
    const prompt = await client.getPrompt({ name: 'test_prompt_with_arguments', arguments: { arg1: 'x', arg2: 'y' } });
    expect(prompt.messages[0]?.content.text).toContain("arg1='x'");
  });

  it('completes an elicitation round trip and a multi-input round', async () => {
    expect((await client.callTool({ name: 'test_input_required_result_elicitation', arguments: {} })).content[0]?.text).toBe('Hello, Ada!');
    const multi = await client.callTool({ name: 'test_input_required_result_multiple_inputs', arguments: {} });
    expect(multi.content[0]?.text).toBe('Name: Ada; Greeting: Paris; Roots: 1');
  });

  it('receives progress', async () => {
    const seen: number[] = [];
    await client.callTool({ name: 'test_tool_with_progress', arguments: {} }, { onprogress: (p) => seen.push(p.progress) });
    expect(seen).toEqual([0, 50, 100]);
  });
});
