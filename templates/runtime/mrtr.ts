import { z } from 'zod';
import { hasClientCapabilities, supportsElicitationMode } from './capabilities.ts';
import { invalidParams, missingClientCapability } from './errors.ts';
import { isPlainObject, toJsonValue } from './json.ts';
import type {
  ClientCapabilities,
  CreateMessageParams,
  CreateMessageResult,
  ElicitContentValue,
  ElicitParams,
  ElicitResult,
  InputRequest,
  JsonObject,
  JsonSchemaObject,
  JsonValue,
  Root,
} from './wire.ts';

/**
 * Multi Round-Trip Requests (basic/patterns/mrtr.mdx).
 *
 * A handler asks for client input with `await ctx.elicit(...)` and friends. The first time, the
 * answer is not there: the ask throws an {@link InputRequiredSignal}, which the dispatcher turns
 * into an `InputRequiredResult` carrying `inputRequests` and a sealed `requestState`. The client
 * retries with `inputResponses`; the handler runs again from the top and this time the same ask
 * returns the answer. Answers from earlier rounds travel inside the sealed state, so any replica
 * can continue any flow and handlers stay plain async functions.
 */

/** One ask: the wire request plus how to check and type the client's answer. */
export interface InputAsk<T> {
  readonly request: InputRequest;
  /** Required client capability, checked against this request's clientCapabilities. */
  readonly requires: (declared: ClientCapabilities) => ClientCapabilities | undefined;
  readonly parse: (response: unknown) => T | undefined;
}

type ElicitFormOptions<S extends z.ZodType | undefined> = {
  message: string;
  /** A zod object schema: sent as `requestedSchema`, and used to validate and type `content`. */
  schema?: S;
  /** Raw requested schema (flat object of primitives); taken verbatim when given. */
  requestedSchema?: JsonSchemaObject;
  _meta?: JsonObject;
};
type ElicitUrlOptions = { mode: 'url'; message: string; url: string; _meta?: JsonObject };

export type ElicitAnswer<S> = S extends z.ZodType
  ? { action: 'accept'; content: z.output<S> } | { action: 'decline' | 'cancel'; content?: undefined }
  : ElicitResult<Record<string, ElicitContentValue>>;

const elicitResultSchema = z.object({
  action: z.enum(['accept', 'decline', 'cancel']),
  content: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])).optional(),
});
const createMessageResultSchema = z.looseObject({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.looseObject({ type: z.string() }), z.array(z.looseObject({ type: z.string() }))]),
  model: z.string(),
  stopReason: z.string().optional(),
});
const listRootsResultSchema = z.looseObject({
  roots: z.array(z.looseObject({ uri: z.string(), name: z.string().optional() })),
});

function requestedSchemaFrom(schema: z.ZodType): JsonSchemaObject {
  // The elicitation schema is a flat object of primitives (client/elicitation.mdx); drop the
  // dialect marker and closed-object keyword zod adds, which the restricted subset does not list.
  const { $schema: _dialect, additionalProperties: _closed, ...rest } = z.toJSONSchema(schema) as JsonSchemaObject;
  return rest;
}

/** `elicitation/create` ask. Pass a zod `schema` for a typed `content`. */
export function elicitation<S extends z.ZodType | undefined = undefined>(
  options: ElicitFormOptions<S> | ElicitUrlOptions,
): InputAsk<ElicitAnswer<S>> {
  const isUrl = 'mode' in options && options.mode === 'url';
  let params: ElicitParams;
  let contentSchema: z.ZodType | undefined;
  if (isUrl) {
    const o = options as ElicitUrlOptions;
    params = { mode: 'url', message: o.message, url: o.url, ...(o._meta ? { _meta: o._meta } : {}) };
  } else {
    const o = options as ElicitFormOptions<S>;
    contentSchema = o.schema;
    const requestedSchema = o.requestedSchema ?? (o.schema ? requestedSchemaFrom(o.schema) : undefined);
    if (!requestedSchema) throw new TypeError('elicitation() needs `schema` or `requestedSchema`');
    params = { message: o.message, requestedSchema, ...(o._meta ? { _meta: o._meta } : {}) };
  }
  const mode = isUrl ? 'url' : 'form';
  return {
    request: { method: 'elicitation/create', params },
    requires: (declared) =>
      supportsElicitationMode(declared, mode) ? undefined : { elicitation: mode === 'url' ? { url: {} } : {} },
    parse(response) {
      const parsed = elicitResultSchema.safeParse(response);
      if (!parsed.success) return undefined;
      if (contentSchema && parsed.data.action === 'accept') {
        const content = contentSchema.safeParse(parsed.data.content ?? {});
        if (!content.success) return undefined;
        return { action: 'accept', content: content.data } as ElicitAnswer<S>;
      }
      return parsed.data as ElicitAnswer<S>;
    },
  };
}

/** `sampling/createMessage` ask (deprecated feature, client/sampling.mdx). */
export function sampling(params: CreateMessageParams): InputAsk<CreateMessageResult> {
  const usesTools = params.tools !== undefined || params.toolChoice !== undefined;
  const usesContext = params.includeContext !== undefined && params.includeContext !== 'none';
  return {
    request: { method: 'sampling/createMessage', params },
    requires(declared) {
      // Tool-enabled sampling needs sampling.tools; includeContext needs sampling.context.
      const need: ClientCapabilities = { sampling: { ...(usesTools ? { tools: {} } : {}), ...(usesContext ? { context: {} } : {}) } };
      return hasClientCapabilities(declared, need) ? undefined : need;
    },
    parse: (response) => {
      const parsed = createMessageResultSchema.safeParse(response);
      return parsed.success ? (parsed.data as unknown as CreateMessageResult) : undefined;
    },
  };
}

/** `roots/list` ask (deprecated feature, client/roots.mdx). Resolves to the roots array. */
export function listRoots(): InputAsk<Root[]> {
  return {
    request: { method: 'roots/list', params: {} },
    requires: (declared) => (hasClientCapabilities(declared, { roots: {} }) ? undefined : { roots: {} }),
    parse: (response) => {
      const parsed = listRootsResultSchema.safeParse(response);
      return parsed.success ? (parsed.data.roots as Root[]) : undefined;
    },
  };
}

/** Thrown by an ask whose answer is missing. Rethrow it if you catch errors around asks. */
export class InputRequiredSignal extends Error {
  constructor(readonly inputRequests: Record<string, InputRequest>) {
    super('input required');
    this.name = 'InputRequiredSignal';
  }
}

export function isInputRequiredSignal(error: unknown): error is InputRequiredSignal {
  return error instanceof InputRequiredSignal;
}

export type AskResults<A extends Record<string, InputAsk<unknown>>> = { [K in keyof A]: A[K] extends InputAsk<infer T> ? T : never };

/**
 * Per-invocation view of the answers (earlier rounds' answers from requestState merged with this
 * request's inputResponses) and of the free-form `state` the handler wants carried to the retry.
 */
export class InputSession {
  /** Answers the handler actually used; carried to the next round so it can replay them. */
  readonly consumed: Record<string, JsonValue> = {};
  readonly state: Record<string, JsonValue>;
  private readonly autoKeys = new Map<string, number>();

  /** Asks already sent to the client (live mode), by key: a second ask for the same key waits for the same answer. */
  private readonly inflight = new Map<string, Promise<Record<string, unknown>>>();

  /**
   * `fetch` switches the session to live mode (the 2025-11-25 wire, legacy/): a missing answer is
   * requested from the client as a real server→client request and awaited, instead of ending the
   * round with an InputRequiredSignal.
   */
  constructor(
    private readonly answers: Record<string, unknown>,
    private readonly clientCapabilities: ClientCapabilities,
    carriedState: Record<string, JsonValue>,
    private readonly fetch?: (requests: Record<string, InputRequest>) => Promise<Record<string, unknown>>,
  ) {
    this.state = { ...carriedState };
  }

  /** Answers that arrived later (a task's tasks/update); the next ask of those keys returns them. */
  supply(answers: Record<string, unknown>): void {
    Object.assign(this.answers, answers);
  }

  /** A stable key for asks made without one: kind plus call order, identical on every replay. */
  autoKey(kind: string): string {
    const n = (this.autoKeys.get(kind) ?? 0) + 1;
    this.autoKeys.set(kind, n);
    return `${kind}-${n}`;
  }

  /**
   * Resolves every ask at once, or throws one signal naming all the missing ones; in live mode the
   * missing ones are fetched from the client and the results come back as a promise.
   */
  ask<A extends Record<string, InputAsk<unknown>>>(asks: A): AskResults<A> | Promise<AskResults<A>> {
    const results: Record<string, unknown> = {};
    const missing: Record<string, InputRequest> = {};
    for (const [key, ask] of Object.entries(asks)) {
      // MUST NOT ask for what this request's capabilities do not declare (basic/patterns/mrtr.mdx).
      const required = ask.requires(this.clientCapabilities);
      if (required) throw missingClientCapability(required);
      if (!Object.hasOwn(this.answers, key) || this.answers[key] === undefined) {
        missing[key] = ask.request;
        continue;
      }
      const parsed = ask.parse(this.answers[key]);
      // Malformed answers are a protocol error, never a silently accepted result (basic/patterns/mrtr.mdx "Error Handling").
      if (parsed === undefined)
        throw invalidParams(`Invalid params: inputResponses["${key}"] is not a valid ${ask.request.method} result`);
      this.consumed[key] = toJsonValue(this.answers[key]);
      results[key] = parsed;
    }
    if (Object.keys(missing).length > 0) {
      if (!this.fetch) throw new InputRequiredSignal(missing);
      const unsent = Object.entries(missing).filter(([key]) => !this.inflight.has(key));
      if (unsent.length > 0) {
        const sent = this.fetch(Object.fromEntries(unsent));
        for (const [key] of unsent) this.inflight.set(key, sent);
      }
      return Promise.all(Object.keys(missing).map((key) => this.inflight.get(key)!.then((got) => [key, got[key]] as const))).then((got) => {
        // null, never undefined: an empty answer must fail parsing, not be fetched again forever.
        for (const [key, value] of got) this.answers[key] = value ?? null;
        return this.ask(asks);
      });
    }
    return results as AskResults<A>;
  }
}

/** Validates the `inputResponses` param: absent, or a map (basic/patterns/mrtr.mdx "Error Handling"). */
export function readInputResponses(value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) throw invalidParams('Invalid params: inputResponses must be an object');
  return value;
}
