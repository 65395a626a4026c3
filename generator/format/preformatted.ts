/**
 * Files an emitter writes in prettier's layout already (EmittedFile.preformatted): templates whose
 * fixed text is prettier's output, with every interpolated value printed as prettier prints it
 * (prettierString) and every width-dependent construct chosen by width in the emitter (a call
 * that does not fit goes on three lines, as prettier breaks it). What such an emitter cannot see
 * is the width of what it pastes into a line; so its text skips prettier only when nothing in it
 * depends on a width: every code line fits in the print width (counted in columns, non-ASCII text
 * only when it fits even at two columns a UTF-16 unit), and nothing prettier would trim is there
 * (trailing blanks, tabs, blank-line runs). Comment lines may be longer: prettier never breaks
 * them. Anything else goes through prettier, which then decides.
 *
 * test/project/preformatted.test.ts checks prettier(text) === text for every file this accepts,
 * over the examples, both spec revisions and random manifests with long names and descriptions.
 */

import { stringLiteral } from './ts-literal-layout.ts';

const PRINT_WIDTH = 100;
const ASCII_LINE = /^[\x20-\x7e]*$/;

/**
 * Whether `line` fits in the print width as prettier measures it: true or false when certain,
 * undefined when its display width is prettier's call (non-ASCII text that fits only if narrow).
 */
function fits(line: string): boolean | undefined {
  if (ASCII_LINE.test(line)) return line.length <= PRINT_WIDTH;
  if (/[\t\r\x00-\x1f\x7f\u2028\u2029]/.test(line)) return undefined;
  return 2 * line.length <= PRINT_WIDTH ? true : undefined;
}

/** A TS string literal as prettier prints it (singleQuote; quotes chosen and escaped as prettier does). */
export const prettierString = stringLiteral;

/**
 * Whether a TypeScript or YAML text an emitter claims is preformatted can skip prettier: see above.
 * `text` is the file without header, ending with one newline or none.
 */
export function preformattedHolds(text: string): boolean {
  const lines = (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
  if (lines.length === 0 || lines[0] === '' || lines[lines.length - 1] === '') return false;
  /** The indentation of the open `/**` line; undefined outside a doc comment. */
  let docIndent: string | undefined;
  let blank = false;
  for (const line of lines) {
    if (line === '') {
      if (blank) return false; // prettier keeps at most one blank line
      blank = true;
      continue;
    }
    blank = false;
    if (/\s$/.test(line) || line.includes('\t') || line.includes('\r')) return false;
    const trimmed = line.trimStart();
    // A `/** … */` block whose opening line holds nothing else: prettier never breaks its lines, and
    // prints each one as ` *…` under the opening line's indentation.
    if (docIndent === undefined && trimmed === '/**') {
      docIndent = line.slice(0, line.length - trimmed.length);
      continue;
    }
    if (docIndent !== undefined) {
      if (!trimmed.startsWith('*') || line !== `${docIndent} ${trimmed}`) return false;
      if (trimmed === '*/') docIndent = undefined;
      else if (trimmed.includes('*/')) return false;
      continue;
    }
    if (fits(line) !== true) return false;
  }
  return docIndent === undefined;
}

/**
 * `head(arg)tail` as prettier lays out a call with one string argument at `indent`: on one line when
 * it fits, else the argument on its own line with a trailing comma (when unsure, the one-line form,
 * which preformattedHolds then sends to prettier).
 */
export function callWithString(indent: string, head: string, value: string, tail: string): string {
  const arg = prettierString(value);
  const one = `${indent}${head}(${arg})${tail}`;
  if (fits(one) !== false) return one;
  return `${indent}${head}(\n${indent}  ${arg},\n${indent})${tail}`;
}
