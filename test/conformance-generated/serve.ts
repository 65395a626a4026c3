/**
 * Start script for a generated conformance project:
 *
 *   node --import tsx test/conformance-generated/serve.ts <project-dir> [port]
 *
 * Imports `createServer` from <project-dir>/src/generated/server.ts, serves it on 127.0.0.1 (port 0
 * by default), prints `listening <url>` on stdout, and announces test://watched-resource updates
 * every 3 s like test/runtime/run-conformance.ts does for the hand-written registry. SIGTERM drains
 * and exits (serveHttp's signal handling).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

interface GeneratedServerModule {
  createServer(): { notify: { resourceUpdated(uri: string): unknown } };
}
interface GeneratedRuntimeModule {
  serveHttp(server: unknown, options: { port: number; host: string }): Promise<{ url: string }>;
}

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: serve.ts <project-dir> [port]\n');
  process.exit(2);
}
const root = resolve(dir, 'src/generated');
process.env.MCP_STATE_SECRET ??= 'conformance-run-secret-0123456789abcdef';

const { createServer } = (await import(pathToFileURL(resolve(root, 'server.ts')).href)) as GeneratedServerModule;
const { serveHttp } = (await import(pathToFileURL(resolve(root, 'runtime/index.ts')).href)) as GeneratedRuntimeModule;

const server = createServer();
const timer = setInterval(() => void server.notify.resourceUpdated('test://watched-resource'), 3_000);
timer.unref();
const handle = await serveHttp(server, { port: Number(process.argv[3] ?? 0), host: '127.0.0.1' });
process.stdout.write(`listening ${handle.url}\n`);
