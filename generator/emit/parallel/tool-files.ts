/**
 * Tool modules rendered on helper threads. A run that must render many tools' types and validators
 * (json-schema-to-typescript, the zod printer) and lay their files out (format/ts-tool-layout.ts)
 * — a cold run, a clean clone's `--check`, a spec change — shares that work with worker threads:
 * the main thread takes tools from the front of the list, the helpers from the back, until they
 * meet. A helper's result is only an offer: the main thread still builds each tool's view, renders
 * its template and keeps the helper's layout only for exactly the text it rendered itself, and a
 * helper that fails or dies just leaves its tools to the main thread. So threads change speed,
 * never output (test/project/parallel-tool-files.test.ts compares with MCP_GEN_WORKERS=0).
 *
 * Helpers run from the built code only (dist/generator or dist/bundle: `tool-file-worker.js` beside
 * this module); from TypeScript sources (the unit tests) everything runs on the main thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ToolModel } from '../../app/model.ts';
import type { RecordedModule } from '../../incremental/memo-steps.ts';
import type { OutputPlan } from '../../plan/plan.ts';
import { toolSchemasRemembered, type ToolMemo } from '../artifacts/project/tool-contracts.ts';

/** One tool's module as a helper rendered it. */
export interface HelpedToolFile {
  recorded: RecordedModule;
  /** The module's text as rendered, before layout. */
  content: string;
  laidOut: string | undefined;
}

/** What the main thread hands a helper when it starts. */
export interface ToolFileWorkerData {
  plan: OutputPlan;
  tools: [index: number, tool: ToolModel][];
}

export type ToMain = { type: 'next' } | { type: 'result'; index: number; file: HelpedToolFile } | { type: 'failed'; index: number };
export type ToWorker = { type: 'job'; index: number } | { type: 'none' };

const WORKER_URL = new URL('./tool-file-worker.js', import.meta.url);

/**
 * Below this many tools to render, a helper's start (it loads the renderers: ~100–200 ms on a
 * laptop-class core) costs about what it would save.
 */
export const MIN_TOOLS_FOR_HELPERS = 24;

/** Tools looked up in the render cache to decide whether helpers pay (see start). */
const SAMPLE = 8;

/**
 * Helper threads for this run: MCP_GEN_WORKERS when set (0 = none), else one fewer than the
 * machine's cores, at most 3 (past that the main thread's share of the work is the bound).
 */
export function helperThreadCount(env: NodeJS.ProcessEnv = process.env): number {
  const set = env.MCP_GEN_WORKERS?.trim();
  if (set) {
    const n = Number(set);
    if (Number.isInteger(n) && n >= 0) return Math.min(n, 16);
  }
  return Math.min(Math.max(availableParallelism() - 1, 0), 3);
}

interface Offer {
  promise: Promise<HelpedToolFile | undefined>;
  settle: (file: HelpedToolFile | undefined) => void;
}

export class ToolFileHelpers {
  /** Tools still to render, by index, ascending: the main thread claims the front, helpers the back. */
  private readonly queue: number[];
  private front = 0;
  private back: number;
  private readonly offers = new Map<number, Offer>();
  private readonly claimed = new Set<number>();
  private readonly workers: Worker[] = [];
  /** Tools a helper rendered and the main thread used; tools of the queue the main thread rendered itself. */
  readonly stats = { helped: 0, here: 0 };

  private readonly pending: Set<number>;

  private constructor(pending: number[], data: ToolFileWorkerData, count: number) {
    this.queue = pending;
    this.pending = new Set(pending);
    this.back = pending.length - 1;
    for (let i = 0; i < count; i++) this.spawn(data);
  }

  /** Helpers for the tools the render cache does not hold, or undefined when they would not pay. */
  static start(tools: ToolModel[], plan: OutputPlan, memo: ToolMemo, env: NodeJS.ProcessEnv = process.env): ToolFileHelpers | undefined {
    const count = helperThreadCount(env);
    if (count === 0 || tools.length < MIN_TOOLS_FOR_HELPERS || !existsSync(fileURLToPath(WORKER_URL))) return undefined;
    // Each look costs a cache key (a hash of the tool's schemas): a run that edits a tool or two
    // (the render cache holds nearly all) is told apart by a sample spread over the list.
    const missing = (index: number) => !toolSchemasRemembered(tools[index]!, plan, memo);
    const sample = Array.from({ length: SAMPLE }, (_, i) => Math.floor((i * tools.length) / SAMPLE));
    if (sample.filter(missing).length < SAMPLE / 2) return undefined;
    const pending = tools.flatMap((_, index) => (missing(index) ? [index] : []));
    if (pending.length < MIN_TOOLS_FOR_HELPERS) return undefined;
    const data: ToolFileWorkerData = { plan, tools: pending.map((index) => [index, tools[index]!]) };
    return new ToolFileHelpers(pending, data, Math.min(count, Math.floor(pending.length / MIN_TOOLS_FOR_HELPERS)));
  }

  /**
   * The helper's render of tool `index`, waited for when a helper took it; undefined when the main
   * thread is to render it (it claims it now, so no helper will).
   */
  async result(index: number): Promise<HelpedToolFile | undefined> {
    const offer = this.offers.get(index);
    if (!offer) {
      // Claimed synchronously, before any await: no helper can be handed it after this.
      this.claimed.add(index);
      while (this.front <= this.back && this.claimed.has(this.queue[this.front]!)) this.front++;
      if (this.pending.has(index)) this.stats.here++;
      return undefined;
    }
    const file = await offer.promise;
    if (file) this.stats.helped++;
    else this.stats.here++;
    return file;
  }

  async close(): Promise<void> {
    for (const offer of this.offers.values()) offer.settle(undefined);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** The next tool from the back for a helper, if the main thread has not reached it. */
  private take(): number | undefined {
    while (this.back >= this.front) {
      const index = this.queue[this.back--]!;
      if (!this.claimed.has(index)) return index;
    }
    return undefined;
  }

  private spawn(data: ToolFileWorkerData): void {
    const worker = new Worker(WORKER_URL, { workerData: data });
    this.workers.push(worker);
    const mine = new Set<number>();
    const giveUp = () => {
      for (const index of mine) this.offers.get(index)?.settle(undefined);
      mine.clear();
    };
    worker.on('message', (m: ToMain) => {
      if (m.type === 'next') {
        const index = this.take();
        if (index === undefined) {
          worker.postMessage({ type: 'none' } satisfies ToWorker);
          return;
        }
        let settle!: Offer['settle'];
        const promise = new Promise<HelpedToolFile | undefined>((resolve) => (settle = resolve));
        this.offers.set(index, { promise, settle });
        mine.add(index);
        worker.postMessage({ type: 'job', index } satisfies ToWorker);
      } else {
        mine.delete(m.index);
        this.offers.get(m.index)?.settle(m.type === 'result' ? m.file : undefined);
      }
    });
    // A helper that cannot start or dies leaves its tools to the main thread.
    worker.on('error', giveUp);
    worker.on('exit', giveUp);
  }
}
