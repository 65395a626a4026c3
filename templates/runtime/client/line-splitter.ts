import { McpResponseTooLargeError } from './errors.ts';

/**
 * Splits a byte stream into text lines in linear time, holding at most `maxLineBytes` of an
 * unfinished line. Each byte is looked at once (the terminators are found with the native
 * `indexOf`), so a hostile peer sending one endless line costs memory up to the limit and then a
 * typed error, never a rescan of what was already buffered. Lines are split on bytes before
 * decoding, which is safe for UTF-8: CR and LF never occur inside a multi-byte sequence.
 *
 * `'lf'` ends lines at LF and drops one CR before it (stdio, basic/transports/stdio.mdx);
 * `'any'` ends them at CRLF, LF or CR (the SSE event stream format used by
 * basic/transports/streamable-http.mdx).
 */
export type LineEndings = 'lf' | 'any';

const LF = 0x0a;
const CR = 0x0d;

export class LineSplitter {
  readonly #maxLineBytes: number;
  readonly #endings: LineEndings;
  readonly #what: string;
  readonly #decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** The unfinished line: its pieces and their total size. */
  #parts: Uint8Array[] = [];
  #size = 0;
  /** The previous chunk ended with CR: an LF starting the next one belongs to it ('any'). */
  #afterCr = false;

  constructor(maxLineBytes: number, endings: LineEndings, what = 'A line') {
    this.#maxLineBytes = maxLineBytes;
    this.#endings = endings;
    this.#what = what;
  }

  /**
   * Set once a line grew past the limit. The lines completed before it are still returned by
   * that `push`; the caller handles them, then fails with this. Later chunks are ignored.
   */
  failure: McpResponseTooLargeError | undefined;

  /** The complete lines `chunk` finishes, in order. */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    if (this.failure) return lines;
    let start = 0;
    if (this.#afterCr) {
      this.#afterCr = false;
      if (chunk[0] === LF) start = 1;
    }
    // Positions of the next CR and LF at or after `start`; -1 means none left in this chunk.
    let nextLf = chunk.indexOf(LF, start);
    let nextCr = this.#endings === 'any' ? chunk.indexOf(CR, start) : -1;
    while (nextLf !== -1 || nextCr !== -1) {
      const end = nextCr === -1 ? nextLf : nextLf === -1 ? nextCr : Math.min(nextCr, nextLf);
      if (!this.#hold(chunk.subarray(start, end))) return lines;
      lines.push(this.#takeLine());
      start = end + 1;
      if (end === nextCr) {
        if (start === chunk.length) this.#afterCr = true;
        else if (chunk[start] === LF) start++;
      }
      if (nextLf !== -1 && nextLf < start) nextLf = chunk.indexOf(LF, start);
      if (nextCr !== -1 && nextCr < start) nextCr = chunk.indexOf(CR, start);
    }
    if (start < chunk.length) {
      // Copy: the caller may reuse the chunk's buffer.
      this.#hold(chunk.slice(start));
    }
    return lines;
  }

  /** Adds to the unfinished line; false (and `failure` set) when that makes it too long. */
  #hold(piece: Uint8Array): boolean {
    if (piece.length === 0) return true;
    this.#size += piece.length;
    if (this.#size > this.#maxLineBytes) {
      this.#parts = [];
      this.#size = 0;
      this.failure = new McpResponseTooLargeError(this.#maxLineBytes, this.#what);
      return false;
    }
    this.#parts.push(piece);
    return true;
  }

  #takeLine(): string {
    const parts = this.#parts;
    let text: string;
    if (parts.length === 0) text = '';
    else if (parts.length === 1) text = this.#decoder.decode(parts[0]);
    else {
      const whole = new Uint8Array(this.#size);
      let offset = 0;
      for (const part of parts) {
        whole.set(part, offset);
        offset += part.length;
      }
      text = this.#decoder.decode(whole);
    }
    this.#parts = [];
    this.#size = 0;
    if (this.#endings === 'lf' && text.endsWith('\r')) text = text.slice(0, -1);
    return text;
  }
}
