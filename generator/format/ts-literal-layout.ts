/**
 * prettier's layout (parser babel-ts, the pinned config) of the data literals mcp-gen emits as
 * `export const NAME = <JSON.stringify(value, null, 2)>( as const)?;` — the tool, prompt and
 * resource wire definitions and the mock server's canned data, most of the text of those files —
 * without running prettier over them. The rest of such a file still goes through prettier with a
 * short placeholder in each literal's place; the literal, laid out here, is put back afterwards.
 *
 * Only shapes this is certain about are handled; anything else (non-ASCII text whose display width
 * matters, numbers in exponent form, number arrays prettier fills, a placeholder line prettier might
 * wrap) leaves the literal in the text prettier formats. test/unit/ts-literal-layout.test.ts checks
 * the result against prettier on the whole file, for random and real literals.
 */

import { PRINT_WIDTH } from './print-width.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

class Unsure extends Error {}

/** prettier keeps `key: 'long string'` on one line when the key is narrower than tabWidth + 3. */
const SHORT_KEY = 2 + 3;

const isObject = (v: Json): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);
const isAscii = (s: string) => /^[\x20-\x7e]*$/.test(s);

/** The quote prettier prints a string with (singleQuote config): single, unless the text holds more single than double quotes. */
export function preferredQuote(content: string): "'" | '"' {
  let singles = 0;
  let doubles = 0;
  for (const ch of content) {
    if (ch === "'") singles++;
    else if (ch === '"') doubles++;
  }
  return singles > doubles ? '"' : "'";
}

/**
 * A string literal as prettier prints it from JSON source text: single quotes unless the text holds
 * more single than double quotes; only the quote escapes change (prettier's makeString).
 */
export function stringLiteral(value: string): string {
  const raw = JSON.stringify(value);
  const content = raw.slice(1, -1);
  if (preferredQuote(content) === '"') return raw; // double quotes: the JSON spelling as it is
  return `'${content.replace(/\\(["'\\])|(["'])/g, (m, escaped: string | undefined, quote: string | undefined) => (escaped ? (escaped === '"' ? '"' : m) : quote === "'" ? "\\'" : quote!))}'`;
}

/** An object key as prettier prints it under quoteProps as-needed (an ES5 identifier name goes bare). */
function key(k: string): string {
  if (!isAscii(k)) throw new Unsure(); // prettier's identifier test is Unicode-aware; stay out of it
  // `__proto__: …` in an object literal sets the prototype; emitters print it computed (tsLiteral), which this does not.
  if (k === '__proto__') throw new Unsure();
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k)) return k;
  return stringLiteral(k);
}

function scalar(v: null | boolean | number | string): string {
  if (typeof v === 'string') return stringLiteral(v);
  const text = JSON.stringify(v);
  if (typeof v === 'number' && /e/i.test(text)) throw new Unsure(); // prettier rewrites exponents
  return text;
}

/** Display width, when certain: printable ASCII is one column a character. */
function width(text: string): number {
  if (!isAscii(text)) throw new Unsure();
  return text.length;
}

/**
 * Whether `text` fits before the print width from `column`. Non-ASCII text only when it fits even at
 * two columns a UTF-16 unit (prettier counts wide characters as two, combining marks as none).
 */
function fitsOnLine(text: string, column: number): boolean {
  if (isAscii(text)) return column + text.length <= PRINT_WIDTH;
  if (column + 2 * text.length <= PRINT_WIDTH) return true;
  throw new Unsure();
}

/** prettier breaks an array of two or more arrays (or objects) that each hold more than one item. */
function mustBreakArray(v: Json[]): boolean {
  if (v.length < 2) return false;
  const sized = (e: Json) => (Array.isArray(e) ? e.length > 1 : isObject(e) ? Object.keys(e).length > 1 : false);
  return v.every((e, i) => sized(e) && (i === v.length - 1 || Array.isArray(e) === Array.isArray(v[i + 1])));
}

/** The one-line form, or undefined when the value must break (a non-empty object inside: objects stay expanded). */
function flat(v: Json): string | undefined {
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (mustBreakArray(v)) return undefined;
    const parts: string[] = [];
    for (const e of v) {
      const p = flat(e);
      if (p === undefined) return undefined;
      parts.push(p);
    }
    return `[${parts.join(', ')}]`;
  }
  if (isObject(v)) return Object.keys(v).length === 0 ? '{}' : undefined;
  return scalar(v);
}

const scalarOrEmpty = (v: Json): string => (v === null ? 'null' : Array.isArray(v) ? '[]' : '{}');

/** Prints `v` starting at `column` (its block at `indent`); every value here is followed by a `,`. */
function print(v: Json, indent: number, column: number, out: string[]): void {
  if (Array.isArray(v)) {
    const one = flat(v);
    if (one !== undefined && column + width(one) + 1 <= PRINT_WIDTH) {
      out.push(one);
      return;
    }
    if (v.length > 1 && v.every((e) => typeof e === 'number')) throw new Unsure(); // prettier fills these
    const pad = ' '.repeat(indent + 2);
    out.push('[\n');
    for (const e of v) {
      out.push(pad);
      print(e, indent + 2, indent + 2, out);
      out.push(',\n');
    }
    out.push(`${' '.repeat(indent)}]`);
    return;
  }
  if (isObject(v)) {
    const keys = Object.keys(v);
    if (keys.length === 0) {
      out.push('{}');
      return;
    }
    const pad = ' '.repeat(indent + 2);
    out.push('{\n');
    for (const k of keys) {
      const name = key(k);
      const value = v[k]!;
      out.push(pad, name, ':');
      const valueColumn = indent + 2 + name.length + 2;
      if (typeof value === 'string') {
        const text = scalar(value);
        // A string that does not fit goes on its own line under a key of some width (prettier's
        // break-after-operator assignment layout); under a short key it stays.
        if (name.length >= SHORT_KEY && !fitsOnLine(text, valueColumn + 1)) out.push(`\n${pad}  `, text);
        else out.push(' ', text);
      } else {
        // Under a key of some width, prettier moves the value to the next line when what must follow
        // the key on its line does not fit (its fluid assignment layout): left to prettier.
        if (name.length >= SHORT_KEY && typeof value !== 'number' && typeof value !== 'boolean') {
          const empty = value === null || (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0);
          const mustFit = empty ? `${scalarOrEmpty(value)},` : '{';
          if (valueColumn + mustFit.length > PRINT_WIDTH) throw new Unsure();
        }
        out.push(' ');
        print(value, indent + 2, valueColumn, out);
      }
      out.push(',\n');
    }
    out.push(`${' '.repeat(indent)}}`);
    return;
  }
  out.push(scalar(v));
}

/** prettier's text for a non-empty JSON object literal at column 0, or undefined when not certain. */
export function layoutTsObjectLiteral(value: Json): string | undefined {
  if (!isObject(value) || Object.keys(value).length === 0) return undefined;
  const out: string[] = [];
  try {
    print(value, 0, 0, out);
  } catch (e) {
    if (e instanceof Unsure) return undefined;
    throw e;
  }
  return out.join('');
}

/**
 * prettier's text for a JSON value starting at `column` of a line indented `indent` and followed by
 * a comma (an object member's value), or undefined when not certain. A `__proto__` key is declined:
 * emitters print it computed, which this does not.
 */
export function layoutTsValue(value: Json, indent: number, column: number): string | undefined {
  if (JSON.stringify(value).includes('"__proto__":')) return undefined;
  const out: string[] = [];
  try {
    print(value, indent, column, out);
  } catch (e) {
    if (e instanceof Unsure) return undefined;
    throw e;
  }
  return out.join('');
}

const LITERAL_STATEMENT = /^(export const [A-Za-z_$][A-Za-z0-9_$]* = )(\{\n[\s\S]*?\n\})((?: as const)?;)$/gm;
const PLACEHOLDER = (i: number) => `__mcpgenLiteral${i}__`;
/** A placeholder statement this short is never wrapped by prettier, as the object it stands for is not. */
const SAFE_LINE = 80;

/**
 * Formats TypeScript `text` with `format` (prettier), laying out its top-level JSON object literal
 * statements here instead: the same output as `format(text)`, with less text for prettier.
 */
export async function formatWithLiteralSlots(text: string, format: (text: string) => Promise<string>): Promise<string> {
  const literals: string[] = [];
  let slotted = text;
  if (!text.includes('__mcpgenLiteral')) {
    slotted = text.replace(LITERAL_STATEMENT, (whole, head: string, body: string, tail: string) => {
      if (head.length + PLACEHOLDER(literals.length).length + tail.length > SAFE_LINE) return whole;
      let value: Json;
      try {
        value = JSON.parse(body) as Json;
      } catch {
        return whole;
      }
      // Another spelling of the same value (compact, escapes, a `["__proto__"]` key) lays out differently.
      if (JSON.stringify(value, null, 2) !== body) return whole;
      const laidOut = layoutTsObjectLiteral(value);
      if (laidOut === undefined) return whole;
      literals.push(laidOut);
      return `${head}${PLACEHOLDER(literals.length - 1)}${tail}`;
    });
  }
  if (literals.length === 0) return format(text);
  const formatted = await format(slotted);
  let restored = formatted;
  for (let i = 0; i < literals.length; i++) {
    // Each placeholder must come back exactly once, where the statement began; else trust prettier alone.
    const at = restored.split(PLACEHOLDER(i));
    if (at.length !== 2 || !/(^|\n)export const [A-Za-z_$][A-Za-z0-9_$]* = $/.test(at[0]!)) return format(text);
    restored = `${at[0]}${literals[i]}${at[1]}`;
  }
  return restored;
}
