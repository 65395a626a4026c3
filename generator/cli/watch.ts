/**
 * `mcp-gen generate --watch`: regenerate the project whenever its manifest, a schema file the
 * manifest `$ref`s or an app view template changes. Saves are debounced; runs never overlap; each
 * run prints one line (time taken, files changed). A bad edit prints its positioned diagnostics
 * and writes nothing (generate is all-or-nothing); the next good save recovers. A deleted
 * manifest is reported and waited for.
 */
import { watch, type FSWatcher } from 'chokidar';
import { existsSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { DiagnosticError, renderDiagnostics } from '../diagnostics/diagnostic.ts';
import { generateProject, type LoadedApp } from '../project.ts';
import type { SpecSourceOptions } from '../load/load-spec.ts';
import type { CliIO } from './io.ts';

export interface WatchOptions {
  manifestPath: string;
  outDir?: string;
  revision?: string;
  source: SpecSourceOptions;
  clientOnly?: boolean;
  force?: boolean;
  /** Quiet period after the last save before a run (default 150 ms; MCP_GEN_WATCH_DEBOUNCE_MS). */
  debounceMs?: number;
  /** Stops watching; the CLI wires SIGINT/SIGTERM to it. */
  signal?: AbortSignal;
}

const clock = () => new Date().toISOString().slice(11, 19);

/** The files a run depends on besides the spec: the manifest, $ref'd schema files, app templates. */
function inputsOf(manifestPath: string, { app, sources }: Pick<LoadedApp, 'app' | 'sources'>): Set<string> {
  const files = new Set([manifestPath]);
  for (const file of sources.keys()) files.add(resolve(dirname(manifestPath), file));
  for (const a of app.apps) files.add(resolve(dirname(manifestPath), a.template));
  return files;
}

export async function watchProject(io: CliIO, opts: WatchOptions): Promise<number> {
  const manifestPath = resolve(opts.manifestPath);
  const shown = (p: string) => relative(io.cwd, p) || basename(p);
  const debounceMs = opts.debounceMs ?? Number(io.env.MCP_GEN_WATCH_DEBOUNCE_MS ?? 150);
  let inputs = new Set([manifestPath]);
  let dirs = new Set([dirname(manifestPath)]);
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const run = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    const started = performance.now();
    const took = () => `${Math.round(performance.now() - started)} ms`;
    try {
      if (!existsSync(manifestPath)) {
        io.err(`[${clock()}] ${shown(manifestPath)} was deleted; waiting for it to come back`);
        return;
      }
      const result = await generateProject({
        manifestPath,
        outDir: opts.outDir,
        revision: opts.revision,
        source: opts.source,
        mode: 'write',
        clientOnly: opts.clientOnly,
        force: opts.force,
      });
      if (result.warnings.length) io.err(renderDiagnostics(result.warnings, result.sources));
      const changed = result.report.actions.filter((a) => a.action !== 'unchanged' && a.action !== 'keep-user').map((a) => a.path);
      const list = changed.length ? ` (${changed.slice(0, 3).join(', ')}${changed.length > 3 ? `, +${changed.length - 3} more` : ''})` : '';
      io.out(`[${clock()}] regenerated in ${took()}: ${changed.length} file(s) changed${list}`);
      // What this run read (not a second load of the manifest, which would double a warm run's cost).
      await follow(inputsOf(manifestPath, result));
    } catch (error) {
      if (error instanceof DiagnosticError) {
        io.err(renderDiagnostics(error.diagnostics, error.sources));
        const errors = error.diagnostics.filter((d) => d.severity === 'error').length;
        io.out(`[${clock()}] failed in ${took()}: ${errors} error(s); nothing written, waiting for the next save`);
      } else {
        io.out(`[${clock()}] failed in ${took()}: ${(error as Error).message}; nothing written, waiting for the next save`);
      }
    } finally {
      running = false;
      if (again) {
        again = false;
        schedule();
      }
    }
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), debounceMs);
  };

  // Directories are watched (depth 0) rather than files, so editors that save by rename, and a
  // manifest deleted then restored, keep being seen; everything but the inputs is ignored.
  const watcher: FSWatcher = watch([...dirs], {
    depth: 0,
    ignoreInitial: true,
    ignored: (p: string) => {
      const abs = resolve(p);
      return !dirs.has(abs) && !inputs.has(abs);
    },
  });
  const follow = async (next: Set<string>) => {
    const nextDirs = new Set([...next].map((f) => dirname(f)));
    const added = [...nextDirs].filter((d) => !dirs.has(d));
    inputs = next;
    dirs = new Set([...dirs, ...nextDirs]);
    if (added.length) watcher.add(added);
  };
  for (const event of ['add', 'change', 'unlink'] as const) {
    watcher.on(event, (p: string) => {
      if (inputs.has(resolve(p))) schedule();
    });
  }
  watcher.on('error', (e) => io.err(`[${clock()}] watch error: ${(e as Error).message}`));
  await new Promise<void>((r) => watcher.once('ready', () => r()));

  await run();
  io.out(`watching ${shown(manifestPath)}${inputs.size > 1 ? ` and ${inputs.size - 1} file(s) it references` : ''}; Ctrl-C to stop`);

  await new Promise<void>((r) => {
    if (opts.signal?.aborted) return r();
    opts.signal?.addEventListener('abort', () => r(), { once: true });
  });
  clearTimeout(timer);
  await watcher.close();
  return 0;
}
