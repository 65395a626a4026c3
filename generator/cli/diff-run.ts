/** The work behind `mcp-gen diff` (diff-command.ts registers it and loads this module only when it runs). */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadApp } from '../project.ts';
import { loadAppAtRef, RefError } from '../surface/manifest-at-ref.ts';
import { diffSurfaces, type SurfaceChange } from '../surface/surface-diff.ts';
import { ALLOW_FILE } from './diff-command.ts';
import { EXIT, type CliIO } from './io.ts';

export interface DiffOptions {
  against: string;
  manifest: string;
  allow?: string;
  json?: boolean;
}

/** `allow:` entries: change ids, as strings or `{ id, reason }`. */
function readAllowList(path: string, explicit: boolean): Set<string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    if (explicit) throw new RefError(`allow file ${path} cannot be read`);
    return new Set();
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new RefError(`allow file ${path} is not YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const list = (doc as { allow?: unknown } | null)?.allow ?? [];
  if (!Array.isArray(list)) throw new RefError(`allow file ${path}: \`allow:\` must be a list of change ids`);
  return new Set(
    list.map((entry, i) => {
      const id = typeof entry === 'string' ? entry : (entry as { id?: unknown } | null)?.id;
      if (typeof id !== 'string') throw new RefError(`allow file ${path}: entry ${i + 1} is neither an id nor { id, reason }`);
      return id;
    }),
  );
}

function renderTable(rows: (SurfaceChange & { allowed: boolean })[]): string {
  if (!rows.length) return 'no changes to tools, prompts or resources';
  const verdict = (r: (typeof rows)[number]) => (r.breaking ? (r.allowed ? 'allowed' : 'BREAKING') : 'compatible');
  const w1 = Math.max(...rows.map((r) => verdict(r).length));
  const w2 = Math.max(...rows.map((r) => r.id.length));
  return rows.map((r) => `${verdict(r).padEnd(w1)}  ${r.id.padEnd(w2)}  ${r.message}`).join('\n');
}

export async function runDiff(io: CliIO, opts: DiffOptions, setExit: (code: number) => void): Promise<void> {
  const manifestPath = resolve(io.cwd, opts.manifest);
  let rows: (SurfaceChange & { allowed: boolean })[];
  try {
    const before = loadAppAtRef(manifestPath, opts.against);
    const { app: after } = await loadApp(manifestPath);
    const allowPath = opts.allow ? resolve(io.cwd, opts.allow) : join(dirname(manifestPath), ALLOW_FILE);
    const allow = readAllowList(allowPath, Boolean(opts.allow));
    rows = diffSurfaces(before, after).map((c) => ({ ...c, allowed: c.breaking && allow.has(c.id) }));
  } catch (e) {
    if (!(e instanceof RefError)) throw e;
    io.err(`error: ${e.message}`);
    return setExit(EXIT.usage);
  }
  const blocking = rows.filter((r) => r.breaking && !r.allowed);
  const code = blocking.length ? EXIT.diagnostics : EXIT.ok;
  if (opts.json) {
    io.out(JSON.stringify({ against: opts.against, manifest: relative(io.cwd, manifestPath) || opts.manifest, changes: rows, breaking: blocking.length, exitCode: code }, null, 2));
  } else {
    io.out(renderTable(rows));
    const allowed = rows.filter((r) => r.allowed).length;
    io.out(
      `\n${blocking.length} breaking${allowed ? ` (+${allowed} allowed)` : ''}, ${rows.filter((r) => !r.breaking).length} compatible change(s) since ${opts.against}` +
        (blocking.length ? `; to accept one, add its id under \`allow:\` in ${ALLOW_FILE}` : ''),
    );
  }
  setExit(code);
}
