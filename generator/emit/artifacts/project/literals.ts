/** JSON values as TS source: the manifest's own data (schemas, annotations) served verbatim. */
export function tsLiteral(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? 'undefined';
}

/** Drops undefined fields so literals stay minimal and stable. */
export function compact<T extends Record<string, unknown>>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}
