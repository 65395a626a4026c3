/**
 * Server throughput: tools/call and tools/list requests/s and p50/p99 latency for
 *   (a) runtime — the mcp-gen runtime (what a generated server runs),
 *   (a') runtime+jwt — the same behind the OAuth resource server (`auth:`): one bearer JWT per request, warm JWKS
 *        cache (the token, reused as clients do, is verified once and then found in the verified-token cache),
 *   (a'') runtime+jwt! — the same with the verified-token cache off: a full RS256 verification on every request,
 *   (b) sdk     — @modelcontextprotocol/server@2.4.0 serving the same tool statelessly (createMcpHandler),
 *   (c) echo    — bare node:http JSON echo (the floor: HTTP + JSON only),
 * measured in one run with a fixed number of keep-alive connections, a warm-up, and N runs each
 * (median reported), then ratios. Load comes from wrk (Debian `wrk`) when installed, else from an
 * in-process Node loop. With taskset and ≥ 2 cores, servers are pinned to the last core and the
 * load generator to core 0.
 *
 * Then, in the same run, the 2025-11-25 path: tools/call on a session the runtime initialized once,
 * beside the SDK v2 server in its legacy mode (`legacy: 'stateless'`: no sessions), printed next to
 * the 2026-07-28 numbers.
 *
 * Then, in the same run, the 2026-07-28 path of a generated project: the kitchen-sink example
 * generated as written (serves both eras: the 2025-11-25 session adapter is in) and with
 * `serve: [2026-07-28]` (modern-only), tools/call on each, and the ratio (issue 15: the adapter
 * must not slow the stateless path).
 *
 * Then, in the same run, shared state with the runtime's state in memory vs in Redis (a
 * redis-server the bench starts on loopback; the section is skipped, with a message, when
 * redis-server is not installed): a plain tools/call, a tools/call that publishes a change on the
 * listen event bus, and Tasks extension round trips (tools/call → CreateTaskResult → tasks/get
 * until completed) per second.
 *
 * The ratio rows (dual-era / modern-only, the 2025 session path / the SDK, Redis / memory) come
 * from interleaved A/B rounds: ROUNDS short rounds, A then B, the order flipped each round, so both
 * sides of a ratio run back to back under the same background load; each round gives one ratio,
 * and the row reports the median and the spread (min–max) over the rounds. Server CPU µs per
 * request is the primary ratio (it barely moves with load from other processes on a shared
 * machine), req/s the secondary.
 *
 * Every answer is checked (HTTP status and the expected text in the body, task round trips to
 * `completed`): one failed request anywhere, warm-ups included, ends the bench with exit code 1.
 *
 *   npm run bench:server [-- --duration 4 --runs 3 --warmup 2 --rounds 6 --round 2 --connections 16 --node-load --profile]
 *   npm run bench:server -- --quick     (under 2 minutes: 1 s runs, 3 rounds of 1 s; a CI smoke step, numbers only)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent } from 'node:http';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runNodeLoad, runWrk, which, type LoadResult } from './lib/load.ts';
import { topSelfTime } from './lib/profile.ts';
import { generateKitchenSink, type KitchenSinkVariant } from './lib/kitchen-sink.ts';
import { BENCH_REQUESTS, EXPECTED_FRAGMENT, KITCHEN_SINK_REQUEST, LEGACY_INITIALIZE, LEGACY_PROTOCOL_VERSION, legacyToolsCall, STATE_REQUEST, type BenchRequest } from './lib/requests.ts';
import { runTaskLoad, taskRoundTrip, type TaskLoadResult } from './lib/task-load.ts';
import { findRedisServer, startRedisServer, type RedisServer } from '../test/helpers/redis.ts';


/** The dual-era build's CPU per 2026 request against the modern-only one, signed: below 0 is within noise of free. */
const adapterCost = (ratio: number): string => {
  const pct = (ratio - 1) * 100;
  return pct >= 0 ? `the 2025 adapter costs +${pct.toFixed(1)} % CPU per 2026 request` : `dual-era used ${(-pct).toFixed(1)} % less CPU per 2026 request: no measurable adapter cost, run-to-run noise`;
};

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const QUICK = process.argv.includes('--quick');
const DURATION = arg('duration', QUICK ? 1 : 4);
const RUNS = arg('runs', QUICK ? 1 : 3);
/** Warm-up per case (s); 0 (the --quick default) skips it. */
const WARMUP = arg('warmup', QUICK ? 0 : 2);
/** A/B rounds behind each ratio row, and the length of one side of a round (s). */
const ROUNDS = arg('rounds', QUICK ? 3 : 6);
const ROUND_S = arg('round', QUICK ? 1 : 2);
const CONNECTIONS = arg('connections', 16);
const PROFILE = process.argv.includes('--profile');
const wrk = process.argv.includes('--node-load') ? undefined : which('wrk');
const taskset = which('taskset');
const cores = availableParallelism();
const pin = taskset !== undefined && cores >= 2;
const SERVER_CPU = String(cores - 1);
const LOAD_CPU = '0';

const HERE = import.meta.dirname;
const SERVERS = [
  { name: 'runtime', script: resolve(HERE, 'lib/runtime-server.ts') },
  { name: 'runtime+jwt', script: resolve(HERE, 'lib/runtime-jwt-server.ts') },
  { name: 'runtime+jwt!', script: resolve(HERE, 'lib/runtime-jwt-server.ts'), env: { BENCH_JWT_CACHE: '0' } },
  { name: 'sdk', script: resolve(HERE, 'lib/sdk-server.ts') },
  { name: 'echo', script: resolve(HERE, 'lib/echo-server.ts') },
] as const;
type ServerName = (typeof SERVERS)[number]['name'];

interface Running {
  name: ServerName | 'runtime/memory' | 'runtime/redis' | 'sdk legacy:stateless' | `kitchen-sink ${KitchenSinkVariant}`;
  url: string;
  child: ChildProcess;
  /** A bearer token the server accepts (runtime+jwt only). */
  token?: string;
}

/** The request as this server must receive it: with its bearer token when it has one. */
const requestFor = (server: Running, req: BenchRequest): BenchRequest =>
  server.token ? { ...req, headers: { ...req.headers, Authorization: `Bearer ${server.token}` } } : req;

async function start(name: Running['name'], script: string, profileDir?: string, env: Record<string, string> = {}): Promise<Running> {
  const nodeArgs = ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), script];
  const [cmd, args] = pin ? ['taskset', ['-c', SERVER_CPU, process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  const child = spawn(cmd, args, { env: { ...process.env, ...env, PORT: '0', NODE_ENV: 'production' }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  const deadline = Date.now() + 20_000;
  while (!/ready (\S+)/.test(out)) {
    if (child.exitCode !== null) throw new Error(`${name} server exited`);
    if (Date.now() > deadline) throw new Error(`${name} server did not start`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const ready = /ready (\S+)(?: (\S+))?/.exec(out)!;
  return { name, url: ready[1]!, child, ...(ready[2] ? { token: ready[2] } : {}) };
}

async function stop(server: Running): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = once(server.child, 'exit');
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function check(server: Running, req: BenchRequest): Promise<void> {
  const res = await fetch(server.url, { method: 'POST', headers: requestFor(server, req).headers, body: req.body });
  const text = await res.text();
  if (res.status !== 200 || !text.includes(EXPECTED_FRAGMENT[req.name])) throw new Error(`${server.name} ${req.name}: ${res.status} ${text.slice(0, 300)}`);
}

const load = (url: string, request: BenchRequest, durationS: number): Promise<LoadResult> | LoadResult => {
  const options = { url, request, connections: CONNECTIONS, durationS, cpus: pin ? LOAD_CPU : undefined, expect: EXPECTED_FRAGMENT[request.name] };
  return wrk ? runWrk(wrk, options) : runNodeLoad(options);
};

/** A load run whose failures end the bench (warm-ups too: a broken wire must not pass as a number). */
async function loadChecked(what: string, url: string, request: BenchRequest, durationS: number): Promise<LoadResult> {
  const result = await load(url, request, durationS);
  if (result.failures > 0) throw new Error(`${what}: ${result.failures} failed requests (non-2xx, socket errors, or answers without ${JSON.stringify(EXPECTED_FRAGMENT[request.name])})`);
  return result;
}

/** CPU seconds (user + system) the process has used, from /proc; undefined off Linux. */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime in USER_HZ (100 on Linux)
  } catch {
    return undefined;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Case {
  label: string;
  server: Running;
  /** A single request under wrk/Node load, or task round trips through this tool. */
  request?: BenchRequest;
  taskTool?: string;
}
interface Measured {
  rps: number;
  p50: number;
  p99: number;
  cpu: number;
  runs: number[];
  pollsPerTask?: number;
}

interface Spread {
  median: number;
  min: number;
  max: number;
}
/** Two cases whose ratio (b / a) a row reports. */
interface Pair {
  a: Case;
  b: Case;
}
interface PairResult {
  a: Measured;
  b: Measured;
  /** Per-round ratios b / a: server CPU µs per request (primary) and req/s. */
  cpu: Spread;
  rps: Spread;
}

const spread = (xs: number[]): Spread => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
const times = (x: Spread, digits = 2) => `${x.median.toFixed(digits)}× (${x.min.toFixed(digits)}–${x.max.toFixed(digits)})`;

/** One measured run of a case: its load, failures checked, server CPU per request from /proc. */
async function measureOnce(c: Case, durationS: number): Promise<LoadResult | TaskLoadResult> {
  const cpuBefore = cpuSeconds(c.server.child.pid);
  const result = c.taskTool
    ? await runTaskLoad({ url: c.server.url, tool: c.taskTool, connections: CONNECTIONS, durationS })
    : await load(c.server.url, requestFor(c.server, c.request!), durationS);
  const cpuAfter = cpuSeconds(c.server.child.pid);
  if (result.failures > 0) throw new Error(`${c.label}: ${result.failures} failed ${c.taskTool ? 'tasks' : 'requests'}`);
  // Server CPU per request (per round trip for tasks).
  if (cpuBefore !== undefined && cpuAfter !== undefined) (result as LoadResult).cpuUsPerRequest = ((cpuAfter - cpuBefore) * 1e6) / (result.rps * durationS);
  return result;
}

function summarise(xs: (LoadResult | TaskLoadResult)[]): Measured {
  return {
    rps: median(xs.map((x) => x.rps)),
    p50: median(xs.map((x) => x.p50)),
    p99: median(xs.map((x) => x.p99)),
    cpu: median(xs.map((x) => (x as LoadResult).cpuUsPerRequest ?? NaN)),
    runs: xs.map((x) => x.rps),
    ...('pollsPerTask' in xs[0]! ? { pollsPerTask: median(xs.map((x) => (x as TaskLoadResult).pollsPerTask)) } : {}),
  };
}

/**
 * Checks every case once and warms each up, then ROUNDS rounds: each pair's two sides back to
 * back (A B, then B A the next round) for ROUND_S each, one ratio per pair per round.
 */
async function measurePairs(pairs: Pair[]): Promise<PairResult[]> {
  const cases = pairs.flatMap((p) => [p.a, p.b]);
  for (const c of cases) {
    if (c.request) await check(c.server, c.request);
    else {
      const agent = new Agent({ keepAlive: true });
      await taskRoundTrip(agent, new URL(c.server.url), c.taskTool!, 1);
      agent.destroy();
    }
  }
  if (WARMUP > 0) for (const c of cases) await measureOnce(c, WARMUP);
  const runs = pairs.map(() => ({ a: [] as (LoadResult | TaskLoadResult)[], b: [] as (LoadResult | TaskLoadResult)[] }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, pair] of pairs.entries()) {
      for (const side of round % 2 ? (['b', 'a'] as const) : (['a', 'b'] as const)) runs[i]![side].push(await measureOnce(pair[side], ROUND_S));
    }
  }
  return runs.map(({ a, b }) => ({
    a: summarise(a),
    b: summarise(b),
    cpu: spread(a.map((x, r) => ((b[r] as LoadResult).cpuUsPerRequest ?? NaN) / ((x as LoadResult).cpuUsPerRequest ?? NaN))),
    rps: spread(a.map((x, r) => b[r]!.rps / x.rps)),
  }));
}

/** One table row: label, req/s, p50, p99, CPU µs per request, the runs. */
const row = (label: string, m: Measured, width = 32) =>
  `${label.padEnd(width)}${m.rps.toFixed(0).padStart(9)}${m.p50.toFixed(2).padStart(9)}${m.p99.toFixed(2).padStart(9)}${m.cpu.toFixed(0).padStart(12)}   ${m.runs.map((x) => x.toFixed(0)).join(' / ')}`;
const header = (first: string, width = 32, unit = 'req/s') => `${first.padEnd(width)}${unit.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'CPU µs/req'.padStart(12)}   runs`;

const benchStarted = performance.now();
const profileDir = PROFILE ? mkdtempSync(join(tmpdir(), 'mcp-bench-prof-')) : undefined;
const running: Running[] = [];
try {
  for (const s of SERVERS) running.push(await start(s.name, s.script, s.name === 'runtime' ? profileDir : undefined, 'env' in s ? s.env : {}));
  for (const s of running) for (const r of BENCH_REQUESTS) await check(s, r);

  console.log(
    `bench:server — load: ${wrk ? `wrk (${wrk}), 1 thread` : 'in-process Node keep-alive loop (wrk not installed)'}, ${CONNECTIONS} connections; ` +
      `${pin ? `servers pinned to cpu ${SERVER_CPU}, load generator to cpu ${LOAD_CPU}` : 'no CPU pinning'}; ` +
      `warm-up ${WARMUP} s, ${RUNS} runs × ${DURATION} s, medians; ratio rows: ${ROUNDS} interleaved A/B rounds × ${ROUND_S} s`,
  );
  const results = new Map<string, LoadResult[]>();
  if (WARMUP > 0) for (const s of running) for (const r of BENCH_REQUESTS) await loadChecked(`${s.name} ${r.name} (warm-up)`, s.url, requestFor(s, r), WARMUP);
  for (let run = 0; run < RUNS; run++) {
    for (const r of BENCH_REQUESTS) {
      for (const s of running) {
        const cpuBefore = cpuSeconds(s.child.pid);
        const result = await loadChecked(`${s.name} ${r.name}`, s.url, requestFor(s, r), DURATION);
        const cpuAfter = cpuSeconds(s.child.pid);
        // Server CPU per request: far less sensitive than req/s to other load on a shared machine.
        if (cpuBefore !== undefined && cpuAfter !== undefined) result.cpuUsPerRequest = ((cpuAfter - cpuBefore) * 1e6) / (result.rps * DURATION);
        const key = `${s.name} ${r.name}`;
        results.set(key, [...(results.get(key) ?? []), result]);
      }
    }
  }

  const summary = new Map<string, { rps: number; p50: number; p99: number; cpu: number }>();
  for (const [key, xs] of results)
    summary.set(key, { rps: median(xs.map((x) => x.rps)), p50: median(xs.map((x) => x.p50)), p99: median(xs.map((x) => x.p99)), cpu: median(xs.map((x) => x.cpuUsPerRequest ?? NaN)) });
  console.log(`\n${'server'.padEnd(14)}${'method'.padEnd(12)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'CPU µs/req'.padStart(12)}   runs (req/s)`);
  for (const r of BENCH_REQUESTS)
    for (const s of running) {
      const key = `${s.name} ${r.name}`;
      const m = summary.get(key)!;
      console.log(
        `${s.name.padEnd(14)}${r.name.padEnd(12)}${m.rps.toFixed(0).padStart(9)}${m.p50.toFixed(2).padStart(9)}${m.p99.toFixed(2).padStart(9)}${m.cpu.toFixed(0).padStart(12)}   ${results
          .get(key)!
          .map((x) => x.rps.toFixed(0))
          .join(' / ')}`,
      );
    }
  console.log('\nratios (median req/s; p99 ratio > 1 means the runtime has the lower p99):');
  for (const r of BENCH_REQUESTS) {
    const rt = summary.get(`runtime ${r.name}`)!;
    const sdk = summary.get(`sdk ${r.name}`)!;
    const echo = summary.get(`echo ${r.name}`)!;
    console.log(
      `  ${r.name.padEnd(11)} runtime/sdk ${(rt.rps / sdk.rps).toFixed(2)}× req/s, sdk p99 / runtime p99 ${(sdk.p99 / rt.p99).toFixed(2)}; ` +
        `server CPU per request sdk/runtime ${(sdk.cpu / rt.cpu).toFixed(2)}×; runtime/echo ${(rt.rps / echo.rps).toFixed(2)}× req/s, ${(rt.cpu / echo.cpu).toFixed(2)}× CPU/req (echo = node:http + JSON floor)`,
    );
  }
  // Same run, same load: what `auth:` costs (issue 17 target: < 20 % of tools/call throughput).
  for (const r of BENCH_REQUESTS) {
    const plain = summary.get(`runtime ${r.name}`)!;
    for (const variant of ['runtime+jwt', 'runtime+jwt!'] as const) {
      const jwt = summary.get(`${variant} ${r.name}`)!;
      console.log(
        `  ${r.name.padEnd(11)} ${variant.padEnd(12)} / runtime ${(jwt.rps / plain.rps).toFixed(2)}× req/s (auth costs ${((1 - jwt.rps / plain.rps) * 100).toFixed(1)} % of throughput), ` +
          `${(jwt.cpu - plain.cpu).toFixed(0)} µs CPU/req more (${((jwt.cpu / plain.cpu - 1) * 100).toFixed(1)} %), p99 ${plain.p99.toFixed(2)} → ${jwt.p99.toFixed(2)} ms`,
      );
    }
  }

  // Same run: the 2025-11-25 session path (issue 15). The runtime server above serves both eras on
  // one endpoint: one session is initialized once, then tools/call goes over it. Beside it, the
  // official SDK v2 in its legacy mode, which is `legacy: 'stateless'` (no sessions: each legacy
  // request is answered by a fresh server), and the 2026 path's numbers from the table above.
  const sdkLegacy = await start('sdk legacy:stateless', SERVERS[3].script, undefined, { BENCH_SDK_LEGACY: 'stateless' });
  running.push(sdkLegacy);
  const runtimeServer = running.find((s) => s.name === 'runtime')!;
  const sessionId = await initializeSession(runtimeServer);
  const runtimeLegacy: Case = { label: 'runtime, 2025-11-25 session', server: runtimeServer, request: legacyToolsCall(sessionId) };
  const sdkLegacyCase: Case = { label: "sdk 2.4.0 legacy: 'stateless'", server: sdkLegacy, request: legacyToolsCall(undefined) };
  const [legacy] = await measurePairs([{ a: sdkLegacyCase, b: runtimeLegacy }]);
  console.log(`\n2025-11-25 path — tools/call (session initialized once for the runtime), same load, beside the 2026-07-28 path; ${ROUNDS} interleaved rounds × ${ROUND_S} s:`);
  console.log(header('server / era'));
  console.log(row(runtimeLegacy.label, legacy!.b));
  console.log(row(sdkLegacyCase.label, legacy!.a));
  for (const [label, key] of [['runtime, 2026-07-28 stateless', 'runtime tools/call'], ["sdk 2.4.0, 2026-07-28 ('reject')", 'sdk tools/call']] as const) {
    const m = summary.get(key)!;
    console.log(`${label.padEnd(32)}${m.rps.toFixed(0).padStart(9)}${m.p50.toFixed(2).padStart(9)}${m.p99.toFixed(2).padStart(9)}${m.cpu.toFixed(0).padStart(12)}   (table above)`);
  }
  console.log(
    `  runtime 2025 session / sdk legacy stateless: CPU/req ${times(legacy!.cpu)}, req/s ${times(legacy!.rps)} (median of ${ROUNDS} rounds, min–max); ` +
      `runtime 2025 session / runtime 2026 ${(legacy!.b.rps / summary.get('runtime tools/call')!.rps).toFixed(2)}× req/s`,
  );
} finally {
  await Promise.all(running.map(stop));
}

/** Opens one 2025-11-25 session on a server (initialize + notifications/initialized); returns its id. */
async function initializeSession(server: Running): Promise<string> {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
  const res = await fetch(server.url, { method: 'POST', headers, body: LEGACY_INITIALIZE });
  const sessionId = res.headers.get('mcp-session-id');
  const text = await res.text();
  if (res.status !== 200 || !sessionId) throw new Error(`${server.name} initialize: ${res.status} ${text.slice(0, 300)}`);
  const initialized = await fetch(server.url, {
    method: 'POST',
    headers: { ...headers, 'MCP-Protocol-Version': LEGACY_PROTOCOL_VERSION, 'Mcp-Session-Id': sessionId },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  await initialized.text();
  if (initialized.status !== 202) throw new Error(`${server.name} notifications/initialized: ${initialized.status}`);
  return sessionId;
}

/**
 * Generated project, 2026-07-28 path, same run (issue 15): the kitchen-sink generated as written
 * (both eras served) and with `serve: [2026-07-28]`; tools/call `ping` on each. Same handlers and
 * runtime: the difference is the 2025-11-25 session adapter being in the dispatch path or not.
 */
{
  const projects: { remove(): void }[] = [];
  const servers: Running[] = [];
  try {
    for (const variant of ['dual-era', 'modern-only'] as const) {
      const project = await generateKitchenSink(variant);
      projects.push(project);
      servers.push(await start(`kitchen-sink ${variant}`, resolve(HERE, 'lib/kitchen-sink-server.ts'), undefined, { BENCH_PROJECT: project.dir }));
    }
    const [dual, modern] = servers.map((server): Case => ({ label: server.name, server, request: KITCHEN_SINK_REQUEST }));
    const [ks] = await measurePairs([{ a: modern!, b: dual! }]);
    console.log(`\n2026-07-28 path of the generated kitchen-sink — tools/call ping; dual-era = as written (serves 2025-11-25 too), modern-only = \`serve: [2026-07-28]\`; ${ROUNDS} interleaved rounds × ${ROUND_S} s:`);
    console.log(header('build'));
    console.log(row(dual!.label, ks!.b));
    console.log(row(modern!.label, ks!.a));
    console.log(
      `  dual-era / modern-only: CPU/req ${times(ks!.cpu)} (${adapterCost(ks!.cpu.median)}; issue 15 target: at most +10 %), ` +
        `req/s ${times(ks!.rps)}; median of ${ROUNDS} rounds (min–max); p99 ${ks!.a.p99.toFixed(2)} → ${ks!.b.p99.toFixed(2)} ms`,
    );
  } finally {
    await Promise.all(servers.map(stop));
    for (const p of projects) p.remove();
  }
}

/**
 * Shared state, same run: the runtime's state in memory and in Redis, three workloads: a plain
 * tools/call (needs no shared state: Redis must cost nothing here), a tools/call that publishes on
 * the listen bus (one PUBLISH per call), and Tasks round trips (create → completed: the record is
 * written, settled and read in the backend).
 */
const redisBin = findRedisServer();
if (!redisBin) {
  console.log('\nshared state: skipped (redis-server is not installed: apt-get install -y redis-server)');
} else {
  let redis: RedisServer | undefined;
  const stateServers: Running[] = [];
  try {
    redis = await startRedisServer(redisBin);
    const script = SERVERS[0].script;
    stateServers.push(await start('runtime/memory', script, undefined, { BENCH_STATE: 'memory' }));
    stateServers.push(await start('runtime/redis', script, undefined, { BENCH_STATE: 'redis', MCP_REDIS_URL: redis.url }));
    const workloads = [
      { name: 'tools/call', request: BENCH_REQUESTS[0]! },
      { name: 'tools/call+publish', request: STATE_REQUEST },
      { name: 'task round trip', taskTool: 'job' },
    ];
    const caseOf = (server: Running, w: (typeof workloads)[number]): Case => ({ label: `${server.name} ${w.name}`, server, ...('request' in w ? { request: w.request } : { taskTool: w.taskTool }) });
    const results = await measurePairs(workloads.map((w) => ({ a: caseOf(stateServers[0]!, w), b: caseOf(stateServers[1]!, w) })));
    const m = new Map<string, Measured>(results.flatMap((r, i): [string, Measured][] => [[`runtime/memory ${workloads[i]!.name}`, r.a], [`runtime/redis ${workloads[i]!.name}`, r.b]]));
    console.log(`\nshared state — memory vs Redis (redis-server ${redis.url}, on the same machine as the servers and the load); ${ROUNDS} interleaved rounds × ${ROUND_S} s:`);
    console.log('  task round trip = tools/call declaring the Tasks extension → CreateTaskResult → tasks/get until completed (pollIntervalMs 5); its "req/s" is tasks/s, CPU is per task');
    console.log(header('state / workload', 36));
    for (const w of workloads)
      for (const s of stateServers) {
        const r = m.get(`${s.name} ${w.name}`)!;
        console.log(row(`${s.name} ${w.name}`, r, 36) + (r.pollsPerTask !== undefined ? `   (${r.pollsPerTask.toFixed(2)} tasks/get per task)` : ''));
      }
    for (const [i, w] of workloads.entries()) {
      const r = results[i]!;
      console.log(
        `  ${w.name.padEnd(18)} redis/memory: server CPU/${'taskTool' in w ? 'task' : 'req'} ${times(r.cpu)}, ${'taskTool' in w ? 'tasks/s' : 'req/s'} ${times(r.rps)}; median of ${ROUNDS} rounds (min–max); p99 ${r.a.p99.toFixed(2)} → ${r.b.p99.toFixed(2)} ms`,
      );
    }
    console.log(`  Redis round trips per task (one client, 100 tasks, MONITOR): ${await redisCommandsPerTask(redis, stateServers[1]!.url, 'job')}`);
  } finally {
    await Promise.all(stateServers.map(stop));
    await redis?.dispose();
  }
}

if (profileDir) {
  const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
  if (file) {
    console.log(`\nruntime server CPU profile (self time, whole run incl. startup): ${join(profileDir, file)}`);
    for (const line of topSelfTime(join(profileDir, file))) console.log(`  ${line}`);
  } else {
    rmSync(profileDir, { recursive: true, force: true });
  }
}

/**
 * The Redis commands one create → completed task costs, counted with MONITOR over 100 sequential
 * round trips: the commands the server sends (each one a round trip; pipelining aside) and, apart,
 * the ones its Lua scripts run inside Redis.
 */
async function redisCommandsPerTask(redis: RedisServer, url: string, tool: string): Promise<string> {
  const cli = which('redis-cli');
  if (!cli) return 'not counted (redis-cli not installed)';
  const monitor = spawn(cli, ['-p', String(redis.port), 'monitor'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  monitor.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const agent = new Agent({ keepAlive: true });
  try {
    const deadline = Date.now() + 5_000;
    while (!out.startsWith('OK')) {
      if (Date.now() > deadline) return 'not counted (MONITOR did not start)';
      await new Promise((r) => setTimeout(r, 10));
    }
    const from = out.length;
    const N = 100;
    let polls = 0;
    for (let i = 0; i < N; i++) polls += await taskRoundTrip(agent, new URL(url), tool, i);
    await new Promise((r) => setTimeout(r, 200)); // the last settle's commands reach MONITOR
    const sent = new Map<string, number>();
    let inside = 0;
    for (const line of out.slice(from).split('\n')) {
      const m = /^\S+ \[\d+ ([^\]]+)\] "([^"]+)"/.exec(line);
      if (!m) continue;
      if (m[1] === 'lua') inside += 1;
      else sent.set(m[2]!.toUpperCase(), (sent.get(m[2]!.toUpperCase()) ?? 0) + 1);
    }
    const total = [...sent.values()].reduce((a, b) => a + b, 0);
    const each = [...sent].sort((x, y) => y[1] - x[1]).map(([name, n]) => `${name} ${(n / N).toFixed(2)}`).join(', ');
    return `${(total / N).toFixed(2)} sent (${each}), ${(inside / N).toFixed(2)} run inside scripts; ${(polls / N).toFixed(2)} tasks/get per task`;
  } finally {
    agent.destroy();
    monitor.kill();
  }
}

console.log(`\nbench:server done in ${((performance.now() - benchStarted) / 1000).toFixed(0)} s${QUICK ? ' (--quick: smoke numbers, short runs, no warm-up)' : ''}`);
