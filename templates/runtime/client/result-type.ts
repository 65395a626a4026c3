import type { JsonObject } from '../wire.ts';
import { McpProtocolError } from './errors.ts';

/**
 * `resultType` (basic/index.mdx "ResultType"): absent means `complete` (results from earlier
 * servers), `input_required` starts an MRTR round, extension values count only when the client
 * opted into that extension, and anything else makes the result invalid.
 */
export type ResultKind = 'complete' | 'input_required' | (string & {});

/** The only methods a server may answer with `input_required` (basic/patterns/mrtr.mdx "Supported Requests"). */
export const INPUT_CAPABLE_METHODS: ReadonlySet<string> = new Set(['tools/call', 'prompts/get', 'resources/read']);

export function resultKindOf(method: string, result: JsonObject, extensionKinds: ReadonlySet<string>): ResultKind {
  const kind = result.resultType;
  if (kind === undefined) return 'complete';
  if (typeof kind !== 'string') throw new McpProtocolError(`${method} result has a non-string resultType`, { kind: 'invalid_result_type' });
  if (kind === 'complete') return kind;
  if (kind === 'input_required') {
    if (!INPUT_CAPABLE_METHODS.has(method)) throw new McpProtocolError(`${method} cannot answer with input_required`, { kind: 'invalid_result_type' });
    return kind;
  }
  if (extensionKinds.has(kind)) return kind;
  throw new McpProtocolError(`${method} result has unrecognized resultType '${kind}'`, { kind: 'invalid_result_type' });
}
