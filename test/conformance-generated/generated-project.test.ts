/**
 * The conformance catalogue generated from test/fixtures/conformance (manifest + user-owned
 * handlers) must type-check and serve the same wire definitions as the hand-written registry
 * test/runtime/conformance-server.ts. The official suite itself runs in run.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConformanceServer } from '../runtime/conformance-server.ts';
import { prepareGeneratedProject, startGeneratedServer, typecheck, type GeneratedProject, type RunningServer } from './project.ts';

const PROTOCOL = '2026-07-28';
const meta = {
  'io.modelcontextprotocol/protocolVersion': PROTOCOL,
  'io.modelcontextprotocol/clientInfo': { name: 'generated-project-test', version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

type Entry = Record<string, unknown> & { name?: string; uri?: string; uriTemplate?: string };
const LISTS = {
  'tools/list': 'tools',
  'prompts/list': 'prompts',
  'resources/list': 'resources',
  'resources/templates/list': 'resourceTemplates',
} as const;
type ListMethod = keyof typeof LISTS;

let project: GeneratedProject;
let server: RunningServer | undefined;
let nextId = 1;

/** A list request over Streamable HTTP with the headers and `_meta` 2026-07-28 requires. */
async function listOverHttp(method: ListMethod): Promise<Entry[]> {
  const res = await fetch(server!.url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'MCP-Protocol-Version': PROTOCOL,
      'Mcp-Method': method,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params: { _meta: meta } }),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as { result?: Record<string, unknown>; error?: unknown };
  expect(body.error).toBeUndefined();
  expect(body.result?.nextCursor).toBeUndefined();
  return body.result![LISTS[method]] as Entry[];
}

/** The same list from the hand-written registry, dispatched in-process. */
async function listFromHandWritten(method: ListMethod): Promise<Entry[]> {
  const reference = createConformanceServer();
  try {
    const { response } = await reference.handle({ jsonrpc: '2.0', id: 1, method, params: { _meta: meta } });
    const result = (response as { result: Record<string, unknown> }).result;
    return result[LISTS[method]] as Entry[];
  } finally {
    await reference.close();
  }
}

/**
 * Keyed by name/URI. Order is compared separately: the generator emits registries sorted by
 * name, while the hand-written registry keeps catalogue order.
 */
const byKey = (entries: Entry[]) => Object.fromEntries(entries.map((e) => [String(e.uriTemplate ?? e.uri ?? e.name), e]));

beforeAll(async () => {
  project = await prepareGeneratedProject(`conformance-vitest-${process.pid}`);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  project?.remove();
}, 30_000);

/** Fixture tools of the official tasks-* scenarios (../shared/conformance.md). */
const TASK_FIXTURE_TOOLS: readonly string[] = ['confirm_delete', 'failing_job', 'greet', 'multi_input', 'protocol_error_job', 'slow_compute', 'test_tool_with_task'];

describe('generated conformance project', () => {
  it('has no manifest warnings besides the root allOf of json_schema_2020_12_tool (MG4003) and the deprecated sampling/roots it exercises (MG3020)', () => {
    const codes = project.warningList.map((d) => d.code);
    expect(codes.filter((c) => c !== 'MG3020')).toEqual(['MG4003']);
    expect(codes).toContain('MG3020');
  });

  it('type-checks with the repo tsc', async () => {
    const result = await typecheck(project.dir);
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  }, 120_000);

  describe('over HTTP', () => {
    beforeAll(async () => {
      server = await startGeneratedServer(project.dir);
    }, 60_000);

    it('tools/list serves the hand-written registry tool names and schemas', async () => {
      // The Tasks extension's fixture tools exist in the generated project only: the hand-written
      // registry serves the core scenarios, the tasks-* ones run against this project (run.ts).
      const all = await listOverHttp('tools/list');
      expect(all.map((t) => t.name).filter((n) => n !== undefined && TASK_FIXTURE_TOOLS.includes(n)).sort()).toEqual([...TASK_FIXTURE_TOOLS].sort());
      const generated = all.filter((t) => t.name === undefined || !TASK_FIXTURE_TOOLS.includes(t.name));
      const reference = await listFromHandWritten('tools/list');
      expect(generated.map((t) => t.name).sort()).toEqual(reference.map((t) => t.name).sort());
      // Whole entries: name, title, description, inputSchema (verbatim), outputSchema, annotations.
      expect(byKey(generated)).toEqual(byKey(reference));
    });

    it('tools/list order is deterministic', async () => {
      const first = (await listOverHttp('tools/list')).map((t) => t.name);
      const second = (await listOverHttp('tools/list')).map((t) => t.name);
      expect(second).toEqual(first);
    });

    it.each(['prompts/list', 'resources/list', 'resources/templates/list'] as const)('%s matches the hand-written registry', async (method) => {
      // Known divergence: generated prompts.ts passes `arguments: []` for a prompt without
      // arguments, which the runtime serves as `"arguments": []`; the hand-written registry omits
      // the key. Both are valid PromptListResults, so an empty list is compared as absent.
      const normalize = (entries: Entry[]) =>
        entries.map(({ arguments: args, ...rest }) => (Array.isArray(args) && args.length === 0 ? rest : { ...rest, arguments: args }));
      expect(byKey(normalize(await listOverHttp(method)))).toEqual(byKey(normalize(await listFromHandWritten(method))));
    });
  });
});
