/**
 * prettier's doc printer (`printDocToString` of the pinned prettier 3) for the docs
 * ts-tool-layout.ts builds, written for them: spaces-only indentation, no fill, no line suffixes, no
 * cursor, no trim, ASCII text. It makes the same choices by the same rules (break propagation, the
 * `fits` measure over the rest of the line, conditional groups tried state by state, group ids read
 * by if-break/indent-if-break), only cheaper: no command object per doc, indentation as a width, and
 * no doc-type lookups. A doc outside that subset throws Unprintable before anything is returned, and
 * the caller prints it with prettier's own printer.
 *
 * Why: laying out tool contract and protocol files is the largest cost of a cold generate after
 * json-schema-to-typescript, and prettier's printer was about two thirds of it.
 * test/unit/doc-printer.test.ts compares it with prettier's printer on random docs and on the docs of
 * random and real tool files.
 */
import type { Doc } from 'prettier';

export class Unprintable extends Error {}

const BREAK = 0;
const FLAT = 1;
type Mode = typeof BREAK | typeof FLAT;

/** The fields of prettier's doc objects this printer reads (prettier/doc's builders make them). */
interface DocObject {
  type: string;
  contents?: Doc;
  break?: boolean | 'propagated';
  expandedStates?: Doc[];
  id?: symbol;
  groupId?: symbol;
  breakContents?: Doc;
  flatContents?: Doc;
  negate?: boolean;
  hard?: boolean;
  soft?: boolean;
  literal?: boolean;
  n?: unknown;
}

const unprintable = (why: string): never => {
  throw new Unprintable(why);
};

/**
 * The width prettier's getStringWidth gives `text`, for text of code points below 0x80 (anything
 * else is unprintable here). Its fast path counts every character when all are in 0x20–0x7f;
 * otherwise it skips control characters (and 0x7f).
 */
function textWidth(text: string): number {
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) unprintable('non-ASCII text');
    if (c < 0x20) plain = false;
  }
  if (plain) return text.length;
  let width = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c !== 0x7f) width++;
  }
  return width;
}

/**
 * prettier's propagateBreaks: a hard break (break-parent) breaks the group around it, and a broken
 * group breaks the group around it, except a conditional group (its states decide). Every state of
 * a conditional group and both branches of an if-break count; a group met again (docs share
 * sub-docs) passes on its break without being walked again.
 */
function propagateBreaks(doc: Doc, enclosing: DocObject | undefined, seen: Set<DocObject>): void {
  if (typeof doc === 'string') return;
  if (Array.isArray(doc)) {
    for (const part of doc) propagateBreaks(part, enclosing, seen);
    return;
  }
  if (!doc) unprintable('not a doc');
  const d = doc as DocObject;
  switch (d.type) {
    case 'break-parent':
      breakGroup(enclosing);
      return;
    case 'group':
      if (!seen.has(d)) {
        seen.add(d);
        if (d.expandedStates) for (const state of d.expandedStates) propagateBreaks(state, d, seen);
        else propagateBreaks(d.contents!, d, seen);
      }
      if (d.break) breakGroup(enclosing);
      return;
    case 'if-break':
      propagateBreaks(d.breakContents!, enclosing, seen);
      propagateBreaks(d.flatContents!, enclosing, seen);
      return;
    case 'indent':
    case 'align':
    case 'indent-if-break':
    case 'label':
      propagateBreaks(d.contents!, enclosing, seen);
      return;
    case 'line':
    case 'line-suffix-boundary':
      return;
    default:
      unprintable(`doc type ${String(d.type)}`);
  }
}

function breakGroup(group: DocObject | undefined): void {
  if (group && !group.expandedStates && !group.break) group.break = 'propagated';
}

const spaces: string[] = [''];
const indentation = (width: number) => (spaces[width] ??= ' '.repeat(width));

/** The indentation an `align` adds; only plain widths (no dedent, root or string alignment). */
function alignWidth(d: DocObject): number {
  return typeof d.n === 'number' && Number.isInteger(d.n) && d.n >= 0 ? d.n : unprintable('align kind');
}

/** printDocToString(doc, { printWidth: width, tabWidth, useTabs: false }).formatted, or throws Unprintable. */
export function printDoc(doc: Doc, width: number, tabWidth: number): string {
  propagateBreaks(doc, undefined, new Set());
  // The command stack, as three parallel arrays: the doc, its mode and its indentation width.
  const docs: Doc[] = [doc];
  const modes: Mode[] = [BREAK];
  const indents: number[] = [0];
  const groupModes = new Map<symbol, Mode>();
  // The text as parts, joined at the end: trimming a growing string before each line break would flatten it every time.
  const out: string[] = [];
  let position = 0;
  let remeasure = false;

  /** prettier's `fits`: does `next` in flat mode, then the rest of the stack up to its first line break, fit in `remaining`? */
  const fits = (next: Doc, remaining: number): boolean => {
    let rest = docs.length;
    let pendingSpace = false;
    const stack: Doc[] = [next];
    const stackModes: Mode[] = [FLAT];
    while (remaining >= 0) {
      if (stack.length === 0) {
        if (rest === 0) return true;
        rest--;
        stack.push(docs[rest]!);
        stackModes.push(modes[rest]!);
        continue;
      }
      const d = stack.pop()!;
      const mode = stackModes.pop()!;
      if (typeof d === 'string') {
        if (d) {
          if (pendingSpace) {
            remaining -= 1;
            pendingSpace = false;
          }
          remaining -= textWidth(d);
        }
        continue;
      }
      if (Array.isArray(d)) {
        for (let i = d.length - 1; i >= 0; i--) {
          stack.push(d[i]!);
          stackModes.push(mode);
        }
        continue;
      }
      if (!d) unprintable('not a doc');
      const o = d as DocObject;
      switch (o.type) {
        case 'indent':
        case 'align':
        case 'indent-if-break':
        case 'label':
          stack.push(o.contents!);
          stackModes.push(mode);
          break;
        case 'group': {
          const groupMode = o.break ? BREAK : mode;
          stack.push(o.expandedStates && groupMode === BREAK ? o.expandedStates.at(-1)! : o.contents!);
          stackModes.push(groupMode);
          break;
        }
        case 'if-break': {
          const groupMode = o.groupId ? (groupModes.get(o.groupId) ?? FLAT) : mode;
          const contents = groupMode === BREAK ? o.breakContents : o.flatContents;
          if (contents) {
            stack.push(contents);
            stackModes.push(mode);
          }
          break;
        }
        case 'line':
          if (mode === BREAK || o.hard) return true;
          if (!o.soft) pendingSpace = true;
          break;
        case 'break-parent':
        case 'line-suffix-boundary':
          break;
        default:
          unprintable(`doc type ${String(o.type)}`);
      }
    }
    return false;
  };

  const push = (d: Doc, mode: Mode, indent: number) => {
    docs.push(d);
    modes.push(mode);
    indents.push(indent);
  };

  while (docs.length > 0) {
    const d = docs.pop()!;
    const mode = modes.pop()!;
    const indent = indents.pop()!;
    if (typeof d === 'string') {
      if (d) {
        out.push(d);
        if (docs.length > 0) position += textWidth(d);
        else textWidth(d); // the same text check as everywhere
      }
      continue;
    }
    if (Array.isArray(d)) {
      for (let i = d.length - 1; i >= 0; i--) push(d[i]!, mode, indent);
      continue;
    }
    if (!d) unprintable('not a doc');
    const o = d as DocObject;
    switch (o.type) {
      case 'indent':
        push(o.contents!, mode, indent + tabWidth);
        break;
      case 'align':
        push(o.contents!, mode, indent + alignWidth(o));
        break;
      case 'label':
        push(o.contents!, mode, indent);
        break;
      case 'group': {
        let chosen: Doc;
        let chosenMode: Mode;
        if (mode === FLAT && !remeasure) {
          chosen = o.contents!;
          chosenMode = o.break ? BREAK : FLAT;
        } else {
          remeasure = false;
          const remaining = width - position;
          if (!o.break && fits(o.contents!, remaining)) {
            chosen = o.contents!;
            chosenMode = FLAT;
          } else if (!o.expandedStates) {
            chosen = o.contents!;
            chosenMode = BREAK;
          } else {
            const states = o.expandedStates;
            chosen = states.at(-1)!;
            chosenMode = BREAK;
            if (!o.break) {
              for (let i = 1; i < states.length - 1; i++) {
                if (fits(states[i]!, remaining)) {
                  chosen = states[i]!;
                  chosenMode = FLAT;
                  break;
                }
              }
            }
          }
        }
        push(chosen, chosenMode, indent);
        if (o.id) groupModes.set(o.id, chosenMode);
        break;
      }
      case 'if-break':
      case 'indent-if-break': {
        const groupMode = o.groupId ? groupModes.get(o.groupId) : mode;
        if (groupMode === undefined) break; // a group not printed yet: prettier prints neither branch
        if (o.type === 'if-break') {
          const contents = groupMode === BREAK ? o.breakContents : o.flatContents;
          if (contents) push(contents, mode, indent);
        } else {
          if (o.contents === undefined || o.contents === null) unprintable('not a doc');
          // indent-if-break: indented when its group broke (or, negated, when it did not).
          const indented = (groupMode === BREAK) !== Boolean(o.negate);
          push(o.contents!, mode, indented ? indent + tabWidth : indent);
        }
        break;
      }
      case 'line':
        if (mode === FLAT && !o.hard) {
          if (!o.soft) {
            out.push(' ');
            position += 1;
          }
          break;
        }
        if (mode === FLAT) remeasure = true; // a hard line inside a flat group
        if (o.literal) unprintable('literal line');
        trimTrailingBlanks(out);
        out.push('\n', indentation(indent));
        position = indent;
        break;
      case 'break-parent':
      case 'line-suffix-boundary': // no line suffix is ever pending here
        break;
      default:
        unprintable(`doc type ${String(o.type)}`);
    }
  }
  return out.join('');
}

/** What prettier's trim before a line break removes: the spaces and tabs that end the text. */
function trimTrailingBlanks(parts: string[]): void {
  while (parts.length > 0) {
    const last = parts[parts.length - 1]!;
    let end = last.length;
    while (end > 0) {
      const c = last.charCodeAt(end - 1);
      if (c !== 32 && c !== 9) break;
      end--;
    }
    if (end > 0) {
      if (end < last.length) parts[parts.length - 1] = last.slice(0, end);
      return;
    }
    parts.pop();
  }
}
