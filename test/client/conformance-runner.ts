/**
 * The client under test for the official conformance suite's client leg
 * (../shared/conformance.md §6). The referee starts a mock server per scenario and runs
 * `<this script> <serverUrl>` with MCP_CONFORMANCE_SCENARIO (and sometimes MCP_CONFORMANCE_CONTEXT)
 * set; each scenario below is what a real application would do with the client runtime.
 */
import { createClient, type McpClient, type Tool } from '../../templates/runtime/client/index.ts';
import { conformanceAuth } from './conformance-auth.ts';
import type { ElicitContentValue, ElicitParams, JsonObject } from '../../templates/runtime/wire.ts';

const serverUrl = process.argv.at(-1)!;
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
const wire = process.env.MCP_CONFORMANCE_PROTOCOL_VERSION ?? '2026-07-28';
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}') as { toolCalls?: { name: string; arguments?: JsonObject }[] } & Record<string, unknown>;

function client(): McpClient {
  const c: McpClient = createClient({
    url: serverUrl,
    clientInfo: { name: 'mcp-gen-conformance-client', version: '0.1.0' },
    // An OAuth scenario is ten round trips before the first answer, on 2 shared cores; the referee allows 60 s.
    timeoutMs: 50_000,
    ...(scenario.startsWith('auth/') && { auth: conformanceAuth(scenario, context) }),
    // The referee names the wire; its 2025 mocks answer any method (even a modern one) before
    // `initialize`, which is exactly the ambiguity versioning.mdx warns about, so pin the era.
    era: wire === '2026-07-28' ? 'auto' : 'legacy',
    legacyProtocolVersion: wire === '2026-07-28' ? undefined : wire,
    handlers: {
      elicit: async (params, ctx) => {
        // SEP-2322: an unrelated call while the echo flow waits for input must not carry that flow's state.
        if (scenario === 'sep-2322-client-request-state' && ctx.target === 'test_mrtr_echo_state') await c.callTool('test_mrtr_unrelated');
        // SEP-1034: a user who accepts without editing accepts the schema's defaults.
        if (scenario === 'elicitation-sep1034-client-defaults') return { action: 'accept', content: schemaDefaults(params) };
        return { action: 'accept', content: { confirmed: true } };
      },
      sample: () => ({ role: 'assistant', content: { type: 'text', text: 'ok' }, model: 'conformance-model' }),
      listRoots: () => [],
    },
  });
  return c;
}

/** The `default` of each property of an elicitation form, as a user accepting them unchanged would send. */
function schemaDefaults(params: ElicitParams): Record<string, ElicitContentValue> {
  const properties = ('requestedSchema' in params ? params.requestedSchema.properties : {}) as Record<string, { default?: ElicitContentValue }>;
  return Object.fromEntries(Object.entries(properties).filter(([, p]) => p.default !== undefined).map(([k, p]) => [k, p.default!]));
}

/** Arguments that satisfy a tool's required string/number/boolean properties. */
function sampleArguments(tool: Tool): JsonObject {
  const properties = (tool.inputSchema.properties ?? {}) as Record<string, { type?: string }>;
  const required = (tool.inputSchema.required ?? []) as string[];
  const args: JsonObject = {};
  for (const name of required) {
    const type = properties[name]?.type;
    args[name] = type === 'integer' || type === 'number' ? 1 : type === 'boolean' ? true : 'us-west1';
  }
  return args;
}

const scenarios: Record<string, (c: McpClient) => Promise<void>> = {
  tools_call: async (c) => {
    await c.listTools();
    await c.callTool('add_numbers', { a: 5, b: 3 });
  },
  'request-metadata': async (c) => {
    await c.discover();
    await c.listTools();
  },
  'sep-2322-client-request-state': async (c) => {
    await c.listTools();
    await c.callTool('test_mrtr_echo_state');
    await c.callTool('test_mrtr_no_state');
    await c.callTool('test_mrtr_no_result_type');
  },
  'http-standard-headers': async (c) => {
    for (const tool of await c.listTools()) await c.callTool(tool.name, sampleArguments(tool));
    for (const resource of await c.listResources()) await c.readResource(resource.uri);
    for (const prompt of await c.listPrompts()) await c.getPrompt(prompt.name);
  },
  'http-custom-headers': async (c) => {
    await c.listTools();
    for (const call of context.toolCalls ?? []) await c.callTool(call.name, call.arguments ?? {});
  },
  'http-invalid-tool-headers': async (c) => {
    // Invalid tools are already gone from the list; call whatever survived.
    for (const tool of await c.listTools()) await c.callTool(tool.name, sampleArguments(tool));
  },
  'json-schema-ref-no-deref': async (c) => {
    await c.listTools();
  },
  // 2025-11-25 wire (initialize handshake, session, server→client elicitation, SSE resumption).
  initialize: async (c) => {
    await c.listTools();
  },
  'elicitation-sep1034-client-defaults': async (c) => {
    await c.listTools();
    await c.callTool('test_client_elicitation_defaults');
  },
  'sse-retry': async (c) => {
    await c.listTools();
    await c.callTool('test_reconnection');
  },
  // auth/*: the server answers 401 until authorized; two calls so a changed PRM (AS migration) or a
  // per-operation scope (step-up) is met on the second.
  auth: async (c) => {
    await c.listTools();
    await c.callTool('test-tool');
  },
  // Not scored (added after release): the listed inputSchema must reach the caller verbatim.
  'json-schema-2020-12-preservation': async (c) => {
    const tool = (await c.listTools()).find((t) => t.name === 'json_schema_2020_12_tool');
    if (tool) await c.callTool('json_schema_echo', { schema: tool.inputSchema as JsonObject });
  },
};

async function main(): Promise<number> {
  const c = client();
  try {
    await (scenarios[scenario.startsWith('auth/') ? 'auth' : scenario] ?? (async (x: McpClient) => void (await x.listTools())))(c);
    return 0;
  } finally {
    await c.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // The whole cause chain: "fetch failed" alone does not say whether the socket was refused or reset.
    const chain: string[] = [];
    for (let e: unknown = error; e !== undefined && chain.length < 5; e = e instanceof Error ? e.cause : undefined) {
      chain.push(e instanceof Error ? `${e.name}: ${e.message}${'code' in e ? ` (${String(e.code)})` : ''}` : String(e));
    }
    process.stderr.write(`${scenario}: ${chain.join(' <- ')}\n`);
    process.exit(1);
  },
);
