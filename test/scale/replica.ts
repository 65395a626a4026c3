/**
 * One replica of the conformance-style registry for the scale test, plus three probe tools that
 * expose which process answered:
 *   whoami          → { pid }
 *   slow_whoami     → { pid } after `ms` milliseconds, or once the file `gate` exists (keeps a
 *                     request in flight on purpose; a gated one says so on stderr when it starts)
 *   whoami_rounds   → three MRTR rounds; ctx.state collects the pid of every round's replica.
 *
 * Run as `node --import tsx test/scale/replica.ts` with PORT and MCP_STATE_SECRET set: one node
 * process per replica, so SIGKILL really kills the server. Prints `ready <url>` on stdout.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { defineTool, serveHttp, type JsonValue } from '../../templates/runtime/index.ts';
import { conformanceServerOptions, createConformanceServer } from '../runtime/conformance-server.ts';
import { DirectorySessionStore } from './directory-session-store.ts';
import { SLOW_STARTED } from './cluster.ts';

const pid = { type: 'object', properties: { pid: { type: 'integer' } }, required: ['pid'] } as const;
const pidOut = z.object({ pid: z.number().int() });

const probeTools = [
  defineTool({
    name: 'whoami',
    description: 'Returns the pid of the replica that served the call',
    inputSchema: { type: 'object', properties: {} },
    outputSchema: pid,
    input: z.looseObject({}),
    output: pidOut,
    handler: () => ({ structured: { pid: process.pid } }),
  }),
  defineTool({
    name: 'slow_whoami',
    description: 'Returns the pid after sleeping `ms` milliseconds, or once the file `gate` exists',
    inputSchema: { type: 'object', properties: { ms: { type: 'integer' }, gate: { type: 'string' } }, required: ['ms'] },
    outputSchema: pid,
    input: z.object({ ms: z.number().int().min(0).max(10_000), gate: z.string().optional() }),
    output: pidOut,
    handler: async ({ ms, gate }, ctx) => {
      let watcher: FSWatcher | undefined;
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        ctx.signal.addEventListener('abort', () => resolve(), { once: true });
        if (!gate) {
          timer = setTimeout(resolve, ms);
          return;
        }
        // Gated: in flight until the test creates the file (watch first, then look). The stderr
        // line tells the test this request reached this replica's handler.
        watcher = watch(dirname(gate), () => existsSync(gate) && resolve()).on('error', () => resolve());
        if (existsSync(gate)) resolve();
        process.stderr.write(`${SLOW_STARTED}\n`);
      });
      clearTimeout(timer);
      watcher?.close();
      return { structured: { pid: process.pid } };
    },
  }),
  defineTool({
    name: 'whoami_rounds',
    description: 'Three MRTR rounds; returns the pid that served each round',
    inputSchema: { type: 'object', properties: {} },
    outputSchema: { type: 'object', properties: { pids: { type: 'array', items: { type: 'integer' } }, answers: { type: 'array', items: { type: 'string' } } }, required: ['pids', 'answers'] },
    input: z.looseObject({}),
    output: z.object({ pids: z.array(z.number().int()), answers: z.array(z.string()) }),
    handler: async (_input, ctx) => {
      // The handler re-runs from the top on every round; the pid list rides in the sealed requestState.
      const pids = [...((ctx.state.pids as number[] | undefined) ?? []), process.pid];
      ctx.state.pids = pids as JsonValue;
      const a = await ctx.elicit('first', { message: 'First?', schema: z.object({ name: z.string() }) });
      const b = await ctx.elicit('second', { message: 'Second?', schema: z.object({ name: z.string() }) });
      const names = [a, b].map((answer) => (answer.action === 'accept' ? answer.content.name : answer.action));
      return { structured: { pids, answers: names } };
    },
  }),
];

const server = createConformanceServer({
  tools: [...(conformanceServerOptions.tools ?? []), ...probeTools],
  // 2025-11-25 sessions shared by the replicas (the deploy test); in-memory per process otherwise.
  ...(process.env.MCP_SESSION_DIR ? { sessions: new DirectorySessionStore(process.env.MCP_SESSION_DIR) } : {}),
  // Every replica must share the secret, or requestState and cursors sealed by one are refused by the others.
  stateSecret: process.env.MCP_STATE_SECRET,
});
const handle = await serveHttp(server, { port: Number(process.env.PORT ?? 0), drainTimeoutMs: 2_000 });
process.stdout.write(`ready ${handle.url} pid=${process.pid}\n`);
