import { printKey } from './zod-printer/literals.ts';

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
  // One key printer for all generated code (it also keeps `__proto__` from setting the prototype).
  return printKey(key);
}
