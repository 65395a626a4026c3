/** Small JSON helpers shared by the model and emit stages. */

/** Drops undefined fields so models and literals stay minimal and stable. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** An object as JSON has them: not null, not an array, from a literal or JSON.parse (or Object.create(null)). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * `out[key] = value` for data whose keys come from users: a key named `__proto__` stays an own
 * property instead of replacing the prototype (and disappearing from the copy).
 */
export function setOwn(out: object, key: string, value: unknown): void {
  // Only `__proto__` has a setter on the way up (Object.prototype's); any other key assigns an own
  // data property, and assignment is several times cheaper than defineProperty on copies of schemas.
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else (out as Record<string, unknown>)[key] = value;
}
