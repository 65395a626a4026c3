import { isPlainObject } from './json.ts';
import type { ClientCapabilities, JsonObject } from './wire.ts';

/**
 * True when `declared` (this request's clientCapabilities) covers every key path in `required`.
 * Capabilities are per request: never remembered from an earlier one (basic/index.mdx "_meta").
 */
export function hasClientCapabilities(declared: ClientCapabilities, required: ClientCapabilities): boolean {
  return covers(declared as JsonObject, required as JsonObject);
}

function covers(declared: JsonObject, required: JsonObject): boolean {
  for (const [key, need] of Object.entries(required)) {
    const have = declared[key];
    if (!isPlainObject(have)) return false;
    if (isPlainObject(need) && !covers(have, need)) return false;
  }
  return true;
}

/**
 * Elicitation form mode is implied by `elicitation: {}` or `elicitation.form`; URL mode needs
 * `elicitation.url` (client/elicitation.mdx "Capabilities").
 */
export function supportsElicitationMode(declared: ClientCapabilities, mode: 'form' | 'url'): boolean {
  const elicitation = declared.elicitation;
  if (!isPlainObject(elicitation)) return false;
  if (mode === 'url') return isPlainObject(elicitation.url);
  return isPlainObject(elicitation.form) || !isPlainObject(elicitation.url);
}
