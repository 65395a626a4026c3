/**
 * Scripted stdio servers for the client's stdio tests: `tsx stdio-fixture.ts <mode>`.
 *   modern   answers discover, tools/call `slow` never (reports cancellations), `crash` exits,
 *            `noisy` prints junk lines first, `huge` sends one oversized line, `endless-line` one line
 *            that never ends (answering the request before it on the same write), `echo` echoes its _meta;
 *   legacy   a 2025-era server: -32601 before initialize, answers initialize with 2025-06-18;
 *   silent   never answers anything;
 *   versionless  a modern server sharing no modern version with the client: discover (any request
 *            with _meta) is -32022 listing only 2025-11-25; it would answer initialize, and says so
 *            on stderr, so a client that falls back anyway is caught;
 *   refuses-32602  a legacy server that answers any request before initialize with -32602.
 */
import { createInterface } from 'node:readline';

const mode = process.argv[2] ?? 'modern';
const send = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);
const result = (id: unknown, value: object) => send({ jsonrpc: '2.0', id, result: { resultType: 'complete', ...value } });

createInterface({ input: process.stdin }).on('line', (line) => {
  const message = JSON.parse(line) as { id?: number; method: string; params?: any };
  if (mode === 'silent') return;
  if (mode === 'versionless' || mode === 'refuses-32602') {
    if (message.method === 'initialize') {
      process.stderr.write('initialize received\n');
      return send({ jsonrpc: '2.0', id: message.id, result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: mode, version: '1' } } });
    }
    if (message.method === 'tools/list' && message.params?._meta === undefined) return send({ jsonrpc: '2.0', id: message.id, result: { tools: [{ name: 'legacy_tool', inputSchema: { type: 'object' } }] } });
    if (message.id === undefined) return;
    if (mode === 'refuses-32602') return send({ jsonrpc: '2.0', id: message.id, error: { code: -32602, message: 'Invalid request parameters' } });
    return send({ jsonrpc: '2.0', id: message.id, error: { code: -32022, message: 'Unsupported protocol version', data: { supported: ['2025-11-25'], requested: message.params?._meta?.['io.modelcontextprotocol/protocolVersion'] } } });
  }
  if (mode === 'legacy') {
    if (message.method === 'initialize') return send({ jsonrpc: '2.0', id: message.id, result: { protocolVersion: '2025-06-18', capabilities: {}, serverInfo: { name: 'old', version: '1' } } });
    if (message.id !== undefined) send({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'Method not found' } });
    return;
  }
  switch (message.method) {
    case 'server/discover':
      return result(message.id, { supportedVersions: ['2026-07-28'], capabilities: { tools: {} }, ttlMs: 0, cacheScope: 'public' });
    case 'notifications/cancelled':
      // Visible to the client as an unrouted notification.
      return send({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: `cancelled ${message.params.requestId}` } });
    case 'tools/call': {
      const name = message.params?.name;
      if (name === 'slow') return;
      if (name === 'crash') process.exit(3);
      if (name === 'noisy') process.stdout.write('not json at all\n{"half":\n\n');
      if (name === 'huge') return process.stdout.write(`{"pad":"${'x'.repeat(300_000)}"}\n`);
      if (name === 'endless-line') {
        // The answer to this call and the start of the endless line share one write.
        const answer = JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { resultType: 'complete', content: [] } });
        const piece = 'x'.repeat(1 << 20);
        const pump = () => {
          while (process.stdout.write(piece));
          process.stdout.once('drain', pump);
        };
        process.stdout.write(`${answer}\n{"pad":"`);
        return pump();
      }
      return result(message.id, { content: [{ type: 'text', text: `pid ${process.pid}` }], structuredContent: message.params._meta });
    }
    default:
      if (message.id !== undefined) send({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'Method not found' } });
  }
});
