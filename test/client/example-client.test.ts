/**
 * The generated-style typed client (example-client.ts) against the mcp-gen server runtime, over
 * Streamable HTTP and stdio: typed calls, header mirroring, MRTR, progress, logs, prompts,
 * resource templates, completion, caching and listen.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { serveHttp, type HttpServerHandle } from '../../templates/runtime/index.ts';
import { ToolInputValidationError, ToolOutputValidationError, type InputHandlers, type ListenEvent } from '../../templates/runtime/client/index.ts';
import { createWeatherClient, type GetWeatherResult, type WeatherClient } from './example-client.ts';
import { createExampleServer } from './example-server.ts';
import { quietLogger, recordingFetch } from './helpers.ts';

const handlers: InputHandlers = {
  elicit: async (params) => (params.message.startsWith('Who') ? { action: 'accept', content: { name: 'Ada' } } : { action: 'accept', content: { confirmed: true } }),
};

function exercise(name: string, open: () => Promise<{ client: WeatherClient; seen?: () => { headers: Record<string, string>; body: any }[]; stop(): Promise<void> }>) {
  describe(name, () => {
    let client: WeatherClient;
    let seen: (() => { headers: Record<string, string>; body: any }[]) | undefined;
    let stop: () => Promise<void>;
    beforeAll(async () => ({ client, seen, stop } = await open()));
    afterAll(async () => stop());

    it('calls a tool with typed, validated output', async () => {
      const result = await client.tools.getWeather({ city: 'Paris' });
      expect(result.isError).toBe(false);
      if (!result.isError) {
        expectTypeOf(result.structured).toEqualTypeOf<GetWeatherResult>();
        expect(result.structured).toEqual({ city: 'Paris', tempC: 15, conditions: 'sunny' });
      }
      const error = await client.tools.getWeather({ city: '' });
      expect(error.isError).toBe(true);
    });

    it('rejects bad arguments before sending', async () => {
      await expect(client.tools.getWeather({ city: 7 } as never)).rejects.toBeInstanceOf(ToolInputValidationError);
    });

    it('mirrors x-mcp-header params and standard headers (HTTP)', async () => {
      if (!seen) return;
      await client.tools.getWeather({ city: 'Zürich' });
      const last = seen().filter((r) => r.body?.method === 'tools/call').at(-1)!;
      expect(last.headers['mcp-method']).toBe('tools/call');
      expect(last.headers['mcp-name']).toBe('get_weather');
      expect(last.headers['mcp-param-city']).toBe(`=?base64?${Buffer.from('Zürich').toString('base64')}?=`);
      expect(last.headers['mcp-protocol-version']).toBe('2026-07-28');
      expect(last.body.params._meta['io.modelcontextprotocol/protocolVersion']).toBe('2026-07-28');
      expect(last.body.params._meta['io.modelcontextprotocol/clientInfo']).toEqual({ name: 'example', version: '1.0.0' });
      expect(last.body.params._meta['io.modelcontextprotocol/clientCapabilities']).toEqual({ elicitation: { form: {} }, extensions: { 'io.modelcontextprotocol/tasks': {} } });
    });

    it('runs a multi-round elicitation flow', async () => {
      const result = await client.tools.bookTrip({ city: 'Rome' });
      expect(result.isError === false && result.structured).toEqual({ booked: true, traveller: 'Ada' });
      if (seen) {
        const calls = seen().filter((r) => r.body?.params?.name === 'book_trip');
        expect(calls).toHaveLength(3);
        expect(new Set(calls.map((c) => c.body.id)).size).toBe(3);
        expect(calls[0]!.body.params.requestState).toBeUndefined();
        expect(typeof calls[1]!.body.params.requestState).toBe('string');
        expect(Object.keys(calls[2]!.body.params.inputResponses)).toEqual(['confirm']);
      }
    });

    it('reports progress and logs', async () => {
      const progress: number[] = [];
      const logs: string[] = [];
      await client.tools.countSlowly({ n: 3 }, { onProgress: (p) => progress.push(p.progress) });
      expect(progress).toEqual([1, 2, 3]);
      await client.tools.getWeather({ city: 'Oslo' }, { logLevel: 'debug', onLog: (m) => logs.push(String(m.data)) });
      expect(logs).toEqual(['weather for Oslo']);
    });

    it('gets prompts, reads templates, completes', async () => {
      const prompt = await client.prompts.weatherBrief({ city: 'Paris' });
      expect(prompt.messages[0]!.content).toEqual({ type: 'text', text: 'Brief me on Paris (plain)' });
      expect(client.resources.templates.cityForecast.uri({ city: 'New York' })).toBe('weather://New%20York/forecast');
      const read = await client.resources.templates.cityForecast({ city: 'Rome' });
      expect(JSON.parse((read.contents[0] as { text: string }).text)).toMatchObject({ city: 'Rome', conditions: 'rain' });
      expect((await client.prompts.weatherBrief.complete('city', 'Pa')).values).toEqual(['Paris']);
      expect((await client.resources.templates.cityForecast.complete('city', 'Pr')).values).toEqual(['Prague']);
      expect((await client.resources.read('weather://stations')).contents).toHaveLength(1);
    });

    it('caches lists per ttlMs and refreshes on demand', async () => {
      const before = seen?.().length ?? 0;
      const a = await client.listTools();
      const b = await client.listTools();
      expect(b).toEqual(a);
      if (seen) expect(seen().filter((r, i) => i >= before && r.body?.method === 'tools/list')).toHaveLength(1);
      await client.listTools({ refresh: true });
      if (seen) expect(seen().filter((r, i) => i >= before && r.body?.method === 'tools/list')).toHaveLength(2);
      expect(a.map((t) => t.name)).toEqual(['get_weather', 'book_trip', 'count_slowly', 'announce_change']);
    });

    it('listens and invalidates caches on list_changed', async () => {
      await client.listTools();
      const subscription = client.listen({ toolsListChanged: true, resourceSubscriptions: ['weather://stations'] });
      expect(await subscription.acknowledged).toEqual({ toolsListChanged: true, resourceSubscriptions: ['weather://stations'] });
      await client.tools.announceChange();
      const events: ListenEvent[] = [];
      for await (const event of subscription) {
        events.push(event);
        if (events.length === 2) break;
      }
      expect(events).toEqual([{ kind: 'toolsListChanged' }, { kind: 'resourceUpdated', uri: 'weather://stations' }]);
      const before = seen?.().length ?? 0;
      await client.listTools();
      if (seen) expect(seen().slice(before).filter((r) => r.body?.method === 'tools/list')).toHaveLength(1);
    });

    it('discovers and offers an untyped escape hatch', async () => {
      const discovered = await client.discover();
      expect(discovered.supportedVersions).toContain('2026-07-28');
      const raw = await client.request('tools/call', { name: 'get_weather', arguments: { city: 'Lima' } });
      expect(raw.structuredContent).toMatchObject({ city: 'Lima' });
    });
  });
}

exercise('typed client over Streamable HTTP', async () => {
  const http: HttpServerHandle = await serveHttp(createExampleServer(), { port: 0, handleSignals: false });
  const recorder = recordingFetch();
  const client = createWeatherClient({ url: http.url, fetch: recorder.fetch, clientInfo: { name: 'example', version: '1.0.0' }, handlers, logger: quietLogger });
  return { client, seen: () => recorder.requests, stop: async () => (await client.close(), await http.close()) };
});

exercise('typed client over stdio', async () => {
  const server = fileURLToPath(new URL('./example-server.ts', import.meta.url));
  const client = createWeatherClient({
    stdio: { command: process.execPath, args: ['--import', 'tsx', server, '--stdio'], stderr: 'ignore' },
    clientInfo: { name: 'example', version: '1.0.0' },
    handlers,
    logger: quietLogger,
    timeoutMs: 20_000,
  });
  return { client, stop: () => client.close() };
});

describe('output validation', () => {
  it('throws ToolOutputValidationError when structuredContent breaks the generated schema', async () => {
    const http = await serveHttp(createExampleServer(), { port: 0, handleSignals: false });
    const { createTypedClient, defineToolCall } = await import('../../templates/runtime/client/index.ts');
    const { z } = await import('zod');
    const client = createTypedClient(
      { url: http.url, logger: quietLogger },
      { tools: { getWeather: defineToolCall({ name: 'get_weather', input: z.object({ city: z.string() }), output: z.object({ tempF: z.number() }) }) } },
    );
    try {
      await expect(client.tools.getWeather({ city: 'Paris' })).rejects.toBeInstanceOf(ToolOutputValidationError);
    } finally {
      await client.close();
      await http.close();
    }
  });
});
