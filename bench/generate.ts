/**
 * Protocol-layer generation time for 2026-07-28, cold process and warm, beside
 * json-schema-to-typescript alone on the same schema in the same run. Prints ratios.
 *   npm run bench:generate [-- --runs N]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compile } from 'json-schema-to-typescript';
import { loadSpec } from '../generator/load/load-spec.ts';
import { renderProtocolLayer } from '../generator/pipeline.ts';

const REPO = resolve(import.meta.dirname, '..');
const REV = '2026-07-28';
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
const env = { ...process.env, MCP_GEN_SPEC_MIRROR: process.env.MCP_GEN_SPEC_MIRROR ?? resolve(REPO, '..', 'shared', 'spec') };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;

async function timeWarm(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up: JIT, module caches
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

function timeCold(args: string[]): number {
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
    xs.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  }
  return median(xs);
}

const spec = await loadSpec(REV, { env });
const schemaPath = join(env.MCP_GEN_SPEC_MIRROR!, REV, 'schema.json');
const doc = JSON.parse(readFileSync(schemaPath, 'utf8'));

const ours = await timeWarm(() => renderProtocolLayer(spec));
const peerFormatted = await timeWarm(() => compile(structuredClone(doc), 'MCP', { additionalProperties: true, unreachableDefinitions: true }));
const peerRaw = await timeWarm(() => compile(structuredClone(doc), 'MCP', { additionalProperties: true, unreachableDefinitions: true, format: false }));

const tmp = mkdtempSync(join(tmpdir(), 'mcp-gen-bench-'));
const peerScript = join(tmp, 'peer.mjs');
writeFileSync(
  peerScript,
  `import { compile } from ${JSON.stringify(join(REPO, 'node_modules', 'json-schema-to-typescript', 'dist', 'src', 'index.js'))};
import { readFileSync, writeFileSync } from 'node:fs';
const ts = await compile(JSON.parse(readFileSync(${JSON.stringify(schemaPath)}, 'utf8')), 'MCP', { additionalProperties: true, unreachableDefinitions: true });
writeFileSync(${JSON.stringify(join(tmp, 'peer.ts'))}, ts);\n`,
);
const coldOurs = timeCold([join(REPO, 'bin', 'mcp-gen.js'), 'generate', '--protocol-only', '--spec', REV, '--out', join(tmp, 'out')]);
const coldPeer = timeCold([peerScript]);
rmSync(tmp, { recursive: true, force: true });

console.log(`bench:generate — MCP ${REV} protocol layer, median of ${RUNS} runs`);
console.log(`  warm  mcp-gen (types + zod schemas + methods, prettier)  ${fmt(ours)}`);
console.log(`  warm  json-schema-to-typescript alone (its prettier)      ${fmt(peerFormatted)}`);
console.log(`  warm  json-schema-to-typescript alone (format: false)     ${fmt(peerRaw)}`);
console.log(`  cold  mcp-gen generate --protocol-only (process)          ${fmt(coldOurs)}`);
console.log(`  cold  json-schema-to-typescript alone (process)           ${fmt(coldPeer)}`);
console.log(`  ratio warm mcp-gen / jstt(formatted): ${(ours / peerFormatted).toFixed(2)}x`);
console.log(`  ratio cold mcp-gen / jstt(formatted): ${(coldOurs / coldPeer).toFixed(2)}x`);
