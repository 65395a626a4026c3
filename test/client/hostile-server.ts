/**
 * A deliberately broken MCP server on 127.0.0.1 for robustness tests. Each request is answered
 * by the behaviour named in the URL path (`/<behaviour>`), or by `script`, which receives the
 * parsed request and writes whatever it likes.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Script = (request: { id: unknown; method: string; params: any; headers: IncomingMessage['headers'] }, res: ServerResponse, req: IncomingMessage) => void;

const json = (res: ServerResponse, body: unknown, status = 200) => res.writeHead(status, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body));
const sse = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/event-stream' });
const ok = (id: unknown, result: object) => ({ jsonrpc: '2.0', id, result: { resultType: 'complete', ...result } });

/**
 * Writes `frame()` as fast as the client drains it, forever: the server never ends the stream, so
 * only the client's deadline (or a limit) can. Stops when the client closes the connection.
 */
function flood(res: ServerResponse, frame: () => string): void {
  const pump = () => {
    // At most 64 KiB per turn: client and server share one event loop in these tests.
    let budget = 64 * 1024;
    let more = true;
    while (!res.destroyed && more && budget > 0) {
      const text = frame();
      budget -= text.length;
      more = res.write(text);
    }
    if (res.destroyed) return;
    if (more) setImmediate(pump);
    else res.once('drain', pump);
  };
  pump();
}
const progressFrame = (r: { params: any }) => {
  let progress = 0;
  const token = r.params?._meta?.progressToken ?? 'none';
  return () => `data: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: progress++ } })}\n\n`;
};
const notification = (method: string, params: object) => `data: ${JSON.stringify({ jsonrpc: '2.0', method, params })}\n\n`;

export const behaviours: Record<string, Script> = {
  'non-json': (_r, res) => json(res, 'this is { not json'),
  'wrong-id': (r, res) => json(res, ok(`${String(r.id)}-other`, { tools: [] })),
  'missing-result': (r, res) => json(res, { jsonrpc: '2.0', id: r.id }),
  'result-not-object': (r, res) => json(res, { jsonrpc: '2.0', id: r.id, result: 5 }),
  'no-jsonrpc': (r, res) => json(res, { id: r.id, result: {} }),
  'batch-array': (r, res) => json(res, [ok(r.id, {})]),
  'error-without-message': (r, res) => json(res, { jsonrpc: '2.0', id: r.id, error: { code: 'x' } }),
  'server-request': (r, res) => json(res, { jsonrpc: '2.0', id: r.id, method: 'sampling/createMessage', params: {} }),
  'text-plain': (_r, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('hello'),
  'accepted-no-body': (_r, res) => res.writeHead(202).end(),
  'empty-json': (_r, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(),
  'http-500': (_r, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('boom'),
  'redirect': (_r, res) => res.writeHead(302, { location: 'http://127.0.0.1:1/' }).end(),
  'reset': (_r, _res, req) => req.socket.destroy(),
  'unknown-result-type': (r, res) => json(res, { jsonrpc: '2.0', id: r.id, result: { resultType: 'weird', tools: [] } }),
  'input-required-on-list': (r, res) => json(res, { jsonrpc: '2.0', id: r.id, result: { resultType: 'input_required', requestState: 's' } }),
  'mrtr-forever': (r, res) => json(res, { jsonrpc: '2.0', id: r.id, result: { resultType: 'input_required', requestState: `round-${String(r.id)}` } }),
  'mrtr-empty': (r, res) => json(res, { jsonrpc: '2.0', id: r.id, result: { resultType: 'input_required' } }),
  'mrtr-unknown-input': (r, res) => json(res, { jsonrpc: '2.0', id: r.id, result: { resultType: 'input_required', inputRequests: { k: { method: 'foo/bar' } } } }),
  'mrtr-bad-state': (r, res) => json(res, { jsonrpc: '2.0', id: r.id, result: { resultType: 'input_required', requestState: 42 } }),
  'oversized-json': (r, res) => json(res, ok(r.id, { tools: [], pad: 'x'.repeat(200_000) })),
  'oversized-declared': (_r, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(1 << 30) });
    res.write('{');
  },
  'oversized-sse': (_r, res) => {
    sse(res);
    res.write(`data: ${'x'.repeat(200_000)}`);
  },
  'broken-sse-json': (_r, res) => sse(res).end('event: message\ndata: {"jsonrpc":"2.0",\n\n'),
  'sse-ends-early': (r, res) =>
    sse(res).end(`data: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: r.params?._meta?.progressToken ?? 'x', progress: 1 } })}\n\n`),
  'sse-binary-garbage': (_r, res) => sse(res).end(Buffer.from([0xff, 0xfe, 0x00, 0x0a, 0x0a, 0x64, 0x61, 0x74, 0x61, 0x3a, 0x80, 0x0a, 0x0a])),
  'never-ends': (_r, res) => {
    sse(res);
    const timer = setInterval(() => res.write(': keep-alive\n\n'), 20);
    res.on('close', () => clearInterval(timer));
  },
  /** Progress for the request's own token as fast as the client reads: each one restarts the idle timeout. */
  'endless-progress': (r, res) => flood(sse(res), progressFrame(r)),
  /** SSE comments (keep-alives) as fast as the client reads. */
  'endless-keepalive': (_r, res) => flood(sse(res), () => ': keep-alive\n\n'),
  /** One unterminated 24 MiB `data:` line, then the stream stays open. */
  'huge-sse-line': (_r, res) => {
    const piece = 'x'.repeat(1 << 20);
    let left = 24;
    sse(res).write('data: ');
    const pump = () => {
      while (left > 0 && !res.destroyed && (left--, res.write(piece)));
      if (left > 0 && !res.destroyed) res.once('drain', pump);
    };
    pump();
  },
  /** Acknowledges a listen, then floods `resources/updated` events forever. */
  'listen-flood': (r, res) => {
    sse(res).write(notification('notifications/subscriptions/acknowledged', { notifications: r.params?.notifications ?? {} }));
    let n = 0;
    flood(res, () => notification('notifications/resources/updated', { uri: `flood://item/${n++}` }));
  },
  'never-responds': () => {},
  'slow-drip': (_r, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const timer = setInterval(() => res.write(' '), 20);
    res.on('close', () => clearInterval(timer));
  },
  'legacy-400': (r, res) => {
    if (r.method === 'initialize') return json(res, { jsonrpc: '2.0', id: r.id, result: { protocolVersion: '2025-06-18', capabilities: {}, serverInfo: { name: 'old', version: '1' } } });
    json(res, { jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Bad Request: Server not initialized' } }, 400);
  },
  'legacy-404-html': (_r, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'),
  'legacy-no-discover': (r, res) => json(res, { jsonrpc: '2.0', id: r.id, error: { code: -32601, message: 'Method not found' } }),
  'version-none-mutual': (r, res) =>
    json(res, { jsonrpc: '2.0', id: r.id, error: { code: -32022, message: 'Unsupported protocol version', data: { supported: ['2099-01-01'], requested: '2026-07-28' } } }, 400),
};

export interface HostileServer {
  url(behaviour: string): string;
  /** How many requests (of any kind, on any path) arrived. */
  readonly hits: { path: string; method: string }[];
  /** Emits `request` when a request arrives and `closed` when its response's connection closes (the client stopped reading, or it ended), both with `{ path, method }`. */
  readonly events: EventEmitter;
  close(): Promise<void>;
}

export async function startHostileServer(script?: Script): Promise<HostileServer> {
  const hits: { path: string; method: string }[] = [];
  const events = new EventEmitter();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: any = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        // not JSON: behaviours see an empty request
      }
      const path = (req.url ?? '/').slice(1);
      hits.push({ path, method: String(body?.method) });
      res.on('close', () => events.emit('closed', { path, method: String(body?.method) }));
      events.emit('request', { path, method: String(body?.method) });
      const request = { id: body?.id, method: String(body?.method), params: body?.params, headers: req.headers };
      const behaviour = script ?? behaviours[path];
      if (!behaviour) return json(res, { jsonrpc: '2.0', id: request.id, error: { code: -32601, message: 'no such behaviour' } }, 404);
      behaviour(request, res, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (behaviour) => `http://127.0.0.1:${port}/${behaviour}`,
    hits,
    events,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
