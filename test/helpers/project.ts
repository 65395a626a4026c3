/** Generating example projects into temp dirs for tests. */
import { cpSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { generateProject, type ProjectResult } from '../../generator/project.ts';
import { hermeticEnv, REPO_ROOT, tempDir } from './env.ts';

export const EXAMPLES = join(REPO_ROOT, 'examples');

/** Copies examples/<name> into a fresh dir (inside test/tmp so `zod` resolves) and generates it. */
export async function generateExample(name: string, where: 'repo' | 'os' = 'repo'): Promise<{ dir: string; result: ProjectResult }> {
  const dir = where === 'repo' ? join(REPO_ROOT, 'test', 'tmp', `project-${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`) : tempDir();
  mkdirSync(dir, { recursive: true });
  cpSync(join(EXAMPLES, name), dir, { recursive: true });
  const result = await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env: hermeticEnv() } });
  return { dir, result };
}

/** Lets a project outside the repo resolve this repo's node_modules (zod, typescript, @types/node). */
export function linkNodeModules(dir: string): void {
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
}
