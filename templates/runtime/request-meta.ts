import { invalidParams, invalidRequestMeta } from './errors.ts';
import { isPlainObject } from './json.ts';
import {
  LOGGING_LEVELS,
  META,
  type ClientCapabilities,
  type Implementation,
  type JsonObject,
  type LoggingLevel,
  type ProgressToken,
} from './wire.ts';

/** What a handler learns about the caller: everything comes from this request's `_meta` (basic/index.mdx "_meta"). */
export interface RequestMeta {
  protocolVersion: string;
  clientCapabilities: ClientCapabilities;
  clientInfo?: Implementation;
  logLevel?: LoggingLevel;
  progressToken?: ProgressToken;
  /** W3C Trace Context / Baggage, handed through untouched. */
  traceparent?: string;
  tracestate?: string;
  baggage?: string;
  /** The whole `_meta` object, for extension keys. */
  raw: JsonObject;
}

/**
 * The two required keys. Missing `params`, `_meta`, protocolVersion or clientCapabilities is -32602
 * with HTTP 400; clientInfo is optional (basic/index.mdx "_meta").
 */
export function readRequiredMeta(params: JsonObject | undefined): { raw: JsonObject; protocolVersion: string; clientCapabilities: ClientCapabilities } {
  const raw = params?._meta;
  if (!isPlainObject(raw)) throw invalidRequestMeta('Invalid params: missing params._meta (protocolVersion and clientCapabilities are required)');
  const protocolVersion = raw[META.protocolVersion];
  if (typeof protocolVersion !== 'string' || protocolVersion.length === 0)
    throw invalidRequestMeta(`Invalid params: _meta["${META.protocolVersion}"] is required`);
  const clientCapabilities = raw[META.clientCapabilities];
  if (!isPlainObject(clientCapabilities))
    throw invalidRequestMeta(`Invalid params: _meta["${META.clientCapabilities}"] is required`);
  return { raw, protocolVersion, clientCapabilities: clientCapabilities as ClientCapabilities };
}

/** Optional keys, read once the version is known to be supported. */
export function readRequestMeta(params: JsonObject | undefined): RequestMeta {
  const { raw, protocolVersion, clientCapabilities } = readRequiredMeta(params);
  const logLevel = raw[META.logLevel];
  // An unrecognised level SHOULD be rejected (server/utilities/logging.mdx).
  if (logLevel !== undefined && !(typeof logLevel === 'string' && (LOGGING_LEVELS as readonly string[]).includes(logLevel)))
    throw invalidParams(`Invalid params: unknown _meta["${META.logLevel}"] value`);
  const progressToken = raw.progressToken;
  const clientInfo = raw[META.clientInfo];
  const text = (key: string) => (typeof raw[key] === 'string' ? (raw[key] as string) : undefined);
  return {
    protocolVersion,
    clientCapabilities,
    clientInfo: isPlainObject(clientInfo) ? (clientInfo as unknown as Implementation) : undefined,
    logLevel: logLevel as LoggingLevel | undefined,
    progressToken: typeof progressToken === 'string' || (typeof progressToken === 'number' && Number.isInteger(progressToken)) ? progressToken : undefined,
    traceparent: text('traceparent'),
    tracestate: text('tracestate'),
    baggage: text('baggage'),
    raw,
  };
}
