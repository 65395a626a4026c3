/**
 * ReDoS and traversal corpus for `resources/read` (issue 14): one template per RFC 6570 operator
 * (plus adjacent expressions), worst-case URIs for a backtracking matcher at the 2 048-character
 * cap, percent-encoded `..`, NUL and control characters, broken percent-encoding, overlong URIs.
 * Each case names the answer it must get; the fuzz server registers REDOS_TEMPLATES with a read
 * handler that echoes its params, so a result proves the handler ran.
 */
export interface TemplateCase {
  name: string;
  uriTemplate: string;
}

export const REDOS_TEMPLATES: TemplateCase[] = [
  { name: 'redos-adjacent', uriTemplate: 'adj://{a}{b}{c}{d}!' },
  { name: 'redos-reserved', uriTemplate: 'raw://{+a}/{+b}/{+c}/end' },
  { name: 'redos-simple', uriTemplate: 'simple://{a},{b},{c}/end' },
  { name: 'redos-fragment', uriTemplate: 'frag://x{#a,b,c}!' },
  { name: 'redos-label', uriTemplate: 'label://x{.a}{.b}{.c}!' },
  { name: 'redos-path', uriTemplate: 'path://x{/a}{/b}{/c}!' },
  { name: 'redos-param', uriTemplate: 'param://x{;a}{;b}{;c}!' },
  { name: 'redos-query', uriTemplate: 'query://x{?a,b,c}!' },
  { name: 'redos-continuation', uriTemplate: 'cont://x?k=1{&a,b,c}!' },
  { name: 'traversal-simple', uriTemplate: 'files://{name}' },
  { name: 'traversal-reserved', uriTemplate: 'tree://{+path}' },
  { name: 'traversal-path', uriTemplate: 'segs://root{/parts*}' },
];

export interface RedosCase {
  note: string;
  uri: string;
  /** `invalid`: -32602 (not found or refused); `result`: the handler ran and echoed `echo`. */
  expect: 'invalid' | 'result';
  echo?: Record<string, string>;
}

const CAP = 2048;
const fill = (prefix: string, unit: string, length = CAP - 1) => prefix + unit.repeat(Math.ceil((length - prefix.length) / unit.length)).slice(0, length - prefix.length);

export function redosCases(): RedosCase[] {
  const worst: RedosCase[] = [
    { note: 'adjacent {a}{b}{c}{d} without the final literal', uri: fill('adj://', 'a') },
    { note: 'adjacent, 400 × a (issue 14: 17 s)', uri: `adj://${'a'.repeat(400)}` },
    { note: '{+a}/{+b}/{+c}/end with no end', uri: fill('raw://', '/x') },
    { note: '{a},{b},{c}/end of commas', uri: fill('simple://', ',') },
    { note: '{#a,b,c} of commas', uri: fill('frag://x#', ',') },
    { note: '{.a}{.b}{.c} of dots', uri: fill('label://x', '.') },
    { note: '{/a}{/b}{/c} of slashes', uri: fill('path://x', '/') },
    { note: '{;a}{;b}{;c} of params', uri: fill('param://x', ';a') },
    { note: '{?a,b,c} of empty pairs', uri: fill('query://x?', 'a=&') },
    { note: '{&a,b,c} of empty pairs', uri: fill('cont://x?k=1', '&a=') },
    { note: 'every operator character', uri: fill('tree://', 'a.#/;?&,%') },
  ].map((c) => ({ ...c, expect: 'invalid' as const }));
  const traversal: RedosCase[] = [
    ['files://..%2F..%2F..%2Fetc%2Fpasswd', 'encoded ../ in {x}'],
    ['files://%2e%2e', 'encoded .. in {x}'],
    ['files://%2E%2E%2F%2E%2E%2Fetc', 'upper-case encoded ../ in {x}'],
    ['files://..%5C..%5Cwindows', 'encoded ..\\ in {x}'],
    ['files://a%00b', 'encoded NUL'],
    ['files://a\u0000b', 'raw NUL'],
    ['files://a%0Ab', 'encoded newline'],
    ['files://a%0D%0Ab', 'encoded CRLF'],
    ['files://a%1Bb', 'encoded ESC'],
    ['files://a%7Fb', 'encoded DEL'],
    ['files://%', 'lone %'],
    ['files://%zz', 'bad escape'],
    ['files://%C0%AF', 'overlong UTF-8'],
    ['files://%ED%A0%80', 'UTF-16 surrogate as UTF-8'],
    ['tree://orders/../../etc/passwd', 'raw ../ in {+x}'],
    ['tree://orders/%2e%2e/%2e%2e/etc/passwd', 'encoded ../ in {+x}'],
    ['tree://..', 'bare .. in {+x}'],
    ['tree://a/%00', 'NUL in {+x}'],
    ['segs://root/a/../b', '.. in {/x*}'],
    ['segs://root/%2e%2e', 'encoded .. in {/x*}'],
    ['query://x?a=..%2Fetc!', 'encoded ../ in {?x}'],
    ['query://x?a=%00!', 'NUL in {?x}'],
    ['param://x;a=%2F;b;c!', 'encoded / in {;x}'],
    ['label://x.%2e%2e.b.c!', 'encoded .. in {.x}'],
    [`tree://${'a'.repeat(CAP)}`, 'one past the cap'],
    [`tree://${'a/'.repeat(4000)}`, '8 000 characters'],
    [`files://${'%2e%2e%2f'.repeat(600)}`, 'many encoded ../, past the cap'],
  ].map(([uri, note]) => ({ note: note!, uri: uri!, expect: 'invalid' as const }));
  const controls: RedosCase[] = [
    { note: 'double-encoded .. is decoded once', uri: 'files://%252e%252e', expect: 'result', echo: { name: '%2e%2e' } },
    { note: 'dots inside a name', uri: 'files://a..b', expect: 'result', echo: { name: 'a..b' } },
    { note: 'plain {+x} path', uri: 'tree://a/b%20c', expect: 'result', echo: { path: 'a/b c' } },
    { note: '{/x*} segments', uri: 'segs://root/a/b', expect: 'result', echo: { parts: 'a/b' } },
    { note: 'adjacent, first greedy', uri: 'adj://xyz!', expect: 'result', echo: { a: 'xyz', b: '', c: '', d: '' } },
  ];
  return [...worst, ...traversal, ...controls];
}
