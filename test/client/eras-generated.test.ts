/**
 * Generated client ↔ generated server on the 2025-11-25 wire (issue 15): the conformance fixture
 * project, its server built with `createServer({ protocolVersions: ['2025-11-25'] })` (a 2025-only
 * server: it refuses modern requests), and its own generated typed client in the default era mode.
 * The client must detect the era, open a session and answer the handlers' asks — which the server
 * sends as real server→client requests on this wire — through the typed callbacks; the same calls
 * against the same server unpinned go modern, with the asks as MRTR rounds.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareGeneratedProject, type GeneratedProject } from '../conformance-generated/project.ts';
import { quietLogger } from './helpers.ts';

process.env.MCP_STATE_SECRET ??= 'eras-generated-secret-0123456789abcdef';

type AnyClient = {
  era: string;
  protocolVersion: string;
  tools: Record<string, (args: object) => Promise<{ isError: boolean; content: { type: string; text?: string }[] }>>;
  listTools(): Promise<{ name: string }[]>;
  close(): Promise<void>;
};
type Runtime = {
  serveHttp(server: unknown, options: object): Promise<{ url: string; close(): Promise<void> }>;
};

let project: GeneratedProject;
let factory: (options: object) => AnyClient;
let createServer: (overrides?: object) => unknown;
let runtime: Runtime;

beforeAll(async () => {
  project = await prepareGeneratedProject(`eras-generated-${process.pid}`);
  const generated = join(project.dir, 'src/generated');
  const clientModule = (await import(pathToFileURL(join(generated, 'client.ts')).href)) as Record<string, unknown>;
  const name = Object.keys(clientModule).find((k) => /^create\w+Client$/.test(k))!;
  factory = clientModule[name] as typeof factory;
  ({ createServer } = (await import(pathToFileURL(join(generated, 'server.ts')).href)) as { createServer: typeof createServer });
  runtime = (await import(pathToFileURL(join(generated, 'runtime/index.ts')).href)) as Runtime;
}, 180_000);
afterAll(() => project?.remove());

const text = (r: { content: { text?: string }[] }) => r.content.map((c) => c.text ?? '').join(' ');

function handlers(asked: string[]) {
  return {
    elicit: (params: { message?: string }, ctx: { method: string; target?: string }) => {
      asked.push(`elicit ${ctx.target}: ${params.message}`);
      return { action: 'accept' as const, content: { response: 'typed answer', name: 'Ada', color: 'green' } };
    },
    sample: () => ({ role: 'assistant' as const, content: { type: 'text' as const, text: 'from the typed sample callback' }, model: 'm' }),
  };
}

async function exercise(client: AnyClient, asked: string[]) {
  expect((await client.listTools()).map((t) => t.name)).toContain('test_elicitation');
  expect(text(await client.tools.testSimpleText!({}))).toContain('This is a simple text response');
  expect(text(await client.tools.testElicitation!({ message: 'Your answer?' }))).toContain('typed answer');
  expect(text(await client.tools.testSampling!({ prompt: 'hello' }))).toContain('from the typed sample callback');
  expect(text(await client.tools.testInputRequiredResultMultiRound!({}))).toContain('Ada who likes green');
  expect(asked[0]).toBe('elicit test_elicitation: Your answer?');
  expect(asked.length).toBe(3);
}

describe('generated client ↔ generated server pinned to 2025-11-25', () => {
  it('HTTP: detects the legacy era, opens a session, answers the asks as server→client requests', async () => {
    const handle = await runtime.serveHttp(createServer({ protocolVersions: ['2025-11-25'] }), { port: 0, host: '127.0.0.1' });
    const asked: string[] = [];
    const client = factory({ url: handle.url, clientInfo: { name: 'eras-generated', version: '1' }, handlers: handlers(asked), logger: quietLogger });
    try {
      await exercise(client, asked);
      expect(client.era).toBe('legacy');
      expect(client.protocolVersion).toBe('2025-11-25');
    } finally {
      await client.close();
      await handle.close();
    }
  }, 60_000);

  it('HTTP, the same server unpinned: the same client code goes modern and the asks become MRTR rounds', async () => {
    const handle = await runtime.serveHttp(createServer(), { port: 0, host: '127.0.0.1' });
    const asked: string[] = [];
    const client = factory({ url: handle.url, handlers: handlers(asked), logger: quietLogger });
    try {
      await exercise(client, asked);
      expect(client.era).toBe('modern');
      expect(client.protocolVersion).toBe('2026-07-28');
    } finally {
      await client.close();
      await handle.close();
    }
  }, 60_000);

  // The client probes with server/discover first (default era); the stdio server, pinned to
  // 2025-11-25, refuses the probe and must still accept the fallback initialize on the same
  // connection (basic/transports/stdio.mdx "Backward Compatibility").
  it('stdio: detects the legacy era after the probe, opens a session, answers the asks as server→client requests', async () => {
    const script = join(project.dir, 'serve-stdio-2025.ts');
    writeFileSync(
      script,
      `import { createServer } from './src/generated/server.ts';\nimport { serveStdio } from './src/generated/runtime/index.ts';\nserveStdio(createServer({ protocolVersions: ['2025-11-25'] }));\n`,
    );
    const asked: string[] = [];
    const client = factory({
      stdio: { command: process.execPath, args: ['--import', 'tsx', script], cwd: project.dir, env: { MCP_STATE_SECRET: process.env.MCP_STATE_SECRET! }, stderr: 'ignore' },
      handlers: handlers(asked),
      logger: quietLogger,
    });
    try {
      await exercise(client, asked);
      expect(client.era).toBe('legacy');
      expect(client.protocolVersion).toBe('2025-11-25');
    } finally {
      await client.close();
    }
  }, 60_000);
});
