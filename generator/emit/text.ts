/** Text helpers shared by emitters. */

/** Keeps a description from closing the JSDoc comment it is placed in. */
export function escapeCommentText(text: string): string {
  return text.replace(/\*\//g, '*\\/');
}

/** Any manifest text on one comment line: cannot close the comment or start a new line of code. */
export function commentLine(text: string): string {
  return escapeCommentText(text).replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/** A TS string literal for any text (JSON quoting is valid TS). */
export function tsString(text: string): string {
  return JSON.stringify(text);
}

/** A property key: bare when it is an identifier, quoted otherwise. */
export function tsKey(key: string): string {
  // A literal `__proto__:` key would set the prototype instead of defining a property.
  if (key === '__proto__') return '["__proto__"]';
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
}
