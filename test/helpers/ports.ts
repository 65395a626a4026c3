/**
 * A port the OS just handed out on 127.0.0.1, for peers that cannot listen on port 0 and report
 * back (nginx, redis-server, server-everything's HTTP mode).
 */
import { once } from 'node:events';
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
