/**
 * src/generated/runtime/**: the runtime sources from templates/runtime, copied verbatim with a
 * header. Each file has a side: `client/` is the client runtime, a file the client runtime
 * imports (directly or not) is shared, everything else is the server's. A client-only project
 * copies client and shared files only (DESIGN.md §10).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { TEMPLATES_DIR } from '../../../paths.ts';
import type { EmittedFile, FileSide, ProjectArtifact, ProjectEmitContext } from '../../artifact.ts';

const RUNTIME_DIR = join(TEMPLATES_DIR, 'runtime');
export const RUNTIME_OUTPUT_DIR = 'src/generated/runtime';
const CLIENT_ENTRY = 'client/index.ts';

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listSources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []))
    .sort();
}

export interface RuntimeSource {
  /** Path inside the runtime directory, POSIX: `client/index.ts`. */
  path: string;
  side: FileSide;
  content: string;
}

/** Relative module specifiers a source imports or re-exports. */
function relativeImports(content: string): string[] {
  return [...content.matchAll(/(?:from|import)\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
}

/** Files reachable from the client entry through relative imports. */
function clientClosure(sources: Map<string, string>): Set<string> {
  const reached = new Set<string>();
  const queue = [CLIENT_ENTRY];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (reached.has(file) || !sources.has(file)) continue;
    reached.add(file);
    for (const spec of relativeImports(sources.get(file)!)) queue.push(posix.normalize(posix.join(posix.dirname(file), spec)));
  }
  return reached;
}

let cache: RuntimeSource[] | undefined;

/** Every runtime source with its side, sorted by path. */
export function runtimeSources(): RuntimeSource[] {
  if (cache) return cache;
  const sources = new Map(listSources(RUNTIME_DIR).map((abs) => [relative(RUNTIME_DIR, abs).split(sep).join('/'), readFileSync(abs, 'utf8')]));
  const client = clientClosure(sources);
  cache = [...sources].map(([path, content]) => ({
    path,
    content,
    side: path.startsWith('client/') ? 'client' : client.has(path) ? 'shared' : 'server',
  }));
  return cache;
}

export function runtimeFiles(): EmittedFile[] {
  return runtimeSources().map((source) => ({
    path: `${RUNTIME_OUTPUT_DIR}/${source.path}`,
    owner: 'generated' as const,
    language: 'typescript' as const,
    content: source.content,
    verbatim: true,
  }));
}

export const runtimeCopy: ProjectArtifact = {
  id: 'runtime-copy',
  // Only the runtime files the plan keeps (a client-only project has no server runtime).
  emit: (ctx: ProjectEmitContext) => runtimeFiles().filter((file) => ctx.plan.files.some((planned) => planned.path === file.path)),
};
