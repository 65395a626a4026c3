/** Prints JSON data as a JS/TS literal (keys quoted only when needed; `__proto__` computed so it stays an own key). */
export function printValue(value: unknown): string {
  if (value === null || typeof value !== 'object') return printPrimitive(value);
  if (Array.isArray(value)) return `[${value.map(printValue).join(', ')}]`;
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  return `{ ${entries.map(([k, v]) => `${printKey(k)}: ${printValue(v)}`).join(', ')} }`;
}

function printPrimitive(value: unknown): string {
  if (typeof value === 'string') return printString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Non-finite number ${value} in schema`);
    return Object.is(value, -0) ? '0' : String(value);
  }
  if (typeof value === 'boolean' || value === null) return String(value);
  throw new Error(`Not JSON data: ${String(value)}`);
}

export function printString(value: string): string {
  // JSON.stringify leaves U+2028/2029 raw, which older parsers reject inside string literals.
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function printKey(key: string): string {
  if (key === '__proto__') return `["__proto__"]`;
  return IDENTIFIER.test(key) ? key : printString(key);
}

export function isValidRegex(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

/** A regex literal when the source can be written as one verbatim, else a RegExp constructor call. */
export function printRegex(pattern: string): string {
  const literalSafe = pattern !== '' && !/[\n\r\u2028\u2029]/.test(pattern) && !hasUnescapedSlash(pattern) && !pattern.startsWith('*');
  return literalSafe ? `/${pattern}/u` : `new RegExp(${printString(pattern)}, 'u')`;
}

function hasUnescapedSlash(pattern: string): boolean {
  let escaped = false;
  for (const ch of pattern) {
    if (escaped) escaped = false;
    else if (ch === '\\') escaped = true;
    else if (ch === '/') return true;
  }
  return escaped;
}
