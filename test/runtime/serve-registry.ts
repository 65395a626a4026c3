/**
 * The conformance registry as a standalone process for interop tests with real peers:
 * `node --import tsx test/runtime/serve-registry.ts stdio` serves stdin/stdout (both eras: the
 * first request decides), `… http` prints `ready <url>` and serves 127.0.0.1 on a free port.
 */
import { serveHttp, serveStdio } from '../../templates/runtime/index.ts';
import { createConformanceServer } from './conformance-server.ts';

const server = createConformanceServer({ stateSecret: 'interop-secret-interop-secret-interop' });
if (process.argv[2] === 'stdio') serveStdio(server);
else {
  const handle = await serveHttp(server, { port: 0 });
  process.stdout.write(`ready ${handle.url}\n`);
}
