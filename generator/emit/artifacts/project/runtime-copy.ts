/** src/generated/runtime/**: the runtime sources from templates/runtime, copied verbatim with a header. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { TEMPLATES_DIR } from '../../../paths.ts';
import type { EmittedFile, ProjectArtifact } from '../../artifact.ts';

const RUNTIME_DIR = join(TEMPLATES_DIR, 'runtime');

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listSources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []))
    .sort();
}

let cache: EmittedFile[] | undefined;

export function runtimeFiles(): EmittedFile[] {
  cache ??= listSources(RUNTIME_DIR).map((abs) => ({
    path: `src/generated/runtime/${relative(RUNTIME_DIR, abs).split(sep).join('/')}`,
    owner: 'generated' as const,
    language: 'typescript' as const,
    content: readFileSync(abs, 'utf8'),
    verbatim: true,
  }));
  return cache;
}

export const runtimeCopy: ProjectArtifact = {
  id: 'runtime-copy',
  emit: () => runtimeFiles(),
};
