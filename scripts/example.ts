/**
 * `npm run example [-- <name>]`: generate examples/<name> (default weather) into output/<name>,
 * type-check it, and serve it over Streamable HTTP on 127.0.0.1:$PORT (default 3000).
 * output/ sits inside this repo, so the project resolves zod and typescript from its node_modules.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { main } from '../generator/cli/main.ts';

const REPO = resolve(import.meta.dirname, '..');
const name = process.argv[2] ?? 'weather';
const source = join(REPO, 'examples', name);
const target = join(REPO, 'output', name);
if (!existsSync(source)) {
  console.error(`no example named ${name} in examples/`);
  process.exit(2);
}
process.env.MCP_GEN_SPEC_MIRROR ??= resolve(REPO, '..', 'shared', 'spec');

mkdirSync(target, { recursive: true });
// User-owned files already in output/ win (generate never overwrites them either).
cpSync(source, target, { recursive: true, force: false });
const code = await main(['generate', '--manifest', join(target, 'mcp-gen.yaml')]);
if (code !== 0) process.exit(code);

const tsc = spawnSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(target, 'tsconfig.json'), '--noEmit'], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const port = process.env.PORT ?? '3000';
console.error(`serving ${name}; try:\n  curl -s -X POST http://127.0.0.1:${port}/mcp -H 'content-type: application/json' -H 'accept: application/json, text/event-stream' \\\n    -H 'mcp-protocol-version: 2026-07-28' -H 'mcp-method: tools/list' \\\n    -d '{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}'`);
const child = spawn(process.execPath, ['--import', 'tsx', join(target, 'src', 'main.ts')], { stdio: 'inherit', env: { ...process.env, PORT: port } });
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
child.on('exit', (c) => process.exit(c ?? 0));
