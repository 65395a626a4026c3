import { isPlainObject } from '../json.ts';
import type { CreateMessageParams, CreateMessageResult, ElicitContentValue, ElicitParams, JsonObject, ListRootsResult, Root } from '../wire.ts';
import { McpProtocolError, MissingInputHandlerError } from './errors.ts';

/**
 * Answering the `inputRequests` of an `InputRequiredResult` (basic/patterns/mrtr.mdx): each entry
 * is an `elicitation/create`, `sampling/createMessage` or `roots/list` request without an id, and
 * is handled exactly like the standalone request would be (client/elicitation.mdx,
 * client/sampling.mdx, client/roots.mdx). Answers are paired by key, never by position.
 */
export interface InputContext {
  /** The server-assigned key of this input request. */
  key: string;
  /** The request that needs the input (`tools/call`, `prompts/get`, `resources/read`). */
  method: string;
  /** Its target: the tool or prompt name, or the resource URI. */
  target: string | undefined;
  /** 1 for the first round of input. */
  round: number;
  signal: AbortSignal;
}

/** An elicitation answer; `undefined` content values are dropped on the wire. */
export interface ElicitAnswer {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, ElicitContentValue | undefined>;
}

export interface InputHandlers {
  /** `elicitation/create`; `params.mode` is always set (a missing mode means form, client/elicitation.mdx). */
  elicit?: (params: ElicitParams, ctx: InputContext) => ElicitAnswer | Promise<ElicitAnswer>;
  /** `sampling/createMessage` (deprecated in 2026-07-28, still specified). */
  sample?: (params: CreateMessageParams, ctx: InputContext) => CreateMessageResult | Promise<CreateMessageResult>;
  /** `roots/list` (deprecated in 2026-07-28, still specified). Return the roots or the full result. */
  listRoots?: (ctx: InputContext) => Root[] | ListRootsResult | Promise<Root[] | ListRootsResult>;
}

/** Capabilities implied by the handlers, declared on every request (client/*.mdx "Capabilities"). */
export function capabilitiesFor(handlers: InputHandlers): JsonObject {
  const capabilities: JsonObject = {};
  if (handlers.elicit) capabilities.elicitation = { form: {} };
  if (handlers.sample) capabilities.sampling = {};
  if (handlers.listRoots) capabilities.roots = {};
  return capabilities;
}

async function answerOne(request: unknown, handlers: InputHandlers, ctx: InputContext): Promise<unknown> {
  if (!isPlainObject(request) || typeof request.method !== 'string')
    throw new McpProtocolError(`inputRequests['${ctx.key}'] is not a request object`, { kind: 'invalid_input_request' });
  const params = isPlainObject(request.params) ? request.params : {};
  switch (request.method) {
    case 'elicitation/create': {
      if (!handlers.elicit) throw new MissingInputHandlerError(request.method);
      return handlers.elicit({ ...params, mode: params.mode ?? 'form' } as unknown as ElicitParams, ctx);
    }
    case 'sampling/createMessage': {
      if (!handlers.sample) throw new MissingInputHandlerError(request.method);
      return handlers.sample(params as unknown as CreateMessageParams, ctx);
    }
    case 'roots/list': {
      if (!handlers.listRoots) throw new MissingInputHandlerError(request.method);
      const roots = await handlers.listRoots(ctx);
      return Array.isArray(roots) ? { roots } : roots;
    }
    default:
      throw new McpProtocolError(`inputRequests['${ctx.key}'] has unknown method '${request.method}'`, { kind: 'invalid_input_request' });
  }
}

/** Builds the `inputResponses` map; every requested input is constructed before the retry. */
export async function answerInputRequests(
  inputRequests: JsonObject,
  handlers: InputHandlers,
  base: Omit<InputContext, 'key'>,
): Promise<JsonObject> {
  const keys = Object.keys(inputRequests);
  const answers = await Promise.all(keys.map((key) => answerOne(inputRequests[key], handlers, { ...base, key })));
  // fromEntries defines own properties, so keys like `__proto__` survive (an assignment would set the prototype).
  return Object.fromEntries(keys.map((key, i) => [key, answers[i] as JsonObject]));
}

/**
 * A 2025-11-25 server→client request (`elicitation/create`, `sampling/createMessage`,
 * `roots/list`), answered by the same handler that answers the MRTR ask of the same method, so
 * application code does not depend on the server's era. Throws like an MRTR ask would.
 */
export function answerServerRequest(method: string, params: JsonObject, handlers: InputHandlers, ctx: InputContext): Promise<unknown> {
  return answerOne({ method, params }, handlers, ctx);
}
