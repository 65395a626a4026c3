import type { SseStream } from '../http/sse.ts';

/**
 * Resumable SSE streams of one 2025-11-25 HTTP session (../shared/spec/2025-11-25/docs/basic/
 * transports.mdx "Resumability and Redelivery", "Sending Messages to the Server" 6). A stream — a
 * POST's response stream or the standalone GET stream — outlives the HTTP connections that carry
 * it: every message it sends gets an event id `<stream>-<seq>` (unique across the session's
 * streams, and naming the stream, as the page asks) and is kept in a bounded per-session log, so a
 * client that lost the connection reconnects with GET + `Last-Event-ID` and gets what it missed on
 * that stream, and only that stream. A disconnect is not a cancellation: the request keeps
 * running and its later messages (server→client requests, the response) wait in the log.
 *
 * Bounds (process memory, per session): the newest {@link REPLAY_EVENTS} events and at most
 * {@link REPLAY_BYTES} of them (the newest event is always kept); an event pushed out is lost to
 * a late reconnect, which then gets what is left. The log lives in the process holding the
 * session (docs/deploy.md: route a session to one replica); a `Last-Event-ID` this process does not
 * know opens a fresh standalone stream instead, as a server without resumption would.
 */
export const REPLAY_EVENTS = 256;
export const REPLAY_BYTES = 1024 * 1024;

interface LoggedEvent {
  stream: SessionStream;
  seq: number;
  json: string;
}

const EVENT_ID = /^(\d{1,9})-(\d{1,12})$/;

export class SessionStream {
  private seq = 0;
  private connection: SseStream | undefined;
  private primed = false;
  /** Events of this stream still in the log. */
  logged = 0;
  finished = false;

  constructor(
    readonly number: number,
    readonly kind: 'request' | 'standalone',
    private readonly streams: ResumableStreams,
  ) {}

  /** A connection is attached right now (a stream between connections still logs). */
  get connected(): boolean {
    return this.connection !== undefined && !this.connection.isEnded;
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Sends one serialised JSON-RPC message: logged for replay, written if a connection is attached. */
  send(json: string): void {
    if (this.finished) return;
    const seq = ++this.seq;
    this.streams.record({ stream: this, seq, json });
    this.connection?.pushEvent(`${this.number}-${seq}`, json);
  }

  /**
   * Attaches an HTTP connection. The first one gets the priming event (an id, empty data: the
   * cursor a client resumes from even before any message); a resumed one gets the logged events
   * after `after`. A finished stream ends the connection once replayed; a newer connection
   * replaces one whose drop the server has not noticed yet.
   */
  attach(connection: SseStream, after: number): void {
    if (!this.primed) {
      this.primed = true;
      connection.pushEvent(`${this.number}-0`, '');
    }
    for (const event of this.streams.eventsOf(this, after)) connection.pushEvent(`${this.number}-${event.seq}`, event.json);
    if (this.finished) {
      connection.end();
      return;
    }
    const previous = this.connection;
    this.connection = connection;
    previous?.end();
    connection.onEnd(() => {
      if (this.connection === connection) this.connection = undefined;
    });
  }

  /** No more messages: the attached connection ends; logged events stay replayable until pushed out. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    const connection = this.connection;
    this.connection = undefined;
    connection?.end();
    this.streams.forgetIfDrained(this);
  }
}

export class ResumableStreams {
  private next = 0;
  private readonly log: LoggedEvent[] = [];
  private bytes = 0;
  private readonly streams = new Map<number, SessionStream>();

  constructor(
    private readonly maxEvents = REPLAY_EVENTS,
    private readonly maxBytes = REPLAY_BYTES,
  ) {}

  open(kind: SessionStream['kind']): SessionStream {
    const stream = new SessionStream(++this.next, kind, this);
    this.streams.set(stream.number, stream);
    return stream;
  }

  /** The stream and position a `Last-Event-ID` names; undefined when unknown here, forgotten or forged. */
  find(lastEventId: string): { stream: SessionStream; after: number } | undefined {
    const match = EVENT_ID.exec(lastEventId.trim());
    if (!match) return undefined;
    const stream = this.streams.get(Number(match[1]));
    const after = Number(match[2]);
    if (!stream || after > stream.lastSeq) return undefined;
    return { stream, after };
  }

  record(event: LoggedEvent): void {
    this.log.push(event);
    event.stream.logged += 1;
    this.bytes += event.json.length;
    while (this.log.length > 1 && (this.log.length > this.maxEvents || this.bytes > this.maxBytes)) {
      const oldest = this.log.shift()!;
      this.bytes -= oldest.json.length;
      oldest.stream.logged -= 1;
      this.forgetIfDrained(oldest.stream);
    }
  }

  eventsOf(stream: SessionStream, after: number): LoggedEvent[] {
    return this.log.filter((e) => e.stream === stream && e.seq > after);
  }

  /** A finished stream with nothing left to replay is forgotten (the map stays bounded by the log). */
  forgetIfDrained(stream: SessionStream): void {
    if (stream.finished && stream.logged === 0) this.streams.delete(stream.number);
  }

  /** The session ended: every stream finishes, the log is dropped. */
  close(): void {
    for (const stream of [...this.streams.values()]) stream.finish();
    this.streams.clear();
    this.log.length = 0;
    this.bytes = 0;
  }
}
