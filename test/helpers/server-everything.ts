/**
 * `@modelcontextprotocol/server-everything` (a 2025-11-25 server, the reference a new user reaches
 * for first) as a peer for the era tests: its stdio command line, and its Streamable HTTP mode on
 * 127.0.0.1. It takes its port from PORT and does not print the port it got, so a free one is
 * picked first (bind to 0, release, hand over).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './env.ts';
import { freePort } from './ports.ts';
import { waitForStderr } from './process.ts';

export const SERVER_EVERYTHING = join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
export const serverEverythingStdio = { command: process.execPath, args: [SERVER_EVERYTHING, 'stdio'] };

export async function startServerEverythingHttp(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER_EVERYTHING, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  await waitForStderr(child, /(listening) on port/, 'server-everything (streamableHttp)', 20_000);
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}
