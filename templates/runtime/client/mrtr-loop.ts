import { isPlainObject } from '../json.ts';
import type { JsonObject } from '../wire.ts';
import { InputRoundsExceededError, McpAbortError, McpProtocolError } from './errors.ts';
import { answerInputRequests, type InputHandlers } from './input-requests.ts';
import type { RequestOptions, RpcSession } from './rpc-session.ts';

/**
 * The client half of Multi Round-Trip Requests (basic/patterns/mrtr.mdx "Client Requirements"):
 * on `input_required`, answer every `inputRequests` entry, then retry the original request with
 * `inputResponses` and the byte-identical `requestState` (omitted when none was given), as a new
 * request with a new JSON-RPC id. Results without `resultType` are complete. Rounds are bounded.
 * The state of one flow lives only in this call, so it can never leak into a concurrent request.
 */
export interface MrtrOptions extends RequestOptions {
  maxInputRounds: number;
  handlers: InputHandlers;
}

export interface MrtrOutcome {
  result: JsonObject;
  /** Input rounds it took (0: the first answer was complete). Only round-0 results may be cached. */
  rounds: number;
}

export async function requestWithInput(session: RpcSession, method: string, params: JsonObject, options: MrtrOptions): Promise<MrtrOutcome> {
  const target = typeof params.name === 'string' ? params.name : typeof params.uri === 'string' ? params.uri : undefined;
  let inputResponses: JsonObject | undefined;
  let requestState: string | undefined;
  for (let round = 0; round <= options.maxInputRounds; round++) {
    const attempt: JsonObject = { ...params };
    delete attempt.inputResponses;
    delete attempt.requestState;
    if (inputResponses !== undefined) attempt.inputResponses = inputResponses;
    if (requestState !== undefined) attempt.requestState = requestState;

    const result = await session.request(method, attempt, options);
    if (result.resultType !== 'input_required') return { result, rounds: round };
    if (round === options.maxInputRounds) break;

    const asks = result.inputRequests;
    const state = result.requestState;
    if (asks !== undefined && !isPlainObject(asks)) throw new McpProtocolError(`${method}: inputRequests is not an object`, { kind: 'invalid_input_request' });
    if (state !== undefined && typeof state !== 'string') throw new McpProtocolError(`${method}: requestState is not a string`, { kind: 'invalid_input_request' });
    if (asks === undefined && state === undefined)
      throw new McpProtocolError(`${method}: input_required result carries neither inputRequests nor requestState`, { kind: 'invalid_input_request' });

    const signal = options.signal ?? new AbortController().signal;
    inputResponses = asks && Object.keys(asks).length > 0 ? await answerInputRequests(asks, options.handlers, { method, target, round: round + 1, signal }) : undefined;
    if (signal.aborted) throw new McpAbortError(method, signal.reason);
    requestState = state;
  }
  throw new InputRoundsExceededError(method, options.maxInputRounds);
}
