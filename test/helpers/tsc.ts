/** Runs the repo's TypeScript compiler over files with strict settings; returns diagnostics text. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './env.ts';

export function tscStrict(dir: string, files: string[], extra: Record<string, unknown> = {}): { ok: boolean; output: string } {
  const config = {
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      allowImportingTsExtensions: true,
      skipLibCheck: true,
      types: [],
      ...extra,
    },
    files,
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config, null, 2));
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')], {
    encoding: 'utf8',
    cwd: dir,
  });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}
