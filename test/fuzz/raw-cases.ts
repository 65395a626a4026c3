/**
 * Byte-level HTTP abuse that node's HTTP client refuses to produce: CRLF injection, conflicting
 * framing headers, broken chunking, pipelining, truncated requests. Sent over a raw socket.
 */
import { connect } from 'node:net';
import { createRng, meta } from './generators.ts';

export interface RawCase {
  index: number;
  note: string;
  bytes: Buffer;
}

const body = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list', params: { _meta: meta() } });

export function* rawCases(seed: number, count: number, host: string): Generator<RawCase> {
  const rng = createRng(seed);
  const h = (extra = '') => `Host: ${host}\r\nContent-Type: application/json\r\nAccept: application/json\r\nMCP-Protocol-Version: 2026-07-28\r\nMcp-Method: tools/list\r\n${extra}`;
  for (let index = 0; index < count; index++) {
    const b = body(index);
    const variants: [string, string][] = [
      ['CL + TE', `POST /mcp HTTP/1.1\r\n${h()}Content-Length: ${b.length}\r\nTransfer-Encoding: chunked\r\n\r\n${b.length.toString(16)}\r\n${b}\r\n0\r\n\r\n`],
      ['two content-lengths', `POST /mcp HTTP/1.1\r\n${h()}Content-Length: ${b.length}\r\nContent-Length: ${b.length + 1}\r\n\r\n${b}`],
      ['bad chunk size', `POST /mcp HTTP/1.1\r\n${h()}Transfer-Encoding: chunked\r\n\r\nzz\r\n${b}\r\n0\r\n\r\n`],
      ['chunk longer than declared', `POST /mcp HTTP/1.1\r\n${h()}Transfer-Encoding: chunked\r\n\r\n2\r\n${b}\r\n0\r\n\r\n`],
      ['pipelined pair', `POST /mcp HTTP/1.1\r\n${h()}Content-Length: ${b.length}\r\n\r\n${b}POST /mcp HTTP/1.1\r\n${h()}Content-Length: ${b.length}\r\nConnection: close\r\n\r\n${b}`],
      ['header without colon', `POST /mcp HTTP/1.1\r\n${h()}Broken header line\r\nContent-Length: ${b.length}\r\n\r\n${b}`],
      ['NUL in header', `POST /mcp HTTP/1.1\r\n${h()}Mcp-Name: a\u0000b\r\nContent-Length: ${b.length}\r\n\r\n${b}`],
      ['bare LF line endings', `POST /mcp HTTP/1.1\n${h().replace(/\r\n/g, '\n')}Content-Length: ${b.length}\n\n${b}`],
      ['obs-fold header', `POST /mcp HTTP/1.1\r\n${h()}Mcp-Method: tools/list\r\n  folded\r\nContent-Length: ${b.length}\r\n\r\n${b}`],
      ['HTTP/1.0 no host', `POST /mcp HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: ${b.length}\r\n\r\n${b}`],
      ['HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
      ['garbage request line', `${'\u00ff'.repeat(rng.range(1, 64))}\r\n\r\n`],
      ['huge URL', `POST /mcp?${'q'.repeat(rng.pick([1_000, 20_000, 100_000]))} HTTP/1.1\r\n${h()}Content-Length: ${b.length}\r\n\r\n${b}`],
      ['truncated body', `POST /mcp HTTP/1.1\r\n${h()}Content-Length: ${b.length}\r\n\r\n${b.slice(0, rng.int(b.length))}`],
      ['absolute-form target', `POST http://evil.example.com/mcp HTTP/1.1\r\n${h()}Content-Length: ${b.length}\r\n\r\n${b}`],
      ['Expect: 100-continue', `POST /mcp HTTP/1.1\r\n${h()}Expect: 100-continue\r\nContent-Length: ${b.length}\r\n\r\n${b}`],
      ['lower-case method', `post /mcp HTTP/1.1\r\n${h()}Content-Length: ${b.length}\r\n\r\n${b}`],
      ['space before colon', `POST /mcp HTTP/1.1\r\n${h()}Content-Length : ${b.length}\r\n\r\n${b}`],
    ];
    const [note, text] = rng.pick(variants);
    yield { index, note, bytes: Buffer.from(text, 'latin1') };
  }
}

export interface RawReply {
  statuses: number[];
  error?: string;
}

/** Writes the bytes, half-closes, and collects every status line until the server closes (or timeout). */
export function sendRaw(port: number, bytes: Buffer, timeoutMs = 1_500): Promise<RawReply> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    let error: string | undefined;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const statuses = [...text.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1]));
      resolve({ statuses, ...(error ? { error } : {}) });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('connect', () => socket.end(bytes));
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('error', (e) => (error = e.message));
    socket.on('close', finish);
  });
}
