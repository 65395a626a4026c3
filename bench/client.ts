/**
 * Client round-trip latency and throughput: the mcp-gen client runtime beside the official
 * `@modelcontextprotocol/client@2.4.0`, against the same servers in the same run (the mcp-gen server
 * runtime and the official SDK server, both Streamable HTTP on 127.0.0.1). Rounds alternate between
 * the two clients; each figure is the median over rounds. Prints ratios (mcp-gen / official:
 * below 1 is faster for latency, above 1 is faster for throughput).
 *
 *   npx tsx bench/client.ts [--calls N] [--concurrency C] [--rounds R]
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { serveHttp } from '../templates/runtime/index.ts';
import { createClient } from '../templates/runtime/client/index.ts';
import type { JsonObject } from '../templates/runtime/wire.ts';
import { createExampleServer } from '../test/client/example-server.ts';
import { startSdkHttpServer } from '../test/client/sdk-server.ts';

const arg = (flag: string, fallback: number) => {
  const i = process.argv.indexOf(flag);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CALLS = arg('--calls', 400);
const CONCURRENCY = arg('--concurrency', 16);
const ROUNDS = arg('--rounds', 3);

type Call = () => Promise<unknown>;
interface Contender {
  name: string;
  open(url: string): Promise<{ call(tool: string, args: Record<string, unknown>): Promise<unknown>; close(): Promise<void> }>;
}

const contenders: Contender[] = [
  {
    name: 'mcp-gen',
    async open(url) {
      const client = createClient({ url, clientInfo: { name: 'bench', version: '1' }, cache: false });
      await client.listTools();
      return { call: (tool, args) => client.callTool(tool, args as JsonObject), close: () => client.close() };
    },
  },
  {
    name: 'official',
    async open(url) {
      const client = new Client({ name: 'bench', version: '1' }, { capabilities: {}, versionNegotiation: { mode: { pin: '2026-07-28' } } } as never);
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      await client.listTools();
      return { call: (tool, args) => client.callTool({ name: tool, arguments: args }), close: () => client.close() };
    },
  },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

async function latency(call: Call): Promise<{ p50: number; p99: number }> {
  const xs: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const t = performance.now();
    await call();
    xs.push(performance.now() - t);
  }
  return { p50: percentile(xs, 0.5), p99: percentile(xs, 0.99) };
}

async function throughput(call: Call): Promise<number> {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < CALLS * 2) await call();
    }),
  );
  return (CALLS * 2) / ((performance.now() - t) / 1000);
}

async function measure(url: string, tool: string, args: Record<string, unknown>) {
  const results = new Map<string, { p50: number[]; p99: number[]; rps: number[] }>(contenders.map((c) => [c.name, { p50: [], p99: [], rps: [] }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const contender of round % 2 === 0 ? contenders : [...contenders].reverse()) {
      const session = await contender.open(url);
      const call = () => session.call(tool, args);
      for (let i = 0; i < 50; i++) await call(); // warm-up
      const lat = await latency(call);
      const rps = await throughput(call);
      const r = results.get(contender.name)!;
      r.p50.push(lat.p50);
      r.p99.push(lat.p99);
      r.rps.push(rps);
      await session.close();
    }
  }
  return new Map([...results].map(([name, r]) => [name, { p50: median(r.p50), p99: median(r.p99), rps: median(r.rps) }]));
}

async function main() {
  const runtime = await serveHttp(createExampleServer(), { port: 0, handleSignals: false });
  const sdk = await startSdkHttpServer();
  const targets = [
    { label: 'mcp-gen server runtime, tools/call count_slowly {n:0}', url: runtime.url, tool: 'count_slowly', args: { n: 0 } },
    { label: 'official SDK server, tools/call greet (x-mcp-header)', url: sdk.url, tool: 'greet', args: { name: 'bench' } },
  ];
  process.stdout.write(`calls per measurement: ${CALLS} sequential, ${CALLS * 2} at concurrency ${CONCURRENCY}; rounds: ${ROUNDS}; node ${process.version}\n`);
  try {
    for (const target of targets) {
      const results = await measure(target.url, target.tool, target.args);
      const ours = results.get('mcp-gen')!;
      const theirs = results.get('official')!;
      process.stdout.write(`\n${target.label}\n`);
      for (const [name, r] of results)
        process.stdout.write(`  ${name.padEnd(9)} p50 ${r.p50.toFixed(3)} ms  p99 ${r.p99.toFixed(3)} ms  throughput ${r.rps.toFixed(0)} calls/s\n`);
      process.stdout.write(
        `  ratio (mcp-gen/official): p50 latency ${(ours.p50 / theirs.p50).toFixed(2)}x, throughput ${(ours.rps / theirs.rps).toFixed(2)}x\n`,
      );
    }
  } finally {
    await runtime.close();
    await sdk.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
