/**
 * Seeded synthetic projects for bench:generate: an mcp-gen manifest of N tools (nested inputs,
 * outputs with arrays of objects, shared `$ref` schemas, a few resources and prompts) and the
 * equivalent OpenAPI 3.0 document of N operations for openapi-mcp-generator. Same seed, same text.
 */
import { stringify } from 'yaml';
import { seededRandom, type Random } from '../../generator/fixtures/prng.ts';

type Schema = Record<string, unknown>;
const NOUNS = ['order', 'invoice', 'customer', 'ticket', 'shipment', 'account', 'report', 'project', 'device', 'booking', 'asset', 'contract'];
const VERBS = ['get', 'list', 'search', 'create', 'update', 'archive', 'sync', 'export'];
const FIELDS = ['title', 'note', 'owner', 'region', 'channel', 'label', 'source', 'reference', 'category', 'comment'];

/** Shared schemas every tool may `$ref` (the manifest's `schemas:` section). */
export const SHARED_SCHEMAS: Record<string, Schema> = {
  Money: {
    type: 'object',
    properties: { amount: { type: 'number', minimum: 0 }, currency: { type: 'string', pattern: '^[A-Z]{3}$' } },
    required: ['amount', 'currency'],
  },
  Address: {
    type: 'object',
    properties: { street: { type: 'string' }, city: { type: 'string' }, country: { type: 'string', pattern: '^[A-Z]{2}$' } },
    required: ['city', 'country'],
  },
  Status: { type: 'string', enum: ['draft', 'open', 'closed', 'archived'] },
  Page: {
    type: 'object',
    properties: { cursor: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
  },
};

function pick<T>(random: Random, xs: readonly T[]): T {
  return xs[Math.floor(random() * xs.length)]!;
}

function toolInput(random: Random, ref: (name: string) => Schema): Schema {
  const properties: Record<string, Schema> = {
    id: { type: 'string', description: 'Identifier of the record.' },
    filter: {
      type: 'object',
      description: 'Nested filter.',
      properties: {
        status: ref('Status'),
        since: { type: 'string', format: 'date-time' },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 5 },
        range: { type: 'object', properties: { from: { type: 'integer', minimum: 0 }, to: { type: 'integer', maximum: 10000 } } },
      },
    },
    page: ref('Page'),
  };
  const extra = 1 + Math.floor(random() * 3);
  for (let i = 0; i < extra; i++) properties[pick(random, FIELDS)] = { type: 'string', maxLength: 200 };
  if (random() < 0.4) properties.shipTo = ref('Address');
  if (random() < 0.3) properties.dryRun = { type: 'boolean', default: false };
  return { type: 'object', properties, required: ['id'] };
}

function toolOutput(random: Random, ref: (name: string) => Schema): Schema {
  const item: Schema = {
    type: 'object',
    properties: {
      id: { type: 'string' },
      status: ref('Status'),
      total: ref('Money'),
      lines: {
        type: 'array',
        items: { type: 'object', properties: { sku: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } }, required: ['sku', 'quantity'] },
      },
    },
    required: ['id', 'status'],
  };
  if (random() < 0.5) (item.properties as Schema).address = ref('Address');
  return { type: 'object', properties: { items: { type: 'array', items: item }, nextCursor: { type: 'string' } }, required: ['items'] };
}

export interface SyntheticTool {
  name: string;
  description: string;
  input: Schema;
  output: Schema;
}

export function syntheticTools(count: number, seed = 42): SyntheticTool[] {
  const random = seededRandom(seed);
  const tools: SyntheticTool[] = [];
  const manifestRef = (name: string) => ({ $ref: `#/schemas/${name}` });
  for (let i = 0; i < count; i++) {
    const noun = pick(random, NOUNS);
    const verb = pick(random, VERBS);
    tools.push({
      name: `${verb}_${noun}_${i}`,
      description: `${verb[0]!.toUpperCase()}${verb.slice(1)} a ${noun} (synthetic tool ${i}).`,
      input: toolInput(random, manifestRef),
      output: toolOutput(random, manifestRef),
    });
  }
  return tools;
}

/** mcp-gen.yaml text for `count` tools, 3 resources, 1 resource template and 3 prompts. */
export function syntheticManifest(count: number, seed = 42): string {
  const tools = syntheticTools(count, seed).map((t, i) => ({
    name: t.name,
    description: t.description,
    ...(i % 5 === 0 ? { annotations: { readOnlyHint: true } } : {}),
    input: t.input,
    output: t.output,
  }));
  const manifest = {
    spec: '2026-07-28',
    server: { name: `bench-${count}`, version: '1.0.0', description: `Synthetic ${count}-tool server for bench:generate.` },
    tools,
    resources: [0, 1, 2].map((i) => ({ uri: `bench://docs/${i}`, name: `doc-${i}`, description: `Document ${i}.`, mimeType: 'text/markdown' })),
    resourceTemplates: [{ uriTemplate: 'bench://records/{id}', name: 'record', mimeType: 'application/json' }],
    prompts: [0, 1, 2].map((i) => ({
      name: `prompt_${i}`,
      description: `Prompt ${i}.`,
      arguments: [{ name: 'topic', description: 'What to talk about.', required: true }, { name: 'tone' }],
    })),
    schemas: SHARED_SCHEMAS,
  };
  return `# Generated by bench/lib/synthetic-manifest.ts (seed ${seed}).\n${stringify(manifest, { lineWidth: 0 })}`;
}

/** The one-tool edit: change the description of the tool in the middle. */
export function editOneDescription(manifestText: string, count: number, round = 1): string {
  const needle = `(synthetic tool ${Math.floor(count / 2)}).`;
  if (!manifestText.includes(needle)) throw new Error(`edit target not found: ${needle}`);
  return manifestText.replace(needle, `(synthetic tool ${Math.floor(count / 2)}, edited ${round}).`);
}

/** OpenAPI 3.0 document with one POST operation per synthetic tool: same inputs and outputs. */
export function syntheticOpenApi(count: number, seed = 42): string {
  const openapiRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const random = seededRandom(seed);
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const noun = pick(random, NOUNS);
    const verb = pick(random, VERBS);
    const name = `${verb}_${noun}_${i}`;
    paths[`/${noun}s/${name}`] = {
      post: {
        operationId: name,
        summary: `${verb[0]!.toUpperCase()}${verb.slice(1)} a ${noun} (synthetic tool ${i}).`,
        requestBody: { required: true, content: { 'application/json': { schema: toolInput(random, openapiRef) } } },
        responses: { '200': { description: 'OK', content: { 'application/json': { schema: toolOutput(random, openapiRef) } } } },
      },
    };
  }
  return `${JSON.stringify(
    {
      openapi: '3.0.3',
      info: { title: `bench-${count}`, version: '1.0.0' },
      servers: [{ url: 'https://api.example.com' }],
      paths,
      components: { schemas: SHARED_SCHEMAS },
    },
    null,
    2,
  )}\n`;
}
