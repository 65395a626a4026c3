/**
 * Real peers on both eras against the conformance registry, over Streamable HTTP and stdio:
 *   - @modelcontextprotocol/client 2.4.0 in its default (legacy, initialize) mode and in auto mode
 *     (server/discover first → the stateless 2026-07-28 wire);
 *   - @modelcontextprotocol/sdk 1.32.2 (SDK v1, 2025-11-25 only);
 *   - @modelcontextprotocol/inspector-cli 1.0.3 in CLI mode (default: initialize).
 * Each lists the tools and calls every tool it can reach with no or trivial arguments; the SDK
 * clients also answer elicitation (and sampling/roots), so one elicitation flow runs per era.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioV2 } from '@modelcontextprotocol/client/stdio';
import { StdioClientTransport as StdioV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveHttp, type HttpServerHandle } from './runtime-under-test.ts';
import { conformanceServerOptions, createConformanceServer } from './conformance-server.ts';
import { v1 as v1Client, v2 as v2Client, type ElicitAnswer } from './interop-clients.ts';
import { REPO_ROOT } from '../helpers/env.ts';

const SERVE = join(dirname(fileURLToPath(import.meta.url)), 'serve-registry.ts');
const STDIO_ARGS = ['--import', 'tsx', SERVE, 'stdio'];
const INSPECTOR = join(REPO_ROOT, 'node_modules/@modelcontextprotocol/inspector-cli/build/cli.js');

/** Arguments for the tools that need some; every other tool is called with {}. */
const ARGS: Record<string, Record<string, unknown>> = {
  test_sampling: { prompt: 'Say hi' },
  test_elicitation: { message: 'Your name?' },
  json_schema_2020_12_tool: { name: 'Ada', contactMethod: 'email', email: 'ada@example.com' },
};
/** Tools whose result is an execution error on purpose. */
const EXPECTED_ERRORS = new Set(['test_error_handling']);

type CallResult = { content?: { type: string; text?: string }[]; isError?: boolean };
interface AnyClient {
  listTools(params?: object): Promise<{ tools: { name: string }[]; nextCursor?: string }>;
  callTool(params: { name: string; arguments?: Record<string, unknown> }): Promise<unknown>;
  close(): Promise<void>;
}

/** Lists every tool (all pages) and calls each; returns the failures and the elicitation tool's text. */
async function exercise(client: AnyClient): Promise<{ tools: string[]; failures: string[]; elicited: string }> {
  const tools: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : {});
    tools.push(...page.tools.map((t) => t.name));
    cursor = page.nextCursor;
  } while (cursor);
  const failures: string[] = [];
  let elicited = '';
  for (const name of tools) {
    try {
      const result = (await client.callTool({ name, arguments: ARGS[name] ?? {} })) as CallResult;
      if (Boolean(result.isError) !== EXPECTED_ERRORS.has(name)) failures.push(`${name}: isError=${String(result.isError)} ${JSON.stringify(result.content).slice(0, 160)}`);
      if (name === 'test_elicitation') elicited = result.content?.[0]?.text ?? '';
    } catch (error) {
      failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { tools, failures, elicited };
}

const ANSWER: ElicitAnswer = (params) => {
  const keys = Object.keys(params.requestedSchema?.properties ?? {});
  return { action: 'accept' as const, content: Object.fromEntries(keys.map((k) => [k, k === 'confirmed' || k === 'ok' ? true : k === 'untitledMulti' || k === 'titledMulti' ? ['value1'] : 'Ada'])) };
};
const v2 = (mode?: 'auto') => v2Client(ANSWER, mode);
const v1 = () => v1Client(ANSWER);

let http: HttpServerHandle;
const url = () => new URL(http.url);
beforeAll(async () => {
  http = await serveHttp(createConformanceServer({ stateSecret: 'interop-secret-interop-secret-interop' }), { port: 0, handleSignals: false });
});
afterAll(async () => {
  await http.close();
});

describe('official clients on both eras, over HTTP and stdio', () => {
  const cases: [string, () => Promise<{ client: AnyClient; era: () => string | undefined }>][] = [
    ['client 2.4.0 default (legacy) over HTTP', async () => {
      const client = v2();
      const transport = new HttpV2(url());
      await client.connect(transport);
      return { client, era: () => (transport.sessionId ? '2025-11-25' : '2026-07-28') };
    }],
    ['client 2.4.0 auto over HTTP', async () => {
      const client = v2('auto');
      const transport = new HttpV2(url());
      await client.connect(transport);
      return { client, era: () => (transport.sessionId ? '2025-11-25' : '2026-07-28') };
    }],
    ['client 2.4.0 default (legacy) over stdio', async () => {
      const client = v2();
      await client.connect(new StdioV2({ command: process.execPath, args: STDIO_ARGS, cwd: REPO_ROOT, stderr: 'ignore' }));
      return { client, era: () => client.getNegotiatedProtocolVersion?.() };
    }],
    ['client 2.4.0 auto over stdio', async () => {
      const client = v2('auto');
      await client.connect(new StdioV2({ command: process.execPath, args: STDIO_ARGS, cwd: REPO_ROOT, stderr: 'ignore' }));
      return { client, era: () => client.getNegotiatedProtocolVersion?.() };
    }],
    ['SDK v1 1.32.2 over HTTP', async () => {
      const client = v1();
      const transport = new HttpV1(url());
      await client.connect(transport);
      return { client: client as unknown as AnyClient, era: () => (transport.sessionId ? '2025-11-25' : undefined) };
    }],
    ['SDK v1 1.32.2 over stdio', async () => {
      const client = v1();
      await client.connect(new StdioV1({ command: process.execPath, args: STDIO_ARGS, cwd: REPO_ROOT, stderr: 'ignore' }));
      return { client: client as unknown as AnyClient, era: () => '2025-11-25' };
    }],
  ];

  it.each(cases)('%s: lists and calls every tool, elicitation included', async (label, open) => {
    const { client, era } = await open();
    try {
      const { tools, failures, elicited } = await exercise(client);
      console.info(`[interop] ${label}: era ${String(era())}, ${tools.length} tools, ${failures.length} failures`);
      expect(tools.length).toBe(conformanceServerOptions.tools!.length);
      expect(failures).toEqual([]);
      expect(elicited).toBe('User response: action=accept, content={"response":"Ada"}');
      if (label.includes('legacy') || label.includes('SDK v1')) expect(era()).toBe('2025-11-25');
      if (label.includes('auto over HTTP')) expect(era()).toBe('2026-07-28');
    } finally {
      await client.close();
    }
  }, 60_000);
});

/** inspector-cli reads its own package.json relative to the working directory: run it from a directory whose parent has one. */
async function inspector(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [INSPECTOR, '--cli', ...args], { cwd: join(REPO_ROOT, 'test'), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe('MCP Inspector CLI 1.0.3 (default mode: initialize)', () => {
  it.each([
    ['HTTP', () => [http.url, '--transport', 'http']],
    ['stdio', () => [process.execPath, ...STDIO_ARGS]],
  ] as const)('lists and calls tools over %s', async (_label, target) => {
    const list = await inspector([...target(), '--method', 'tools/list']);
    expect(list.code, list.stderr).toBe(0);
    const names = (JSON.parse(list.stdout.slice(list.stdout.indexOf('{'))) as { tools: { name: string }[] }).tools.map((t) => t.name);
    expect(names).toContain('test_simple_text');
    for (const name of ['test_simple_text', 'test_image_content', 'test_multiple_content_types']) {
      const call = await inspector([...target(), '--method', 'tools/call', '--tool-name', name]);
      expect(call.code, call.stderr).toBe(0);
      expect(JSON.parse(call.stdout.slice(call.stdout.indexOf('{'))).content.length).toBeGreaterThan(0);
    }
  }, 60_000);
});
