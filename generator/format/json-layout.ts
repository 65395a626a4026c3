/**
 * prettier's layout of `JSON.stringify(value, null, 2)` text (parser `json`, printWidth 100),
 * without prettier: objects stay expanded (prettier keeps an object broken when its source has a
 * newline after `{`), an array goes on one line when it fits and holds no expanded object, else
 * one element per line. Only the shapes this is certain about are handled; anything else returns
 * undefined and the caller asks prettier (non-ASCII text where its width decides a layout, since
 * prettier measures display columns; numbers in exponent form, which prettier rewrites; number
 * arrays that do not fit, which prettier fills). The fixture files it serves are megabytes of such JSON.
 * test/unit/json-layout.test.ts checks it against prettier itself on random and real documents.
 *
 * It works on the text, line by line, without parsing it into values: the fixture files of a
 * 1 000-tool project are over 10 MB, and a value tree plus its re-stringified copy cost hundreds of
 * megabytes. The text is checked to be in `JSON.stringify(value, null, 2)` form as it is read (two
 * spaces an indent, one item a line, commas between items, valid JSON tokens).
 */

import { PRINT_WIDTH } from './print-width.ts';

class Unsure extends Error {}

/**
 * A JSON string token as JSON.stringify writes it. Non-ASCII text is allowed (prettier prints a
 * string as written), but where its width decides a layout (an array that might go on one line)
 * it is prettier's call: prettier measures display columns.
 */
const STRING = /"(?:[^"\\\x00-\x1f\x7f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/y;
const NON_ASCII = /[^\x00-\x7e]/;
/** Numbers prettier prints as written: no exponent (prettier rewrites those), no trailing fraction zeros. */
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?/y;
const KEYWORD = /true|false|null/y;

function matchAt(re: RegExp, text: string, at: number): number {
  re.lastIndex = at;
  return re.test(text) ? re.lastIndex : -1;
}

/** The end of the scalar token starting at `at` in `line`, or -1. */
function scalarEnd(line: string, at: number): number {
  const c = line.charCodeAt(at);
  if (c === 34 /* " */) return matchAt(STRING, line, at);
  if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
    const end = matchAt(NUMBER, line, at);
    if (end < 0) return -1;
    const next = line.charCodeAt(end);
    if (next === 46 /* . */ || next === 101 || next === 69 /* e E */ || (line.slice(at, end) === '-0')) throw new Unsure();
    return end;
  }
  return matchAt(KEYWORD, line, at);
}

/** One line of an item: `<indent>["key": ]<value>[,]`, split; throws when it is not in that form. */
interface Item {
  /** Everything up to the value: indentation and the key. */
  head: string;
  value: string;
  comma: boolean;
}

function item(line: string | undefined, indent: number, keyed: boolean): Item {
  if (line === undefined) throw new Unsure();
  for (let i = 0; i < indent; i++) if (line.charCodeAt(i) !== 32) throw new Unsure();
  let at = indent;
  if (keyed) {
    const end = matchAt(STRING, line, at);
    if (end < 0 || line.charCodeAt(end) !== 58 /* : */ || line.charCodeAt(end + 1) !== 32) throw new Unsure();
    at = end + 2;
  }
  const comma = line.endsWith(',');
  const value = line.slice(at, comma ? -1 : undefined);
  if (value === '' || value.charCodeAt(0) === 32) throw new Unsure();
  return { head: line.slice(0, at), value, comma };
}

/** Checks that `value` is one whole token: a scalar, `[]`, `{}`, or an opening `[`/`{`. */
function kind(value: string): 'scalar' | 'open-array' | 'open-object' {
  if (value === '[') return 'open-array';
  if (value === '{') return 'open-object';
  if (value === '[]' || value === '{}') return 'scalar';
  if (scalarEnd(value, 0) !== value.length) throw new Unsure();
  return 'scalar';
}

/** Whether `line` closes a container at `indent` with `bracket`; undefined when it does not, else its comma. */
function closes(line: string | undefined, indent: number, bracket: ']' | '}'): { comma: boolean } | undefined {
  if (line === undefined || line.length < indent + 1 || line.length > indent + 2) return undefined;
  for (let i = 0; i < indent; i++) if (line.charCodeAt(i) !== 32) return undefined;
  if (line[indent] !== bracket) return undefined;
  if (line.length === indent + 2 && line[indent + 1] !== ',') return undefined;
  return { comma: line.length === indent + 2 };
}

class Layout {
  readonly out: string[] = [];
  constructor(private readonly lines: string[]) {}

  /**
   * The one-line form of the array whose items start at line `from` (at `indent`), with the line of
   * its `]`; undefined when it must break (a non-empty object inside, or two or more arrays that each
   * hold more than one item) or is longer than a line anyway.
   */
  flatArray(from: number, indent: number): { text: string; close: number; comma: boolean; items: number } | undefined {
    const parts: string[] = [];
    let width = 1;
    let everySized = true;
    let i = from;
    for (;;) {
      const it = item(this.lines[i], indent, false);
      const k = kind(it.value);
      let comma = it.comma;
      if (k === 'open-object') return undefined;
      if (k === 'open-array') {
        const inner = this.flatArray(i + 1, indent + 2);
        if (inner === undefined) return undefined;
        parts.push(inner.text);
        everySized &&= inner.items > 1;
        i = inner.close;
        comma = inner.comma;
      } else {
        parts.push(it.value);
        everySized = false;
      }
      if (NON_ASCII.test(parts[parts.length - 1]!)) throw new Unsure();
      width += parts[parts.length - 1]!.length + 2;
      if (width > PRINT_WIDTH + 2) return undefined;
      i++;
      if (!comma) break;
    }
    const close = closes(this.lines[i], indent - 2, ']');
    if (close === undefined) throw new Unsure();
    if (parts.length > 1 && everySized) return undefined;
    return { text: `[${parts.join(', ')}]`, close: i, comma: close.comma, items: parts.length };
  }

  /** Lays out the item on line `at` (a value at `indent`): the line after it, and whether a comma follows it. */
  value(at: number, indent: number, keyed: boolean): { next: number; comma: boolean } {
    const line = this.lines[at]!;
    const it = item(line, indent, keyed);
    const k = kind(it.value);
    if (k === 'scalar') {
      this.out.push(line);
      return { next: at + 1, comma: it.comma };
    }
    if (k === 'open-array') {
      const flat = this.flatArray(at + 1, indent + 2);
      if (flat !== undefined && NON_ASCII.test(it.head)) throw new Unsure();
      if (flat !== undefined && it.head.length + flat.text.length + (flat.comma ? 1 : 0) <= PRINT_WIDTH) {
        this.out.push(`${it.head}${flat.text}${flat.comma ? ',' : ''}`);
        return { next: flat.close + 1, comma: flat.comma };
      }
    }
    this.out.push(line);
    let i = at + 1;
    let numbers = k === 'open-array';
    for (;;) {
      const child = item(this.lines[i], indent + 2, k === 'open-object');
      numbers &&= /^-?[0-9]/.test(child.value);
      const done = this.value(i, indent + 2, k === 'open-object');
      i = done.next;
      if (!done.comma) break;
    }
    if (numbers) throw new Unsure(); // prettier fills number arrays that do not fit
    const close = closes(this.lines[i], indent, k === 'open-array' ? ']' : '}');
    if (close === undefined) throw new Unsure();
    this.out.push(this.lines[i]!);
    return { next: i + 1, comma: close.comma };
  }
}

/**
 * prettier's output for `text` when the text is exactly `JSON.stringify(value, null, 2)` of some
 * value and the value has only shapes handled here; undefined otherwise (format it with prettier).
 */
export function layoutJsonLikePrettier(text: string, printWidth: number): string | undefined {
  if (printWidth !== PRINT_WIDTH) return undefined;
  const lines = text.split('\n');
  const layout = new Layout(lines);
  try {
    const root = layout.value(0, 0, false);
    if (root.comma || root.next !== lines.length) return undefined;
  } catch (e) {
    if (e instanceof Unsure) return undefined;
    throw e;
  }
  return `${layout.out.join('\n')}\n`;
}

/**
 * prettier's layout of one object element of an array whose elements sit at `indent` spaces, given
 * the element's own `JSON.stringify(element, null, 2)` text; `comma`: whether a comma follows it.
 * The lines it returns are exactly the lines layoutJsonLikePrettier writes for that element inside
 * the whole document: a non-empty object breaks the array around it, and in a broken array an
 * element's layout reads only its own lines, its indentation and its comma (widths count from the
 * line start), never its siblings. So a big array of objects (the tools fixture file) can be joined
 * from elements laid out one at a time and remembered (test/unit/json-layout.test.ts holds the
 * join to the whole-file layout and to prettier). Undefined when unsure or not a non-empty object.
 */
export function layoutJsonElementLikePrettier(text: string, indent: number, comma: boolean): string | undefined {
  if (!text.startsWith('{\n')) return undefined;
  const pad = ' '.repeat(indent);
  const lines = text.split('\n').map((line) => pad + line);
  if (comma) lines[lines.length - 1] += ',';
  const layout = new Layout(lines);
  try {
    const root = layout.value(0, indent, false);
    if (root.comma !== comma || root.next !== lines.length) return undefined;
  } catch (e) {
    if (e instanceof Unsure) return undefined;
    throw e;
  }
  return layout.out.join('\n');
}
