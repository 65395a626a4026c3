/** Text helpers shared by emitters. */

/** Keeps a description from closing the JSDoc comment it is placed in. */
export function escapeCommentText(text: string): string {
  return text.replace(/\*\//g, '*\\/');
}

/** A TS string literal for any text (JSON quoting is valid TS). */
export function tsString(text: string): string {
  return JSON.stringify(text);
}

/** A property key: bare when it is an identifier, quoted otherwise. */
export function tsKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
}
