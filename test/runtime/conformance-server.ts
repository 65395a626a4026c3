/**
 * The conformance fixture catalogue (../shared/conformance.md §5, 2026-07-28 parts) as a registry,
 * written the way a generated `src/generated/server.ts` should look: one `define*` per manifest
 * entry, wire JSON Schemas verbatim, zod validators beside them, handlers inline here (in a
 * generated project they live in user-owned src/handlers/ files).
 *
 * Run directly to serve on 127.0.0.1: `PORT=3311 npx tsx test/runtime/conformance-server.ts`.
 */
import { z } from 'zod';
import { SERVED_REVISIONS } from '../helpers/served-protocol.ts';
import {
  createMcpServer,
  definePrompt,
  defineResource,
  defineResourceTemplate,
  defineTool,
  elicitation,
  listRoots,
  sampling,
  serveHttp,
  type InputAsk,
  type McpServer,
  type McpServerOptions,
} from '../../templates/runtime/index.ts';

const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const WAV_MIN = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=';

const noParams = { type: 'object', properties: {} } as const;
const anyObject = z.looseObject({});
const text = (value: string) => [{ type: 'text' as const, text: value }];
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

// ---- plain content tools ---------------------------------------------------------------------

const contentTools = [
  defineTool({
    name: 'test_simple_text',
    description: 'Tests simple text content response',
    inputSchema: noParams,
    input: anyObject,
    handler: () => ({ content: text('This is a simple text response for testing.') }),
  }),
  defineTool({
    name: 'test_image_content',
    description: 'Tests image content response',
    inputSchema: noParams,
    input: anyObject,
    handler: () => ({ content: [{ type: 'image', data: PNG_1x1, mimeType: 'image/png' }] }),
  }),
  defineTool({
    name: 'test_audio_content',
    description: 'Tests audio content response',
    inputSchema: noParams,
    input: anyObject,
    handler: () => ({ content: [{ type: 'audio', data: WAV_MIN, mimeType: 'audio/wav' }] }),
  }),
  defineTool({
    name: 'test_embedded_resource',
    description: 'Tests embedded resource content response',
    inputSchema: noParams,
    input: anyObject,
    handler: () => ({
      content: [{ type: 'resource', resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' } }],
    }),
  }),
  defineTool({
    name: 'test_multiple_content_types',
    description: 'Tests response with multiple content types (text, image, resource)',
    inputSchema: noParams,
    input: anyObject,
    handler: () => ({
      content: [
        { type: 'text', text: 'Multiple content types test:' },
        { type: 'image', data: PNG_1x1, mimeType: 'image/png' },
        { type: 'resource', resource: { uri: 'test://mixed-content-resource', mimeType: 'application/json', text: '{"test":"data","value":123}' } },
      ],
    }),
  }),
  defineTool({
    name: 'test_error_handling',
    description: 'Tests error response handling',
    inputSchema: noParams,
    input: anyObject,
    handler: (_input, ctx) => ctx.error('This tool intentionally returns an error for testing'),
  }),
  defineTool({
    name: 'test_tool_with_progress',
    description: 'Tests tool that reports progress notifications',
    inputSchema: noParams,
    input: anyObject,
    handler: async (_input, ctx) => {
      for (const step of [0, 50, 100]) {
        ctx.progress(step, 100, `step ${step}`);
        await sleep(50, ctx.signal);
      }
      return { content: text(String(ctx.meta.progressToken ?? 'no-progress-token')) };
    },
  }),
  defineTool({
    name: 'json_schema_2020_12_tool',
    description: 'Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613)',
    inputSchema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      $defs: { address: { $anchor: 'addressDef', type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } } },
      properties: {
        name: { type: 'string' },
        address: { $ref: '#/$defs/address' },
        contactMethod: { type: 'string', enum: ['phone', 'email'] },
        phone: { type: 'string' },
        email: { type: 'string' },
      },
      allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
      if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
      then: { required: ['phone'] },
      else: { required: ['email'] },
      additionalProperties: false,
    },
    input: z
      .strictObject({
        name: z.string().optional(),
        address: z.looseObject({ street: z.string().optional(), city: z.string().optional() }).optional(),
        contactMethod: z.enum(['phone', 'email']).optional(),
        phone: z.string().optional(),
        email: z.string().optional(),
      })
      .refine((v) => v.phone !== undefined || v.email !== undefined, 'phone or email is required')
      .refine((v) => (v.contactMethod === 'phone' ? v.phone !== undefined : v.email !== undefined), 'contact for contactMethod is required'),
    handler: (input) => ({ content: text(`JSON Schema 2020-12 tool called with: ${JSON.stringify(input)}`) }),
  }),
  defineTool({
    name: 'test_x_mcp_header',
    description: 'Tests SEP-2243 Mcp-Param-* server-side validation',
    inputSchema: { type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' }, level: { type: 'integer' } } },
    input: z.looseObject({ region: z.string().optional(), level: z.number().int().optional() }),
    headerParams: [{ header: 'Region', property: 'region' }],
    handler: (input) => ({ content: text(`region=${input.region ?? '<none>'}`) }),
  }),
];

// ---- SEP-2575 diagnostics --------------------------------------------------------------------

const diagnosticTools = [
  defineTool({
    name: 'test_missing_capability',
    description: 'requires the sampling client capability',
    inputSchema: noParams,
    input: anyObject,
    requiresClientCapabilities: { sampling: {} },
    handler: () => ({ content: text('Success') }),
  }),
  defineTool({
    name: 'test_streaming_elicitation',
    description: 'Diagnostic tool validating response progress streams (must not emit server->client requests)',
    inputSchema: noParams,
    input: anyObject,
    handler: () => ({ content: text('Streaming complete') }),
  }),
  defineTool({
    name: 'test_logging_tool',
    description: 'Diagnostic logging validator tool',
    inputSchema: noParams,
    input: anyObject,
    handler: (_input, ctx) => {
      // Sent only when the request's _meta carries a logLevel at or below info.
      ctx.log('info', 'Diagnostic trace logging activated');
      return { content: text('Logging evaluated') };
    },
  }),
  defineTool({
    name: 'test_trigger_tool_change',
    description: 'Emits notifications/tools/list_changed to matching subscriptions/listen streams',
    inputSchema: noParams,
    input: anyObject,
    handler: async (_input, ctx) => {
      await ctx.changes.toolsListChanged();
      return { content: text('Mutation triggered') };
    },
  }),
  defineTool({
    name: 'test_trigger_prompt_change',
    description: 'Emits notifications/prompts/list_changed to matching subscriptions/listen streams',
    inputSchema: noParams,
    input: anyObject,
    handler: async (_input, ctx) => {
      await ctx.changes.promptsListChanged();
      return { content: text('Mutation triggered') };
    },
  }),
];

// ---- SEP-2322 MRTR tools ---------------------------------------------------------------------

const nameSchema = z.object({ name: z.string() });

const mrtrTools = [
  defineTool({
    name: 'test_input_required_result_elicitation',
    description: 'MRTR: returns InputRequiredResult with elicitation request',
    inputSchema: noParams,
    input: anyObject,
    handler: async (_input, ctx) => {
      const answer = await ctx.elicit('user_name', { message: 'What is your name?', schema: nameSchema });
      if (answer.action !== 'accept') return { content: text(`Elicitation ${answer.action}ed`) };
      return { content: text(`Hello, ${answer.content.name}!`) };
    },
  }),
  defineTool({
    name: 'test_input_required_result_sampling',
    description: 'MRTR: returns InputRequiredResult with sampling request',
    inputSchema: noParams,
    input: anyObject,
    handler: async (_input, ctx) => {
      const reply = await ctx.sample('sample_request', {
        maxTokens: 100,
        messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }],
      });
      const answer = Array.isArray(reply.content) ? reply.content[0] : reply.content;
      return { content: text(`Sampling result: ${String(answer?.text ?? '')}`) };
    },
  }),
  defineTool({
    name: 'test_input_required_result_list_roots',
    description: 'MRTR: returns InputRequiredResult with roots/list request',
    inputSchema: noParams,
    input: anyObject,
    handler: async (_input, ctx) => {
      const roots = await ctx.roots('roots_request');
      return { content: text(`Found ${roots.length} root(s)`) };
    },
  }),
  defineTool({
    name: 'test_input_required_result_request_state',
    description: 'MRTR: returns InputRequiredResult with requestState',
    inputSchema: noParams,
    input: anyObject,
    handler: async (_input, ctx) => {
      await ctx.elicit('confirm', { message: 'Please confirm', schema: z.object({ ok: z.boolean() }) });
      return { content: text('state-ok: requestState validated') };
    },
  }),
  defineTool({
    name: 'test_input_required_result_multiple_inputs',
    description: 'MRTR: returns InputRequiredResult with multiple input requests',
    inputSchema: noParams,
    input: anyObject,
    handler: async (_input, ctx) => {
      const { user_name, greeting, client_roots } = await ctx.ask({
        user_name: elicitation({ message: 'What is your name?', schema: nameSchema }),
        greeting: sampling({ maxTokens: 50, messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }] }),
        client_roots: listRoots(),
      });
      const name = user_name.action === 'accept' ? user_name.content.name : '(declined)';
      const greetingText = Array.isArray(greeting.content) ? '' : String(greeting.content.text ?? '');
      return { content: text(`Name: ${name}; Greeting: ${greetingText}; Roots: ${client_roots.length}`) };
    },
  }),
  defineTool({
    name: 'test_input_required_result_multi_round',
    description: 'MRTR: multi-round InputRequiredResult workflow',
    inputSchema: noParams,
    input: anyObject,
    handler: async (_input, ctx) => {
      const step1 = await ctx.elicit('step1', { message: 'Step 1: What is your name?', schema: nameSchema });
      const step2 = await ctx.elicit('step2', { message: 'Step 2: What is your favorite color?', schema: z.object({ color: z.string() }) });
      const name = step1.action === 'accept' ? step1.content.name : 'someone';
      const color = step2.action === 'accept' ? step2.content.color : 'nothing';
      return { content: text(`Multi-round complete for ${name} who likes ${color}`) };
    },
  }),
  defineTool({
    name: 'test_input_required_result_tampered_state',
    description: 'MRTR: HMAC-signed requestState integrity test',
    inputSchema: noParams,
    input: anyObject,
    handler: async (_input, ctx) => {
      await ctx.elicit('confirm', { message: 'Please confirm', schema: z.object({ ok: z.boolean() }) });
      return { content: text('integrity-ok: state verified') };
    },
  }),
  defineTool({
    name: 'test_input_required_result_capabilities',
    description: 'MRTR: respects client capabilities in inputRequests',
    inputSchema: noParams,
    input: anyObject,
    handler: async (_input, ctx) => {
      // Ask only for what this request's clientCapabilities declare (basic/patterns/mrtr.mdx).
      const asks: Record<string, InputAsk<unknown>> = {};
      if (ctx.supports({ elicitation: {} }))
        asks.elicit_input = elicitation({ message: 'Elicitation input', schema: z.object({ value: z.string() }) });
      if (ctx.supports({ sampling: {} }))
        asks.sample_input = sampling({ maxTokens: 50, messages: [{ role: 'user', content: { type: 'text', text: 'Sample request' } }] });
      const answers = await ctx.ask(asks);
      return { content: text(`capabilities-ok: received ${Object.keys(answers).join(', ')}`) };
    },
  }),

  // ---- 2025-11-25 session wire (logging, real server->client requests) --------------------------
  defineTool({
    name: 'test_tool_with_logging',
    description: 'Tests tool that emits log messages during execution',
    inputSchema: noParams,
    input: anyObject,
    handler: async (_input, ctx) => {
      ctx.log('info', 'Tool execution started');
      await sleep(50, ctx.signal);
      ctx.log('info', 'Tool processing data');
      await sleep(50, ctx.signal);
      ctx.log('info', 'Tool execution completed');
      return { content: text('Tool with logging executed successfully') };
    },
  }),
  defineTool({
    name: 'test_sampling',
    description: 'Tests server-initiated sampling (LLM completion request)',
    inputSchema: { type: 'object', properties: { prompt: { type: 'string', description: 'The prompt to send to the LLM' } }, required: ['prompt'] },
    input: z.object({ prompt: z.string() }),
    handler: async (input, ctx) => {
      const reply = await ctx.sample({ maxTokens: 100, messages: [{ role: 'user', content: { type: 'text', text: input.prompt } }] });
      const answer = Array.isArray(reply.content) ? reply.content[0] : reply.content;
      return { content: text(`LLM response: ${String(answer?.text ?? '')}`) };
    },
  }),
  defineTool({
    name: 'test_elicitation',
    description: 'Tests server-initiated elicitation (user input request)',
    inputSchema: { type: 'object', properties: { message: { type: 'string', description: 'The message to show the user' } }, required: ['message'] },
    input: z.object({ message: z.string() }),
    handler: async (input, ctx) => {
      const answer = await ctx.elicit({
        message: input.message,
        requestedSchema: { type: 'object', properties: { response: { type: 'string', description: "User's response" } }, required: ['response'] },
      });
      return { content: text(`User response: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`) };
    },
  }),
  defineTool({
    name: 'test_elicitation_sep1034_defaults',
    description: 'Tests elicitation with default values per SEP-1034',
    inputSchema: noParams,
    input: anyObject,
    handler: async (_input, ctx) => {
      const answer = await ctx.elicit({
        message: 'Please review and update the form fields with defaults',
        requestedSchema: {
          type: 'object',
          properties: {
            name: { type: 'string', description: 'User name', default: 'John Doe' },
            age: { type: 'integer', description: 'User age', default: 30 },
            score: { type: 'number', description: 'User score', default: 95.5 },
            status: { type: 'string', description: 'User status', enum: ['active', 'inactive', 'pending'], default: 'active' },
            verified: { type: 'boolean', description: 'Verification status', default: true },
          },
          required: [],
        },
      });
      return { content: text(`Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`) };
    },
  }),
  defineTool({
    name: 'test_elicitation_sep1330_enums',
    description: 'Tests elicitation with enum schema improvements per SEP-1330',
    inputSchema: noParams,
    input: anyObject,
    handler: async (_input, ctx) => {
      const answer = await ctx.elicit({
        message: 'Please select options from the enum fields',
        requestedSchema: {
          type: 'object',
          properties: {
            untitledSingle: { type: 'string', enum: ['option1', 'option2', 'option3'] },
            titledSingle: { type: 'string', oneOf: [{ const: 'value1', title: 'First Option' }, { const: 'value2', title: 'Second Option' }, { const: 'value3', title: 'Third Option' }] },
            legacyEnum: { type: 'string', enum: ['opt1', 'opt2', 'opt3'], enumNames: ['Option One', 'Option Two', 'Option Three'] },
            untitledMulti: { type: 'array', minItems: 1, maxItems: 3, items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
            titledMulti: { type: 'array', minItems: 1, maxItems: 3, items: { anyOf: [{ const: 'value1', title: 'First Choice' }, { const: 'value2', title: 'Second Choice' }, { const: 'value3', title: 'Third Choice' }] } },
          },
          required: [],
        },
      });
      return { content: text(`Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`) };
    },
  }),
];

// ---- resources ---------------------------------------------------------------------------------

const resources = [
  // Listed first: the caching scenario reads resources[0].
  defineResource({
    uri: 'test://static-text',
    name: 'static-text',
    title: 'Static Text Resource',
    description: 'A static text resource for testing',
    mimeType: 'text/plain',
    read: () => ({ text: 'This is the content of the static text resource.' }),
  }),
  defineResource({
    uri: 'test://static-binary',
    name: 'static-binary',
    title: 'Static Binary Resource',
    description: 'A static binary resource (image) for testing',
    mimeType: 'image/png',
    read: () => ({ blob: PNG_1x1 }),
  }),
  defineResource({
    uri: 'test://watched-resource',
    name: 'watched-resource',
    title: 'Watched Resource',
    description: 'A resource that auto-updates every 3 seconds',
    mimeType: 'text/plain',
    read: () => ({ text: `Watched resource content (${new Date().toISOString()})` }),
  }),
];

const resourceTemplates = [
  defineResourceTemplate({
    uriTemplate: 'test://template/{id}/data',
    name: 'template',
    title: 'Resource Template',
    description: 'A resource template with parameter substitution',
    mimeType: 'application/json',
    complete: { id: (value) => ['123', '456'].filter((id) => id.startsWith(value)) },
    read: ({ id }) => ({ text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }) }),
  }),
];

// ---- prompts -----------------------------------------------------------------------------------

const prompts = [
  definePrompt({
    name: 'test_simple_prompt',
    title: 'Simple Test Prompt',
    description: 'A simple prompt without arguments',
    get: () => [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }],
  }),
  definePrompt({
    name: 'test_prompt_with_arguments',
    title: 'Prompt With Arguments',
    description: 'A prompt with required arguments',
    arguments: [
      { name: 'arg1', description: 'First test argument', required: true },
      { name: 'arg2', description: 'Second test argument', required: true },
    ],
    complete: { arg1: () => [], arg2: () => [] },
    get: ({ arg1, arg2 }) => [{ role: 'user', content: { type: 'text', text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` } }],
  }),
  definePrompt({
    name: 'test_prompt_with_embedded_resource',
    title: 'Prompt With Embedded Resource',
    description: 'A prompt that includes an embedded resource',
    arguments: [{ name: 'resourceUri', description: 'URI of the resource to embed', required: true }],
    get: ({ resourceUri }) => [
      { role: 'user', content: { type: 'resource', resource: { uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' } } },
      { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
    ],
  }),
  definePrompt({
    name: 'test_prompt_with_image',
    title: 'Prompt With Image',
    description: 'A prompt that includes image content',
    get: () => [
      { role: 'user', content: { type: 'image', data: PNG_1x1, mimeType: 'image/png' } },
      { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
    ],
  }),
  definePrompt({
    name: 'test_input_required_result_prompt',
    description: 'MRTR: prompt that requires elicitation input',
    get: async (_args, ctx) => {
      const answer = await ctx.elicit('user_context', {
        message: 'What context should the prompt use?',
        schema: z.object({ context: z.string() }),
      });
      const context = answer.action === 'accept' ? answer.content.context : '(none)';
      return [{ role: 'user', content: { type: 'text', text: `Prompt with context: ${context}` } }];
    },
  }),
];

export const conformanceServerOptions: McpServerOptions = {
  info: { name: 'mcp-conformance-test-server', version: '1.0.0' },
  // The generated tables, as a generated project passes them.
  protocol: SERVED_REVISIONS,
  instructions: 'Fixture server for the MCP conformance suite.',
  tools: [...contentTools, ...diagnosticTools, ...mrtrTools],
  resources,
  resourceTemplates,
  prompts,
  caching: {
    discover: { ttlMs: 300_000, cacheScope: 'public' },
    tools: { ttlMs: 300_000, cacheScope: 'public' },
    prompts: { ttlMs: 300_000, cacheScope: 'public' },
    resources: { ttlMs: 300_000, cacheScope: 'public' },
    resourceTemplates: { ttlMs: 300_000, cacheScope: 'public' },
    read: { ttlMs: 300_000, cacheScope: 'private' },
  },
};

export function createConformanceServer(overrides: Partial<McpServerOptions> = {}): McpServer {
  return createMcpServer({ ...conformanceServerOptions, ...overrides });
}

/** Announces the watched resource's update every 3 s to listen streams subscribed to it. */
export function startWatchedResourceTicker(server: McpServer, everyMs = 3_000): () => void {
  const timer = setInterval(() => void server.notify.resourceUpdated('test://watched-resource'), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = createConformanceServer();
  startWatchedResourceTicker(server);
  const handle = await serveHttp(server, { port: Number(process.env.PORT ?? 3311) });
  process.stderr.write(`conformance server listening on ${handle.url}\n`);
}
