/**
 * Real peers on both eras against the generated kitchen-sink (examples/kitchen-sink: real handlers,
 * generated into test/tmp, served in-process over Streamable HTTP on one endpoint, and over stdio
 * by a child process per client):
 * @modelcontextprotocol/client 2.4.0 in its default (legacy, initialize) mode and in auto mode
 * (server/discover first → the stateless wire), and SDK v1 1.32.2. Each lists the tools and calls
 * every one of them with real arguments; `cancel_order` asks for confirmation, so each client runs
 * one elicitation flow on its era (a server→client request on the 2025 wire, an MRTR round on 2026).
 * Also the MCP Inspector CLI 1.0.3 in its default mode (initialize) over both transports.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioV2 } from '@modelcontextprotocol/client/stdio';
import { StdioClientTransport as StdioV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../generator/project.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';
import { v1, v2, type ElicitAnswer } from './interop-clients.ts';

const source = join(REPO_ROOT, 'examples/kitchen-sink');
const dir = join(REPO_ROOT, 'test/tmp', `interop-kitchen-sink-${process.pid}`);

/** Every kitchen-sink tool with real arguments, and what its answer must show. */
const CALLS: Record<string, { args: Record<string, unknown>; check(result: CallResult): void }> = {
  search_orders: { args: { tenant: 'acme' }, check: (r) => expect((r.structuredContent as { orders: { id: string }[] }).orders.map((o) => o.id)).toEqual(['A-1001', 'A-1002']) },
  cancel_order: { args: { orderId: 'A-1001' }, check: (r) => expect(r.structuredContent).toEqual({ id: 'A-1001', status: 'cancelled', total: 28.5 }) },
  ship_order: { args: { orderId: 'A-1002', address: { city: 'Oslo', country: 'NO' } }, check: (r) => expect(r.content?.[0]?.text).toBe('Order A-1002 shipped (standard) to Oslo, NO') },
  ping: { args: {}, check: (r) => expect(r.content?.[0]?.text).toBe('pong') },
};

type CallResult = { content?: { type: string; text?: string }[]; structuredContent?: unknown; isError?: boolean };
interface AnyClient {
  listTools(params?: object): Promise<{ tools: { name: string }[]; nextCursor?: string }>;
  callTool(params: { name: string; arguments?: Record<string, unknown> }): Promise<unknown>;
  close(): Promise<void>;
}

let url: URL;
let closeServer: () => Promise<void>;
let setStatus: (id: string, status: string) => unknown;

beforeAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  cpSync(source, dir, { recursive: true, filter: (src) => !/[\\/](src[\\/]generated|node_modules|dist|\.mcp-gen)([\\/]|$)/.test(src.slice(source.length)) });
  await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env: hermeticEnv() } });
  writeFileSync(
    join(dir, 'serve-stdio.ts'),
    `import { createServer } from './src/generated/server.ts';\nimport { serveStdio } from './src/generated/runtime/index.ts';\nserveStdio(createServer({ stateSecret: 'interop-kitchen-sink-secret-0123456789' }));\n`,
  );
  const { createServer } = (await import(pathToFileURL(join(dir, 'src/generated/server.ts')).href)) as { createServer(o?: object): unknown };
  const { serveHttp } = (await import(pathToFileURL(join(dir, 'src/generated/runtime/index.ts')).href)) as {
    serveHttp(server: unknown, options: object): Promise<{ url: string; close(): Promise<void> }>;
  };
  // The same module instance the handlers use: each case starts from the seeded order book.
  ({ setStatus } = (await import(pathToFileURL(join(dir, 'src/shop/data.ts')).href)) as { setStatus: typeof setStatus });
  const logger = { debug() {}, info() {}, warn() {}, error() {} };
  const handle = await serveHttp(createServer({ stateSecret: 'interop-kitchen-sink-secret-0123456789', logger }), { port: 0, host: '127.0.0.1', handleSignals: false });
  url = new URL(handle.url);
  closeServer = () => handle.close();
}, 180_000);
afterAll(async () => {
  await closeServer?.();
  rmSync(dir, { recursive: true, force: true });
});

const stdio = () => ({ command: process.execPath, args: ['--import', 'tsx', join(dir, 'serve-stdio.ts')], cwd: dir, stderr: 'ignore' as const });

describe('official clients ↔ generated kitchen-sink over HTTP and stdio, both eras', () => {
  const cases: [string, (answer: ElicitAnswer) => Promise<{ client: AnyClient; era: () => string }>][] = [
    ['client 2.4.0 default (legacy) over HTTP', async (answer) => {
      const client = v2(answer);
      const transport = new HttpV2(url);
      await client.connect(transport);
      return { client, era: () => (transport.sessionId ? '2025-11-25' : '2026-07-28') };
    }],
    ['client 2.4.0 auto over HTTP', async (answer) => {
      const client = v2(answer, 'auto');
      const transport = new HttpV2(url);
      await client.connect(transport);
      return { client, era: () => (transport.sessionId ? '2025-11-25' : '2026-07-28') };
    }],
    ['SDK v1 1.32.2 over HTTP', async (answer) => {
      const client = v1(answer);
      const transport = new HttpV1(url);
      await client.connect(transport);
      return { client: client as unknown as AnyClient, era: () => (transport.sessionId ? '2025-11-25' : 'none') };
    }],
    // Over stdio each client gets its own server process (a fresh order book).
    ['client 2.4.0 default (legacy) over stdio', async (answer) => {
      const client = v2(answer);
      await client.connect(new StdioV2(stdio()));
      return { client, era: () => String(client.getNegotiatedProtocolVersion?.()) };
    }],
    ['client 2.4.0 auto over stdio', async (answer) => {
      const client = v2(answer, 'auto');
      await client.connect(new StdioV2(stdio()));
      return { client, era: () => String(client.getNegotiatedProtocolVersion?.()) };
    }],
    ['SDK v1 1.32.2 over stdio', async (answer) => {
      const client = v1(answer);
      await client.connect(new StdioV1(stdio()));
      // SDK v1 speaks only the initialize era: having connected is the check.
      return { client: client as unknown as AnyClient, era: () => '2025-11-25' };
    }],
  ];

  it.each(cases)('%s: lists and calls every tool, one elicitation flow', async (label, open) => {
    setStatus('A-1001', 'paid');
    setStatus('A-1002', 'open');
    const asked: string[] = [];
    const { client, era } = await open((params) => {
      asked.push(`${params.message} [${Object.keys(params.requestedSchema?.properties ?? {}).join(',')}]`);
      return { action: 'accept', content: { confirm: true, reason: 'duplicate' } };
    });
    try {
      const tools = (await client.listTools()).tools.map((t) => t.name);
      expect(tools.sort()).toEqual(Object.keys(CALLS).sort());
      for (const name of tools) {
        const result = (await client.callTool({ name, arguments: CALLS[name]!.args })) as CallResult;
        expect(result.isError ?? false, `${name}: ${JSON.stringify(result.content)}`).toBe(false);
        CALLS[name]!.check(result);
      }
      expect(asked).toEqual(['Really cancel this order? [confirm,reason]']);
      expect(era()).toBe(label.includes('auto') ? '2026-07-28' : '2025-11-25');
    } finally {
      await client.close();
    }
  }, 60_000);
});

/**
 * @modelcontextprotocol/inspector-cli 1.0.3, default mode (initialize, the 2025-11-25 wire). It
 * cannot answer an elicitation: build/index.js creates `new Client(clientIdentity)` with no
 * capabilities and registers no request handlers, so it never declares `elicitation` and has
 * nothing to answer `elicitation/create` with. cancel_order, which asks for a confirmation, is
 * therefore refused before its handler runs, with -32021 naming the missing capability (the
 * server may not send a request the client did not declare it can take, 2025-11-25
 * client/elicitation.mdx "Capabilities"); every other tool is called with real arguments.
 * It reads ../package.json from its working directory, hence cwd test/.
 */
const INSPECTOR = join(REPO_ROOT, 'node_modules/@modelcontextprotocol/inspector-cli/build/cli.js');
async function inspector(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; json?: Record<string, unknown> }> {
  const child = spawn(process.execPath, [INSPECTOR, '--cli', ...args], { cwd: join(REPO_ROOT, 'test'), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  const start = stdout.indexOf('{');
  return { code, stdout, stderr, ...(start >= 0 ? { json: JSON.parse(stdout.slice(start)) as Record<string, unknown> } : {}) };
}

/** `--tool-arg key=value` pairs (values that parse as JSON are sent as JSON). */
const toolArgs = (args: Record<string, unknown>) => Object.entries(args).flatMap(([k, v]) => ['--tool-arg', `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`]);

describe('MCP Inspector CLI 1.0.3 (default mode) ↔ generated kitchen-sink', () => {
  it.each([
    ['HTTP', () => [url.href, '--transport', 'http']],
    ['stdio', () => [process.execPath, '--import', 'tsx', join(dir, 'serve-stdio.ts')]],
  ] as const)('over %s: lists every tool, calls each it can; cancel_order is refused for want of the elicitation capability', async (_label, target) => {
    setStatus('A-1001', 'paid');
    setStatus('A-1002', 'open');
    const list = await inspector([...target(), '--method', 'tools/list']);
    expect(list.code, list.stderr).toBe(0);
    const tools = (list.json!.tools as { name: string }[]).map((t) => t.name);
    expect(tools.sort()).toEqual(Object.keys(CALLS).sort());
    for (const name of tools.filter((n) => n !== 'cancel_order')) {
      const call = await inspector([...target(), '--method', 'tools/call', '--tool-name', name, ...toolArgs(CALLS[name]!.args)]);
      expect(call.code, `${name}: ${call.stderr}`).toBe(0);
      const result = call.json as CallResult;
      expect(result.isError ?? false, `${name}: ${JSON.stringify(result.content)}`).toBe(false);
      CALLS[name]!.check(result);
    }
    const refused = await inspector([...target(), '--method', 'tools/call', '--tool-name', 'cancel_order', ...toolArgs(CALLS.cancel_order!.args)]);
    expect(refused.code).not.toBe(0);
    expect(`${refused.stdout}${refused.stderr}`).toMatch(/MCP error -32021: Missing required client capability: elicitation/);
  }, 120_000);
});
