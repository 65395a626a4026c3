/**
 * Task round trips: `connections` keep-alive loops, each doing what a Tasks client does
 * (../shared/spec/extensions/tasks.md "Task Creation", "Task Polling"): a tools/call declaring the
 * extension in its own `_meta` client capabilities, a CreateTaskResult back, then tasks/get (with
 * `Mcp-Name: <taskId>`, "Streamable HTTP: Routing Headers") until the task is `completed`, waiting
 * the task's `pollIntervalMs` between polls that still see it running. One round trip = create →
 * completed result in hand. wrk cannot chain requests like this, so this is always a Node loop.
 */
import { Agent, request } from 'node:http';
import { PROTOCOL_VERSION } from './requests.ts';

const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';
const meta = {
  'io.modelcontextprotocol/protocolVersion': PROTOCOL_VERSION,
  'io.modelcontextprotocol/clientCapabilities': { extensions: { [TASKS_EXTENSION]: {} } },
  'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1.0.0' },
};
const common = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': PROTOCOL_VERSION };

export interface TaskLoadResult {
  /** Completed tasks per second (create → completed). */
  rps: number;
  /** Latency of one round trip, create → completed, in ms. */
  p50: number;
  p99: number;
  /** tasks/get requests per completed task (1 = the first poll already saw it completed). */
  pollsPerTask: number;
  /** Tasks that did not complete (errors, other statuses, non-2xx): must be 0. */
  failures: number;
}

interface Rpc {
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
}

function post(agent: Agent, url: URL, body: object, headers: Record<string, string>): Promise<Rpc> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...common, ...headers, 'Content-Length': String(payload.length) } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => {
        if ((res.statusCode ?? 0) >= 300) return reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
        try {
          // A server may answer on an SSE stream: the response is its last `data:` line.
          const json = String(res.headers['content-type']).startsWith('text/event-stream') ? text.split('\n').filter((l) => l.startsWith('data:')).at(-1)!.slice(5) : text;
          resolve(JSON.parse(json) as Rpc);
        } catch {
          reject(new Error(`not JSON (${res.headers['content-type']}): ${text.slice(0, 200)}`));
        }
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** One create → completed round trip; returns the number of tasks/get it took. */
export async function taskRoundTrip(agent: Agent, url: URL, tool: string, id: number): Promise<number> {
  const created = await post(agent, url, { jsonrpc: '2.0', id, method: 'tools/call', params: { name: tool, arguments: {}, _meta: meta } }, { 'Mcp-Method': 'tools/call', 'Mcp-Name': tool });
  const task = created.result;
  if (task?.resultType !== 'task' || typeof task.taskId !== 'string') throw new Error(`${tool}: expected a CreateTaskResult, got ${JSON.stringify(created).slice(0, 200)}`);
  const taskId = task.taskId;
  for (let polls = 1; ; polls++) {
    const got = await post(agent, url, { jsonrpc: '2.0', id, method: 'tasks/get', params: { taskId, _meta: meta } }, { 'Mcp-Method': 'tasks/get', 'Mcp-Name': taskId });
    const status = got.result?.status;
    if (status === 'completed') return polls;
    if (status !== 'working') throw new Error(`task ${taskId}: ${JSON.stringify(got).slice(0, 200)}`);
    const wait = Number(got.result?.pollIntervalMs ?? 0);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

export async function runTaskLoad(options: { url: string; tool: string; connections: number; durationS: number }): Promise<TaskLoadResult> {
  const url = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let polls = 0;
  let failures = 0;
  let nextId = 1;
  const end = performance.now() + options.durationS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          const n = await taskRoundTrip(agent, url, options.tool, nextId++);
          polls += n; // not `polls += await …`: that reads `polls` before the await and loses other loops' counts
          latencies.push(performance.now() - t);
        } catch {
          failures += 1;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return { rps: latencies.length / seconds, p50: pct(50), p99: pct(99), pollsPerTask: polls / Math.max(1, latencies.length), failures };
}
