/**
 * RFC 6570 URI Template syntax (levels 1–4): enough to reject malformed templates with a
 * column, and to list the variables the generated handler receives.
 */

export type TemplateOperator = '' | '+' | '#' | '.' | '/' | ';' | '?' | '&';

export interface TemplateVariable {
  name: string;
  operator: TemplateOperator;
  /** `{list*}` */
  explode: boolean;
  /** `{var:3}` */
  maxLength?: number;
}

export interface TemplateError {
  message: string;
  /** 0-based offset in the template. */
  offset: number;
  length: number;
}

export interface ParsedTemplate {
  variables: TemplateVariable[];
  errors: TemplateError[];
}

const OPERATORS = new Set(['+', '#', '.', '/', ';', '?', '&']);
/** Reserved for future extensions by RFC 6570 §2.2; invalid today. */
const RESERVED_OPERATORS = new Set(['=', ',', '!', '@', '|']);
const VARCHAR = /^(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})+$/;
/** RFC 6570 §2.1: characters that may not appear literally outside expressions. */
const FORBIDDEN_LITERAL = /[\u0000-\u0020"'<>\\^`{|}\u007f]/;

export function parseUriTemplate(template: string): ParsedTemplate {
  const variables: TemplateVariable[] = [];
  const errors: TemplateError[] = [];
  let i = 0;
  while (i < template.length) {
    const ch = template[i];
    if (ch === '{') {
      const close = template.indexOf('}', i + 1);
      const nextOpen = template.indexOf('{', i + 1);
      if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
        errors.push({ message: 'unclosed `{`', offset: i, length: 1 });
        i = nextOpen === -1 ? template.length : nextOpen;
        continue;
      }
      parseExpression(template.slice(i + 1, close), i + 1, variables, errors);
      i = close + 1;
      continue;
    }
    if (ch === '}') {
      errors.push({ message: '`}` without a matching `{`', offset: i, length: 1 });
    } else if (ch === '%') {
      if (!/^%[0-9A-Fa-f]{2}/.test(template.slice(i, i + 3))) errors.push({ message: '`%` must start a percent-encoding like `%20`', offset: i, length: 1 });
    } else if (FORBIDDEN_LITERAL.test(ch)) {
      errors.push({ message: `character ${JSON.stringify(ch)} is not allowed in a URI template`, offset: i, length: 1 });
    }
    i++;
  }
  return { variables, errors };
}

function parseExpression(body: string, offset: number, variables: TemplateVariable[], errors: TemplateError[]): void {
  if (body === '') {
    errors.push({ message: 'empty expression `{}`', offset: offset - 1, length: 2 });
    return;
  }
  let operator: TemplateOperator = '';
  let start = 0;
  if (OPERATORS.has(body[0])) {
    operator = body[0] as TemplateOperator;
    start = 1;
  } else if (RESERVED_OPERATORS.has(body[0])) {
    errors.push({ message: `operator \`${body[0]}\` is reserved by RFC 6570 and cannot be used`, offset, length: 1 });
    return;
  }
  let position = offset + start;
  for (const spec of body.slice(start).split(',')) {
    const variable = parseVarSpec(spec, operator);
    if (typeof variable === 'string') errors.push({ message: variable, offset: position, length: Math.max(1, spec.length) });
    else variables.push(variable);
    position += spec.length + 1;
  }
}

function parseVarSpec(spec: string, operator: TemplateOperator): TemplateVariable | string {
  let name = spec;
  let explode = false;
  let maxLength: number | undefined;
  if (spec.endsWith('*')) {
    explode = true;
    name = spec.slice(0, -1);
  } else {
    const colon = spec.indexOf(':');
    if (colon !== -1) {
      const length = spec.slice(colon + 1);
      if (!/^[1-9][0-9]{0,3}$/.test(length)) return `prefix length \`${length}\` must be 1 to 9999`;
      maxLength = Number(length);
      name = spec.slice(0, colon);
    }
  }
  if (name === '') return 'missing variable name';
  if (!name.split('.').every((part) => VARCHAR.test(part))) {
    return `\`${name}\` is not a valid variable name (letters, digits, \`_\`, percent-encodings, inner \`.\`)`;
  }
  return maxLength === undefined ? { name, operator, explode } : { name, operator, explode, maxLength };
}
