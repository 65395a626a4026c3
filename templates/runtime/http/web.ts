import type { McpServer } from '../create-server.ts';
import { handleHttpExchange, type HttpExchangeOptions, type IncomingHttpRequest } from './exchange.ts';

/**
 * The MCP endpoint as a Fetch-API handler, for runtimes and frameworks built on `Request` /
 * `Response` (Deno, Bun, Cloudflare Workers, Hono, Next.js route handlers). The handler serves
 * whatever path it is mounted on unless `path` is given. Host checking is off unless
 * `allowedHosts` is set (the deployment knows its public names); Origin is checked either way,
 * and a browser Origin is only accepted when it is loopback-to-loopback, listed in
 * `allowedOrigins`, or same-origin with an allowed Host (so set one of the two for browsers).
 */
export function toWebHandler(server: McpServer, options: HttpExchangeOptions = {}): (request: Request) => Promise<Response> {
  return async (req) => {
    const url = new URL(req.url);
    const aborter = new AbortController();
    // req.signal aborts when the client goes away; so does cancelling the response body below.
    req.signal?.addEventListener('abort', () => aborter.abort(), { once: true });
    const request: IncomingHttpRequest = {
      method: req.method,
      path: url.pathname,
      // Fetch runtimes may not expose Host as a header; the request URL carries it.
      headers: { get: (name) => req.headers.get(name) ?? (name.toLowerCase() === 'host' ? url.host : undefined) },
      readBody: async (limit, timeoutMs) => {
        const declared = Number(req.headers.get('content-length'));
        if (Number.isFinite(declared) && declared > limit) return 'too-large';
        // Count while reading: a chunked body without Content-Length must not be buffered past the limit.
        if (!req.body) return new Uint8Array(0);
        const reader = req.body.getReader();
        const chunks: Uint8Array[] = [];
        let size = 0;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
        try {
          for (;;) {
            const next = await Promise.race([reader.read(), late]);
            if (next === 'timeout') {
              void reader.cancel().catch(() => undefined);
              return 'timeout';
            }
            if (next.done) break;
            size += next.value.byteLength;
            if (size > limit) {
              await reader.cancel();
              return 'too-large';
            }
            chunks.push(next.value);
          }
        } finally {
          clearTimeout(timer);
        }
        return Buffer.concat(chunks);
      },
      signal: aborter.signal,
    };
    const reply = await handleHttpExchange(server, request, { ...options, path: options.path ?? url.pathname });
    if (reply.kind === 'body') return new Response(reply.body ?? null, { status: reply.status, headers: reply.headers });

    const encoder = new TextEncoder();
    const iterator = reply.stream[Symbol.asyncIterator]();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      cancel() {
        aborter.abort();
        reply.stream.end();
      },
    });
    return new Response(body, { status: reply.status, headers: reply.headers });
  };
}
