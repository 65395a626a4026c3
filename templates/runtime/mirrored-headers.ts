import { headerMismatch } from './errors.ts';
import { isPlainObject } from './json.ts';
import type { ResolvedHeaderParam } from './tools.ts';
import type { JsonObject } from './wire.ts';

/**
 * Validation of the body fields Streamable HTTP mirrors into headers
 * (basic/transports/streamable-http.mdx "Request Metadata", "Server Validation"). Every failure is
 * -32020 HeaderMismatch with HTTP 400. Header names are case-insensitive; values are
 * case-sensitive and compared after trimming optional whitespace.
 */
export interface HeaderLookup {
  /** Case-insensitive lookup; undefined when absent. */
  get(name: string): string | undefined;
}

const SENTINEL_PREFIX = '=?base64?';
const SENTINEL_SUFFIX = '?=';
/** Field values: visible ASCII, space and tab (RFC 9110 §5.5). */
const PLAIN_VALUE = /^[\x20-\x7E\t]*$/;
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes a header value that may use the Base64 sentinel (`=?base64?…?=`, "Value Encoding").
 * Values without both markers are literal. Returns undefined for invalid characters, bad base64
 * or bytes that are not UTF-8.
 */
export function decodeHeaderValue(raw: string): string | undefined {
  const value = raw.trim();
  if (!PLAIN_VALUE.test(value)) return undefined;
  if (!(value.startsWith(SENTINEL_PREFIX) && value.endsWith(SENTINEL_SUFFIX) && value.length >= SENTINEL_PREFIX.length + SENTINEL_SUFFIX.length))
    return value;
  const encoded = value.slice(SENTINEL_PREFIX.length, value.length - SENTINEL_SUFFIX.length);
  if (!STRICT_BASE64.test(encoded)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(encoded, 'base64'));
  } catch {
    return undefined;
  }
}

/** Which body field `Mcp-Name` mirrors, per method ("Standard Request Headers"). */
export function mirroredName(method: string, params: JsonObject | undefined): string | undefined {
  if (method === 'tools/call' || method === 'prompts/get') return typeof params?.name === 'string' ? params.name : undefined;
  if (method === 'resources/read') return typeof params?.uri === 'string' ? params.uri : undefined;
  // Tasks extension "Streamable HTTP: Routing Headers" (extensions/tasks.md): Mcp-Name is the task id.
  if (method === 'tasks/get' || method === 'tasks/update' || method === 'tasks/cancel') return typeof params?.taskId === 'string' ? params.taskId : undefined;
  return undefined;
}

export function checkStandardHeaders(headers: HeaderLookup, method: string, params: JsonObject | undefined, protocolVersion: string): void {
  const version = headers.get('mcp-protocol-version')?.trim();
  if (version === undefined) throw headerMismatch('MCP-Protocol-Version header is required');
  if (version !== protocolVersion)
    throw headerMismatch(`MCP-Protocol-Version header value '${version}' does not match body value '${protocolVersion}'`);

  const methodHeader = headers.get('mcp-method')?.trim();
  if (methodHeader === undefined) throw headerMismatch('Mcp-Method header is required');
  if (methodHeader !== method) throw headerMismatch(`Mcp-Method header value '${methodHeader}' does not match body value '${method}'`);

  const expected = mirroredName(method, params);
  const nameHeader = headers.get('mcp-name');
  if (expected === undefined) return;
  if (nameHeader === undefined) throw headerMismatch('Mcp-Name header is required');
  const decoded = decodeHeaderValue(nameHeader);
  if (decoded === undefined) throw headerMismatch('Mcp-Name header value is not a valid header value');
  if (decoded !== expected) throw headerMismatch(`Mcp-Name header value '${decoded}' does not match body value '${expected}'`);
}

function valueAt(args: JsonObject, path: readonly string[]): unknown {
  let current: unknown = args;
  for (const key of path) {
    if (!isPlainObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

function matches(header: string, body: unknown): boolean {
  if (typeof body === 'string') return header === body;
  if (typeof body === 'boolean') return header === String(body);
  // Integers compare numerically, so `42` and `42.0` agree ("Server Validation" note).
  // Decimal only: `0x2A`, `4.2e1` or `0b101010` are not the integer 42 a client would have sent.
  if (typeof body === 'number') return /^-?\d+(\.\d+)?$/.test(header.trim()) && Number(header) === body;
  return false;
}

/** `Mcp-Param-{Name}` headers against the tool's x-mcp-header map ("Server Behavior for Custom Headers"). */
export function checkParamHeaders(headers: HeaderLookup, params: readonly ResolvedHeaderParam[], args: JsonObject): void {
  for (const param of params) {
    const name = `Mcp-Param-${param.header}`;
    const raw = headers.get(name.toLowerCase());
    const body = valueAt(args, param.path);
    if (raw === undefined) {
      // Absent or null values carry no header; a present value must have one.
      if (body === undefined || body === null) continue;
      throw headerMismatch(`${name} header is required when '${param.path.join('.')}' is present in the arguments`);
    }
    const decoded = decodeHeaderValue(raw);
    if (decoded === undefined) throw headerMismatch(`${name} header value contains invalid characters or encoding`);
    if (body === undefined || body === null) throw headerMismatch(`${name} header is present but '${param.path.join('.')}' is not in the arguments`);
    if (!matches(decoded, body)) throw headerMismatch(`${name} header value does not match the body value of '${param.path.join('.')}'`);
  }
}
