import { HeaderValueError } from './errors.ts';

/**
 * Value encoding for `Mcp-Name` and `Mcp-Param-*` headers (basic/transports/streamable-http.mdx
 * "Value Encoding"): printable ASCII goes as-is; anything with non-ASCII, control characters
 * (tab included), leading/trailing whitespace, or that looks like the sentinel itself is sent as
 * `=?base64?<base64 of UTF-8>?=`. The markers are lowercase and case-sensitive.
 */
const SENTINEL_PREFIX = '=?base64?';
const SENTINEL_SUFFIX = '?=';
const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;

function needsBase64(value: string): boolean {
  if (!PRINTABLE_ASCII.test(value)) return true;
  if (value !== value.trim()) return true;
  return value.startsWith(SENTINEL_PREFIX) && value.endsWith(SENTINEL_SUFFIX);
}

export function encodeHeaderText(value: string): string {
  return needsBase64(value) ? `${SENTINEL_PREFIX}${Buffer.from(value, 'utf8').toString('base64')}${SENTINEL_SUFFIX}` : value;
}

/**
 * String form of a mirrored parameter: strings as-is, integers in decimal, booleans as
 * `true`/`false`. Returns undefined for absent or null values (the header is omitted). Integers
 * must be within ±(2^53−1) ("Schema Extension").
 */
export function encodeParamValue(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return encodeHeaderText(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new HeaderValueError(`${where}: ${value} is not an integer within ±(2^53−1)`);
    return String(value);
  }
  throw new HeaderValueError(`${where}: only string, integer and boolean values can be mirrored into headers`);
}
