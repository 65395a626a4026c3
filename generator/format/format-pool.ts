/**
 * prettier in worker threads, so a cold generate formats on more than one core (issue 18: the format
 * stage was about half of a 100-tool cold generate). A worker is a few lines of eval'd script that
 * imports the same prettier module file the main thread uses (resolved here, so it works from the
 * installed package as from the checkout, with no worker file to ship or compile) and formats with
 * the config and parser fallback it is sent. It answers `{ ok: false }` on any error: the caller
 * then formats that text in-process, so errors are prettier's own, thrown on the main thread exactly
 * as without workers. A worker that fails to start or dies is dead for the rest of the run; the
 * caller falls back to in-process formatting. Workers are terminated by `close()`.
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Runs inside the worker (CommonJS eval script). Kept free of anything but prettier. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.prettierUrl).then(
  (prettier) => {
    parentPort.on('message', async ({ id, text, parser, config }) => {
      try {
        let out;
        try {
          out = await prettier.format(text, { ...config, parser });
        } catch (e) {
          if (parser !== 'babel-ts') throw e;
          out = await prettier.format(text, { ...config, parser: 'typescript' });
        }
        parentPort.postMessage({ id, ok: true, out });
      } catch {
        parentPort.postMessage({ id, ok: false });
      }
    });
  },
  () => process.exit(3),
);
`;

/** The module file `import('prettier')` loads here: the worker must format with the very same prettier. */
function prettierUrl(): string {
  try {
    return import.meta.resolve('prettier');
  } catch {
    return pathToFileURL(createRequire(import.meta.url).resolve('prettier')).href;
  }
}

/** Why a worker could not format a text; the caller formats it in-process instead. */
export class WorkerUnavailable extends Error {}

export class FormatWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (out: string) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  dead = false;

  constructor(source = WORKER_SOURCE) {
    // execArgv []: not the parent's loaders or flags (tsx under tests), only what the script needs.
    this.worker = new Worker(source, { eval: true, workerData: { prettierUrl: prettierUrl() }, execArgv: [] });
    this.worker.unref(); // never the reason the process stays alive
    this.worker.on('message', (m: { id: number; ok: boolean; out?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.out!);
      else p.reject(new WorkerUnavailable('prettier failed in the worker'));
    });
    const die = (why: string) => {
      this.dead = true;
      for (const p of this.pending.values()) p.reject(new WorkerUnavailable(why));
      this.pending.clear();
    };
    this.worker.on('error', (e) => die(`format worker failed: ${e.message}`));
    this.worker.on('exit', (code) => die(`format worker exited (${code})`));
  }

  format(text: string, parser: string, config: object): Promise<string> {
    if (this.dead) return Promise.reject(new WorkerUnavailable('format worker is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, text, parser, config });
    });
  }

  async close(): Promise<void> {
    this.dead = true;
    await this.worker.terminate();
  }
}

/**
 * How many workers a run may use by default: one per core beyond two, at most MAX_WORKERS (each
 * holds its own prettier heap, ~60 MB RSS at 100 tools). Beyond two because on the 2-core machine a
 * sequential cold generate already keeps ~1.4 cores busy (V8's concurrent GC and compiler threads):
 * measured A/B, 100-tool cold, interleaved, load ~2.5: without a worker wall 5.95/5.92/6.64 s, user
 * 8.5/8.3/9.2 s; with one 6.30/6.67/6.27 s, user 9.9/10.5/9.7 s (+60 MB RSS). No gain, more CPU.
 * MCP_GEN_FORMAT_WORKERS=<n> overrides (0 off; 1 on a 2-core machine that is otherwise idle).
 */
const MAX_WORKERS = 2;
export function formatWorkerCount(env: NodeJS.ProcessEnv = process.env): number {
  const set = env.MCP_GEN_FORMAT_WORKERS;
  if (set !== undefined && /^\d+$/.test(set.trim())) return Math.min(Number(set), MAX_WORKERS);
  return Math.max(0, Math.min(availableParallelism() - 2, MAX_WORKERS));
}
