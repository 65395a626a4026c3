/**
 * The official SDK v2 client (@modelcontextprotocol/client@2.4.0, a devDependency) as the other end
 * of the wire. Its types are not part of this repo's type-check; the surface used is declared here.
 */
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPO_ROOT } from './env.ts';

export interface SdkClient {
  connect(transport: unknown): Promise<void>;
  close(): Promise<void>;
  setRequestHandler(method: string, handler: (request: { params: Record<string, unknown> }) => Promise<unknown>): void;
  listTools(): Promise<{ tools: { name: string; inputSchema: unknown; outputSchema?: unknown }[] }>;
  callTool(
    params: { name: string; arguments?: Record<string, unknown> },
    options?: { onprogress?: (p: { progress: number }) => void },
  ): Promise<{ content: { type: string; text?: string }[]; structuredContent?: unknown; isError?: boolean }>;
  listResources(): Promise<{ resources: { uri: string }[] }>;
  listResourceTemplates(): Promise<{ resourceTemplates: { uriTemplate: string }[] }>;
  readResource(params: { uri: string }): Promise<{ contents: { uri: string; text?: string; blob?: string }[] }>;
  listPrompts(): Promise<{ prompts: { name: string }[] }>;
  getPrompt(params: { name: string; arguments?: Record<string, string> }): Promise<{ messages: { content: { type: string; text?: string } }[] }>;
  setNotificationHandler(method: string, handler: (notification: { method: string; params?: Record<string, unknown> }) => void): void;
  listen(filter: Record<string, unknown>): Promise<{ honoredFilter: Record<string, unknown>; close(): Promise<void>; closed: Promise<string> }>;
}

const require = createRequire(join(REPO_ROOT, 'package.json'));

export async function officialClient(capabilities: Record<string, unknown> = { elicitation: {}, sampling: {}, roots: {} }) {
  const main = (await import(pathToFileURL(require.resolve('@modelcontextprotocol/client')).href)) as {
    Client: new (info: object, options: object) => SdkClient;
    StreamableHTTPClientTransport: new (url: URL) => unknown;
  };
  const stdio = (await import(pathToFileURL(require.resolve('@modelcontextprotocol/client/stdio')).href)) as {
    StdioClientTransport: new (params: { command: string; args?: string[]; env?: Record<string, string>; cwd?: string }) => unknown;
  };
  const client = new main.Client(
    { name: 'mcp-gen-e2e', version: '1.0.0' },
    { capabilities, versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  return {
    client,
    http: (url: string) => new main.StreamableHTTPClientTransport(new URL(url)),
    stdio: (params: { command: string; args?: string[]; env?: Record<string, string>; cwd?: string }) => new stdio.StdioClientTransport(params),
  };
}
