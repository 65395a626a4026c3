import { McpResponseTooLargeError } from './errors.ts';
import { LineSplitter } from './line-splitter.ts';
import { readUntilAborted } from './stop-reading.ts';

/**
 * Server-Sent Events over a byte stream (the WHATWG "event stream" format, as used by
 * basic/transports/streamable-http.mdx "Receiving Messages"). Comment lines (`:` keep-alives) are
 * ignored. 2026-07-28 streams are not resumable, so `id`/`retry` matter only to a caller that passes a
 * `cursor` (the 2025-11-25 wire resumes with `Last-Event-ID`, ../shared/spec/2025-11-25/docs/basic/
 * transports.mdx "Resumability and Redelivery"). A line or an
 * event whose data grows past `maxEventBytes` is an error, found while scanning (each byte is
 * looked at once), so a hostile server can make us neither buffer nor rescan forever. When
 * `signal` aborts, the reader is cancelled and the generator throws `signal.reason` at once.
 */
export interface SseEvent {
  event: string;
  data: string;
}

/** Where a resumable stream stands: the last event id seen and the server's reconnection delay. */
export interface SseCursor {
  lastEventId?: string;
  retryMs?: number;
}

export async function* readSseEvents(body: ReadableStream<Uint8Array>, maxEventBytes: number, signal?: AbortSignal, cursor?: SseCursor): AsyncGenerator<SseEvent> {
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
    else if (cursor && field === 'id' && !value.includes('\u0000')) cursor.lastEventId = value;
    else if (cursor && field === 'retry' && /^\d+$/.test(value)) cursor.retryMs = Number(value);
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
