/**
 * RFC 6570 expansion for resource templates (server/resources.mdx "Resource Templates"), so a
 * typed helper can turn `{ city: 'Paris' }` into the URI it reads. Supports the operators the
 * server runtime matches: none, `+`, `#`, `.`, `/`, `;`, `?`, `&`; prefix (`:n`) and explode (`*`)
 * modifiers are accepted, values are strings.
 */
const UNRESERVED = /[A-Za-z0-9\-._~]/;
const RESERVED = /[:/?#[\]@!$&'()*+,;=]/;

function encode(value: string, allowReserved: boolean): string {
  let out = '';
  for (const char of value) {
    if (UNRESERVED.test(char) || (allowReserved && RESERVED.test(char))) out += char;
    else out += encodeURIComponent(char).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  }
  return out;
}

const OPERATORS: Record<string, { first: string; sep: string; named: boolean; ifEmpty: string; reserved: boolean }> = {
  '': { first: '', sep: ',', named: false, ifEmpty: '', reserved: false },
  '+': { first: '', sep: ',', named: false, ifEmpty: '', reserved: true },
  '#': { first: '#', sep: ',', named: false, ifEmpty: '', reserved: true },
  '.': { first: '.', sep: '.', named: false, ifEmpty: '', reserved: false },
  '/': { first: '/', sep: '/', named: false, ifEmpty: '', reserved: false },
  ';': { first: ';', sep: ';', named: true, ifEmpty: '', reserved: false },
  '?': { first: '?', sep: '&', named: true, ifEmpty: '=', reserved: false },
  '&': { first: '&', sep: '&', named: true, ifEmpty: '=', reserved: false },
};

export function expandUriTemplate(template: string, values: Record<string, string | undefined>): string {
  return template.replace(/\{([^}]*)\}/g, (_whole, expression: string) => {
    const op = OPERATORS[expression[0] ?? ''] ? expression[0]! : '';
    const spec = OPERATORS[op]!;
    const parts: string[] = [];
    for (const rawName of (op ? expression.slice(1) : expression).split(',')) {
      const [name = '', prefix] = rawName.replace(/\*$/, '').split(':');
      // Own properties only: a variable named `constructor` or `toString` is simply unset.
      let value = Object.hasOwn(values, name) ? values[name] : undefined;
      if (value === undefined) continue;
      if (prefix !== undefined) value = [...value].slice(0, Number(prefix)).join('');
      const encoded = encode(value, spec.reserved);
      parts.push(spec.named ? (encoded === '' ? `${name}${spec.ifEmpty}` : `${name}=${encoded}`) : encoded);
    }
    return parts.length === 0 ? '' : spec.first + parts.join(spec.sep);
  });
}
