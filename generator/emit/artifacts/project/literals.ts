/** JSON values as TS source: the manifest's own data (schemas, annotations) served verbatim. */
export function tsLiteral(value: unknown): string {
  // JSON is a TS literal except for one key: `"__proto__": …` in an object literal sets the
  // prototype. Inside JSON text that sequence can only be a key (in a string it would be escaped).
  return (JSON.stringify(value, null, 2) ?? 'undefined').replace(/"__proto__":/g, '["__proto__"]:');
}
