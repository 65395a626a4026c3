/**
 * A real Debian redis-server for tests: 127.0.0.1 on a free port, no persistence, its files in a
 * temp dir, stopped by pid. `restart()` brings it back on the same port (the Redis-down tests).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.ts';

/** The redis-server binary ($REDIS_SERVER_BIN, the usual paths, then PATH), or undefined. */
export function findRedisServer(): string | undefined {
  if (process.env.REDIS_SERVER_BIN === 'none') return undefined; // force the skip path
  for (const candidate of [process.env.REDIS_SERVER_BIN, '/usr/bin/redis-server', '/usr/local/bin/redis-server']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const found = which.stdout.trim();
  return which.status === 0 && found ? found : undefined;
}

export const REDIS_SKIP_REASON = 'redis-server is not installed (apt-get install -y redis-server)';


export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGKILL when `hard`), leaving the port free for restart(). */
  stop(hard?: boolean): Promise<void>;
  restart(): Promise<void>;
  /** Stops it and removes its temp dir. */
  dispose(): Promise<void>;
}

export async function startRedisServer(bin: string): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;

  const launch = async () => {
    const proc = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', '--loglevel', 'warning'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let out = '';
    proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    // Ready once it answers a PING on its port.
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited: ${out}`);
      if (await pings(port)) return;
      if (Date.now() > deadline) throw new Error(`redis-server did not start: ${out}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  const stop = async (hard = false) => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = once(proc, 'exit');
    proc.kill(hard ? 'SIGKILL' : 'SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    restart: launch,
    async dispose() {
      await stop(true);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One RESP PING over a raw socket: no client library involved in deciding readiness. */
async function pings(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean) => (socket.destroy(), resolve(ok));
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
