/**
 * The client runtime against servers it did not grow up with: the official SDK server
 * (@modelcontextprotocol/server@2.4.0) over Streamable HTTP and stdio, and the generated-style
 * conformance registry (test/runtime/conformance-server.ts) over HTTP.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveHttp, type HttpServerHandle } from '../../templates/runtime/index.ts';
import { createClient, type InputHandlers, type McpClient } from '../../templates/runtime/client/index.ts';
import { createConformanceServer } from '../runtime/conformance-server.ts';
import { quietLogger, recordingFetch } from './helpers.ts';
import { startSdkHttpServer, type SdkHttpServer } from './sdk-server.ts';

const handlers: InputHandlers = {
  elicit: ({ message }) => (message.includes('name') ? { action: 'accept', content: { name: 'Ada' } } : { action: 'accept', content: { colour: 'teal' } }),
};

function sdkSuite(name: string, open: () => Promise<{ client: McpClient; stop(): Promise<void>; seen?: () => { headers: Record<string, string>; body: any }[] }>) {
  describe(name, () => {
    let client: McpClient;
    let stop: () => Promise<void>;
    let seen: (() => { headers: Record<string, string>; body: any }[]) | undefined;
    beforeAll(async () => ({ client, stop, seen } = await open()));
    afterAll(async () => stop());

    it('lists tools and calls them, with Mcp-Param headers the SDK validates', async () => {
      expect((await client.listTools()).map((t) => t.name)).toEqual(['greet', 'add', 'wizard', 'progress', 'change']);
      expect((await client.callTool('greet', { name: 'Zoë' })).content).toEqual([{ type: 'text', text: 'Hello, Zoë!' }]);
      if (seen) expect(seen().at(-1)!.headers['mcp-param-name']).toBe(`=?base64?${Buffer.from('Zoë').toString('base64')}?=`);
    });

    it('validates structured output with a typed schema', async () => {
      const { z } = await import('zod');
      const result = await client.callTool('add', { a: 2, b: 3 }, { output: z.object({ sum: z.number() }) });
      expect(result.isError === false && result.structured.sum).toBe(5);
    });

    it('completes a two-round elicitation', async () => {
      expect((await client.callTool('wizard')).content).toEqual([{ type: 'text', text: 'Ada likes teal' }]);
    });

    it('receives progress', async () => {
      const seenProgress: number[] = [];
      await client.callTool('progress', {}, { onProgress: (p) => seenProgress.push(p.progress) });
      expect(seenProgress).toEqual([1, 2, 3]);
    });

    it('gets prompts and reads templated resources', async () => {
      expect((await client.getPrompt('brief', { topic: 'tides' })).messages[0]!.content).toEqual({ type: 'text', text: 'Brief on tides' });
      expect((await client.readResource('items://42')).contents[0]).toMatchObject({ text: 'item 42' });
    });

    it('listens for list changes (HTTP)', async () => {
      if (!seen) return; // the stdio variant has no notifier hook
      const subscription = client.listen({ toolsListChanged: true });
      expect((await subscription.acknowledged).toolsListChanged).toBe(true);
      await client.callTool('change');
      const first = await subscription.next();
      expect(first.value).toEqual({ kind: 'toolsListChanged' });
      subscription.close();
      expect((await subscription.next()).done).toBe(true);
    });
  });
}

sdkSuite('official SDK server over Streamable HTTP', async () => {
  const server: SdkHttpServer = await startSdkHttpServer();
  const recorder = recordingFetch();
  const client = createClient({ url: server.url, fetch: recorder.fetch, handlers, clientInfo: { name: 'interop', version: '1' }, logger: quietLogger });
  return { client, seen: () => recorder.requests, stop: async () => (await client.close(), await server.close()) };
});

sdkSuite('official SDK server over stdio', async () => {
  const script = fileURLToPath(new URL('./sdk-server.ts', import.meta.url));
  const client = createClient({
    stdio: { command: process.execPath, args: ['--import', 'tsx', script, '--stdio'], stderr: 'ignore' },
    handlers,
    clientInfo: { name: 'interop', version: '1' },
    logger: quietLogger,
    timeoutMs: 20_000,
  });
  return { client, stop: () => client.close() };
});

describe('generated-style conformance registry (test/runtime/conformance-server.ts)', () => {
  let http: HttpServerHandle;
  let client: McpClient;
  beforeAll(async () => {
    http = await serveHttp(createConformanceServer({ stateSecret: 'client-interop-secret-client-interop' }), { port: 0, handleSignals: false });
    client = createClient({
      url: http.url,
      logger: quietLogger,
      handlers: {
        // Answer whatever form is asked for, by field name and type.
        elicit: (params) => {
          const properties = (params.mode === 'form' ? params.requestedSchema.properties : {}) as Record<string, { type?: string }>;
          const answers: Record<string, string> = { name: 'Ada', color: 'blue', context: 'ctx' };
          const content = Object.fromEntries(Object.entries(properties).map(([key, schema]) => [key, schema.type === 'boolean' ? true : (answers[key] ?? 'x')]));
          return { action: 'accept', content };
        },
        sample: () => ({ role: 'assistant', model: 'm', content: { type: 'text', text: 'Paris' } }),
        listRoots: () => [{ uri: 'file:///tmp', name: 'tmp' }],
      },
    });
  });
  afterAll(async () => {
    await client.close();
    await http.close();
  });

  it('lists and calls every plain tool', async () => {
    const tools = await client.listTools();
    expect(tools.length).toBeGreaterThan(15);
    expect((await client.callTool('test_simple_text')).content[0]).toEqual({ type: 'text', text: 'This is a simple text response for testing.' });
    expect((await client.callTool('test_error_handling')).isError).toBe(true);
    expect((await client.callTool('test_x_mcp_header', { region: 'eu-west' })).content[0]).toEqual({ type: 'text', text: 'region=eu-west' });
  });

  it('runs every MRTR flavour', async () => {
    const text = async (name: string) => ((await client.callTool(name)).content[0] as { text: string }).text;
    expect(await text('test_input_required_result_elicitation')).toBe('Hello, Ada!');
    expect(await text('test_input_required_result_multiple_inputs')).toBe('Name: Ada; Greeting: Paris; Roots: 1');
    expect(await text('test_input_required_result_multi_round')).toBe('Multi-round complete for Ada who likes blue');
    expect(await text('test_input_required_result_request_state')).toBe('state-ok: requestState validated');
    const prompt = await client.getPrompt('test_input_required_result_prompt');
    expect(prompt.messages[0]!.content).toEqual({ type: 'text', text: 'Prompt with context: ctx' });
  });

  it('paginates, caches by ttl and reads resources and templates', async () => {
    expect((await client.listResources()).map((r) => r.uri)).toContain('test://static-text');
    expect((await client.listResourceTemplates())[0]!.uriTemplate).toBe('test://template/{id}/data');
    expect((await client.readResource('test://template/7/data')).contents[0]).toMatchObject({ uri: 'test://template/7/data' });
    expect((await client.complete({ ref: { type: 'ref/resource', uri: 'test://template/{id}/data' }, argument: { name: 'id', value: '1' } })).values).toEqual(['123']);
  });

  it('listens for prompt list changes', async () => {
    const subscription = client.listen({ promptsListChanged: true, toolsListChanged: true });
    await subscription.acknowledged;
    await client.callTool('test_trigger_prompt_change');
    for await (const event of subscription) {
      expect(event).toEqual({ kind: 'promptsListChanged' });
      break;
    }
  });
});
