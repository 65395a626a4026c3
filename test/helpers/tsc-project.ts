import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './env.ts';

/** `tsc -p <dir>/tsconfig.json --noEmit` with this repo's TypeScript. */
export function tscProject(dir: string): { ok: boolean; output: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json'), '--noEmit'], {
    encoding: 'utf8',
    cwd: dir,
  });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}
