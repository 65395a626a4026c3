/**
 * A fast, exact reader for the block-YAML that manifests are written in, beside the `yaml`
 * package, never instead of it: it returns what `parseDocument(text, { uniqueKeys: true }).toJS()`
 * of yaml (the pinned v2, core schema, YAML 1.2) returns, or `undefined` ("unsure") for anything
 * it is not certain about, and then the caller parses with `yaml` as before. `yaml` reads about
 * 0.5 MB/s (parse, compose, toJS); a 1 000-tool manifest is ~2 MB.
 *
 * Read: block mappings and sequences (compact `- key: v` items, a sequence at its key's
 * indentation), plain scalars on one or more lines, single- and double-quoted scalars (over lines
 * too in block context, folded as yaml folds them),
 * literal and folded block scalars (`|`, `>`, with `-`/`+`), flow sequences and mappings of those
 * (`[a, "b"]`, `{ type: string }`, over lines too), comments, blank lines. Unsure about, among
 * others: tabs, a CR not before LF, a BOM or other control characters anywhere; directives and document markers;
 * anchors, aliases, tags, `?` and `:` keys; keys that are not strings (`1:`, `null:`) or `<<`;
 * duplicate keys; `: ` or ` #` where they would mean something else; quoted scalars over lines in flow;
 * block scalars with an indentation indicator, more-indented folded lines or no content;
 * trailing commas and empty values in flow; `.inf`/`.nan` (JSON cannot hold them).
 * Plain scalars resolve as the core schema does (yaml/dist/schema/core: null, bool, int incl.
 * 0o/0x, float), with the same JS functions yaml uses (parseInt/parseFloat: `-0` is -0).
 * test/manifest/yaml-subset.test.ts checks it against yaml on manifests, the JSON Schema Test
 * Suite dumped in many styles, and random and mutated YAML.
 */

import { setOwn } from '../json.ts'; // as yaml adds a pair (nodes/addPairToJSMap.js): `__proto__` stays an own property

/** Thrown (one shared object, no stack) to give up; the entry point turns it into `undefined`. */
const UNSURE = Object.freeze({ unsure: true });

function unsure(): never {
  throw UNSURE;
}

/**
 * Anything but line feed, printable ASCII and the printable non-ASCII ranges (with surrogates
 * only in pairs): tab, CR, C0/C1 controls, DEL, BOM, U+2028/9, U+FFFE/F.
 */
const OUTSIDE_SUBSET = /[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\ud800-\udfff]|[\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Lines yaml reads as a directive or a document marker (and some that merely look like one). */
const MARKER_LINE = /^(%|---|\.\.\.)/m;

// The core schema's tests, in yaml's order (yaml/dist/schema/core/schema.js).
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** The first characters of every null, bool and number of the core schema. */
const MAYBE_NOT_STRING = '~nNtTfF+-.0123456789';

function resolvePlain(s: string): unknown {
  if (s.length > 0 && !MAYBE_NOT_STRING.includes(s[0]!)) return s;
  if (NULL.test(s)) return null;
  if (BOOL.test(s)) return s[0] === 't' || s[0] === 'T';
  if (INT_OCT.test(s)) return parseInt(s.substring(2), 8);
  if (INT.test(s)) return parseInt(s, 10);
  if (INT_HEX.test(s)) return parseInt(s.substring(2), 16);
  if (FLOAT_NAN.test(s)) return unsure(); // not a JSON value
  if (FLOAT_EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
  return s;
}

/** Characters that give a plain scalar's first character another meaning (or are reserved). */
const INDICATORS = '-?:,[]{}#&*!|>\'"%@`';

/** Whether a plain scalar may start at `s[at]` (`-` only when followed by a character that continues it). */
function plainStart(s: string, at: number, flow = false): boolean {
  const c = s[at];
  if (c === undefined || c === ' ' || c === '\n') return false;
  if (c === '-') {
    const next = s[at + 1];
    return next !== undefined && next !== ' ' && next !== '\n' && !(flow && ',[]{}'.includes(next));
  }
  return !INDICATORS.includes(c);
}

/** A plain text that could mean a mapping inside it (`: `, a final `:`): unsure. */
const hasMappingColon = (s: string) => s.includes(': ') || s.endsWith(':');

/** yaml errors on an implicit key longer than 1024 characters; stay well below. */
const MAX_KEY = 1000;

const DQ_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};

/** A quoted scalar that starts at `s[at]` and ends on the same line: [value, index after the closing quote]. */
function quoted(s: string, at: number): [string, number] {
  const end = s.indexOf('\n', at);
  const lineEnd = end === -1 ? s.length : end;
  let out = '';
  let p = at + 1;
  if (s[at] === "'") {
    for (;;) {
      const q = s.indexOf("'", p);
      if (q === -1 || q >= lineEnd) return unsure();
      out += s.slice(p, q);
      if (s[q + 1] !== "'") return [out, q + 1];
      out += "'";
      p = q + 2;
    }
  }
  for (;;) {
    let q = p;
    while (q < lineEnd && s[q] !== '"' && s[q] !== '\\') q++;
    if (q >= lineEnd) return unsure();
    out += s.slice(p, q);
    if (s[q] === '"') return [out, q + 1];
    const e = s[q + 1];
    if (e === undefined || q + 1 >= lineEnd) return unsure(); // an escaped line break
    const simple = DQ_ESCAPES[e];
    if (simple !== undefined && Object.hasOwn(DQ_ESCAPES, e)) {
      out += simple;
      p = q + 2;
      continue;
    }
    const length = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    const hex = s.slice(q + 2, q + 2 + length);
    if (length === 0 || hex.length !== length || q + 2 + length > lineEnd || !/^[0-9a-fA-F]+$/.test(hex)) return unsure();
    const code = parseInt(hex, 16);
    if (code > 0x10ffff) return unsure();
    out += String.fromCodePoint(code);
    p = q + 2 + length;
  }
}

/** yaml's doubleQuotedValue for a text over lines (no tabs or CR here): escapes as in `quoted`. */
function unfoldDoubleQuoted(src: string): string {
  let res = '';
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '\n') {
      let fold = '';
      while (src[i + 1] === ' ' || src[i + 1] === '\n') if (src[++i] === '\n') fold += '\n';
      res += fold || ' ';
    } else if (ch === '\\') {
      const e = src[++i];
      if (e === '\n') {
        while (src[i + 1] === ' ') i++;
        continue;
      }
      if (e !== undefined && Object.hasOwn(DQ_ESCAPES, e)) {
        res += DQ_ESCAPES[e];
        continue;
      }
      const length = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      const hex = src.slice(i + 1, i + 1 + length);
      if (length === 0 || hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) return unsure();
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) return unsure();
      res += String.fromCodePoint(code);
      i += length;
    } else if (ch === ' ') {
      const from = i;
      while (src[i + 1] === ' ') i++;
      if (src[i + 1] !== '\n') res += src.slice(from, i + 1); // spaces before a line break are dropped
    } else res += ch;
  }
  return res;
}

/** yaml's unfoldLines for a single-quoted text over lines, then `''` → `'`. */
function unfoldSingleQuoted(src: string): string {
  const lines = src.split('\n');
  let res = trimSpaces(lines[0]!);
  let sep = ' ';
  for (let k = 1; k < lines.length - 1; k++) {
    const text = trimSpaces(lines[k]!.slice(indentOf(lines[k]!)));
    if (text === '') {
      if (sep === '\n') res += sep;
      else sep = '\n';
    } else {
      res += sep + text;
      sep = ' ';
    }
  }
  const last = lines[lines.length - 1]!;
  return (res + sep + last.slice(indentOf(last))).replace(/''/g, "'");
}

class SubsetParser {
  private readonly lines: string[];
  private readonly starts: number[];
  /** Each line's indentation; a blank line's is its length, a comment line's is -1 - indentation. */
  private readonly indents: Int32Array;
  private readonly n: number;

  constructor(private readonly text: string) {
    this.lines = text.split('\n');
    this.n = this.lines.length;
    this.starts = new Array<number>(this.n);
    this.indents = new Int32Array(this.n);
    for (let i = 0, at = 0; i < this.n; i++) {
      const line = this.lines[i]!;
      this.starts[i] = at;
      at += line.length + 1;
      const k = indentOf(line);
      this.indents[i] = line.charCodeAt(k) === 35 ? -1 - k : k; // '#'
    }
  }

  document(): unknown {
    const i = this.nextContent(0);
    if (i === this.n) return unsure(); // empty: null, which no caller wants from here
    const line = this.lines[i]!;
    const col = indentOf(line);
    // Only a collection at the root (a scalar document has continuation rules of its own).
    const flow = line[col] === '[' || line[col] === '{';
    if (!flow && !this.isDash(line, col) && !this.key(line, col)) return unsure();
    const [value, next] = flow ? this.flow(i, col, -1) : this.blockNode(i, col, -1);
    if (this.nextContent(next) !== this.n) return unsure();
    return value;
  }

  /** The first line at or after `i` that is neither blank nor a comment (or `n`). */
  private nextContent(i: number): number {
    while (i < this.n) {
      const k = this.indents[i]!;
      if (k >= 0 && k < this.lines[i]!.length) return i;
      i++;
    }
    return i;
  }

  /** Indentation of a content line (as nextContent returns them). */
  private indentAt(i: number): number {
    return this.indents[i]!;
  }

  private isDash(line: string, col: number): boolean {
    return line[col] === '-' && (line[col + 1] === undefined || line[col + 1] === ' ');
  }

  /** A node whose first character is at line `i`, column `col` (> `parent`, the enclosing collection's indentation). */
  private blockNode(i: number, col: number, parent: number): [unknown, number] {
    const line = this.lines[i]!;
    if (this.isDash(line, col)) return this.blockSeq(i, col);
    const key = this.key(line, col);
    if (key) return this.blockMap(i, col, key);
    return this.inlineValue(i, col, parent);
  }

  /** The value of a `key:` or `-` with nothing after it on its line. */
  private valueBelow(i: number, c: number, sameIndentSeq: boolean): [unknown, number] {
    const j = this.nextContent(i);
    if (j < this.n) {
      const k = this.indentAt(j);
      if (k > c) return this.blockNode(j, k, c);
      if (k === c && sameIndentSeq && this.isDash(this.lines[j]!, c)) return this.blockSeq(j, c);
    }
    return [null, j];
  }

  private blockSeq(i: number, c: number): [unknown[], number] {
    const out: unknown[] = [];
    for (;;) {
      const line = this.lines[i]!;
      let d = c + 1;
      while (line[d] === ' ') d++;
      const [value, next] = d >= line.length || line[d] === '#' ? this.valueBelow(i + 1, c, false) : this.blockNode(i, d, c);
      out.push(value);
      const j = this.nextContent(next);
      if (j < this.n && this.indentAt(j) === c && this.isDash(this.lines[j]!, c)) {
        i = j;
        continue;
      }
      if (j < this.n && this.indentAt(j) > c) return unsure();
      return [out, j];
    }
  }

  private blockMap(i: number, c: number, firstKey: [string, number]): [Record<string, unknown>, number] {
    const out: Record<string, unknown> = {};
    for (let key = firstKey; ; ) {
      const line = this.lines[i]!;
      if (Object.hasOwn(out, key[0])) return unsure(); // yaml: duplicate key error (uniqueKeys)
      let d = key[1];
      while (line[d] === ' ') d++;
      const [value, next] = d >= line.length || line[d] === '#' ? this.valueBelow(i + 1, c, true) : this.inlineValue(i, d, c);
      setOwn(out, key[0], value);
      const j = this.nextContent(next);
      if (j >= this.n) return [out, j];
      const k = this.indentAt(j);
      if (k < c) return [out, j];
      if (k > c) return unsure();
      i = j;
      key = this.key(this.lines[i]!, c) ?? unsure();
    }
  }

  /** An implicit key at `line[col]`: [key, index after its `:`], when it is a string key on one line followed by `: ` or `:` at the end. */
  private key(line: string, col: number): [string, number] | undefined {
    const c = line[col];
    if (c === '"' || c === "'") {
      let value: string;
      let end: number;
      try {
        [value, end] = quoted(line, col);
      } catch {
        return undefined;
      }
      if (end - col > MAX_KEY) return undefined;
      while (line[end] === ' ') end++;
      if (line[end] !== ':' || (line[end + 1] !== undefined && line[end + 1] !== ' ')) return undefined;
      return [value, end + 1];
    }
    if (!plainStart(line, col)) return undefined;
    let p = col;
    for (;;) {
      p = line.indexOf(':', p);
      if (p === -1) return undefined;
      if (p + 1 === line.length || line[p + 1] === ' ') break;
      p++;
    }
    if (p - col > MAX_KEY) return undefined;
    const raw = trimSpaces(line.slice(col, p));
    // A comment before the colon, or flow indicators in a key: not a key this reader is sure of.
    if (raw.includes(' #') || /[[\]{},]/.test(raw) || raw === '<<') return undefined;
    const key = resolvePlain(raw);
    return typeof key === 'string' ? [key, p + 1] : undefined;
  }

  /** A scalar, flow collection or block scalar starting at line `i`, column `d`, inside a collection indented `parent`. */
  private inlineValue(i: number, d: number, parent: number): [unknown, number] {
    const line = this.lines[i]!;
    const c = line[d]!;
    if (c === '"' || c === "'") return this.quotedLines(i, d, parent);
    if (c === '[' || c === '{') return this.flow(i, d, parent);
    if (c === '|' || c === '>') return this.blockScalar(i, d, parent);
    if (!plainStart(line, d)) return unsure();
    return this.plain(i, d, parent);
  }

  /**
   * A quoted scalar in block context, on one line or over several (each indented past `parent`),
   * folded as yaml folds them (compose/resolve-flow-scalar.js: a line break is a space, an empty
   * line a line feed, spaces around a break dropped, `\` before a break joins the lines).
   */
  private quotedLines(i: number, d: number, parent: number): [string, number] {
    const t = this.text;
    const q = t[d + this.starts[i]!]!;
    let p = this.starts[i]! + d + 1;
    let line = i;
    for (;;) {
      const ch = t[p];
      if (ch === undefined) return unsure();
      if (ch === q) {
        if (q === "'" && t[p + 1] === "'") p += 2;
        else break;
      } else if (ch === '\\' && q === '"') p += 2;
      else p++;
      // Any line the scalar reaches (the character just passed may have been its line feed).
      while (line + 1 < this.n && this.starts[line + 1]! <= p) {
        line++;
        const k = this.indents[line]!;
        const l = this.lines[line]!;
        if (k !== l.length && (k < 0 ? -1 - k : k) <= parent) return unsure();
      }
    }
    const source = t.slice(this.starts[i]! + d + 1, p);
    const value = line === i ? quoted(t, this.starts[i]! + d)[0] : q === '"' ? unfoldDoubleQuoted(source) : unfoldSingleQuoted(source);
    this.restOfLine(this.lines[line]!, p + 1 - this.starts[line]!);
    return [value, line + 1];
  }

  /** After a value: only spaces, then maybe a comment (after a space). */
  private restOfLine(line: string, at: number): void {
    let p = at;
    while (line[p] === ' ') p++;
    if (p < line.length && (line[p] !== '#' || p === at)) unsure();
  }

  private plain(i: number, d: number, parent: number): [unknown, number] {
    const first = this.lines[i]!;
    const hash = first.indexOf(' #', d);
    let value = trimSpaces(hash === -1 ? first.slice(d) : first.slice(d, hash));
    if (hasMappingColon(value)) return unsure();
    let next = i + 1;
    if (hash !== -1) return [resolvePlain(value), next];
    // Continuation lines: more indented than the collection, not comments; joined by a space, an empty line is a line feed.
    let multiline = false;
    let empties = 0;
    for (let j = i + 1; j < this.n; j++) {
      const line = this.lines[j]!;
      const k = indentOf(line);
      if (k === line.length) {
        empties++;
        continue;
      }
      if (k <= parent || line[k] === '#') break;
      const h = line.indexOf(' #', k);
      const text = trimSpaces(h === -1 ? line.slice(k) : line.slice(k, h));
      if (!plainStart(line, k) || hasMappingColon(text)) return unsure();
      value += empties > 0 ? '\n'.repeat(empties) : ' ';
      value += text;
      empties = 0;
      multiline = true;
      next = j + 1;
      if (h !== -1) break;
    }
    return [multiline ? value : resolvePlain(value), next];
  }

  /** `|` or `>` with optional chomping (no indentation indicator), its content on the lines below. */
  private blockScalar(i: number, d: number, parent: number): [string, number] {
    const header = /^([|>])([-+]?)( +#.*| *)$/.exec(this.lines[i]!.slice(d)) ?? unsure();
    const folded = header[1] === '>';
    const chomp = header[2];
    // Leading empty lines, then the first content line fixes the indentation.
    let j = i + 1;
    let leadingMax = 0;
    while (j < this.n && this.indents[j] === this.lines[j]!.length) leadingMax = Math.max(leadingMax, this.lines[j++]!.length);
    if (j >= this.n) return unsure();
    const indent = indentOf(this.lines[j]!); // a line starting with `#` here is content
    if (indent <= parent || leadingMax > indent) return unsure();
    const body: string[] = new Array<string>(j - i - 1).fill('');
    let trailing = 0; // empty lines after the last content line
    let last = j; // the last content line
    for (; j < this.n; j++) {
      const line = this.lines[j]!;
      const k = indentOf(line);
      if (k === line.length) {
        if (line.length > indent) return unsure(); // spaces beyond the indentation are content
        trailing++;
        continue;
      }
      if (k < indent) break;
      for (; trailing > 0; trailing--) body.push('');
      const text = line.slice(indent);
      if (folded && text[0] === ' ') return unsure(); // more-indented lines keep their breaks: not handled
      body.push(text);
      last = j;
    }
    // A last content line without a line feed after it, or spaces on the last line of the file.
    if (last === this.n - 1 || (j === this.n && this.lines[this.n - 1]!.length > 0)) return unsure();
    // The last line of the file is the empty rest after the final line feed, not an empty line.
    if (j === this.n) trailing--;
    let value: string;
    if (!folded) value = body.join('\n');
    else {
      value = '';
      let empties = 0;
      let started = false;
      for (const line of body) {
        if (line === '') {
          empties++;
          continue;
        }
        value += started ? (empties > 0 ? '\n'.repeat(empties) : ' ') : '\n'.repeat(empties);
        value += line;
        empties = 0;
        started = true;
      }
    }
    if (chomp === '') value += '\n';
    else if (chomp === '+') value += '\n'.repeat(1 + trailing);
    return [value, j];
  }

  // Flow collections, read over the text by offset; `line` follows the offset's line.
  private pos = 0;
  private line = 0;
  private flowParent = -1;

  private flow(i: number, d: number, parent: number): [unknown, number] {
    this.pos = this.starts[i]! + d;
    this.line = i;
    this.flowParent = parent;
    const value = this.flowNode();
    this.restOfLine(this.lines[this.line]!, this.pos - this.starts[this.line]!);
    return [value, this.line + 1];
  }

  /** Spaces, comments and line breaks; each line a flow collection goes on to, comment lines included, must be indented past its block parent. */
  private flowSpace(): void {
    const t = this.text;
    for (;;) {
      const c = t[this.pos];
      if (c === ' ') this.pos++;
      else if (c === '\n') {
        this.pos++;
        this.line++;
        const line = this.lines[this.line]!;
        const k = indentOf(line);
        if (k < line.length && k <= this.flowParent) unsure(); // comment lines too (yaml: MISSING_CHAR)
      } else if (c === '#') {
        if (t[this.pos - 1] !== ' ' && t[this.pos - 1] !== '\n') unsure();
        const end = t.indexOf('\n', this.pos);
        this.pos = end === -1 ? t.length : end;
      } else return;
    }
  }

  private flowNode(): unknown {
    const t = this.text;
    const c = t[this.pos];
    if (c === '[') {
      this.pos++;
      const out: unknown[] = [];
      this.flowSpace();
      if (t[this.pos] === ']') {
        this.pos++;
        return out;
      }
      for (;;) {
        out.push(this.flowNode());
        this.flowSpace();
        const e = t[this.pos++];
        if (e === ']') return out;
        if (e !== ',') return unsure(); // `:` (a pair in a sequence) or anything else
        this.flowSpace();
        if (t[this.pos] === ']') return unsure(); // a trailing comma
      }
    }
    if (c === '{') {
      this.pos++;
      const out: Record<string, unknown> = {};
      this.flowSpace();
      if (t[this.pos] === '}') {
        this.pos++;
        return out;
      }
      for (;;) {
        const start = this.pos;
        const key = this.flowScalar();
        if (typeof key !== 'string' || this.pos - start > MAX_KEY || Object.hasOwn(out, key)) return unsure();
        while (t[this.pos] === ' ') this.pos++;
        if (t[this.pos] === ',' || t[this.pos] === '}') setOwn(out, key, null); // `{ a, b: 1 }`: a key alone has the value null
        else {
          if (t[this.pos] !== ':' || t[this.pos + 1] !== ' ') return unsure();
          this.pos += 2;
          while (t[this.pos] === ' ') this.pos++;
          const v = t[this.pos];
          if (v === undefined || v === '\n' || v === ',' || v === '}' || v === '#') return unsure(); // an empty value
          setOwn(out, key, this.flowNode());
          this.flowSpace();
        }
        const e = t[this.pos++];
        if (e === '}') return out;
        if (e !== ',') return unsure();
        this.flowSpace();
        if (t[this.pos] === '}') return unsure();
      }
    }
    return this.flowScalar();
  }

  /** A quoted scalar, or a plain one on one line without `: ` or flow indicators. */
  private flowScalar(): unknown {
    const t = this.text;
    const c = t[this.pos];
    if (c === '"' || c === "'") {
      const [value, end] = quoted(t, this.pos);
      this.pos = end;
      return value;
    }
    if (!plainStart(t, this.pos, true)) return unsure();
    let p = this.pos;
    for (;;) {
      const ch = t[p];
      if (ch === undefined || ch === '\n' || ch === ',' || ch === ']' || ch === '}' || (ch === '#' && t[p - 1] === ' ')) break;
      if (ch === ':') {
        // `key: value` ends the key here; a colon before a character that continues the scalar is
        // part of it (`orders:read`); before anything else: unsure.
        const next = t[p + 1];
        if (next === ' ') break;
        if (next === undefined || next === '\n' || ',[]{}'.includes(next)) return unsure();
      } else if (ch === '[' || ch === '{') return unsure();
      p++;
    }
    const raw = trimSpaces(t.slice(this.pos, p));
    this.pos += raw.length;
    return resolvePlain(raw);
  }
}

/** Without its trailing spaces (only U+0020: yaml keeps a no-break space, which String#trimEnd would drop). */
function trimSpaces(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 32) end--;
  return end === s.length ? s : s.slice(0, end);
}

function indentOf(line: string): number {
  let k = 0;
  while (line.charCodeAt(k) === 32) k++;
  return k;
}

/**
 * The value yaml's `parseDocument(text, { uniqueKeys: true }).toJS()` gives, when `text` is in the
 * subset and yaml would report no error or warning; otherwise `undefined` (parse with yaml).
 * The root must be a mapping or a sequence. Never throws.
 */
export function parseYamlSubset(text: string): unknown {
  try {
    if (typeof text !== 'string') return undefined;
    // yaml reads CRLF as LF everywhere the subset goes (a lone CR stays outside it).
    const lf = text.includes('\r') && !/\r(?!\n)/.test(text) ? text.replace(/\r\n/g, '\n') : text;
    if (OUTSIDE_SUBSET.test(lf) || MARKER_LINE.test(lf)) return undefined;
    return new SubsetParser(lf).document();
  } catch {
    return undefined;
  }
}
