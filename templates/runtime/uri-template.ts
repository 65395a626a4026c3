/**
 * Matching URIs against RFC 6570 templates (server/resources.mdx "Resource Templates").
 *
 * Supported expressions: `{var}`, `{+var}`, `{#var}`, `{.var}`, `{/var}`, `{;var}` and the query
 * forms `{?a,b}` / `{&a}`; prefix modifiers (`:n`) bound a value's length and explode (`*`) is
 * accepted (the value is the raw list text). Values are percent-decoded.
 *
 * The matcher is a single left-to-right walk over the parsed template (no regular expression, no
 * backtracking), so its cost is linear in the URI length: each expression ends where the next
 * boundary first occurs.
 *  - An expression followed by a literal ends at the first occurrence of that literal; the
 *    template's final literal is matched against the end of the URI.
 *  - An expression followed by a prefixed expression (`.`, `/`, `;`, `#`, `?`, `&`) ends at the
 *    first occurrence of that prefix character (after its own prefix).
 *  - Adjacent expressions with no literal or prefix between them (`{a}{b}`): the first takes
 *    everything up to the next boundary, the later ones match the empty string.
 *  - Several variables in one expression are split on the operator's separator; the last one
 *    takes the rest.
 *
 * Decoded values are then checked before any handler sees them (see `TemplateMatch`): no NUL or
 * control characters, no `/` where the operator does not allow one, no `..` segment unless the
 * template opts in, no value longer than MAX_VARIABLE_LENGTH or its `:n` prefix.
 */

/** Variable names of a template literal type, e.g. `'x://{id}/{+path}'` → `'id' | 'path'`. */
export type TemplateVariables<T extends string> = T extends `${string}{${infer Expr}}${infer Rest}`
  ? ExpressionNames<StripOperator<Expr>> | TemplateVariables<Rest>
  : never;
type StripOperator<E extends string> = E extends `${'+' | '#' | '.' | '/' | ';' | '?' | '&'}${infer N}` ? N : E;
type ExpressionNames<E extends string> = E extends `${infer A},${infer B}` ? CleanName<A> | ExpressionNames<B> : CleanName<E>;
type CleanName<N extends string> = N extends `${infer V}*` ? V : N extends `${infer V}:${string}` ? V : N;

export type TemplateParams<T extends string> = string extends T ? Record<string, string> : { [K in TemplateVariables<T>]: string };

/**
 * A URI that has this template's shape. `rejected` means the shape matched but a decoded value is
 * unsafe to hand to a handler; the dispatcher answers -32602 without calling it.
 */
export type TemplateMatch = { ok: true; params: Record<string, string> } | { ok: false; variable: string; reason: string };

export interface CompiledTemplate {
  readonly template: string;
  readonly variables: readonly string[];
  /** Params of an accepted URI; undefined for another shape or a rejected value. */
  match(uri: string): Record<string, string> | undefined;
  /** Undefined when the URI does not have this template's shape. */
  exec(uri: string): TemplateMatch | undefined;
}

export interface TemplateMatchOptions {
  /** Let `{+x}`, `{#x}` and `{/x}` values contain `..` segments (manifest `allowDotSegments`). Default false. */
  allowDotSegments?: boolean;
}

/** Longest URI matched against templates; longer ones are "not found" (-32602). */
export const MAX_MATCHED_URI_LENGTH = 2048;
/** Longest raw (still percent-encoded) text one variable may take. */
export const MAX_VARIABLE_LENGTH = 1024;

type Operator = '' | '+' | '#' | '.' | '/' | ';' | '?' | '&';

interface VariableSpec {
  name: string;
  /** `{var:n}`: at most n characters. */
  maxLength: number | undefined;
}

type Token = { literal: string } | { operator: Operator; vars: VariableSpec[] };
type Expression = Extract<Token, { operator: Operator }>;

// What precedes the first value and separates later values, per operator (RFC 6570 §3.2).
const PREFIX: Record<Operator, string> = { '': '', '+': '', '#': '#', '.': '.', '/': '/', ';': ';', '?': '?', '&': '&' };
const SEPARATOR: Record<Operator, string> = { '': ',', '+': ',', '#': ',', '.': '.', '/': '/', ';': ';', '?': '&', '&': '&' };
/** Raw characters that end a value's shape: a simple `{x}` never spans `/`, `?` or `#`. */
const RAW_FORBIDDEN: Record<Operator, RegExp | undefined> = {
  '': /[/?#]/,
  '+': undefined,
  '#': undefined,
  '.': /[/?#]/,
  '/': /[?#]/,
  ';': /[/?#]/,
  '?': /[/?#]/,
  '&': /[/?#]/,
};
/** Reserved and path expansions may carry `/` after decoding; every other operator may not. */
const SLASH_ALLOWED: ReadonlySet<Operator> = new Set<Operator>(['+', '#', '/']);
const CONTROL = /[\u0000-\u001f\u007f]/;
const DOT_SEGMENT = /(?:^|[/\\])\.\.(?:$|[/\\])/;
const isQuery = (op: Operator) => op === '?' || op === '&';

function parseTemplate(template: string): Token[] {
  const tokens: Token[] = [];
  let literal = '';
  let i = 0;
  while (i < template.length) {
    const close = template[i] === '{' ? template.indexOf('}', i + 1) : -1;
    if (close === -1) {
      literal += template[i];
      i += 1;
      continue;
    }
    if (literal) tokens.push({ literal });
    literal = '';
    const body = template.slice(i + 1, close);
    i = close + 1;
    const operator = ('+#./;?&'.includes(body[0] ?? 'x') ? body[0] : '') as Operator;
    const vars = body
      .slice(operator.length)
      .split(',')
      .map((raw): VariableSpec => {
        const spec = /^([^:*]*)(?::(\d+))?\*?$/.exec(raw);
        return { name: spec?.[1] ?? raw, maxLength: spec?.[2] ? Number(spec[2]) : undefined };
      })
      .filter((v) => v.name !== '');
    if (vars.length === 0) continue;
    const previous = tokens[tokens.length - 1];
    // Consecutive query expressions ({?a}{&b}) read one query string together.
    if (isQuery(operator) && previous && 'operator' in previous && isQuery(previous.operator)) previous.vars.push(...vars);
    else tokens.push({ operator, vars });
  }
  if (literal) tokens.push({ literal });
  return tokens;
}

export function compileUriTemplate(template: string, options: TemplateMatchOptions = {}): CompiledTemplate {
  const tokens = parseTemplate(template);
  const variables = tokens.flatMap((t) => ('vars' in t ? t.vars.map((v) => v.name) : []));
  const allowDotSegments = options.allowDotSegments ?? false;
  const last = tokens.length - 1;

  /** Where boundary token `k` starts, searching from `from`; -1 when it does not occur. */
  const boundary = (uri: string, k: number, from: number): number => {
    if (k > last) return uri.length;
    const token = tokens[k]!;
    if ('literal' in token) {
      if (k < last) return uri.indexOf(token.literal, from);
      const start = uri.length - token.literal.length;
      return start >= from && uri.endsWith(token.literal) ? start : -1;
    }
    const at = uri.indexOf(PREFIX[token.operator], from);
    // A query may be absent altogether: then the value runs to whatever follows it.
    if (at === -1 && isQuery(token.operator)) return boundary(uri, k + 1, from);
    return at;
  };

  /** Validates and decodes one value; a string is the rejection reason. */
  const accept = (raw: string, operator: Operator, spec: VariableSpec): { value: string } | string => {
    if (raw.length > MAX_VARIABLE_LENGTH) return `is longer than ${MAX_VARIABLE_LENGTH} characters`;
    let value: string;
    try {
      value = decodeURIComponent(raw);
    } catch {
      return 'is not valid percent-encoded UTF-8';
    }
    if (spec.maxLength !== undefined && value.length > spec.maxLength) return `is longer than its prefix length ${spec.maxLength}`;
    if (CONTROL.test(value)) return 'contains a NUL or control character';
    if (!SLASH_ALLOWED.has(operator) && value.includes('/')) return 'contains `/`';
    if (!(allowDotSegments && SLASH_ALLOWED.has(operator)) && DOT_SEGMENT.test(value)) return 'contains a `..` segment';
    return { value };
  };

  /** Reads one expression's text into `params`; undefined = wrong shape. */
  const readExpression = (expression: Expression, text: string, params: Record<string, string>): TemplateMatch | undefined => {
    const { operator, vars } = expression;
    if (isQuery(operator)) {
      if (text === '') return { ok: true, params };
      for (const pair of text.slice(1).split('&')) {
        const eq = pair.indexOf('=');
        const key = eq === -1 ? pair : pair.slice(0, eq);
        const spec = vars.find((v) => v.name === key);
        if (!spec) continue; // other query parameters are ignored
        const checked = accept(eq === -1 ? '' : pair.slice(eq + 1), operator, spec);
        if (typeof checked === 'string') return { ok: false, variable: spec.name, reason: checked };
        setParam(params, spec.name, checked.value);
      }
      return { ok: true, params };
    }
    const prefix = PREFIX[operator];
    if (prefix && !text.startsWith(prefix)) return undefined;
    const body = text.slice(prefix.length);
    const separator = SEPARATOR[operator];
    let start = 0;
    for (const [index, spec] of vars.entries()) {
      const end = index === vars.length - 1 ? body.length : body.indexOf(separator, start);
      if (end === -1) return undefined;
      let raw = body.slice(start, end);
      start = end + separator.length;
      if (operator === ';') {
        // {;x} expands to `;x=value`, or `;x` for an empty value.
        if (raw !== spec.name && !raw.startsWith(`${spec.name}=`)) return undefined;
        raw = raw.slice(spec.name.length + 1);
      }
      const forbidden = RAW_FORBIDDEN[operator];
      if (forbidden?.test(raw)) return undefined;
      const checked = accept(raw, operator, spec);
      if (typeof checked === 'string') return { ok: false, variable: spec.name, reason: checked };
      setParam(params, spec.name, checked.value);
    }
    return { ok: true, params };
  };

  const exec = (uri: string): TemplateMatch | undefined => {
    if (uri.length > MAX_MATCHED_URI_LENGTH) return undefined;
    const params: Record<string, string> = {};
    let rejected: TemplateMatch | undefined;
    let pos = 0;
    let k = 0;
    while (k <= last) {
      const token = tokens[k]!;
      if ('literal' in token) {
        if (!uri.startsWith(token.literal, pos)) return undefined;
        pos += token.literal.length;
        k += 1;
        continue;
      }
      // A query expression that is absent takes nothing; a present one starts with its prefix.
      const ownPrefix = PREFIX[token.operator];
      if (isQuery(token.operator) && uri[pos] !== ownPrefix) {
        k += 1;
        continue;
      }
      // Expressions without a prefix directly after this one match the empty string.
      let next = k + 1;
      while (next <= last && 'operator' in tokens[next]! && PREFIX[(tokens[next] as Expression).operator] === '') next += 1;
      const end = boundary(uri, next, pos + ownPrefix.length);
      if (end === -1 || end < pos) return undefined;
      for (let j = k; j < next; j += 1) {
        const outcome = readExpression(tokens[j] as Expression, j === k ? uri.slice(pos, end) : '', params);
        if (!outcome) return undefined;
        // Keep walking: a later literal may still show that this is not the template's shape.
        if (!outcome.ok) rejected ??= outcome;
      }
      pos = end;
      k = next;
    }
    if (pos !== uri.length) return undefined;
    return rejected ?? { ok: true, params };
  };

  return {
    template,
    variables,
    exec,
    match(uri) {
      const outcome = exec(uri);
      return outcome?.ok ? outcome.params : undefined;
    },
  };
}

/** Own data property even for a variable named `__proto__`. */
function setParam(params: Record<string, string>, name: string, value: string): void {
  Object.defineProperty(params, name, { value, enumerable: true, writable: true, configurable: true });
}
