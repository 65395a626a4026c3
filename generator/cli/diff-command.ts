/**
 * `mcp-gen diff --against <git-ref>`: what changed for clients between the manifest at a ref and
 * the working one, each change breaking or compatible. Exit 1 on a breaking change not listed in
 * the allow file, 2 on a bad ref or a ref without the manifest (one line).
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadApp } from '../project.ts';
import { loadAppAtRef, RefError } from '../surface/manifest-at-ref.ts';
import { diffSurfaces, type SurfaceChange } from '../surface/surface-diff.ts';
import { EXIT, type CliIO } from './io.ts';

export const ALLOW_FILE = 'mcp-gen.allow.yaml';

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

export function registerDiff(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('diff')
    .description("breaking-change check of this server's tools, prompts and resources against the manifest at a git ref")
    .requiredOption('--against <ref>', 'git ref to compare with (a branch, tag or commit), e.g. main or origin/main')
    .option('--manifest <file>', 'manifest path', 'mcp-gen.yaml')
    .option('--allow <file>', `accepted breaking changes (default: ${ALLOW_FILE} beside the manifest)`)
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      `
Breaking (exit 1): a removed tool, prompt, resource or resource template; a new required input field
or prompt argument; a narrowed input type, enum, range or pattern; a removed, retyped or no longer
guaranteed output field; a widened output enum; a changed x-mcp-header; a changed URI template.
Compatible: additions, optional fields, widened inputs.

To accept a breaking change, list its id in ${ALLOW_FILE}:
  allow:
    - tool-removed:get_forecast
    - { id: input-field-required:ship_order.zip, reason: "v2: clients updated" }

Examples:
  $ mcp-gen diff --against main
  $ mcp-gen diff --against origin/main --json`,
    )
    .action(async (opts: { against: string; manifest: string; allow?: string; json?: boolean }) => {
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
    });
}
