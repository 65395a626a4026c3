/**
 * Files an emitter writes in prettier's layout already (EmittedFile.prettierShaped): templates whose
 * fixed text is prettier's output, with every interpolated value printed as prettier prints it
 * (prettierString) and every width-dependent construct chosen by width in the emitter (a call
 * that does not fit goes on three lines, as prettier breaks it). What such an emitter cannot see
 * is the width of what it pastes into a line; so its text skips prettier only when nothing in it
 * depends on a width: every code line fits in the print width (counted in columns, non-ASCII text
 * only when it fits even at two columns a UTF-16 unit), and nothing prettier would trim is there
 * (trailing blanks, tabs, blank-line runs). Comment lines may be longer: prettier never breaks
 * them (a `//` or `/* … *\/` comment alone on its line, the lines of a `/**` block); so may a
 * string literal alone on its line (prettier cannot break it, and nothing fits beside it), and an
 * import of one name (prettier never breaks its braces). Anything else goes through prettier, which then decides.
 *
 * test/project/preformatted.test.ts checks prettier(text) === text for every file this accepts,
 * over the examples, both spec revisions and random manifests with long names and descriptions.
 */

import { PRINT_WIDTH } from './print-width.ts';
import { stringLiteral } from './ts-literal-layout.ts';

const ASCII_LINE = /^[\x20-\x7e]*$/;
/** An import of one name (maybe renamed) from a plain module path: prettier never breaks it, whatever its width. */
const ONE_NAME_IMPORT = /^import \{ (?:type )?[A-Za-z_$][\w$]*(?: as [A-Za-z_$][\w$]*)? \} from '[\x20-\x26\x28-\x5b\x5d-\x7e]*';$/;
/** A string or template literal (whose `${}` hold a plain name) alone on its line, maybe with `,` `;` or ` +` after it. */
const LONE_STRING = /^ *(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\$]|\\.|\$(?!\{)|\$\{[A-Za-z_$][\w$.]*\})*`)(?:[,;]| \+)?$/;

/**
 * Whether `line` fits in the print width as prettier measures it: true or false when certain,
 * undefined when its display width is prettier's call (non-ASCII text that fits only if narrow).
 */
export function fits(line: string): boolean | undefined {
  if (ASCII_LINE.test(line)) return line.length <= PRINT_WIDTH;
  const width = displayWidth(line);
  if (width !== undefined) return width <= PRINT_WIDTH;
  if (/[\t\r\x00-\x1f\x7f\u2028\u2029]/.test(line)) return undefined;
  return 2 * line.length <= PRINT_WIDTH ? true : undefined;
}

/**
 * prettier's display width (its getStringWidth) of text that holds, besides printable ASCII, only
 * Latin letters and general punctuation (— … “ ”): one column each, none of them wide, combining or
 * emoji (© ® ‼ ⁉ are emoji, left out). Undefined for anything else.
 */
function displayWidth(text: string): number | undefined {
  return /^(?:[\x20-\x7e\u00a0-\u00a8\u00aa-\u00ad\u00af-\u02ff\u2010-\u2027\u2030-\u203b\u203d-\u2048\u204a-\u205e])*$/.test(text) ? text.length : undefined;
}

/**
 * A TS string literal as prettier prints it (singleQuote; quotes chosen and escaped as prettier
 * does). U+2028/2029 escaped, as the zod printer's literals have them (prettier keeps escapes).
 */
export const prettierString = (value: string) => stringLiteral(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** An object key as prettier prints it (quoteProps as-needed): bare when an identifier; `__proto__` computed, so it stays an own key. */
export function prettierKey(key: string): string {
  if (key === '__proto__') return `[${prettierString(key)}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : prettierString(key);
}

/**
 * `key: [a, b],` as a member of an object literal whose members sit at `indent`, as prettier lays
 * it out: one line when it fits (an empty array always), else one item a line, each with a comma.
 */
export function arrayMember(indent: string, key: string, items: string[]): string {
  const one = `${indent}${key}: [${items.join(', ')}],`;
  if (items.length === 0 || fits(one) !== false) return one;
  return `${indent}${key}: [\n${items.map((i) => `${indent}  ${i},\n`).join('')}${indent}],`;
}

/**
 * `export type Name = Generic<arg>;` as prettier lays it out: one line when it fits, else the type
 * argument on its own line (one argument, no trailing comma in type arguments).
 */
export function typeAliasOfGeneric(name: string, generic: string, arg: string): string {
  const one = `export type ${name} = ${generic}<${arg}>;`;
  if (fits(one) !== false) return one;
  return `export type ${name} = ${generic}<\n  ${arg}\n>;`;
}

/**
 * `indent key: callee({ a: 1, b: 2 }),` (an object-literal member whose value is a call with one
 * object argument of scalar members) as prettier lays it out: one line when it fits, else one member a line.
 */
export function memberCallWithObject(indent: string, key: string, callee: string, members: [string, string][]): string {
  const one = `${indent}${key}: ${callee}({ ${members.map(([k, v]) => `${k}: ${v}`).join(', ')} }),`;
  if (fits(one) !== false) return one;
  return `${indent}${key}: ${callee}({\n${members.map(([k, v]) => `${indent}  ${k}: ${v},\n`).join('')}${indent}}),`;
}

/**
 * `import { a, b } from 'module';` as prettier lays it out: on one line when it fits (or holds one
 * name, which prettier never breaks), else one name a line with a trailing comma.
 */
export function importStatement(names: string[], module: string): string {
  const one = `import { ${names.join(', ')} } from ${prettierString(module)};`;
  if (names.length < 2 || fits(one) !== false) return one;
  return `import {\n${names.map((n) => `  ${n},\n`).join('')}} from ${prettierString(module)};`;
}

/**
 * Whether a TypeScript or YAML text an emitter claims is preformatted can skip prettier: see above.
 * `text` is the file without header, ending with one newline or none.
 */
export function preformattedHolds(text: string): boolean {
  return firstUnsureLine(text) === undefined;
}

/** The 0-based line that sends a preformatted text to prettier (-1: the text as a whole), or undefined. */
export function firstUnsureLine(text: string): number | undefined {
  const lines = (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
  if (lines.length === 0 || lines[0] === '' || lines[lines.length - 1] === '') return -1;
  /** The indentation of the open `/**` line; undefined outside a doc comment. */
  let docIndent: string | undefined;
  let blank = false;
  for (const [i, line] of lines.entries()) {
    if (line === '') {
      if (blank) return i; // prettier keeps at most one blank line
      blank = true;
      continue;
    }
    blank = false;
    if (/\s$/.test(line) || line.includes('\t') || line.includes('\r')) return i;
    const trimmed = line.trimStart();
    // A comment alone on its line (`// …`, `/* … */`): prettier never breaks it.
    if (docIndent === undefined && (trimmed.startsWith('//') || (trimmed.startsWith('/*') && trimmed.endsWith('*/') && trimmed.indexOf('*/') === trimmed.length - 2))) continue;
    // A `/** … */` block whose opening line holds nothing else: prettier never breaks its lines, and
    // prints each one as ` *…` under the opening line's indentation.
    if (docIndent === undefined && (trimmed === '/**' || trimmed === '/*')) {
      docIndent = line.slice(0, line.length - trimmed.length);
      continue;
    }
    if (docIndent !== undefined) {
      if (!trimmed.startsWith('*') || line !== `${docIndent} ${trimmed}`) return i;
      if (trimmed === '*/') docIndent = undefined;
      else if (trimmed.includes('*/')) return i;
      continue;
    }
    const width = fits(line);
    if (width === true) continue;
    // A string literal alone on its line, certainly too long to fit anywhere: no layout prettier
    // could choose puts anything beside it, so its line is as prettier leaves it.
    if (width === false && (LONE_STRING.test(line) || ONE_NAME_IMPORT.test(line))) continue;
    return i;
  }
  return docIndent === undefined ? undefined : -1;
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
