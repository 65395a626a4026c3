/**
 * A generated kitchen-sink project's own `createServer()` over Streamable HTTP (the same wiring as
 * its src/main.ts). `BENCH_PROJECT` is the project dir (bench/lib/kitchen-sink.ts). Prints `ready <url>`.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.env.BENCH_PROJECT;
if (!dir) throw new Error('BENCH_PROJECT is not set');
const generated = join(dir, 'src/generated');
const { createServer } = (await import(pathToFileURL(join(generated, 'server.ts')).href)) as { createServer(o?: object): unknown };
const { serveHttp } = (await import(pathToFileURL(join(generated, 'runtime/index.ts')).href)) as {
  serveHttp(server: unknown, options: object): Promise<{ url: string }>;
};
const handle = await serveHttp(createServer({ stateSecret: 'bench-secret-bench-secret-bench-secret-00' }), { port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
process.stdout.write(`ready ${handle.url}\n`);
