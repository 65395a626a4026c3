/**
 * Property names that are also Object.prototype members: the zod printer checks them as own
 * properties through a refinement (correct at run time), whose inferred type TS cannot match to
 * the json-schema-to-typescript type, so those validators are cast to their declared type.
 */
const PROTOTYPE_MEMBERS = new Set(Object.getOwnPropertyNames(Object.prototype));

export function hasPrototypeMemberProperty(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.some(hasPrototypeMemberProperty);
  if (schema === null || typeof schema !== 'object') return false;
  const s = schema as Record<string, unknown>;
  const props = s.properties;
  if (props && typeof props === 'object' && Object.keys(props).some((k) => PROTOTYPE_MEMBERS.has(k))) return true;
  return Object.values(s).some(hasPrototypeMemberProperty);
}
