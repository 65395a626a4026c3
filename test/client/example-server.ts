/**
 * The server side of the example manifest that test/client/example-client.ts is generated from:
 * a weather service with a header-mirrored tool, a multi-round elicitation tool, a progress tool,
 * a prompt, a static resource and a resource template. Built on the mcp-gen server runtime.
 *
 * `npx tsx test/client/example-server.ts --stdio` serves it on stdio.
 */
import { z } from 'zod';
import {
  createMcpServer,
  definePrompt,
  defineResource,
  defineResourceTemplate,
  defineTool,
  serveStdio,
  type McpServer,
  type McpServerOptions,
} from '../../templates/runtime/index.ts';
import { silentLogger } from '../../templates/runtime/log.ts';

const forecast = (city: string) => ({ city, tempC: city.length + 10, conditions: city.startsWith('R') ? 'rain' : 'sunny' });

export const exampleServerOptions: McpServerOptions = {
  info: { name: 'weather-example', version: '1.0.0' },
  stateSecret: 'example-secret-example-secret-example-secret',
  logger: silentLogger,
  tools: [
    defineTool({
      name: 'get_weather',
      description: 'Current weather for a city',
      inputSchema: {
        type: 'object',
        properties: { city: { type: 'string', 'x-mcp-header': 'City' }, units: { type: 'string', enum: ['c', 'f'] } },
        required: ['city'],
      },
      outputSchema: {
        type: 'object',
        properties: { city: { type: 'string' }, tempC: { type: 'number' }, conditions: { type: 'string' } },
        required: ['city', 'tempC', 'conditions'],
      },
      input: z.looseObject({ city: z.string(), units: z.enum(['c', 'f']).optional() }),
      output: z.object({ city: z.string(), tempC: z.number(), conditions: z.string() }),
      handler: (input, ctx) => {
        ctx.log('info', `weather for ${input.city}`);
        if (input.city === '') return ctx.error('city must not be empty');
        return { structured: forecast(input.city) };
      },
    }),
    defineTool({
      name: 'book_trip',
      description: 'Books a trip after two confirmations (multi-round elicitation)',
      inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      outputSchema: { type: 'object', properties: { booked: { type: 'boolean' }, traveller: { type: 'string' } }, required: ['booked'] },
      input: z.looseObject({ city: z.string() }),
      output: z.object({ booked: z.boolean(), traveller: z.string().optional() }),
      handler: async (input, ctx) => {
        const who = await ctx.elicit('traveller', { message: `Who travels to ${input.city}?`, schema: z.object({ name: z.string() }) });
        if (who.action !== 'accept') return { structured: { booked: false } };
        const ok = await ctx.elicit('confirm', { message: `Book ${input.city} for ${who.content.name}?`, schema: z.object({ confirmed: z.boolean() }) });
        return { structured: { booked: ok.action === 'accept' && ok.content.confirmed, traveller: who.content.name } };
      },
    }),
    defineTool({
      name: 'count_slowly',
      description: 'Counts to n, reporting progress',
      inputSchema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
      input: z.looseObject({ n: z.number().int() }),
      handler: async (input, ctx) => {
        for (let i = 1; i <= input.n; i++) {
          ctx.progress(i, input.n, `step ${i}`);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        return { content: [{ type: 'text', text: `counted to ${input.n}` }] };
      },
    }),
    defineTool({
      name: 'announce_change',
      description: 'Announces a tools list change to listeners',
      inputSchema: { type: 'object', properties: {} },
      input: z.looseObject({}),
      handler: async (_input, ctx) => {
        await ctx.changes.toolsListChanged();
        await ctx.changes.resourceUpdated('weather://stations');
        return { content: [{ type: 'text', text: 'announced' }] };
      },
    }),
  ],
  resources: [
    defineResource({ uri: 'weather://stations', name: 'stations', mimeType: 'application/json', read: () => ({ text: '["LHR","CDG"]' }) }),
  ],
  resourceTemplates: [
    defineResourceTemplate({
      uriTemplate: 'weather://{city}/forecast',
      name: 'city_forecast',
      mimeType: 'application/json',
      complete: { city: (value) => ['Paris', 'Prague', 'Rome'].filter((c) => c.startsWith(value)) },
      read: ({ city }) => ({ text: JSON.stringify(forecast(city)) }),
    }),
  ],
  prompts: [
    definePrompt({
      name: 'weather_brief',
      description: 'A short weather briefing',
      arguments: [
        { name: 'city', required: true },
        { name: 'style', required: false },
      ],
      complete: { city: (value) => ['Paris', 'Prague'].filter((c) => c.startsWith(value)) },
      get: ({ city, style }) => [{ role: 'user', content: { type: 'text', text: `Brief me on ${city} (${style ?? 'plain'})` } }],
    }),
  ],
  caching: { tools: { ttlMs: 60_000, cacheScope: 'public' }, read: { ttlMs: 60_000, cacheScope: 'private' } },
};

export function createExampleServer(overrides: Partial<McpServerOptions> = {}): McpServer {
  return createMcpServer({ ...exampleServerOptions, ...overrides });
}

if (process.argv.includes('--stdio')) serveStdio(createExampleServer());
