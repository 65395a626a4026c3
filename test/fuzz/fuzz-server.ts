/**
 * The server under fuzz: the conformance-style registry (small page size, so real cursors exist)
 * served over HTTP (`http` argument, prints `ready <url>`) or stdio (`stdio` argument).
 *
 * Run as `node --import tsx test/fuzz/fuzz-server.ts http|stdio`: one process, so the test can
 * read its RSS from /proc and see it die. Unhandled rejections and uncaught exceptions are
 * reported on stderr as `FUZZ-UNHANDLED …` lines (and an uncaught exception exits with 70).
 */
import { defineResourceTemplate, serveHttp, serveStdio } from '../../templates/runtime/index.ts';
import { conformanceServerOptions, createConformanceServer } from '../runtime/conformance-server.ts';
import { REDOS_TEMPLATES } from './redos-cases.ts';

process.on('unhandledRejection', (reason) => {
  process.stderr.write(`FUZZ-UNHANDLED rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
});
process.on('uncaughtException', (error) => {
  process.stderr.write(`FUZZ-UNHANDLED exception: ${error.stack ?? error.message}\n`);
  process.exit(70);
});

// The ReDoS/traversal corpus needs one template per operator; their handlers echo what they got.
const redosTemplates = REDOS_TEMPLATES.map((t) =>
  defineResourceTemplate({ uriTemplate: t.uriTemplate, name: t.name, read: (params) => ({ text: JSON.stringify(params) }) }),
);
const server = createConformanceServer({
  pageSize: 4,
  stateSecret: 'fuzz-secret-fuzz-secret-fuzz-secret-0123',
  resourceTemplates: [...(conformanceServerOptions.resourceTemplates ?? []), ...redosTemplates],
});

if (process.argv[2] === 'stdio') {
  serveStdio(server);
} else {
  const handle = await serveHttp(server, { port: 0, drainTimeoutMs: 1_000 });
  process.stdout.write(`ready ${handle.url} pid=${process.pid}\n`);
}
