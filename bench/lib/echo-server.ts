/** (c) The floor: bare node:http reading a JSON-RPC body and answering a JSON echo of it. */
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let message: { id?: unknown; method?: unknown; params?: { name?: unknown; arguments?: { text?: unknown } } };
    try {
      message = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"}}');
      return;
    }
    const result =
      message.method === 'tools/list'
        ? { tools: [{ name: 'echo', description: 'Echoes its text', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } }] }
        : { content: [{ type: 'text', text: String(message.params?.arguments?.text ?? '') }] };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result }));
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
await once(server, 'listening');
process.stdout.write(`ready http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp\n`);
