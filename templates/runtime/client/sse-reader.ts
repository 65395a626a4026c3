import { McpResponseTooLargeError } from './errors.ts';
import { LineSplitter } from './line-splitter.ts';
import { readUntilAborted } from './stop-reading.ts';

/**
 * Server-Sent Events over a byte stream (the WHATWG "event stream" format, as used by
 * basic/transports/streamable-http.mdx "Receiving Messages"). Comment lines (`:` keep-alives) are
 * ignored; `id`/`retry` are ignored too because 2026-07-28 streams are not resumable. A line or an
 * event whose data grows past `maxEventBytes` is an error, found while scanning (each byte is
 * looked at once), so a hostile server can make us neither buffer nor rescan forever. When
 * `signal` aborts, the reader is cancelled and the generator throws `signal.reason` at once.
 */
export interface SseEvent {
  event: string;
  data: string;
}

export async function* readSseEvents(body: ReadableStream<Uint8Array>, maxEventBytes: number, signal?: AbortSignal): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const lines = new LineSplitter(maxEventBytes, 'any', 'An SSE line');
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
      if (dataBytes > maxEventBytes) throw new McpResponseTooLargeError(maxEventBytes, 'An SSE event');
      data.push(value);
    } else if (field === 'event') event = value;
    return undefined;
  };

  const stop = readUntilAborted(reader, signal);
  try {
    for (;;) {
      const { done, value } = await stop.read();
      // An unterminated last line is an incomplete event: dropped, as the format says.
      if (done) return;
      for (const line of lines.push(value)) {
        const complete = takeLine(line);
        if (!complete) continue;
        yield complete;
        stop.check(); // the consumer may have taken its time; a deadline that passed meanwhile wins
      }
      if (lines.failure) throw lines.failure;
    }
  } finally {
    // Closing the stream is also how a request is cancelled (basic/patterns/cancellation.mdx).
    stop.release();
  }
}
