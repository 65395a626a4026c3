import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { McpAuthError } from './errors.ts';

/**
 * How the user takes part in an authorization-code login. The client builds the authorization URL;
 * the handler shows it to the user (or a test drives it) and resolves with the URL the
 * authorization server redirected back to.
 */
export interface LoginHandler {
  /** The redirect URI to register and send (`http://127.0.0.1:<port>/callback` for a loopback login). */
  redirectUri(): Promise<string>;
  /** Resolve with the full redirect URL, query included. */
  authorize(authorizationUrl: URL, signal?: AbortSignal): Promise<URL>;
}

export interface LoopbackLoginOptions {
  /** Fixed port for servers that match redirect URIs exactly; default 0 (any free port). */
  port?: number;
  path?: string;
  /** Shows the URL; default writes one line to stderr. */
  print?: (message: string) => void;
  /** Opens the URL, e.g. `openInBrowser`; default only prints. */
  open?: (url: string) => void | Promise<void>;
  /** How long to wait for the redirect. Default 5 minutes. */
  timeoutMs?: number;
}

/**
 * The CLI login (RFC 8252 §7.3): listen on 127.0.0.1, print the authorization URL (and open a
 * browser if asked), wait for the redirect, answer it with a short page, stop listening.
 */
export function loopbackLogin(options: LoopbackLoginOptions = {}): LoginHandler {
  const path = options.path ?? '/callback';
  const print = options.print ?? ((message: string) => process.stderr.write(`${message}\n`));
  let server: Server | undefined;
  let uri: string | undefined;
  let arrived: ((url: URL) => void) | undefined;

  const listen = async (): Promise<string> => {
    if (uri) return uri;
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', uri);
      if (url.pathname !== path) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Signed in</title><p>You can close this window and return to the application.</p>');
      arrived?.(url);
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (!address || typeof address === 'string') throw new McpAuthError('authorization_failed', 'loopback listener has no port');
    uri = `http://127.0.0.1:${address.port}${path}`;
    return uri;
  };

  const close = () => {
    server?.close();
    server?.closeAllConnections();
    server = undefined;
    uri = undefined;
  };

  return {
    redirectUri: listen,
    async authorize(authorizationUrl, signal) {
      await listen();
      const timeout = AbortSignal.timeout(options.timeoutMs ?? 300_000);
      const stop = signal ? AbortSignal.any([signal, timeout]) : timeout;
      try {
        const callback = new Promise<URL>((resolve, reject) => {
          arrived = resolve;
          stop.addEventListener('abort', () => reject(new McpAuthError('authorization_failed', 'login was not completed in time', { cause: stop.reason })), { once: true });
        });
        print(`Open this URL to authorize: ${authorizationUrl.href}`);
        await options.open?.(authorizationUrl.href);
        return await callback;
      } finally {
        arrived = undefined;
        close();
      }
    },
  };
}

/** Opens a URL in the desktop's browser (best effort: nothing happens on a headless machine). */
export function openInBrowser(url: string): void {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => {});
  child.unref();
}
