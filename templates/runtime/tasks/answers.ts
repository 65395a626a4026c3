import { isPlainObject } from '../json.ts';
import type { InputRequest, JsonObject } from '../wire.ts';

/**
 * Checks a `tasks/update` answer against the ask it answers, before it is stored: a task must not
 * resume on an answer its handler cannot use (basic/patterns/mrtr.mdx "Error Handling": malformed
 * responses are a protocol error). Returns why it does not fit, or undefined when it does.
 */
export function answerMismatch(request: InputRequest, answer: unknown): string | undefined {
  if (!isPlainObject(answer)) return 'must be an object';
  switch (request.method) {
    case 'elicitation/create':
      return elicitMismatch(request.params as unknown as JsonObject, answer);
    case 'sampling/createMessage':
      if (answer.role !== 'user' && answer.role !== 'assistant') return 'is not a sampling/createMessage result (role)';
      if (typeof answer.model !== 'string') return 'is not a sampling/createMessage result (model)';
      if (!isPlainObject(answer.content) && !Array.isArray(answer.content)) return 'is not a sampling/createMessage result (content)';
      return undefined;
    case 'roots/list':
      if (!Array.isArray(answer.roots) || !answer.roots.every((r) => isPlainObject(r) && typeof r.uri === 'string')) return 'is not a roots/list result';
      return undefined;
    default:
      return undefined;
  }
}

const PRIMITIVE_CHECKS: Record<string, (value: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  array: (v) => Array.isArray(v) && v.every((item) => typeof item === 'string'),
};

/** ElicitResult (client/elicitation.mdx): action, and for an accepted form the requested fields with their types. */
function elicitMismatch(params: JsonObject, answer: JsonObject): string | undefined {
  if (answer.action !== 'accept' && answer.action !== 'decline' && answer.action !== 'cancel') return 'is not an elicitation result (action must be accept, decline or cancel)';
  if (answer.action !== 'accept' || params.mode === 'url') return undefined;
  const content = answer.content;
  if (!isPlainObject(content)) return 'accepts the form without content';
  const schema = isPlainObject(params.requestedSchema) ? params.requestedSchema : {};
  const properties = isPlainObject(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];
  for (const name of required) if (!(name in content)) return `lacks the required field "${name}"`;
  for (const [name, value] of Object.entries(content)) {
    const property = properties[name];
    if (!isPlainObject(property) || typeof property.type !== 'string') continue;
    const check = PRIMITIVE_CHECKS[property.type];
    if (check && !check(value)) return `field "${name}" is not a ${property.type}`;
  }
  return undefined;
}
