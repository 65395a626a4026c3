/**
 * Process plumbing for the fuzzers: start the server under test as its own node process, read
 * its RSS from /proc, send one HTTP case with raw headers, and judge a reply against the
 * Streamable HTTP rules (wire-checklist §9.7): never 5xx for client garbage, JSON-RPC bodies
 * where JSON is promised, error codes consistent with the status.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { HttpCase } from './http-cases.ts';

export const FUZZ_SERVER = fileURLToPath(new URL('./fuzz-server.ts', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  stderr(): string;
  stdout(): string;
}

export function spawnServer(mode: 'http' | 'stdio'): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', FUZZ_SERVER, mode], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  if (mode === 'http') child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  return { child, pid: child.pid!, stderr: () => err, stdout: () => out };
}

/**
 * Resolves with the server's URL once it printed `ready <url>`; rejects as soon as it exits first.
 * No clock: starting (tsx compiling the runtime) takes ~2 s alone and over 10 s on a loaded machine;
 * a server that hangs is caught by the hook's own timeout.
 */
export function waitForReady(server: ServerProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = /ready (http:\/\/\S+)/.exec(server.stdout());
      if (!match) return;
      server.child.stdout!.off('data', check);
      resolve(match[1]!);
    };
    // spawnServer's own listener was added first: stdout() already holds the chunk.
    server.child.stdout!.on('data', check);
    server.child.once('exit', (code) => reject(new Error(`fuzz server exited (${String(code)}) before ready: ${server.stderr()}`)));
    check();
  });
}

/** Resident set size in MiB (Linux /proc; `undefined` elsewhere). */
export function rssMiB(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The SSE stream was still open when we stopped reading (subscriptions/listen). */
  openStream?: boolean;
  /** No reply: the socket failed (node's own parser refusing a request does this). */
  error?: string;
}

const MAX_READ = 2 * 1024 * 1024;

export function send(agent: Agent, base: URL, c: HttpCase, streamWaitMs = 1_500): Promise<Reply> {
  return new Promise((resolve) => {
    const headers = [...c.headers];
    const has = (name: string) => headers.some(([k]) => k.toLowerCase() === name);
    if (!has('host') && !c.omitHost) headers.push(['Host', base.host]);
    if (!has('content-length') && !has('transfer-encoding') && c.body.length > 0) headers.push(['Content-Length', String(c.body.length)]);
    const flat = headers.flatMap(([k, v]) => [k, v]);
    let settled = false;
    const done = (reply: Reply) => {
      if (settled) return;
      settled = true;
      resolve(reply);
    };
    let req: ReturnType<typeof httpRequest>;
    try {
      req = httpRequest({ agent, host: base.hostname, port: base.port, method: c.method, path: c.path, headers: flat, setHost: false });
    } catch (error) {
      done({ status: 0, headers: {}, body: '', error: `client refused to send: ${(error as Error).message}` });
      return;
    }
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const isStream = String(res.headers['content-type'] ?? '').startsWith('text/event-stream');
      const timer = isStream
        ? setTimeout(() => {
            done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), openStream: true });
            req.destroy();
          }, streamWaitMs)
        : undefined;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_READ) chunks.push(chunk);
      });
      res.on('end', () => {
        clearTimeout(timer);
        done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (error) => {
        clearTimeout(timer);
        done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), error: error.message });
      });
    });
    req.on('error', (error) => done({ status: 0, headers: {}, body: '', error: error.message }));
    req.setTimeout(15_000, () => req.destroy(new Error('timeout')));
    req.end(c.body);
  });
}

/** Statuses a 2026-07-28 Streamable HTTP server may use for client mistakes (§9.7), plus node's own 431. */
export const PLAUSIBLE = new Set([200, 202, 400, 403, 404, 405, 406, 413, 415, 431]);
const CODES_AT_400 = new Set([-32700, -32600, -32602, -32020, -32021, -32022]);

export interface Judgement {
  violations: string[];
  /** -32603 answers: a server fault reached by client input. */
  internalError: boolean;
}

type RpcBody = { jsonrpc?: unknown; id?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown } };

/** The JSON-RPC messages in a reply: one JSON body, or the `data:` lines of SSE message events. */
export function messagesOf(reply: Reply): { messages: RpcBody[]; problem?: string } {
  const type = String(reply.headers['content-type'] ?? '');
  if (type.startsWith('application/json')) {
    try {
      return { messages: [JSON.parse(reply.body) as RpcBody] };
    } catch {
      return { messages: [], problem: 'application/json body is not JSON' };
    }
  }
  if (type.startsWith('text/event-stream')) {
    const messages: RpcBody[] = [];
    for (const block of reply.body.split(/\r?\n\r?\n/)) {
      const data = block
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      if (!data) continue;
      try {
        messages.push(JSON.parse(data) as RpcBody);
      } catch {
        return { messages, problem: 'SSE data is not JSON' };
      }
    }
    return { messages };
  }
  return { messages: [] };
}

export function judge(c: HttpCase, reply: Reply): Judgement {
  const violations: string[] = [];
  let internalError = false;
  if (reply.error && reply.status === 0) {
    if (!c.mayReset) violations.push(`no reply: ${reply.error}`);
    return { violations, internalError };
  }
  if (reply.status >= 500) violations.push(`5xx status ${reply.status}`);
  else if (!PLAUSIBLE.has(reply.status)) violations.push(`implausible status ${reply.status}`);
  if (c.expectStatus && !c.expectStatus.includes(reply.status)) violations.push(`expected status ${c.expectStatus.join('|')}, got ${reply.status}`);
  if (reply.status === 202 && reply.body.length > 0) violations.push('202 with a body');
  if (reply.status === 405 && !String(reply.headers.allow ?? '').includes('POST')) violations.push('405 without Allow: POST');

  const { messages, problem } = messagesOf(reply);
  if (problem) violations.push(problem);
  const final = messages.find((m) => m.result !== undefined || m.error !== undefined);
  for (const m of messages) if (m.jsonrpc !== '2.0') violations.push('message without jsonrpc 2.0');
  if (reply.status === 200 && c.method === 'POST' && !final && !reply.openStream) violations.push('200 without a JSON-RPC response');
  if (reply.openStream && c.rpcMethod !== 'subscriptions/listen' && c.rpcMethod !== 'tools/call') violations.push(`SSE stream left open for ${c.rpcMethod}`);
  if (final) {
    const code = final.error?.code;
    if (final.error !== undefined) {
      if (typeof code !== 'number' || !Number.isInteger(code)) violations.push('error without integer code');
      if (typeof final.error.message !== 'string') violations.push('error without message');
      if (code === -32603) internalError = true;
      if (reply.status === 400 && !CODES_AT_400.has(code as number)) violations.push(`400 with error code ${String(code)}`);
      if (c.category === 'session') {
        // The 2025-11-25 session wire: 404 only means "no such session"; JSON-RPC errors travel with 200.
        if (reply.status === 404 && code !== -32600) violations.push(`404 with error code ${String(code)} on the session wire`);
      } else {
        if (reply.status === 404 && code !== -32601) violations.push(`404 with error code ${String(code)}`);
        if (reply.status === 200 && CODES_AT_400.has(code as number) && code !== -32602) violations.push(`200 with error code ${String(code)} (spec says 400)`);
        if (code === -32601 && reply.status !== 404) violations.push(`-32601 at ${reply.status}`);
      }
    } else if (reply.status !== 200) violations.push(`result at status ${reply.status}`);
    if (c.expectResult && final.result === undefined) violations.push(`expected a result, got ${JSON.stringify(final.error)}`);
    if (c.expectId !== undefined && final.id !== c.expectId && reply.status === 200) violations.push(`response id ${JSON.stringify(final.id)} ≠ request id ${JSON.stringify(c.expectId)}`);
  }
  return { violations, internalError };
}
