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

export function sealRequestState(sealer: TokenSealer, binding: RequestBinding, flow: CarriedFlow, ttlMs: number): string {
  return sealer.seal(PURPOSE, { b: fingerprint(binding), a: flow.answers, s: flow.state }, ttlMs);
}

/** Tampered, expired or mis-bound state is -32602 (wire-checklist §2 (i); conformance tampered-state). */
export function openRequestState(sealer: TokenSealer, token: unknown, binding: RequestBinding): CarriedFlow {
  if (token === undefined) return { answers: {}, state: {} };
  const data = typeof token === 'string' ? sealer.open(PURPOSE, token) : undefined;
  if (!isPlainObject(data) || data.b !== fingerprint(binding))
    throw invalidParams('Invalid params: requestState failed verification (tampered, expired, or from another request)');
  return {
    answers: isPlainObject(data.a) ? data.a : {},
    state: isPlainObject(data.s) ? data.s : {},
  };
}
