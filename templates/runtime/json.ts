import { createHash } from 'node:crypto';
import type { JsonObject, JsonValue } from './wire.ts';

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON with object keys sorted, so equal values hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function sha256Base64Url(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** Drops `undefined` members so results serialise exactly as built. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as T;
}

export function toJsonValue(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as JsonValue;
}

/**
 * Request ids are echoed exactly as written (basic/index.mdx "Requests": the response carries the
 * same id). JSON.parse rounds integers past 2^53 (9007199254740993 → …992), so for such an id the
 * transports recover its digits from the body text and splice them into the serialised response.
 * Returns undefined for every id JSON numbers represent exactly (the fast path).
 */
export function exactIdText(body: string, message: unknown): string | undefined {
  if (!isPlainObject(message) || typeof message.id !== 'number' || Number.isSafeInteger(message.id)) return undefined;
  const raw = topLevelMember(body, 'id');
  return raw !== undefined && /^-?\d+$/.test(raw) ? raw : undefined;
}

/** Serialises a message, writing a numeric id as the exact digits the client sent. */
export function stringifyMessage(message: object, exactId?: string): string {
  const text = JSON.stringify(message);
  if (exactId === undefined || !('id' in message) || typeof message.id !== 'number') return text;
  // Responses are built `{jsonrpc, id, …}`, so the id is the second member.
  const prefix = `{"jsonrpc":"2.0","id":${JSON.stringify(message.id)}`;
  return text.startsWith(prefix) ? `{"jsonrpc":"2.0","id":${exactId}${text.slice(prefix.length)}` : text;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i += 1;
  return i;
}

/** Index of the quote closing the string that opens at `i`; -1 if the text ends first. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j += 1) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) j += 1;
    else if (c === 0x22) return j;
  }
  return -1;
}

/** Index just after the JSON value starting at `i`; -1 if the text ends first. One pass, no recursion. */
function valueEnd(text: string, i: number): number {
  const first = text[i];
  if (first === '"') {
    const end = stringEnd(text, i);
    return end === -1 ? -1 : end + 1;
  }
  if (first === '{' || first === '[') {
    let depth = 0;
    for (let j = i; j < text.length; j += 1) {
      const c = text[j];
      if (c === '"') {
        j = stringEnd(text, j);
        if (j === -1) return -1;
      } else if (c === '{' || c === '[') depth += 1;
      else if (c === '}' || c === ']') {
        depth -= 1;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  while (j < text.length && !',}] \t\r\n'.includes(text[j]!)) j += 1;
  // A primitive running into the end of the text may have been cut off.
  return j === text.length ? -1 : j;
}

/**
 * The raw text of a top-level member's value in JSON object text (the last one, as JSON.parse
 * keeps), in linear time. Works on a prefix of the text too (an oversized stdio line): a member
 * cut off by the end is not reported.
 */
export function topLevelMember(text: string, name: string): string | undefined {
  let i = skipSpace(text, 0);
  if (text[i] !== '{') return undefined;
  let found: string | undefined;
  for (i += 1; ; ) {
    i = skipSpace(text, i);
    if (text[i] !== '"') return found;
    const keyEnd = stringEnd(text, i);
    if (keyEnd === -1) return found;
    const key = text.slice(i + 1, keyEnd);
    i = skipSpace(text, keyEnd + 1);
    if (text[i] !== ':') return found;
    i = skipSpace(text, i + 1);
    const end = valueEnd(text, i);
    if (end === -1) return found;
    if (key === name || (key.includes('\\') && safeParse(`"${key}"`) === name)) found = text.slice(i, end);
    i = skipSpace(text, end);
    if (text[i] !== ',') return found;
    i += 1;
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
