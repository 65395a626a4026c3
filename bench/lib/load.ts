/**
 * Load generators. wrk (Debian's `wrk`, driven by a generated Lua script that sets the POST body
 * and headers and prints a JSON summary) when installed; otherwise a Node keep-alive loop with
 * the same fixed connection count. Both return requests/s and latency percentiles in ms.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ID_MARKER, type BenchRequest } from './requests.ts';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  /**
   * Non-2xx answers, socket errors, and answers without the expected fragment (a JSON-RPC error on
   * HTTP 200, a wrong result): must be 0 for a valid measurement.
   */
  failures: number;
  /** Server CPU time per request in µs (filled in by the caller from /proc). */
  cpuUsPerRequest?: number;
}

export interface LoadOptions {
  url: string;
  request: BenchRequest;
  connections: number;
  durationS: number;
  /** `taskset -c <cpus>` prefix for the generator, when pinning is available. */
  cpus?: string;
  /** Text every answer must contain; one without it counts as a failure. */
  expect?: string;
}

export function which(bin: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : undefined;
}

const luaString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * Request ids for `idPerRequest`: one counter for the whole bench process (warm-up and every run
 * talk to the same session), advanced past what each wrk run may have used.
 */
let nextRequestId = 1_000;

function wrkScript(req: BenchRequest, expect: string | undefined): string {
  const [before, after] = splitAtId(req);
  const start = nextRequestId;
  nextRequestId += 100_000_000; // far more than one wrk run sends
  return [
    'wrk.method = "POST"',
    `wrk.body = ${luaString(req.body)}`,
    ...Object.entries(req.headers).map(([k, v]) => `wrk.headers[${luaString(k)}] = ${luaString(v)}`),
    ...(req.idPerRequest
      ? [`local id = ${start}`, 'request = function()', '  id = id + 1', `  return wrk.format(nil, nil, nil, ${luaString(before)} .. string.format("%d", id) .. ${luaString(after)})`, 'end']
      : []),
    // Every answer's body is checked (a wire answering HTTP 200 with a JSON-RPC error must not
    // pass as throughput); the count lives in each thread's Lua state, summed in done().
    'local threads = {}',
    'setup = function(thread) table.insert(threads, thread) end',
    'wrong = 0',
    ...(expect !== undefined ? [`response = function(status, headers, body) if not string.find(body, ${luaString(expect)}, 1, true) then wrong = wrong + 1 end end`] : []),
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    '  local w = 0',
    '  for _, t in ipairs(threads) do w = w + t:get("wrong") end',
    '  io.write(string.format("WRK-JSON {\\"requests\\":%d,\\"duration_us\\":%d,\\"p50_us\\":%d,\\"p99_us\\":%d,\\"non2xx\\":%d,\\"errors\\":%d,\\"wrong\\":%d}\\n",',
    '    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout, w))',
    'end',
    '',
  ].join('\n');
}

export function runWrk(bin: string, options: LoadOptions): LoadResult {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-bench-'));
  try {
    const script = join(dir, 'post.lua');
    writeFileSync(script, wrkScript(options.request, options.expect));
    const args = ['-t1', `-c${options.connections}`, `-d${options.durationS}s`, '--timeout', '5s', '-s', script, options.url];
    const cmd = options.cpus ? ['taskset', ['-c', options.cpus, bin, ...args]] as const : [bin, args] as const;
    const run = spawnSync(cmd[0], cmd[1], { encoding: 'utf8' });
    const line = /WRK-JSON (\{.*\})/.exec(run.stdout)?.[1];
    if (run.status !== 0 || !line) throw new Error(`wrk failed (${run.status}): ${run.stderr} ${run.stdout}`);
    const r = JSON.parse(line) as { requests: number; duration_us: number; p50_us: number; p99_us: number; non2xx: number; errors: number; wrong: number };
    return { rps: r.requests / (r.duration_us / 1e6), p50: r.p50_us / 1000, p99: r.p99_us / 1000, failures: r.non2xx + r.errors + r.wrong };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The body around its `"id":1,` (for `idPerRequest`); throws when a body lacks it. */
function splitAtId(req: BenchRequest): [string, string] {
  if (!req.idPerRequest) return ['', ''];
  const at = req.body.indexOf(ID_MARKER);
  if (at < 0) throw new Error(`${req.name}: idPerRequest needs a body with ${ID_MARKER}`);
  return [req.body.slice(0, at) + '"id":', ',' + req.body.slice(at + ID_MARKER.length)];
}

/** In-process fallback: `connections` keep-alive loops for `durationS` seconds. */
export async function runNodeLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const fixed = Buffer.from(options.request.body);
  const [before, after] = splitAtId(options.request);
  const nextBody = options.request.idPerRequest ? () => Buffer.from(`${before}${nextRequestId++}${after}`) : () => fixed;
  const latencies: number[] = [];
  let failures = 0;
  const end = performance.now() + options.durationS * 1000;
  const one = () =>
    new Promise<void>((resolve) => {
      const t = performance.now();
      const body = nextBody();
      const headers = { ...options.request.headers, 'Content-Length': String(body.length) };
      const req = request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, (res) => {
        let text = '';
        if (options.expect === undefined) res.resume();
        else res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          if ((res.statusCode ?? 0) >= 300 || (options.expect !== undefined && !text.includes(options.expect))) failures += 1;
          latencies.push(performance.now() - t);
          resolve();
        });
      });
      req.on('error', () => {
        failures += 1;
        resolve();
      });
      req.end(body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (performance.now() < end) await one();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return { rps: latencies.length / seconds, p50: pct(50), p99: pct(99), failures };
}
