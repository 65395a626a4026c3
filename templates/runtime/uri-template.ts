/**
 * Matching URIs against RFC 6570 templates (server/resources.mdx "Resource Templates").
 *
 * Supported expressions: `{var}`, `{+var}`, `{#var}`, `{.var}`, `{/var}`, `{;var}` and the query
 * forms `{?a,b}` / `{&a}`; prefix modifiers (`:n`) and explode (`*`) are accepted and matched
 * loosely. Values are percent-decoded.
 */

/** Variable names of a template literal type, e.g. `'x://{id}/{+path}'` → `'id' | 'path'`. */
export type TemplateVariables<T extends string> = T extends `${string}{${infer Expr}}${infer Rest}`
  ? ExpressionNames<StripOperator<Expr>> | TemplateVariables<Rest>
  : never;
type StripOperator<E extends string> = E extends `${'+' | '#' | '.' | '/' | ';' | '?' | '&'}${infer N}` ? N : E;
type ExpressionNames<E extends string> = E extends `${infer A},${infer B}` ? CleanName<A> | ExpressionNames<B> : CleanName<E>;
type CleanName<N extends string> = N extends `${infer V}*` ? V : N extends `${infer V}:${string}` ? V : N;

export type TemplateParams<T extends string> = string extends T ? Record<string, string> : { [K in TemplateVariables<T>]: string };

export interface CompiledTemplate {
  readonly template: string;
  readonly variables: readonly string[];
  match(uri: string): Record<string, string> | undefined;
}

/** Longest URI matched against templates; longer ones are "not found" (-32602). */
export const MAX_MATCHED_URI_LENGTH = 2048;

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const safeDecode = (value: string): string | undefined => {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
};

// What precedes the first value and separates later values, per operator (RFC 6570 §3.2).
const FIRST_PREFIX: Record<string, string> = { '': '', '+': '', '#': '#', '.': '.', '/': '/', ';': ';' };
const SEPARATOR: Record<string, string> = { '': ',', '+': ',', '#': ',', '.': '.', '/': '/', ';': ';' };
// Reserved expansion (+, #) may span '/', the others stop at the next delimiter.
const VALUE: Record<string, string> = { '': '([^/?#,]*)', '+': '(.*?)', '#': '(.*?)', '.': '([^/?#,.]*)', '/': '([^/?#,]*)', ';': '([^;/?#,]*)' };

export function compileUriTemplate(template: string): CompiledTemplate {
  const variables: string[] = [];
  const queryVars: string[] = [];
  let pattern = '';
  let last = 0;
  const groups: string[] = [];

  for (const expression of template.matchAll(/\{([^}]*)\}/g)) {
    pattern += escapeRegex(template.slice(last, expression.index));
    last = expression.index + expression[0].length;
    const body = expression[1] ?? '';
    const operator = /^[+#./;?&]/.test(body) ? body[0] : '';
    const names = body
      .slice(operator.length)
      .split(',')
      .map((n) => n.replace(/\*$/, '').replace(/:\d+$/, ''))
      .filter(Boolean);
    variables.push(...names);
    if (operator === '?' || operator === '&') {
      // Query expressions are matched as a whole and parsed afterwards.
      queryVars.push(...names);
      pattern += '(?:[?&](.*))?';
      groups.push('\u0000query');
      continue;
    }
    for (const [i, name] of names.entries()) {
      pattern += escapeRegex(i === 0 ? FIRST_PREFIX[operator] ?? '' : SEPARATOR[operator] ?? ',');
      pattern += operator === ';' ? `${escapeRegex(name)}=?` : '';
      pattern += VALUE[operator] ?? VALUE[''];
      groups.push(name);
    }
  }
  pattern += escapeRegex(template.slice(last));
  const regex = new RegExp(`^${pattern}$`);

  return {
    template,
    variables,
    match(uri) {
      // Bounded input keeps backtracking between adjacent expressions (e.g. {+a}/{+b}) cheap; URIs
      // with control characters match no template (and would force a full failed scan).
      if (uri.length > MAX_MATCHED_URI_LENGTH || /[\u0000-\u001f]/.test(uri)) return undefined;
      const m = regex.exec(uri);
      if (!m) return undefined;
      const params: Record<string, string> = {};
      for (const [i, name] of groups.entries()) {
        const raw = m[i + 1];
        if (raw === undefined) continue;
        if (name === '\u0000query') {
          for (const pair of raw.split('&')) {
            const [k, v = ''] = pair.split('=');
            if (k && queryVars.includes(k)) {
              const decoded = safeDecode(v);
              if (decoded === undefined) return undefined;
              params[k] = decoded;
            }
          }
          continue;
        }
        const decoded = safeDecode(raw);
        if (decoded === undefined) return undefined;
        params[name] = decoded;
      }
      return params;
    },
  };
}
