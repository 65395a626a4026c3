import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import type { McpServer } from '../create-server.ts';
import type { HeaderLookup } from '../mirrored-headers.ts';
import { DEFAULT_BODY_TIMEOUT_MS, handleHttpExchange, type BodyFailure, type HttpExchangeOptions, type HttpReply, type IncomingHttpRequest } from './exchange.ts';
import { isLoopbackHost, LOOPBACK_HOSTS } from './security.ts';

export interface ServeHttpOptions extends HttpExchangeOptions {
  /** Interface to bind. Default 127.0.0.1: local servers SHOULD NOT listen on all interfaces (streamable-http.mdx "Security & Endpoint"). */
  host?: string;
  /** Default: process.env.PORT, else 3000. 0 picks a free port. */
  port?: number;
  /** How long SIGTERM waits for in-flight requests before closing connections. Default 10 s. */
  drainTimeoutMs?: number;
  /** Install SIGTERM/SIGINT handlers that drain and exit. Default true. */
  handleSignals?: boolean;
}

export interface HttpServerHandle {
  readonly httpServer: Server;
  readonly url: string;
  readonly port: number;
  /** Stops accepting, ends listen streams gracefully, waits for in-flight requests, closes connections. */
  close(): Promise<void>;
}

/** node keeps only the first of repeated Host headers; every copy is reported (joined) so the exchange sees duplicates. */
function allHostValues(req: IncomingMessage): string | undefined {
  let joined: string | undefined;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.length === 4 && raw[i]!.toLowerCase() === 'host') joined = joined === undefined ? raw[i + 1] : `${joined}, ${raw[i + 1]}`;
  return joined;
}

function headerLookup(req: IncomingMessage): HeaderLookup {
  return {
    get(name) {
      const key = name.toLowerCase();
      if (key === 'host') return allHostValues(req);
      const value = req.headers[key];
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

function readBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<Uint8Array | BodyFailure> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (outcome: BodyFailure) => {
      clearTimeout(timer);
      req.removeAllListeners('data');
      req.resume();
      resolve(outcome);
    };
    // Counted from the start of the request: a client trickling bytes cannot hold the socket forever.
    const timer = setTimeout(() => stop('timeout'), timeoutMs);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return stop('too-large');
      chunks.push(chunk);
    });
    req.on('end', () => {
      clearTimeout(timer);
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

async function writeReply(res: ServerResponse, reply: HttpReply): Promise<void> {
  if (reply.kind === 'body') {
    res.writeHead(reply.status, reply.headers).end(reply.body);
    // The rest of a timed-out body is never read: drop the connection once the 408 is out.
    if (reply.headers.connection === 'close') res.once('finish', () => res.socket?.destroy());
    return;
  }
  res.writeHead(reply.status, reply.headers);
  res.flushHeaders();
  // A disconnect ends the stream, so the loop below does not wait on a dead socket.
  res.once('close', () => reply.stream.end());
  for await (const chunk of reply.stream) {
    if (res.destroyed) break;
    if (!res.write(chunk)) {
      // One controller for both waits, so the loser's listener is removed every time.
      const waiting = new AbortController();
      const settle = (event: string) => once(res, event, { signal: waiting.signal }).catch(() => undefined);
      await Promise.race([settle('drain'), settle('close')]);
      waiting.abort();
    }
  }
  res.end();
}

/** A node:http request listener for the MCP endpoint, to mount in an existing server. */
export function createNodeRequestListener(server: McpServer, options: HttpExchangeOptions = {}) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const aborter = new AbortController();
    // Closing the response stream before it finished is cancellation (streamable-http.mdx "Cancellation").
    res.on('close', () => {
      if (!res.writableFinished) aborter.abort();
    });
    // Mounted on a loopback socket without an explicit allow-list: only loopback Host names (DNS rebinding).
    const local = req.socket.localAddress?.replace(/^::ffff:/, '');
    const policy =
      options.allowedHosts === undefined && local !== undefined && isLoopbackHost(local) ? { ...options, allowedHosts: LOOPBACK_HOSTS } : options;
    const request: IncomingHttpRequest = {
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0] ?? '/',
      headers: headerLookup(req),
      readBody: (limit, timeoutMs) => readBody(req, limit, timeoutMs),
      signal: aborter.signal,
    };
    handleHttpExchange(server, request, policy)
      .then((reply) => writeReply(res, reply))
      .catch((error: unknown) => {
        // A client that disconnects mid-upload is not a server fault: nobody is left to answer.
        if (aborter.signal.aborted || (error as { code?: unknown } | undefined)?.code === 'ECONNRESET') {
          res.destroy();
          return;
        }
        server.logger.error('HTTP exchange failed', error);
        if (!res.headersSent) res.writeHead(500).end();
        else res.end();
      });
  };
}

export async function serveHttp(server: McpServer, options: ServeHttpOptions = {}): Promise<HttpServerHandle> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (process.env.PORT ? Number(process.env.PORT) : 3000);
  const loopback = isLoopbackHost(host.replace(/^\[|\]$/g, '')) || host === 'localhost';
  // A loopback server only answers to loopback Host names unless told otherwise (DNS rebinding).
  const allowedHosts = options.allowedHosts ?? (loopback ? LOOPBACK_HOSTS : undefined);
  if (!loopback && !options.allowedHosts) server.logger.warn(`listening on ${host} without allowedHosts: Host is not checked`);

  const httpServer = createServer(createNodeRequestListener(server, { ...options, allowedHosts }));
  // Headers must arrive within the same budget as the body; node answers a late request with 408.
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  httpServer.headersTimeout = bodyTimeoutMs;
  httpServer.requestTimeout = bodyTimeoutMs + 1_000;
  httpServer.listen(port, host);
  await once(httpServer, 'listening');
  const actualPort = (httpServer.address() as AddressInfo).port;
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const url = `http://${urlHost}:${actualPort}${options.path ?? '/mcp'}`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await server.close(options.drainTimeoutMs ?? 10_000);
      httpServer.closeIdleConnections();
      const force = setTimeout(() => httpServer.closeAllConnections(), 1_000);
      force.unref();
      await stopped;
      clearTimeout(force);
    })());

  if (options.handleSignals ?? true) {
    const onSignal = (signal: NodeJS.Signals) => {
      server.logger.info(`${signal}: draining`);
      close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    httpServer.once('close', () => {
      process.removeListener('SIGTERM', onSignal);
      process.removeListener('SIGINT', onSignal);
    });
  }

  return { httpServer, url, port: actualPort, close };
}
