/** Small JSON helpers shared by the model and emit stages. */

/** Drops undefined fields so models and literals stay minimal and stable. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
