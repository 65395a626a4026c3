/**
 * prettier's layout (parser babel-ts, the pinned config) of a tool contract file
 * (src/generated/tools/<tool>.ts), computed without prettier's parser and printer: the file is read
 * by a small parser for the TypeScript mcp-gen emits there (imports, json-schema-to-typescript
 * interfaces and aliases, zod validator consts, data literals, the handler binder) and printed with
 * prettier's own doc printer (`prettier/doc`, no parser loaded) from the same docs prettier's estree
 * printer builds for those nodes.
 *
 * The wire-definition literal goes through ts-literal-layout.ts's string builder instead (faster,
 * same text). Arrow functions are kept as one-line text inside a conditional group whose other state
 * is a poison marker: prettier would keep them on one line exactly when that state is chosen, and the
 * marker in the output makes the file unsure.
 *
 * Only shapes this is certain about are laid out: anything else (a construct outside the subset, a
 * comment somewhere unusual, an arrow function prettier would break) throws Unsure and the whole file
 * goes to prettier as before. test/unit/ts-tool-layout.test.ts checks `layout === prettier(input)`
 * and `prettier(layout) === layout` on random and real tool files.
 */
import { builders as b, printer, utils } from 'prettier/doc';
import type { Doc } from 'prettier';
import { RUNTIME_HELPERS } from '../emit/zod-printer/runtime-helpers.ts';
import { layoutTsObjectLiteral, preferredQuote } from './ts-literal-layout.ts';
import { printDoc as printOwnDoc, Unprintable } from './doc-printer.ts';
import { PRINT_WIDTH } from './print-width.ts';

export class Unsure extends Error {}

const TAB_WIDTH = 2;
const unsure = (why: string): never => {
  throw new Unsure(why);
};

// ---------------------------------------------------------------------------------------------
// Tokens

type TokenKind = 'id' | 'str' | 'num' | 'regex' | 'punc' | 'comment' | 'literal';
interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
  /** Newlines between the previous token and this one. */
  newlines: number;
}

const PUNCTUATION = ['...', '===', '!==', '=>', '<=', '>=', '&&', '||', '==', '!=', '{', '}', '(', ')', '[', ']', '<', '>', ',', ';', ':', '.', '?', '=', '|', '&', '!', '+', '-', '*'];
const REGEX_BEFORE = new Set(['(', ',', '=', ':', '[', '!', '&&', '||', '?', '{', '}', ';', '=>']);

const isIdentStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isIdentPart = (c: number) => isIdentStart(c) || isDigit(c);

/** `literals`: statements laid out already, by start offset (a `literal` token stands for each). */
function tokenize(text: string, literals: ReadonlyMap<number, { end: number; text: string }>): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let newlines = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      newlines++;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) {
      i++;
      continue;
    }
    const start = i;
    let kind: TokenKind;
    const literal = literals.get(i);
    if (literal) {
      tokens.push({ kind: 'literal', text: literal.text, start, end: literal.end, newlines });
      newlines = 0;
      i = literal.end;
      continue;
    }
    const ch = text[i]!;
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) unsure('unterminated comment');
      i = end + 2;
      kind = 'comment';
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      return unsure('line comment');
    } else if (isIdentStart(c)) {
      while (i < text.length && isIdentPart(text.charCodeAt(i))) i++;
      kind = 'id';
    } else if (isDigit(c)) {
      while (i < text.length && (isDigit(text.charCodeAt(i)) || text.charCodeAt(i) === 46)) i++;
      if (i < text.length && isIdentStart(text.charCodeAt(i))) unsure('number form');
      kind = 'num';
    } else if (ch === '"' || ch === "'") {
      i++;
      while (i < text.length && text[i] !== ch) {
        if (text[i] === '\n') unsure('newline in string');
        i += text[i] === '\\' ? 2 : 1;
      }
      if (i >= text.length) unsure('unterminated string');
      i++;
      kind = 'str';
    } else if (ch === '/') {
      const prev = tokens.at(-1);
      if (prev && !(prev.kind === 'punc' && REGEX_BEFORE.has(prev.text))) unsure('division');
      i++;
      let inClass = false;
      while (i < text.length && (inClass || text[i] !== '/')) {
        if (text[i] === '\n') unsure('newline in regex');
        if (text[i] === '\\') i++;
        else if (text[i] === '[') inClass = true;
        else if (text[i] === ']') inClass = false;
        i++;
      }
      i++;
      while (i < text.length && /[a-z]/.test(text[i]!)) i++;
      kind = 'regex';
    } else {
      const p = PUNCTUATION.find((q) => text.startsWith(q, i));
      if (!p) return unsure(`character ${JSON.stringify(ch)}`);
      i += p.length;
      kind = 'punc';
    }
    tokens.push({ kind, text: text.slice(start, i), start, end: i, newlines });
    newlines = 0;
  }
  return tokens;
}

const LITERAL_STATEMENT = /^(export const [A-Za-z_$][A-Za-z0-9_$]* = )(\{\n[\s\S]*?\n\})((?: as const)?;)$/gm;

/**
 * The top-level JSON object literal statements (wire definitions), laid out by ts-literal-layout.ts's
 * string builder: the same text as the docs would give, without tokenizing the biggest part of the file.
 */
function literalStatements(text: string): Map<number, { end: number; text: string }> {
  const found = new Map<number, { end: number; text: string }>();
  for (const m of text.matchAll(LITERAL_STATEMENT)) {
    const [whole, head, body, tail] = m as unknown as [string, string, string, string];
    // `export const NAME = {` stays on one line when it fits (the object breaks first).
    if (head.length + 1 > PRINT_WIDTH) continue;
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      continue;
    }
    if (JSON.stringify(value, null, 2) !== body) continue;
    const laidOut = layoutTsObjectLiteral(value as never);
    if (laidOut !== undefined) found.set(m.index!, { end: m.index! + whole.length, text: `${head}${laidOut}${tail}` });
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Literals as prettier prints them

/** prettier's string literal for a source string token: preferred quotes, only quote escapes change. */
function stringDoc(raw: string): string {
  const content = raw.slice(1, -1);
  const quote = preferredQuote(content);
  const other = quote === '"' ? "'" : '"';
  const body = content.replace(/\\(.)|(["'])/gsu, (match, escaped: string | undefined, q: string | undefined) => {
    if (escaped === other) return escaped;
    if (q === quote) return `\\${q}`;
    if (q) return q;
    return /^[^\n\r"'0-7\\bfnrt-vx\u2028\u2029]$/.test(escaped!) ? escaped! : `\\${escaped}`;
  });
  return `${quote}${body}${quote}`;
}

/** The value of a source string token (JSON spelling, or single quotes without escapes). */
function stringValue(raw: string): string {
  if (raw.startsWith('"')) return JSON.parse(raw) as string;
  if (raw.includes('\\')) unsure('escaped single-quoted string');
  return raw.slice(1, -1);
}

function numberDoc(raw: string): string {
  // JSON.stringify's spelling without exponent: prettier prints it unchanged.
  if (!/^(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$/.test(raw)) unsure('number spelling');
  return raw;
}

function regexDoc(raw: string): string {
  const flags = raw.slice(raw.lastIndexOf('/') + 1);
  if ([...flags].sort().join('') !== flags) unsure('regex flags order');
  return raw;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** An object key under quoteProps as-needed: a quoted ASCII identifier loses its quotes. */
function keyDoc(token: Token): string {
  if (token.kind === 'id') return token.text;
  if (token.kind === 'str') {
    const value = stringValue(token.text);
    if (IDENTIFIER.test(value)) return value;
    // Non-ASCII keys only with a character no identifier has (prettier's identifier test is Unicode-aware).
    if ((!/^[\x20-\x7e]*$/.test(value) && !/[\s\-.,:;/'"!?()[\]{}<>@#%^&*+=|~`]/.test(value)) || /^[0-9]/.test(value)) unsure('key spelling');
    return stringDoc(token.text);
  }
  return unsure(`key ${token.text}`);
}

// ---------------------------------------------------------------------------------------------
// Expressions (the zod subset)

type Expr =
  | { type: 'id'; name: string }
  | { type: 'str'; raw: string }
  | { type: 'num'; raw: string }
  | { type: 'regex'; raw: string }
  | { type: 'member'; object: Expr; property: string }
  | { type: 'call'; callee: Expr; args: Expr[] }
  | { type: 'object'; props: Prop[]; broken: boolean }
  | { type: 'array'; elements: Expr[] }
  | { type: 'arrow'; flat: string }
  | { type: 'unary'; op: string; argument: Expr }
  | { type: 'binary'; op: string; left: Expr; right: Expr }
  | { type: 'new'; callee: Expr; args: Expr[] };
type Prop = { kind: 'spread'; argument: Expr } | { kind: 'prop'; key: Token; value: Expr } | { kind: 'shorthand'; name: string };

const LITERAL_IDS = new Set(['true', 'false', 'null', 'undefined']);

class Parser {
  i = 0;
  constructor(readonly tokens: Token[]) {}
  peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }
  at(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && t.kind !== 'str' && t.kind !== 'comment' && t.text === text;
  }
  next(): Token {
    const t = this.tokens[this.i++];
    if (!t) unsure('unexpected end');
    if (t!.kind === 'comment') unsure('comment inside a statement');
    return t!;
  }
  expect(text: string): Token {
    const t = this.next();
    if (t.text !== text || t.kind === 'str') unsure(`expected ${text}, got ${t.text}`);
    return t;
  }
  ident(): string {
    const t = this.next();
    if (t.kind !== 'id') unsure(`expected identifier, got ${t.text}`);
    return t.text;
  }

  // expression := binary (no conditional, no assignment)
  expression(minPrec = 0): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      const prec = t && t.kind === 'punc' ? BINARY[t.text] : undefined;
      if (prec === undefined || prec <= minPrec) return left;
      this.next();
      const right = this.expression(prec);
      left = { type: 'binary', op: t!.text, left, right };
    }
  }
  unary(): Expr {
    if (this.at('!') || this.at('-')) {
      const op = this.next().text;
      return { type: 'unary', op, argument: this.unary() };
    }
    return this.postfix(this.primary());
  }
  postfix(expr: Expr): Expr {
    for (;;) {
      if (this.at('.')) {
        this.next();
        expr = { type: 'member', object: expr, property: this.ident() };
      } else if (this.at('(')) {
        expr = { type: 'call', callee: expr, args: this.args() };
      } else return expr;
    }
  }
  args(): Expr[] {
    this.expect('(');
    const args: Expr[] = [];
    while (!this.at(')')) {
      args.push(this.expression());
      if (!this.at(')')) this.expect(',');
    }
    this.expect(')');
    return args;
  }
  primary(): Expr {
    const t = this.peek();
    if (!t) return unsure('unexpected end');
    if (t.kind === 'comment') return unsure('comment inside an expression');
    if (t.kind === 'str') return this.next(), { type: 'str', raw: t.text };
    if (t.kind === 'num') return this.next(), { type: 'num', raw: t.text };
    if (t.kind === 'regex') return this.next(), { type: 'regex', raw: t.text };
    if (t.kind === 'id') {
      if (t.text === 'new') {
        this.next();
        const callee: Expr = { type: 'id', name: this.ident() };
        return { type: 'new', callee, args: this.args() };
      }
      if (this.at('=>', 1)) return unsure('arrow without parentheses');
      this.next();
      return { type: 'id', name: t.text };
    }
    if (t.text === '(') return this.arrow();
    if (t.text === '{') return this.object();
    if (t.text === '[') {
      this.next();
      const elements: Expr[] = [];
      while (!this.at(']')) {
        elements.push(this.expression());
        if (!this.at(']')) this.expect(',');
      }
      this.expect(']');
      return { type: 'array', elements };
    }
    return unsure(`expression ${t.text}`);
  }
  object(): Expr {
    this.expect('{');
    const props: Prop[] = [];
    const broken = this.peek() !== undefined && !this.at('}') && this.peek()!.newlines > 0;
    while (!this.at('}')) {
      if (this.at('...')) {
        this.next();
        props.push({ kind: 'spread', argument: this.expression() });
      } else {
        const key = this.next();
        if (key.kind !== 'id' && key.kind !== 'str') unsure(`key ${key.text}`);
        if (key.kind === 'id' && (this.at(',') || this.at('}'))) props.push({ kind: 'shorthand', name: key.text });
        else {
          this.expect(':');
          props.push({ kind: 'prop', key, value: this.expression() });
        }
      }
      if (!this.at('}')) this.expect(',');
    }
    this.expect('}');
    return { type: 'object', props, broken };
  }
  /** `(a, b) => expr`, kept as its one-line text: the caller makes sure prettier keeps it on one line. */
  arrow(): Expr {
    this.expect('(');
    const params: string[] = [];
    while (!this.at(')')) {
      params.push(this.ident());
      if (!this.at(')')) this.expect(',');
    }
    this.expect(')');
    this.expect('=>');
    if (this.at('{') || this.at('(')) unsure('arrow body shape');
    const body = this.expression();
    return { type: 'arrow', flat: `(${params.join(', ')}) => ${flatExpr(body)}` };
  }
}

const BINARY: Record<string, number> = { '||': 1, '&&': 2, '===': 3, '!==': 3, '==': 3, '!=': 3, '<=': 4, '>=': 4, '<': 4, '>': 4 };

/** One-line text of an expression inside an arrow body (prettier's flat print of it). */
function flatExpr(e: Expr): string {
  switch (e.type) {
    case 'id':
      return e.name;
    case 'str':
      return stringDoc(e.raw);
    case 'num':
      return numberDoc(e.raw);
    case 'regex':
      return regexDoc(e.raw);
    case 'member':
      return `${flatExpr(e.object)}.${e.property}`;
    case 'call':
      return `${flatExpr(e.callee)}(${e.args.map(flatExpr).join(', ')})`;
    case 'new':
      return `new ${flatExpr(e.callee)}(${e.args.map(flatExpr).join(', ')})`;
    case 'array':
      if (e.elements.some((x) => x.type === 'num')) unsure('number array in arrow');
      if (arrayMustBreak(e)) unsure('array prettier always breaks, in an arrow');
      return `[${e.elements.map(flatExpr).join(', ')}]`;
    case 'unary':
      return e.argument.type === 'binary' ? unsure('unary of binary') : `${e.op}${flatExpr(e.argument)}`;
    case 'binary': {
      // Operands of the same precedence class only: prettier adds or drops parentheses elsewhere.
      const side = (x: Expr) => (x.type === 'binary' && BINARY[x.op] !== BINARY[e.op] ? unsure('mixed operators') : flatExpr(x));
      if (e.op === '||' || e.op === '&&') {
        if ([e.left, e.right].some((x) => x.type === 'binary' && (x.op === '||' || x.op === '&&') && x.op !== e.op)) unsure('mixed logical');
        return `${e.left.type === 'binary' && e.left.op === e.op ? flatExpr(e.left) : flatOperand(e.left)} ${e.op} ${flatOperand(e.right)}`;
      }
      return `${side(e.left)} ${e.op} ${side(e.right)}`;
    }
    case 'arrow':
      return e.flat;
    case 'object':
      return e.props.length === 0 ? '{}' : unsure('object in arrow');
  }
}

function flatOperand(e: Expr): string {
  // A comparison inside a logical expression needs no parentheses; a nested logical one is not modelled.
  if (e.type === 'binary' && (e.op === '||' || e.op === '&&')) return unsure('nested logical');
  return flatExpr(e);
}

// --- prettier's predicates on these nodes

const isLiteral = (e: Expr) => e.type === 'str' || e.type === 'num' || e.type === 'regex' || (e.type === 'id' && LITERAL_IDS.has(e.name) && e.name !== 'undefined');

function regexPattern(raw: string): string {
  return raw.slice(1, raw.lastIndexOf('/'));
}

/** prettier's isSimpleCallArgument. */
function isSimpleCallArgument(e: Expr, depth = 2): boolean {
  if (depth <= 0) return false;
  const child = (x: Expr) => isSimpleCallArgument(x, depth - 1);
  if (e.type === 'regex') return regexPattern(e.raw).length <= 5;
  if (isLiteral(e) || e.type === 'id') return true;
  if (e.type === 'object') return e.props.every((p) => p.kind === 'shorthand' || (p.kind === 'prop' && child(p.value)));
  if (e.type === 'array') return e.elements.every(child);
  if (e.type === 'call' || e.type === 'new') return isSimpleCallArgument(e.callee, depth) && e.args.length <= depth && e.args.every(child);
  if (e.type === 'member') return isSimpleCallArgument(e.object, depth);
  if (e.type === 'unary') return isSimpleCallArgument(e.argument, depth);
  return false;
}

/** prettier's isLoneShortArgument (printWidth / 4 = 25). */
function isLoneShortArgument(e: Expr): boolean {
  const threshold = PRINT_WIDTH * 0.25;
  if (e.type === 'id') return e.name.length <= threshold;
  if (e.type === 'unary' && e.op === '-' && e.argument.type === 'num') return true;
  if (e.type === 'regex') return regexPattern(e.raw).length <= threshold;
  if (e.type === 'str') return stringDoc(e.raw).length <= threshold;
  if (e.type === 'unary') return isLoneShortArgument(e.argument);
  if (e.type === 'call' && e.args.length === 0 && e.callee.type === 'id') return e.callee.name.length <= threshold - 2;
  return isLiteral(e);
}

function couldExpandArg(e: Expr): boolean {
  if (e.type === 'object') return e.props.length > 0;
  if (e.type === 'array') return e.elements.length > 0;
  return false; // arrows are handled (and kept flat) separately
}

// --- docs

const breakMemo = new WeakMap<object, boolean>();

/**
 * prettier's willBreak (a forced break inside, conditional groups by their first state), remembered
 * per doc object: chains and call arguments ask it of the same nested docs at every level.
 */
function willBreak(doc: Doc): boolean {
  if (typeof doc === 'string') return false;
  const known = breakMemo.get(doc);
  if (known !== undefined) return known;
  let result: boolean;
  if (Array.isArray(doc)) result = doc.some(willBreak);
  else {
    const d = doc as { type: string; break?: boolean; hard?: boolean; contents?: Doc; breakContents?: Doc; flatContents?: Doc; parts?: Doc[] };
    switch (d.type) {
      case 'group':
        result = Boolean(d.break) || willBreak(d.contents!);
        break;
      case 'line':
        result = Boolean(d.hard);
        break;
      case 'break-parent':
        result = true;
        break;
      case 'if-break':
        result = willBreak(d.breakContents ?? '') || willBreak(d.flatContents ?? '');
        break;
      case 'fill':
        result = d.parts!.some(willBreak);
        break;
      case 'indent':
      case 'align':
      case 'indent-if-break':
      case 'label':
      case 'line-suffix':
        result = willBreak(d.contents!);
        break;
      default:
        result = false;
    }
  }
  breakMemo.set(doc, result);
  return result;
}

interface ExprDoc {
  doc: Doc;
  /** Set on a call printed by printMemberChain's full path (prettier labels it memberChain). */
  memberChain?: boolean;
}

/** A state prettier never shows here: printed only when the flat form did not fit, which makes the layout unsure. */
const POISON = '\u0000';
const poisoned = (open: string) => b.group([open, b.line, POISON]);

function callArgumentsDoc(args: Expr[]): Doc {
  if (args.length === 0) return '()';
  if (args.some((a) => a.type === 'arrow')) {
    // prettier prints these arguments flat when they fit; any other outcome is not modelled here.
    if (args.filter((a) => a.type === 'arrow').length > 1) unsure('several function arguments');
    if (args.length >= 2 && args[0]!.type === 'str') unsure('test-call shape');
    return b.conditionalGroup([`(${args.map(flatExpr).join(', ')})`, poisoned('(')]);
  }
  if (args.length >= 2 && (args[0]!.type === 'str')) unsure('test-call shape');
  const printed = args.map((a, i) => (i === args.length - 1 ? exprDoc(a).doc : [exprDoc(a).doc, ',', b.line]));
  const allArgsBrokenOut = () => b.group(['(', b.indent([b.line, ...printed]), ',', b.line, ')'], { shouldBreak: true });
  const last = args.at(-1)!;
  const penultimate = args.at(-2);
  if (couldExpandArg(last) && (!penultimate || penultimate.type !== last.type)) {
    if (last.type === 'array' && args.length > 1 && last.elements.every((x) => x.type === 'num')) unsure('concise array');
    const head = printed.slice(0, -1);
    if (head.some((d) => willBreak(d))) return allArgsBrokenOut();
    const lastDoc = exprDoc(last).doc;
    if (willBreak(lastDoc)) {
      return [b.breakParent, b.conditionalGroup([['(', ...head, b.group(lastDoc, { shouldBreak: true }), ')'], allArgsBrokenOut()])];
    }
    return b.conditionalGroup([['(', ...head, lastDoc, ')'], ['(', ...head, b.group(lastDoc, { shouldBreak: true }), ')'], allArgsBrokenOut()]);
  }
  return b.group(['(', b.indent([b.softline, ...printed]), b.ifBreak(','), b.softline, ')'], { shouldBreak: printed.some((d) => willBreak(d)) });
}

interface ChainNode {
  kind: 'head' | 'member' | 'call';
  expr: Expr;
  printed: Doc;
}

/** prettier's printMemberChain for a call whose callee is a member expression. */
function memberChainDoc(call: Extract<Expr, { type: 'call' }>): ExprDoc {
  const nodes: ChainNode[] = [];
  let e: Expr = call;
  for (;;) {
    if (e.type === 'call' && (e.callee.type === 'member' || e.callee.type === 'call')) {
      nodes.unshift({ kind: 'call', expr: e, printed: callArgumentsDoc(e.args) });
      e = e.callee;
    } else if (e.type === 'member') {
      nodes.unshift({ kind: 'member', expr: e, printed: ['.', e.property] });
      e = e.object;
    } else {
      nodes.unshift({ kind: 'head', expr: e, printed: exprDoc(e).doc });
      break;
    }
  }
  const groups: ChainNode[][] = [];
  let current: ChainNode[] = [nodes[0]!];
  let i = 1;
  for (; i < nodes.length && nodes[i]!.kind === 'call'; i++) current.push(nodes[i]!);
  if (nodes[0]!.expr.type !== 'call') {
    for (; i + 1 < nodes.length && nodes[i]!.kind === 'member' && nodes[i + 1]!.kind === 'member'; i++) current.push(nodes[i]!);
  }
  groups.push(current);
  current = [];
  let seenCall = false;
  for (; i < nodes.length; i++) {
    if (seenCall && nodes[i]!.kind === 'member') {
      groups.push(current);
      current = [];
      seenCall = false;
    }
    if (nodes[i]!.kind === 'call') seenCall = true;
    current.push(nodes[i]!);
  }
  if (current.length > 0) groups.push(current);

  const isFactory = (name: string) => /^[A-Z]|^[$_]+$/.test(name);
  const shouldNotWrap = () => {
    if (groups[0]!.length === 1) {
      const first = groups[0]![0]!.expr;
      return first.type === 'id' && isFactory(first.name);
    }
    const last = groups[0]!.at(-1)!.expr;
    return last.type === 'member' && isFactory(last.property);
  };
  const shouldMerge = groups.length >= 2 && shouldNotWrap();
  const printGroup = (g: ChainNode[]) => g.map((n) => n.printed);
  const printedGroups = groups.map(printGroup);
  const oneLine = printedGroups;
  const cutoff = shouldMerge ? 3 : 2;
  if (groups.length <= cutoff) return { doc: b.group(oneLine) };
  const rest = groups.slice(shouldMerge ? 2 : 1);
  const expanded = [printGroup(groups[0]!), shouldMerge ? printGroup(groups[1]!) : '', rest.length === 0 ? '' : b.indent([b.hardline, b.join(b.hardline, rest.map(printGroup))])];
  const calls = nodes.filter((n) => n.kind === 'call').map((n) => n.expr as Extract<Expr, { type: 'call' }>);
  const lastGroupWillBreakAndOtherCallsHaveFunctionArguments = () =>
    groups.at(-1)!.at(-1)!.kind === 'call' && willBreak(printedGroups.at(-1)!) && calls.slice(0, -1).some((c) => c.args.some((a) => a.type === 'arrow'));
  if (
    (calls.length > 2 && calls.some((c) => !c.args.every((a) => isSimpleCallArgument(a)))) ||
    printedGroups.slice(0, -1).some((g) => willBreak(g)) ||
    lastGroupWillBreakAndOtherCallsHaveFunctionArguments()
  ) {
    return { doc: b.group(expanded), memberChain: true };
  }
  return { doc: [willBreak(oneLine) ? b.breakParent : '', b.conditionalGroup([oneLine, expanded])], memberChain: true };
}

function objectDoc(e: Extract<Expr, { type: 'object' }>): Doc {
  if (e.props.length === 0) return '{}';
  const props = e.props.map((p): Doc => {
    if (p.kind === 'spread') return ['...', exprDoc(p.argument).doc];
    if (p.kind === 'shorthand') return p.name;
    return assignmentDoc(keyDoc(p.key), ':', p.value, { objectProperty: true });
  });
  return b.group(['{', b.indent([b.line, b.join([',', b.line], props)]), b.ifBreak(','), b.line, '}'], { shouldBreak: e.broken });
}

function arrayDoc(e: Extract<Expr, { type: 'array' }>): Doc {
  if (e.elements.length === 0) return '[]';
  if (e.elements.length > 1 && e.elements.every((x) => x.type === 'num' || (x.type === 'unary' && x.argument.type === 'num'))) unsure('number array fill');
  return b.group(['[', b.indent([b.softline, b.join([',', b.line], e.elements.map((x) => exprDoc(x).doc))]), b.ifBreak(','), b.softline, ']'], { shouldBreak: arrayMustBreak(e) });
}

/** prettier breaks an array of two or more arrays (or objects) that each hold more than one item. */
function arrayMustBreak(e: Extract<Expr, { type: 'array' }>): boolean {
  const sized = (x: Expr) => (x.type === 'object' ? x.props.length > 1 : x.type === 'array' ? x.elements.length > 1 : false);
  return e.elements.length > 1 && e.elements.every((x, i, all) => (x.type === 'object' || x.type === 'array') && sized(x) && (i === all.length - 1 || all[i + 1]!.type === x.type));
}

/** Docs by node: layout decisions (isPoorlyBreakableChain) look at a value's doc before it is printed. */
const printedDocs = new WeakMap<Expr, ExprDoc>();

function exprDoc(e: Expr): ExprDoc {
  let printed = printedDocs.get(e);
  if (!printed) printedDocs.set(e, (printed = exprDocUncached(e)));
  return printed;
}

function exprDocUncached(e: Expr): ExprDoc {
  switch (e.type) {
    case 'id':
      return { doc: e.name };
    case 'str':
      return { doc: stringDoc(e.raw) };
    case 'num':
      return { doc: numberDoc(e.raw) };
    case 'regex':
      return { doc: regexDoc(e.raw) };
    case 'member':
      if (e.object.type === 'call') return unsure('member of a call outside a chain');
      return { doc: [exprDoc(e.object).doc, '.', e.property] };
    case 'call':
      if (e.callee.type === 'member') return memberChainDoc(e);
      if (e.callee.type !== 'id') return unsure('call of a call');
      return { doc: [e.callee.name, callArgumentsDoc(e.args)] };
    case 'new':
      return { doc: ['new ', exprDoc(e.callee).doc, callArgumentsDoc(e.args)] };
    case 'object':
      return { doc: objectDoc(e) };
    case 'array':
      return { doc: arrayDoc(e) };
    case 'arrow':
      return { doc: e.flat };
    case 'unary':
      if (e.argument.type !== 'num' && e.argument.type !== 'id') return unsure('unary operand');
      return { doc: [e.op, exprDoc(e.argument).doc] };
    case 'binary':
      return unsure('binary outside an arrow');
  }
}

/** prettier's isPoorlyBreakableMemberOrCallChain. */
function isPoorlyBreakableChain(e: Expr, deep = false): boolean {
  if (e.type === 'call') {
    if (e.callee.type === 'member' && exprDoc(e).memberChain) return false;
    const poorly = e.args.length === 0 || (e.args.length === 1 && isLoneShortArgument(e.args[0]!));
    return poorly && isPoorlyBreakableChain(e.callee, true);
  }
  if (e.type === 'member') return isPoorlyBreakableChain(e.object, true);
  return deep && e.type === 'id';
}

/** prettier's printAssignment for `left op right` (object properties, variable declarators). */
function assignmentDoc(left: Doc, op: string, right: Expr, opts: { objectProperty?: boolean; rightDoc?: Doc } = {}): Doc {
  if (right.type === 'binary') return unsure('binary value');
  const rightDoc = opts.rightDoc ?? exprDoc(right).doc;
  const canBreakLeft = utils.canBreak(left);
  const hasShortKey = opts.objectProperty === true && typeof left === 'string' && left.length < TAB_WIDTH + 3;
  const isBooleanOrNumber = right.type === 'num' || (right.type === 'id' && (right.name === 'true' || right.name === 'false'));
  let layout: 'break-after-operator' | 'never-break-after-operator' | 'fluid';
  if (!hasShortKey && (right.type === 'str' || isPoorlyBreakableChain(right))) layout = 'break-after-operator';
  else if (!canBreakLeft && (hasShortKey || isBooleanOrNumber)) layout = 'never-break-after-operator';
  else layout = 'fluid';
  return layoutDoc(layout, left, op, rightDoc);
}

function layoutDoc(layout: 'break-after-operator' | 'never-break-after-operator' | 'fluid', left: Doc, op: string, rightDoc: Doc): Doc {
  switch (layout) {
    case 'break-after-operator':
      return b.group([b.group(left), op, b.group(b.indent([b.line, rightDoc]))]);
    case 'never-break-after-operator':
      return b.group([b.group(left), op, ' ', rightDoc]);
    case 'fluid': {
      const id = Symbol('assignment');
      return b.group([b.group(left), op, b.group(b.indent(b.line), { id }), b.lineSuffixBoundary, b.indentIfBreak(rightDoc, { groupId: id })]);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Types (the json-schema-to-typescript subset)

type TypeNode =
  | { type: 'ref'; name: string; args: TypeNode[] }
  | { type: 'keyword'; name: string }
  | { type: 'literal'; doc: string }
  | { type: 'array'; element: TypeNode }
  | { type: 'union'; types: TypeNode[] }
  | { type: 'intersection'; types: TypeNode[] }
  | { type: 'literalObject'; members: Member[]; broken: boolean }
  | { type: 'paren'; inner: TypeNode }
  | { type: 'function'; params: [string, TypeNode][]; result: TypeNode };
interface Member {
  comments: string[];
  index?: string;
  key: string;
  optional: boolean;
  value: TypeNode;
}

const KEYWORDS = new Set(['string', 'number', 'boolean', 'unknown', 'any', 'never', 'null', 'undefined', 'void', 'object', 'true', 'false']);

class TypeParser extends Parser {
  type(): TypeNode {
    if (this.at('|')) this.next();
    const types = [this.intersectionType()];
    while (this.at('|')) {
      this.next();
      types.push(this.intersectionType());
    }
    return types.length === 1 ? types[0]! : { type: 'union', types };
  }
  intersectionType(): TypeNode {
    const types = [this.postfixType()];
    while (this.at('&')) {
      this.next();
      types.push(this.postfixType());
    }
    return types.length === 1 ? types[0]! : { type: 'intersection', types };
  }
  postfixType(): TypeNode {
    let t = this.primaryType();
    while (this.at('[') && this.at(']', 1)) {
      this.next();
      this.next();
      t = { type: 'array', element: t };
    }
    return t;
  }
  primaryType(): TypeNode {
    const t = this.peek();
    if (!t) return unsure('unexpected end');
    if (t.kind === 'str') return this.next(), { type: 'literal', doc: stringDoc(t.text) };
    if (t.kind === 'num') return this.next(), { type: 'literal', doc: numberDoc(t.text) };
    if (t.kind === 'punc' && t.text === '-' && this.peek(1)?.kind === 'num') {
      this.next();
      return { type: 'literal', doc: `-${numberDoc(this.next().text)}` };
    }
    if (t.kind === 'id') {
      this.next();
      if (KEYWORDS.has(t.text)) return { type: 'keyword', name: t.text };
      let name = t.text;
      while (this.at('.')) {
        this.next();
        name += `.${this.ident()}`;
      }
      const args: TypeNode[] = [];
      if (this.at('<')) {
        this.next();
        for (;;) {
          args.push(this.type());
          if (this.at('>')) break;
          this.expect(',');
        }
        this.expect('>');
      }
      return { type: 'ref', name, args };
    }
    if (t.text === '{') return this.literalObject();
    if (t.text === '(') {
      if (this.at(')', 1) || (this.peek(1)?.kind === 'id' && (this.at(':', 2) || this.at('?', 2)))) return this.functionType();
      this.next();
      const inner = this.type();
      this.expect(')');
      return { type: 'paren', inner };
    }
    return unsure(`type ${t.text}`);
  }
  functionType(): TypeNode {
    this.expect('(');
    const params: [string, TypeNode][] = [];
    while (!this.at(')')) {
      const name = this.ident();
      this.expect(':');
      params.push([name, this.type()]);
      if (!this.at(')')) this.expect(',');
    }
    this.expect(')');
    this.expect('=>');
    return { type: 'function', params, result: this.type() };
  }
  literalObject(): TypeNode {
    this.expect('{');
    const broken = !this.at('}') && (this.peek()?.newlines ?? 0) > 0;
    const members = this.members('}');
    this.expect('}');
    return { type: 'literalObject', members, broken };
  }
  /** Interface or type literal members up to `close`, with the JSDoc comments before each. */
  members(close: string): Member[] {
    const members: Member[] = [];
    for (;;) {
      const comments: string[] = [];
      while (this.peek()?.kind === 'comment') {
        const c = this.tokens[this.i++]!;
        if (c.newlines === 0 && members.length + comments.length > 0) unsure('comment after code on a line');
        if ((this.peek()?.newlines ?? 0) === 0) unsure('code after a comment on a line');
        if (c.newlines > 1 || (this.peek()?.newlines ?? 0) > 1) unsure('blank line around a member comment');
        comments.push(c.text);
      }
      if (this.at(close)) {
        if (comments.length) unsure('dangling comment');
        return members;
      }
      if (this.peek()!.newlines > 1 && comments.length === 0) unsure('blank line between members');
      let index: string | undefined;
      let key: string;
      if (this.at('[')) {
        this.next();
        index = this.ident();
        this.expect(':');
        const keyType = this.ident();
        if (keyType !== 'string') unsure('index signature key type');
        this.expect(']');
        key = '';
      } else {
        key = keyDoc(this.next());
      }
      const optional = this.at('?');
      if (optional) this.next();
      this.expect(':');
      const value = this.type();
      if (this.at(';')) this.next();
      else if (!this.at(close) && (this.peek()?.newlines ?? 0) === 0) unsure('member separator');
      members.push({ comments, index, key, optional, value });
    }
  }
}

/** prettier's re-indentation of a JSDoc-style block comment (every line starts with `*`). */
function commentDoc(text: string): Doc {
  const lines = text.split('\n');
  if (lines.length === 1) return text;
  const inner = `*${text.slice(2, -2)}*`.split('\n');
  if (!inner.every((l) => l.trimStart().startsWith('*'))) unsure('block comment layout');
  const value = text.slice(2, -2).split('\n');
  return ['/*', b.join(b.hardline, value.map((l, i) => (i === 0 ? l.trimEnd() : ` ${i < value.length - 1 ? l.trim() : l.trimStart()}`))), '*/'];
}

const isObjectType = (t: TypeNode) => t.type === 'literalObject';
const isSimpleType = (t: TypeNode) => t.type === 'keyword' || (t.type === 'ref' && t.args.length === 0);

function shouldHugUnion(t: Extract<TypeNode, { type: 'union' }>): boolean {
  const objectLike = t.types.find((x) => x.type === 'literalObject' || x.type === 'ref');
  if (!objectLike) return false;
  return t.types.every((x) => x === objectLike || (x.type === 'keyword' && (x.name === 'null' || x.name === 'void')));
}

type TypeContext = 'annotation' | 'alias' | 'typeArg' | 'array' | 'functionParam' | 'result';

function typeDoc(t: TypeNode, context: TypeContext): Doc {
  switch (t.type) {
    case 'keyword':
      return t.name;
    case 'literal':
      return t.doc;
    case 'ref': {
      if (t.args.length === 0) return t.name;
      const only = t.args[0]!;
      if (t.args.length === 1 && (isObjectType(only) || isSimpleType(only) || (only.type === 'union' && shouldHugUnion(only)))) {
        return [t.name, '<', typeDoc(only, 'typeArg'), '>'];
      }
      if (t.args.some((a) => a.type !== 'ref' && a.type !== 'keyword')) unsure('complex type arguments');
      return [t.name, b.group(['<', b.indent([b.softline, b.join([',', b.line], t.args.map((a) => typeDoc(a, 'typeArg')))]), b.softline, '>'])];
    }
    case 'array': {
      const el = t.element;
      if (el.type === 'union' || el.type === 'function') unsure('array of union without parentheses');
      if (el.type === 'paren') {
        const inner = el.inner;
        // Parentheses around one type are dropped by prettier; around a union they are needed.
        if (inner.type === 'literal' || inner.type === 'keyword' || inner.type === 'ref' || inner.type === 'array') return [typeDoc(inner, 'array'), '[]'];
        if (inner.type !== 'union') return unsure('parenthesized array element');
        if (shouldHugUnion(inner)) return ['(', unionDoc(inner, 'parens'), ')', '[]'];
        return ['(', unionDoc(inner, 'parens'), ')', '[]'];
      }
      return [typeDoc(el, 'array'), '[]'];
    }
    case 'paren':
      // Redundant parentheses (json-schema-to-typescript writes them around unions): prettier drops them.
      if (context !== 'annotation' && context !== 'alias') return unsure('parenthesized type');
      return typeDoc(t.inner, context);
    case 'union':
      if (context !== 'annotation' && context !== 'alias') unsure(`union in ${context}`);
      return unionDoc(t, context === 'alias' ? 'alias' : 'indent');
    case 'literalObject':
      return membersDoc(t.members, t.broken, false);
    case 'intersection':
      if (context !== 'annotation' && context !== 'alias' && context !== 'typeArg') unsure(`intersection in ${context}`);
      return intersectionDoc(t);
    case 'function': {
      // Parameters are not grouped apart from the return type: with two or more always, with one
      // (not hugged: a plain type reference) while the return type is neither an object type nor
      // certain to break (prettier's shouldGroupFunctionParameters).
      if (context !== 'alias' || t.params.length < 1) unsure('function type position');
      if (t.params.length === 1 && (t.result.type === 'literalObject' || t.result.type === 'intersection')) unsure('one-parameter function type result');
      for (const [, p] of t.params) if (p.type !== 'ref' || p.args.length) unsure('function type parameter');
      const result = t.result.type === 'union' ? unionDoc(t.result as Extract<TypeNode, { type: 'union' }>, 'indent') : typeDoc(t.result, 'result');
      return b.group(['(', b.indent([b.softline, b.join([',', b.line], t.params.map(([n, p]) => [n, ': ', typeDoc(p, 'functionParam')]))]), b.ifBreak(','), b.softline, ')', ' => ', result]);
    }
  }
}

/** prettier's intersection printing: objects side by side, other types broken after ` &`. */
function intersectionDoc(t: Extract<TypeNode, { type: 'intersection' }>): Doc {
  const types = t.types.map((x) => (x.type === 'paren' && x.inner.type !== 'union' && x.inner.type !== 'intersection' && x.inner.type !== 'function' ? x.inner : x));
  for (const x of types) if (x.type === 'paren' || x.type === 'union' || x.type === 'intersection' || x.type === 'function') unsure('intersection member shape');
  let wasIndented = false;
  return b.group(
    types.map((x, i): Doc => {
      const doc = typeDoc(x, 'typeArg');
      if (i === 0) return doc;
      const isObject = isObjectType(x);
      const previousIsObject = isObjectType(types[i - 1]!);
      if (isObject && previousIsObject) return [' & ', wasIndented ? b.indent(doc) : doc];
      if (!isObject && !previousIsObject) return b.indent([' &', b.line, doc]);
      if (i > 1) wasIndented = true;
      return [' & ', i > 1 ? b.indent(doc) : doc];
    }),
  );
}

function unionDoc(union: Extract<TypeNode, { type: 'union' }>, mode: 'alias' | 'indent' | 'parens'): Doc {
  // prettier drops parentheses around one type; a parenthesized union stays a nested union in parentheses.
  const t = { ...union, types: union.types.map((x) => (x.type === 'paren' && x.inner.type !== 'union' ? x.inner : x)) };
  for (const x of t.types) {
    if (x.type === 'union' || x.type === 'function' || (x.type === 'paren' && (x.inner.type !== 'union' || shouldHugUnion(x.inner)))) unsure('union member shape');
    if (x.type === 'paren' && (x.inner as Extract<TypeNode, { type: 'union' }>).types.some((y) => y.type === 'paren' || y.type === 'union')) unsure('union member shape');
  }
  if (shouldHugUnion(t)) return b.join(' | ', t.types.map((x) => typeDoc(x, 'typeArg')));
  // A nested union keeps its parentheses (and breaks inside them); an intersection gets them.
  const member = (x: TypeNode): Doc =>
    x.type === 'paren' ? ['(', unionDoc(x.inner as Extract<TypeNode, { type: 'union' }>, 'parens'), ')'] : x.type === 'intersection' ? ['(', intersectionDoc(x), ')'] : typeDoc(x, 'typeArg');
  const parts = b.group(t.types.map((x, i) => [i === 0 ? b.ifBreak('| ') : [b.line, '| '], b.align(2, member(x))]));
  if (mode === 'parens') return b.group([b.indent([b.softline, parts]), b.softline]);
  if (mode === 'alias') return parts;
  return b.group(b.indent([b.softline, parts]));
}

function membersDoc(members: Member[], broken: boolean, isInterface: boolean): Doc {
  if (members.length === 0) return '{}';
  const printed = members.map((m, i): Doc => {
    const key = m.index !== undefined ? `[${m.index}: string]` : m.key;
    const member: Doc = [key, m.optional ? '?' : '', ': ', typeDoc(m.value, 'annotation')];
    const withSep = i === members.length - 1 ? [member, isInterface ? ';' : b.ifBreak(';')] : [member, ';'];
    return m.comments.length ? [...m.comments.map((c) => [commentDoc(c), b.hardline]), withSep] : withSep;
  });
  if (!isInterface && members.some((m) => m.comments.length > 0) && !broken) unsure('comment in a flat type literal');
  return b.group(['{', b.indent([b.line, b.join(b.line, printed)]), b.line, '}'], { shouldBreak: isInterface || broken });
}

// ---------------------------------------------------------------------------------------------
// Statements

/** The runtime helper sources, written in prettier's layout (checked by the test): copied as they are. */
export const stableHelperSources = (): string[] => Object.values(RUNTIME_HELPERS).map((h): string => h.source);

function statementDoc(p: TypeParser): Doc {
  const first = p.peek()!;
  if (first.kind === 'id' && first.text === 'import') return importDoc(p);
  let exported = false;
  if (p.at('export')) {
    p.next();
    exported = true;
    // `export {};` (a registry with no entries stays a module).
    if (p.at('{') && p.at('}', 1)) {
      p.next();
      p.next();
      p.expect(';');
      return 'export {};';
    }
    // `export { a, type B } from '…';` (the tools barrel): specifiers printed as an import's.
    if (p.at('{')) return ['export ', specifiersFromDoc(p)];
  }
  const prefix = exported ? 'export ' : '';
  const kw = p.ident();
  if (kw === 'interface') {
    const name = p.ident();
    p.expect('{');
    const members = p.members('}');
    p.expect('}');
    return [prefix, 'interface ', name, ' ', membersDoc(members, true, true)];
  }
  if (kw === 'type') {
    const name = p.ident();
    p.expect('=');
    const value = p.type();
    // json-schema-to-typescript ends aliases without a semicolon.
    if (p.at(';')) p.next();
    else if (p.peek() !== undefined && p.peek()!.newlines === 0) unsure('alias end');
    return [prefix, typeAliasDoc(`type ${name}`, value), ';'];
  }
  if (kw === 'const') {
    const name = p.ident();
    let left: Doc = name;
    if (p.at(':')) {
      p.next();
      const annotation = p.type();
      if (annotation.type === 'ref' && annotation.args.length > 1 && annotation.args.some((a) => a.type === 'ref' && a.args.length > 0)) unsure('complex type annotation');
      left = [name, ': ', typeDoc(annotation, 'annotation')];
    }
    p.expect('=');
    const init = p.expression();
    let rightDoc: Doc | undefined;
    if (p.at('as')) {
      p.next();
      if (p.ident() !== 'const') unsure('as cast');
      if (init.type !== 'object' && init.type !== 'array') unsure('as const operand');
      rightDoc = [exprDoc(init).doc, ' as const'];
    }
    p.expect(';');
    if (init.type === 'arrow') unsure('arrow const');
    return b.group([prefix, 'const ', assignmentDoc(left, ' =', init, { rightDoc: rightDoc ?? undefined }), ';']);
  }
  if (kw === 'function') {
    const name = p.ident();
    p.expect('(');
    const param = p.ident();
    p.expect(':');
    const paramType = p.type();
    if (paramType.type !== 'ref' || paramType.args.length) unsure('parameter type');
    p.expect(')');
    p.expect('{');
    if (p.ident() !== 'return') unsure('function body');
    const value = p.expression();
    p.expect(';');
    p.expect('}');
    const params = b.group(['(', b.indent([b.softline, param, ': ', typeDoc(paramType, 'annotation')]), b.ifBreak(','), b.softline, ')']);
    return [prefix, 'function ', name, b.group(params), ' {', b.indent([b.hardline, 'return ', exprDoc(value).doc, ';']), b.hardline, '}'];
  }
  return unsure(`statement ${kw}`);
}

function typeAliasDoc(left: string, parenthesized: TypeNode): Doc {
  // prettier drops parentheses around an alias's whole type (json-schema-to-typescript writes them).
  let value = parenthesized;
  while (value.type === 'paren') value = value.inner;
  if (value.type === 'union' && !shouldHugUnion(value)) return layoutDoc('break-after-operator', left, ' =', typeDoc(value, 'alias'));
  return layoutDoc('fluid', left, ' =', typeDoc(value, 'alias'));
}

function importDoc(p: TypeParser): Doc {
  p.expect('import');
  // `import type * as T from '…';` (the protocol validators' type namespace): printed as written.
  if (p.at('type') && p.at('*', 1)) {
    p.next();
    p.next();
    if (p.ident() !== 'as') unsure('namespace import shape');
    const local = p.ident();
    if (p.ident() !== 'from') unsure('import shape');
    const from = p.next();
    if (from.kind !== 'str') unsure('import source');
    p.expect(';');
    return ['import type * as ', local, ' from ', stringDoc(from.text), ';'];
  }
  return ['import ', specifiersFromDoc(p)];
}

/** `{ a, type B as C } from '…';` of an import or re-export, as prettier prints it. */
function specifiersFromDoc(p: TypeParser): Doc {
  p.expect('{');
  const specifiers: string[] = [];
  while (!p.at('}')) {
    let spec = '';
    if (p.at('type') && p.peek(1)?.kind === 'id' && !p.at(',', 1) && !p.at('}', 1)) {
      p.next();
      spec = 'type ';
    }
    spec += p.ident();
    if (p.at('as')) {
      p.next();
      spec += ` as ${p.ident()}`;
    }
    specifiers.push(spec);
    if (!p.at('}')) p.expect(',');
  }
  p.expect('}');
  if (p.ident() !== 'from') unsure('import shape');
  const source = p.next();
  if (source.kind !== 'str') unsure('import source');
  p.expect(';');
  if (specifiers.length === 0) unsure('empty import');
  const list: Doc = specifiers.length === 1 ? ['{ ', specifiers[0]!, ' }'] : b.group(['{', b.indent([b.line, b.join([',', b.line], specifiers)]), b.ifBreak(','), b.line, '}']);
  return [list, ' from ', stringDoc(source.text), ';'];
}

/** Switched off by the doc printer's parity test, to compare against prettier's own printer. */
export const docPrinting = { own: true };

function printDoc(doc: Doc): string {
  if (docPrinting.own) {
    try {
      return printOwnDoc(doc, PRINT_WIDTH, TAB_WIDTH);
    } catch (e) {
      if (!(e instanceof Unprintable)) throw e;
    }
  }
  return printer.printDocToString(doc, { printWidth: PRINT_WIDTH, tabWidth: TAB_WIDTH, useTabs: false } as never).formatted;
}

/**
 * prettier's text for a tool contract file, or undefined when this module is not certain of it (the
 * caller formats the file with prettier then).
 */
export function layoutToolFile(text: string): string | undefined {
  try {
    return layout(text);
  } catch (e) {
    if (e instanceof Unsure) return undefined;
    throw e;
  }
}

/** Like layoutToolFile, but throws Unsure with the reason (tests and measurements). */
export function layout(text: string): string {
  const tokens = tokenize(text, literalStatements(text));
  const p = new TypeParser(tokens);
  const helpers = stableHelperSources();
  const out: string[] = [];
  while (p.i < tokens.length) {
    const t = p.peek()!;
    if (out.length > 0) {
      if (t.newlines === 0) unsure('two statements on a line');
      out.push(t.newlines > 1 ? '\n\n' : '\n');
    }
    if (t.kind === 'literal') {
      p.i++;
      out.push(t.text);
      continue;
    }
    if (t.kind === 'comment') {
      p.i++;
      if ((p.peek()?.newlines ?? 1) === 0) unsure('code after a comment on a line');
      out.push(printDoc(commentDoc(t.text)));
      continue;
    }
    const helper = t.kind === 'id' && t.text === 'const' ? helpers.find((h) => text.startsWith(h, t.start)) : undefined;
    if (helper) {
      const end = t.start + helper.length;
      while (p.i < tokens.length && tokens[p.i]!.start < end) p.i++;
      out.push(helper);
      continue;
    }
    const printed = printDoc(statementDoc(p));
    // An arrow function is kept as one-line text: a line it makes too wide is one prettier would have broken.
    for (const line of printed.split('\n')) if (line.includes('=>') && line.length > PRINT_WIDTH) unsure('a wide line with an arrow function');
    out.push(printed);
  }
  const result = out.join('') + '\n';
  if (result.includes(POISON)) unsure('a construct prettier would break');
  return result;
}

/**
 * A generated TypeScript file's fields for EmittedFile: laid out here and marked preformatted when
 * this module is certain of prettier's text, else the text as emitted (prettier formats it then).
 * Used for the files made of the same constructs as the tool files: the protocol types and validators
 * (json-schema-to-typescript and zod printer output), the shared schemas, the prompt registry.
 */
export function laidOutTypeScript(content: string): { content: string; preformatted: boolean } {
  const laidOut = layoutToolFile(content);
  return laidOut === undefined ? { content, preformatted: false } : { content: laidOut, preformatted: true };
}
