/** `npm run examples`: generate every manifest in examples/ into output/<name> and type-check each. */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { main } from '../generator/cli/main.ts';

const REPO = resolve(import.meta.dirname, '..');
process.env.MCP_GEN_SPEC_MIRROR ??= resolve(REPO, '..', 'shared', 'spec');
let failed = 0;
for (const name of readdirSync(join(REPO, 'examples')).sort()) {
  if (!existsSync(join(REPO, 'examples', name, 'mcp-gen.yaml'))) continue;
  const target = join(REPO, 'output', name);
  cpSync(join(REPO, 'examples', name), target, { recursive: true, force: false });
  const code = await main(['generate', '--manifest', join(target, 'mcp-gen.yaml')]);
  const tsc = spawnSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(target, 'tsconfig.json'), '--noEmit'], { stdio: 'inherit' });
  const ok = code === 0 && tsc.status === 0;
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} → output/${name}`);
}
process.exit(failed ? 1 : 0);
