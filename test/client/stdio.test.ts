/** stdio transport: probe, era detection, cancellation, crashes and restarts, hostile output. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createClient, LegacyServerError, McpAbortError, McpResponseTooLargeError, McpRpcError, McpTimeoutError, McpTransportError } from '../../templates/runtime/client/index.ts';
import type { JsonRpcNotification } from '../../templates/runtime/wire.ts';
import { quietLogger } from './helpers.ts';

const fixture = fileURLToPath(new URL('./stdio-fixture.ts', import.meta.url));
const open = (mode: string, extra: { onNotification?: (n: JsonRpcNotification) => void; timeoutMs?: number; probeTimeoutMs?: number; maxResponseBytes?: number; era?: 'auto' | 'modern' | 'legacy' } = {}) =>
  createClient({
    stdio: { command: process.execPath, args: ['--import', 'tsx', fixture, mode], stderr: 'ignore' },
    clientInfo: { name: 'stdio-test', version: '1' },
    logger: quietLogger,
    timeoutMs: extra.timeoutMs ?? 15_000,
    probeTimeoutMs: extra.probeTimeoutMs ?? 15_000,
    onNotification: extra.onNotification,
    maxResponseBytes: extra.maxResponseBytes,
    era: extra.era,
  });

describe('stdio client', () => {
  it('probes with server/discover, then sends _meta inline', async () => {
    const client = open('modern');
    try {
      const result = await client.callTool('echo');
      expect(client.era).toBe('modern');
      expect(result.structured).toMatchObject({ 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'stdio-test', version: '1' } });
      // The probe's DiscoverResult is not cached here (ttlMs 0), so discover asks again and succeeds.
      expect((await client.discover()).supportedVersions).toEqual(['2026-07-28']);
    } finally {
      await client.close();
    }
  });

  it('cancels with notifications/cancelled on abort and on timeout', async () => {
    const seen: string[] = [];
    const client = open('modern', { onNotification: (n) => seen.push(String(n.params?.data)) });
    try {
      await client.discover();
      const controller = new AbortController();
      const pending = client.callTool('slow', {}, { signal: controller.signal });
      setTimeout(() => controller.abort('user gave up'), 50);
      await expect(pending).rejects.toBeInstanceOf(McpAbortError);
      await expect(client.callTool('slow', {}, { timeoutMs: 100 })).rejects.toBeInstanceOf(McpTimeoutError);
      await expect.poll(() => seen.length).toBe(2);
      expect(seen.every((s) => /^cancelled \d+$/.test(s))).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('fails in-flight requests when the server exits, then restarts it', async () => {
    const client = open('modern');
    try {
      const first = (await client.callTool('echo')).content[0];
      await expect(client.callTool('crash')).rejects.toBeInstanceOf(McpTransportError);
      const second = (await client.callTool('echo')).content[0];
      expect(second).not.toEqual(first); // a new process id
    } finally {
      await client.close();
    }
  });

  it('ignores junk lines and rejects oversized ones', async () => {
    const client = open('modern', { maxResponseBytes: 100_000 });
    try {
      expect((await client.callTool('noisy')).isError).toBe(false);
      // One line past the limit makes the pipe unreadable: everything in flight fails, the process is killed.
      await expect(client.callTool('huge')).rejects.toBeInstanceOf(McpResponseTooLargeError);
      expect((await client.callTool('echo')).isError).toBe(false);
    } finally {
      await client.close();
    }
  });

  it('a line that never ends fails what is in flight as too large, in linear time, and the server is restarted', async () => {
    const client = open('modern'); // default limit: 16 MiB
    try {
      await client.discover();
      const cpu = process.cpuUsage();
      const started = performance.now();
      const slow = client.callTool('slow').catch((e: unknown) => e); // in flight on the same process
      // The answer written just before the endless line still arrives.
      expect((await client.callTool('endless-line')).isError).toBe(false);
      const error = await slow;
      const ms = performance.now() - started;
      const used = process.cpuUsage(cpu);
      console.info(`[stdio] endless line: ${(error as Error).name} after ${Math.round(ms)} ms, ${Math.round((used.user + used.system) / 1_000)} ms client CPU`);
      expect(error).toBeInstanceOf(McpResponseTooLargeError);
      expect((error as Error).message).toMatch(/line from .* exceeds the 16777216-byte limit/);
      expect(ms).toBeLessThan(10_000);
      expect((used.user + used.system) / 1_000).toBeLessThan(5_000);
      expect((await client.callTool('echo')).isError).toBe(false);
    } finally {
      await client.close();
    }
  });

  it('pinned to the modern era: names a legacy server from the probe and its initialize answer', async () => {
    const client = open('legacy', { era: 'modern' });
    try {
      const error = await client.listTools().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LegacyServerError);
      expect((error as LegacyServerError).serverProtocolVersion).toBe('2025-06-18');
    } finally {
      await client.close();
    }
  });

  it('by default falls back to initialize after a failed probe and speaks the revision the server chose', async () => {
    const client = open('legacy');
    try {
      const error = await client.listTools().catch((e: unknown) => e);
      expect(client.era).toBe('legacy');
      expect(client.protocolVersion).toBe('2025-06-18');
      // The fixture answers initialize only: tools/list reaches it on the legacy wire and gets its -32601.
      expect(error).toBeInstanceOf(McpRpcError);
      expect((error as McpRpcError).code).toBe(-32601);
      expect((await client.discover()).supportedVersions).toEqual(['2025-06-18']);
    } finally {
      await client.close();
    }
  });

  it('pinned to the modern era: treats a silent server as legacy after the probe timeout', async () => {
    const client = open('silent', { probeTimeoutMs: 1_500, era: 'modern' });
    try {
      const error = await client.listTools().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LegacyServerError);
      expect((error as LegacyServerError).serverProtocolVersion).toBeUndefined();
    } finally {
      await client.close();
    }
  });

  it('reports a missing command as a transport error', async () => {
    const client = createClient({ stdio: { command: '/nonexistent/mcp-server' }, logger: quietLogger });
    await expect(client.listTools()).rejects.toBeInstanceOf(McpTransportError);
    await client.close();
  });
});
