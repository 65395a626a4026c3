import { randomBytes } from 'node:crypto';
import { invalidParams } from './errors.ts';
import { canonicalJson, isPlainObject, sha256Base64Url } from './json.ts';
import type { TokenSealer } from './sealed-token.ts';
import type { JsonValue } from './wire.ts';

/**
 * What a sealed requestState is bound to (basic/patterns/mrtr.mdx "Server Requirements": the
 * originating request's method and a digest of its salient params, the principal, an expiry).
 * State presented on any other request is rejected as if it were forged.
 */
export interface RequestBinding {
  method: string;
  /** Tool or prompt name, or resource URI. */
  target: string;
  /** The request's arguments; only their digest is sealed. */
  args: unknown;
  /** The authenticated principal, when the transport knows one. */
  principal?: string;
}

export interface CarriedFlow {
  answers: Record<string, JsonValue>;
  state: Record<string, JsonValue>;
}

/** An opened state: its flow plus what the replay guard needs to make it single-use. */
export interface OpenedFlow extends CarriedFlow {
  /** Random id sealed into the state; undefined when the request carried no state. */
  useId?: string;
  /** When the state expires (epoch ms): the guard remembers the id until then. */
  expiresAt?: number;
}

const PURPOSE = 'mcp/requestState';

function fingerprint(binding: RequestBinding): string {
  let canonical: string;
  try {
    canonical = canonicalJson([binding.method, binding.target, binding.args ?? {}, binding.principal ?? null]);
  } catch (error) {
    // Arguments nested deeper than the stack allows are client input, not a server fault.
    if (error instanceof RangeError) throw invalidParams('Invalid params: arguments are nested too deeply');
    throw error;
  }
  return sha256Base64Url(canonical);
}

export function sealRequestState(sealer: TokenSealer, binding: RequestBinding, flow: CarriedFlow, ttlMs: number, now: () => number = Date.now): string {
  return sealer.seal(PURPOSE, { b: fingerprint(binding), a: flow.answers, s: flow.state, u: randomBytes(16).toString('base64url'), x: now() + ttlMs }, ttlMs);
}

/** Tampered, expired or mis-bound state is -32602 (wire-checklist §2 (i); conformance tampered-state). */
export function openRequestState(sealer: TokenSealer, token: unknown, binding: RequestBinding): OpenedFlow {
  if (token === undefined) return { answers: {}, state: {} };
  const data = typeof token === 'string' ? sealer.open(PURPOSE, token) : undefined;
  // A state without a use id cannot be made single-use: refused like a forged one.
  if (!isPlainObject(data) || data.b !== fingerprint(binding) || typeof data.u !== 'string' || typeof data.x !== 'number')
    throw invalidParams('Invalid params: requestState failed verification (tampered, expired, or from another request)');
  return {
    answers: isPlainObject(data.a) ? data.a : {},
    state: isPlainObject(data.s) ? data.s : {},
    useId: data.u,
    expiresAt: data.x,
  };
}

/** A state presented a second time within its lifetime (-32602, like any state that fails verification). */
export const replayedRequestState = () => invalidParams('Invalid params: requestState was already used (replayed); start the request again without it');
