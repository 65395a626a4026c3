/**
 * A minimal MCP Apps host page for the browser test (bundled by esbuild, served on its own origin).
 * It speaks 2026-07-28 to the server with the official client, advertising the Apps extension per
 * request; reads tools/list, prefetches the tool's ui:// template with resources/read, renders it
 * through a sandbox proxy on a second origin (extensions/apps-2026-01-26.mdx "Sandbox proxy"),
 * then calls the tool and hands the view its input and result over the ext-apps AppBridge.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import {
  AppBridge,
  PostMessageTransport,
  RESOURCE_MIME_TYPE,
  getToolUiResourceUri,
  type McpUiResourceMeta,
} from '@modelcontextprotocol/ext-apps/app-bridge';

interface HostState {
  steps: string[];
  prefetch?: { uri: string; mimeType?: string; ttlMs?: unknown; cacheScope?: unknown; htmlLength: number; ui: McpUiResourceMeta; listedUi?: unknown };
  toolMeta?: unknown;
  result?: unknown;
  error?: string;
}

const state: HostState = { steps: [] };
(window as unknown as { __host: HostState }).__host = state;

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const sandboxUrl = new URL(params.get('sandbox')!);
  sandboxUrl.searchParams.set('host', location.origin);
  const args = JSON.parse(params.get('args') ?? '{}') as Record<string, unknown>;

  const client = new Client(
    { name: 'mcp-gen-test-host', version: '1.0.0' },
    {
      capabilities: { extensions: { 'io.modelcontextprotocol/ui': { mimeTypes: [RESOURCE_MIME_TYPE] } } },
      versionNegotiation: { mode: { pin: '2026-07-28' } },
    } as ConstructorParameters<typeof Client>[1],
  );
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', location.href)));
  state.steps.push('connected');

  const { tools } = await client.listTools();
  const tool = tools.find((t) => getToolUiResourceUri(t) !== undefined);
  if (!tool) throw new Error('no tool links to a ui:// template');
  state.toolMeta = tool._meta;
  const uri = getToolUiResourceUri(tool)!;

  // Prefetch: the template is read before the tool runs (hosts may cache it by ttlMs/cacheScope).
  const read = (await client.readResource({ uri })) as Awaited<ReturnType<Client['readResource']>> & { ttlMs?: unknown; cacheScope?: unknown };
  const content = read.contents[0] as { uri: string; mimeType?: string; text?: string; _meta?: { ui?: McpUiResourceMeta } };
  const { resources } = await client.listResources();
  const listed = resources.find((r) => r.uri === uri);
  // Content-item metadata wins; the listing entry is the fallback (apps-draft.mdx "Metadata Location").
  const ui: McpUiResourceMeta = content._meta?.ui ?? (listed?._meta?.ui as McpUiResourceMeta | undefined) ?? {};
  const html = content.text ?? '';
  state.prefetch = { uri, mimeType: content.mimeType, ttlMs: read.ttlMs, cacheScope: read.cacheScope, htmlLength: html.length, ui, listedUi: listed?._meta?.ui };
  state.steps.push('prefetched');

  const frame = document.createElement('iframe');
  frame.id = 'sandbox';
  frame.setAttribute('sandbox', 'allow-scripts allow-same-origin');
  frame.src = sandboxUrl.href;
  frame.style.cssText = `width: 480px; height: 260px; border: ${ui.prefersBorder ? '1px solid #999' : '0'}; border-radius: 8px;`;
  document.getElementById('view')!.append(frame);

  const bridge = new AppBridge(
    client,
    { name: 'mcp-gen-test-host', version: '1.0.0' },
    { openLinks: {}, serverTools: {}, serverResources: {}, logging: {}, sandbox: { csp: ui.csp, permissions: ui.permissions } },
    { hostContext: { theme: 'light', displayMode: 'inline', availableDisplayModes: ['inline'], platform: 'web', toolInfo: { tool } } },
  );
  bridge.onsandboxready = () => {
    state.steps.push('sandbox-ready');
    void bridge.sendSandboxResourceReady({ html, csp: ui.csp, permissions: ui.permissions });
  };
  bridge.onsizechange = ({ height }) => {
    if (height) frame.style.height = `${height + 2}px`;
  };
  bridge.oninitialized = () => {
    state.steps.push('view-initialized');
    void (async () => {
      await bridge.sendToolInput({ arguments: args });
      const result = await client.callTool({ name: tool.name, arguments: args });
      state.result = result;
      state.steps.push('tool-called');
      await bridge.sendToolResult(result as Parameters<AppBridge['sendToolResult']>[0]);
      state.steps.push('result-sent');
    })().catch(fail);
  };
  await bridge.connect(new PostMessageTransport(frame.contentWindow!, frame.contentWindow!));
}

function fail(error: unknown): void {
  state.error = error instanceof Error ? `${error.message}\n${error.stack}` : String(error);
}

main().catch(fail);
