/**
 * Test plumbing for the scale test: replicas as separate node processes, and a Debian nginx in
 * front of them started as the current user with every path (pid, logs, temp dirs) in a temp dir.
 * Everything binds 127.0.0.1 and is stopped by pid.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/ports.ts';

const REPLICA = fileURLToPath(new URL('./replica.ts', import.meta.url));

/** The nginx binary ($NGINX_BIN, the usual paths, then PATH), or undefined when nginx is not installed (the test then skips). */
export function findNginx(): string | undefined {
  if (process.env.NGINX_BIN === 'none') return undefined; // force the skip path
  for (const candidate of [process.env.NGINX_BIN, '/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  const which = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
  const found = which.stdout.trim();
  return which.status === 0 && found ? found : undefined;
}

export { freePort };

export interface Replica {
  readonly process: ChildProcess;
  readonly pid: number;
  readonly port: number;
  readonly url: string;
  /** stderr collected so far (runtime diagnostics). */
  stderr(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts one replica (`node --import tsx test/scale/replica.ts`) and waits for its `ready` line. */
export async function startReplica(secret: string, timeoutMs = 20_000, env: Record<string, string> = {}): Promise<Replica> {
  const child = spawn(process.execPath, ['--import', 'tsx', REPLICA], {
    env: { ...process.env, PORT: '0', MCP_STATE_SECRET: secret, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const readyUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`replica did not start in ${timeoutMs} ms: ${err}`)), timeoutMs);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /ready (http:\/\/\S+) pid=\d+/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`replica exited with ${code} before ready: ${err}`));
    });
  });
  return replicaHandle(child, readyUrl, () => err);
}

/** The stderr line a replica's gated slow_whoami writes once the request reached its handler. */
export const SLOW_STARTED = 'slow_whoami: started';

/** How many times `line` appeared on the replica's stderr so far. */
export const stderrCount = (replica: Replica, line: string) => replica.stderr().split('\n').filter((l) => l === line).length;

/** Resolves once `line` appeared `count` times on the replicas' stderr together (checked on each chunk they write). */
export function waitForStderrLines(replicas: readonly Replica[], line: string, count: number, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const total = () => replicas.reduce((sum, r) => sum + stderrCount(r, line), 0);
    const check = () => {
      if (total() < count) return;
      stop();
      resolve();
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`saw ${total()} of ${count} '${line}' lines on the replicas' stderr`));
    }, timeoutMs);
    // The handle's own listener ran first (it was added first), so stderr() already holds the chunk.
    const stop = () => {
      clearTimeout(timer);
      for (const r of replicas) r.process.stderr?.off('data', check);
    };
    for (const r of replicas) r.process.stderr?.on('data', check);
    check();
  });
}

/** The handle of a started replica process: its address, its stderr so far, and a kill that reaps it. */
export function replicaHandle(child: ChildProcess, url: string, stderr: () => string): Replica {
  return {
    process: child,
    pid: child.pid!,
    port: Number(new URL(url).port),
    url,
    stderr,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface NginxOptions {
  /** Upstream `host:port` entries. */
  upstreams: readonly string[];
  listenPort: number;
  /** Directory for nginx.conf, pid, logs and temp paths. */
  dir: string;
  /**
   * 2025-11-25 sessions on the same upstream: requests carrying `Mcp-Session-Id` are routed by a
   * consistent hash of it (a session's POSTs, its GET stream and its answers to server requests
   * reach the one replica holding its live streams); requests without it (2026-07-28 traffic and
   * `initialize`) keep plain round robin, because nginx's hash falls back to round robin on an
   * empty key. docs/deploy.md "2025-11-25 sessions behind the balancer".
   */
  sessionAffinity?: boolean;
}

/**
 * The proxy config under test: plain round robin (no ip_hash/hash/sticky), upstream keep-alive,
 * no buffering (SSE), retries only for requests that never reached a replica. examples/deploy/nginx.conf
 * is the commented production version of the same thing.
 */
export function nginxConfig({ upstreams, listenPort, dir, sessionAffinity }: NginxOptions): string {
  // Workers of a root master drop to `nobody`, who cannot write our temp dir: stay the current user.
  const user = process.getuid?.() === 0 ? `user ${userInfo().username};\n` : '';
  return `${user}worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log ${join(dir, 'access.log')};
  client_body_temp_path ${join(dir, 'client_body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};

  upstream mcp {${sessionAffinity ? '\n    hash $http_mcp_session_id consistent;' : ''}
${upstreams.map((u) => `    server ${u} max_fails=1 fail_timeout=10s;`).join('\n')}
    keepalive 32;
    keepalive_timeout 4s;
  }

  server {
    listen 127.0.0.1:${listenPort};
    client_max_body_size 4m;

    location = /mcp {
      proxy_pass http://mcp;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_cache off;
      proxy_connect_timeout 2s;
      proxy_read_timeout 300s;
      proxy_send_timeout 60s;
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 3;
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`;
}

export interface Nginx {
  readonly url: string;
  readonly pid: number;
  errorLog(): string;
  stop(): Promise<void>;
}

export async function startNginx(bin: string, options: NginxOptions): Promise<Nginx> {
  const conf = join(options.dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig(options));
  const errorLogPath = join(options.dir, 'error.log');
  const args = ['-p', options.dir, '-e', errorLogPath, '-c', conf];
  const check = spawnSync(bin, [...args, '-t', '-q'], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx -t failed: ${check.stderr}`);
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const url = `http://127.0.0.1:${options.listenPort}/mcp`;
  // Ready when the port answers.
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr} ${readLog(errorLogPath)}`);
    try {
      await fetch(url, { method: 'GET' });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not listen: ${readLog(errorLogPath)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    url,
    pid: child.pid!,
    errorLog: () => readLog(errorLogPath),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM'); // fast shutdown: master stops its workers, then exits
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
