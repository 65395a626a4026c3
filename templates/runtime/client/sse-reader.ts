import { McpResponseTooLargeError } from './errors.ts';

/**
 * Server-Sent Events over a byte stream (the WHATWG "event stream" format, as used by
 * basic/transports/streamable-http.mdx "Receiving Messages"). Comment lines (`:` keep-alives) are
 * ignored; `id`/`retry` are ignored too because 2026-07-28 streams are not resumable. An event whose
 * data grows past `maxEventBytes` is an error, so a hostile server cannot make us buffer forever.
 */
export interface SseEvent {
  event: string;
  data: string;
}

export async function* readSseEvents(body: ReadableStream<Uint8Array>, maxEventBytes: number): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  let data: string[] = [];
  let dataBytes = 0;
  let event = '';
  let firstLine = true;

  const takeLine = (line: string): SseEvent | undefined => {
    if (firstLine) {
      firstLine = false;
      if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    }
    if (line === '') {
      if (data.length === 0) return void (event = '');
      const complete = { event: event || 'message', data: data.join('\n') };
      data = [];
      dataBytes = 0;
      event = '';
      return complete;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
      dataBytes += value.length + 1;
      if (dataBytes > maxEventBytes) throw new McpResponseTooLargeError(maxEventBytes);
      data.push(value);
    } else if (field === 'event') event = value;
    return undefined;
  };

  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      // Lines end with CRLF, LF or CR; a trailing CR may be the first half of a CRLF.
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const ch = buffer.charCodeAt(i);
        if (ch !== 10 && ch !== 13) continue;
        if (ch === 13 && i === buffer.length - 1 && !done) break;
        const line = buffer.slice(start, i);
        if (ch === 13 && buffer.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
        const complete = takeLine(line);
        if (complete) yield complete;
      }
      buffer = buffer.slice(start);
      if (buffer.length > maxEventBytes) throw new McpResponseTooLargeError(maxEventBytes);
      if (done) return;
    }
  } finally {
    // Closing the stream is also how a request is cancelled (basic/patterns/cancellation.mdx).
    reader.cancel().catch(() => {});
  }
}
