/**
 * Formats emitted files with prettier in-process under a pinned config (never the user's
 * .prettierrc: output must not depend on where mcp-gen runs) and adds the generated header.
 * prettier is loaded only when a text is not in the format cache (format-cache.ts).
 */
import type { Options as PrettierOptions } from 'prettier';
import type { EmittedFile, FileLanguage } from '../emit/artifact.ts';
import { generatedHeaderText, type HeaderInput } from '../emit/header.ts';
import { FormatCache, formatKey } from './format-cache.ts';
import { formatWorkerCount, FormatWorker } from './format-pool.ts';
import { HeapPacer } from './heap-pacer.ts';
import { layoutJsonLikePrettier } from './json-layout.ts';
import { formatWithLiteralSlots } from './ts-literal-layout.ts';

export const PRETTIER_CONFIG: PrettierOptions = {
  printWidth: 100,
  tabWidth: 2,
  useTabs: false,
  semi: true,
  singleQuote: true,
  quoteProps: 'as-needed',
  trailingComma: 'all',
  bracketSpacing: true,
  arrowParens: 'always',
  endOfLine: 'lf',
  proseWrap: 'preserve',
};

const PARSERS: Partial<Record<FileLanguage, string>> = {
  // prettier's Babel TypeScript parser: the same printed output as its `typescript` parser on what
  // mcp-gen emits (the goldens pin it) at about 1.6× the speed; what it cannot parse goes to `typescript`.
  typescript: 'babel-ts',
  json: 'json',
  markdown: 'markdown',
  yaml: 'yaml',
  html: 'html',
};

function headerLine(language: FileLanguage, text: string): string | undefined {
  switch (language) {
    case 'typescript':
      return `// ${text}`;
    case 'yaml':
      return `# ${text}`;
    case 'markdown':
    case 'html':
      return `<!-- ${text} -->`;
    default:
      return undefined; // JSON has no comments; mcp-gen.lock.json records those files instead
  }
}

export interface FinalFile {
  path: string;
  owner: EmittedFile['owner'];
  content: string;
}

let prettierModule: Promise<typeof import('prettier')> | undefined;
const loadPrettier = () => (prettierModule ??= import('prettier'));

/** Formats one text with prettier: `parser`, falling back from babel-ts to typescript. */
type Runner = (source: string, parser: string) => Promise<string>;

const inProcess: Runner = async (source, parser) => {
  const prettier = await loadPrettier();
  try {
    return await prettier.format(source, { ...PRETTIER_CONFIG, parser });
  } catch (e) {
    if (parser !== 'babel-ts') throw e;
    return prettier.format(source, { ...PRETTIER_CONFIG, parser: 'typescript' });
  }
};

/** A worker's runner; anything the worker cannot do (an error, a dead worker) is done here, in-process. */
const onWorker =
  (worker: FormatWorker): Runner =>
  (source, parser) =>
    worker.format(source, parser, PRETTIER_CONFIG).then(
      (out) => {
        lastFormatRun.onWorker++;
        return out;
      },
      () => {
        lastFormatRun.fellBack++;
        return inProcess(source, parser);
      },
    );

async function prettierFormat(text: string, parser: string, cache: FormatCache, runner: Runner = inProcess): Promise<string> {
  // Big JSON (conformance fixtures) is laid out the way prettier would, without prettier.
  if (parser === 'json') {
    const laidOut = layoutJsonLikePrettier(text, PRETTIER_CONFIG.printWidth!);
    if (laidOut !== undefined) return laidOut;
  }
  const key = formatKey(parser, PRETTIER_CONFIG, text);
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const run = (source: string) => runner(source, parser);
  // Data literals (wire definitions, mock data) are laid out without prettier: the same text, faster.
  const formatted = parser === 'babel-ts' ? await formatWithLiteralSlots(text, run) : await run(text);
  cache.set(key, formatted);
  return formatted;
}

export async function formatFile(file: EmittedFile, header: HeaderInput, cache: FormatCache = FormatCache.inMemory(), runner: Runner = inProcess): Promise<FinalFile> {
  const parser = file.verbatim ? undefined : PARSERS[file.language];
  let body = parser ? await prettierFormat(file.content, parser, cache, runner) : file.content;
  body = body.replace(/\r\n/g, '\n');
  if (!body.endsWith('\n')) body += '\n';
  const line = file.owner === 'generated' ? headerLine(file.language, generatedHeaderText(header, body)) : undefined;
  return { path: file.path, owner: file.owner, content: line ? `${line}\n${body}` : body };
}

const PACE_ABOVE_CHARS = 8_000_000;

export interface FormatAllOptions {
  /**
   * Format worker threads: 'auto' (the default) uses them when the text prettier has to format
   * (not in the cache) is big enough to pay for starting one, and the project is not so big that
   * a second prettier heap would matter; 'off' never; a number forces that many (tests).
   */
  workers?: 'auto' | 'off' | number;
  /** Tests: the worker's script (a broken one checks the in-process fallback). */
  workerSource?: string;
}

/**
 * Below this many characters of uncached prettier input, a worker does not pay: starting one and
 * loading prettier in it took ~80 ms on the idle 2-core machine (~140 ms to its first formatted
 * text), and a cold worker spends ~1 s more CPU warming up prettier than the main thread alone. A
 * cold 100-tool generate gives prettier ~1.1 MB; a one-tool edit of it ~20 KB, a no-op nothing.
 */
const POOL_ABOVE_UNCACHED_CHARS = 150_000;

/** The characters prettier would be given for `file` this run (0: no prettier, or a cache hit). */
function uncachedChars(file: EmittedFile, cache: FormatCache): number {
  const parser = file.verbatim ? undefined : PARSERS[file.language];
  if (!parser || parser === 'json') return 0; // JSON is mostly laid out without prettier
  return cache.has(formatKey(parser, PRETTIER_CONFIG, file.content)) ? 0 : file.content.length;
}

export async function formatAll(files: EmittedFile[], header: HeaderInput, cache: FormatCache = FormatCache.inMemory(), options: FormatAllOptions = {}): Promise<FinalFile[]> {
  const total = files.reduce((n, f) => n + f.content.length, 0);
  // Big projects only (a 1 000-tool project emits ~30 MB): bounds peak memory, costs a few full collections.
  const big = total > PACE_ABOVE_CHARS;
  const mode = options.workers ?? 'auto';
  let workers = 0;
  let sizes: number[] = [];
  if (typeof mode === 'number') {
    workers = mode;
    sizes = files.map((f) => uncachedChars(f, cache));
  } else if (mode === 'auto' && !big) {
    workers = formatWorkerCount();
    if (workers > 0) {
      sizes = files.map((f) => uncachedChars(f, cache));
      if (sizes.reduce((n, s) => n + s, 0) < POOL_ABOVE_UNCACHED_CHARS) workers = 0;
    }
  }
  Object.assign(lastFormatRun, { workers, onWorker: 0, fellBack: 0 });
  const out = workers > 0 ? await formatInParallel(files, sizes, header, cache, workers, options.workerSource) : await formatSequentially(files, header, cache, big);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function formatSequentially(files: EmittedFile[], header: HeaderInput, cache: FormatCache, big: boolean): Promise<FinalFile[]> {
  const out: FinalFile[] = [];
  const pacer = big ? new HeapPacer() : undefined;
  // Sequential: prettier is CPU-bound, and order keeps errors reproducible.
  for (const f of files) {
    out.push(await formatFile(f, header, cache));
    pacer?.step();
  }
  pacer?.collect();
  return out;
}

/**
 * The files, biggest uncached text first, form one queue: the workers take from the big end (each
 * keeps two files in flight, as the main thread only hands out work between its own files), the main
 * thread from the small end, until they meet. Results land at their input index, so the output is
 * the sequential one; if files fail, the error thrown is that of the first failing file in input
 * order, as prettier threw it in-process.
 */
/** How the last formatAll ran (tests and debugging: whether the pool was used and what it did). */
export const lastFormatRun = { workers: 0, onWorker: 0, fellBack: 0 };

async function formatInParallel(files: EmittedFile[], sizes: number[], header: HeaderInput, cache: FormatCache, count: number, workerSource?: string): Promise<FinalFile[]> {
  const order = files.map((_, i) => i).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
  let lo = 0;
  let hi = order.length;
  const out: FinalFile[] = new Array(files.length);
  const failures = new Map<number, unknown>();
  const run = async (i: number, runner: Runner) => {
    try {
      out[i] = await formatFile(files[i]!, header, cache, runner);
    } catch (e) {
      failures.set(i, e);
    }
  };
  const pool: FormatWorker[] = [];
  try {
    for (let w = 0; w < count; w++) pool.push(new FormatWorker(workerSource));
  } catch {
    // No worker at all (threads unavailable): the main thread does everything.
  }
  const workerLane = async (worker: FormatWorker) => {
    const runner = onWorker(worker);
    // Only uncached texts go to a worker; a dead worker stops taking work.
    while (lo < hi && !worker.dead && sizes[order[lo]!]! > 0) await run(order[lo++]!, runner);
  };
  const mainLane = async () => {
    while (lo < hi) {
      await run(order[--hi]!, inProcess);
      // prettier resolves through microtasks: without a turn of the event loop here, the workers'
      // answers (and so their next files) would wait until the main thread ran out of work.
      if (pool.length > 0) await new Promise((resolve) => setImmediate(resolve));
    }
  };
  try {
    await Promise.all([mainLane(), ...pool.flatMap((w) => [workerLane(w), workerLane(w)])]);
  } finally {
    await Promise.all(pool.map((w) => w.close()));
  }
  if (failures.size > 0) throw failures.get(Math.min(...failures.keys()));
  return out;
}
