/**
 * prettier's layout of `JSON.stringify(value, null, 2)` text (parser `json`, printWidth 100),
 * without prettier: objects stay expanded (prettier keeps an object broken when its source has a
 * newline after `{`), an array goes on one line when it fits and holds no expanded object, else
 * one element per line. Only the shapes this is certain about are handled; anything else returns
 * undefined and the caller asks prettier (non-ASCII text, whose width prettier measures by
 * display columns; numbers in exponent form, which prettier rewrites; number arrays that do not
 * fit, which prettier fills). The fixture files it serves are megabytes of such JSON.
 * test/unit/json-layout.test.ts checks it against prettier itself on random and real documents.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

class Unsure extends Error {}

const isObject = (v: Json): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

function scalar(v: null | boolean | number | string): string {
  const text = JSON.stringify(v);
  if (typeof v === 'number' && /e/i.test(text)) throw new Unsure();
  if (typeof v === 'string' && /[^\x20-\x7e]/.test(text)) throw new Unsure();
  return text;
}

/** The one-line form, or undefined when the value must break (a non-empty object inside). */
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

/** prettier breaks an array of two or more arrays (or objects) that each hold more than one item. */
function mustBreakArray(v: Json[]): boolean {
  if (v.length < 2) return false;
  const sized = (e: Json) => (Array.isArray(e) ? e.length > 1 : isObject(e) ? Object.keys(e).length > 1 : false);
  return v.every((e, i) => sized(e) && (i === v.length - 1 || Array.isArray(e) === Array.isArray(v[i + 1])));
}

function print(v: Json, indent: number, column: number, trailing: number, out: string[]): void {
  if (Array.isArray(v)) {
    const one = flat(v);
    if (one !== undefined && column + one.length + trailing <= PRINT_WIDTH) {
      out.push(one);
      return;
    }
    if (v.every((e) => typeof e === 'number')) throw new Unsure(); // prettier fills these
    const pad = ' '.repeat(indent + 2);
    out.push('[\n');
    v.forEach((e, i) => {
      out.push(pad);
      print(e, indent + 2, indent + 2, i < v.length - 1 ? 1 : 0, out);
      out.push(i < v.length - 1 ? ',\n' : '\n');
    });
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
    keys.forEach((k, i) => {
      const key = `${scalar(k)}: `;
      out.push(pad, key);
      print(v[k]!, indent + 2, indent + 2 + key.length, i < keys.length - 1 ? 1 : 0, out);
      out.push(i < keys.length - 1 ? ',\n' : '\n');
    });
    out.push(`${' '.repeat(indent)}}`);
    return;
  }
  out.push(scalar(v));
}

const PRINT_WIDTH = 100;

/**
 * prettier's output for `text` when the text is exactly `JSON.stringify(value, null, 2)` of some
 * value and the value has only shapes handled here; undefined otherwise (format it with prettier).
 */
export function layoutJsonLikePrettier(text: string, printWidth: number): string | undefined {
  if (printWidth !== PRINT_WIDTH) return undefined;
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
  // Other spellings of the same value (compact objects, other spacing, escapes) lay out differently.
  if (JSON.stringify(value, null, 2) !== text) return undefined;
  const out: string[] = [];
  try {
    print(value, 0, 0, 0, out);
  } catch (e) {
    if (e instanceof Unsure) return undefined;
    throw e;
  }
  return `${out.join('')}\n`;
}
