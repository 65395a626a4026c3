import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { compileUriTemplate } from './runtime-under-test.ts';
import { MAX_MATCHED_URI_LENGTH } from '../../templates/runtime/uri-template.ts';

describe('URI template shapes', () => {
  it.each([
    ['test://template/{id}/data', 'test://template/123/data', { id: '123' }],
    ['file:///{+path}', 'file:///a/b%20c.txt', { path: 'a/b c.txt' }],
    ['x://s{/a,b}', 'x://s/1/2', { a: '1', b: '2' }],
    ['x://s{/path*}', 'x://s/a/b/c', { path: 'a/b/c' }],
    ['x://q{?x,y}', 'x://q?y=2&x=1', { x: '1', y: '2' }],
    ['x://q{?x}{&y}', 'x://q?x=1&y=2&z=3', { x: '1', y: '2' }],
    ['x://q{?x,y}', 'x://q', {}],
    ['x://{a}.{b}', 'x://one.two', { a: 'one', b: 'two' }],
    ['x://{a}.{b}', 'x://one.two.three', { a: 'one', b: 'two.three' }],
    ['x://f{.ext}', 'x://f.json', { ext: 'json' }],
    ['x://m{;v,w}', 'x://m;v=1;w', { v: '1', w: '' }],
    ['x://d{#frag}', 'x://d#a/b', { frag: 'a/b' }],
    ['x://{a,b}', 'x://1,2', { a: '1', b: '2' }],
    ['x://{+a}/{+b}/end', 'x://p/q/r/end', { a: 'p', b: 'q/r' }],
    ['x://{+a}/e', 'x://p/e/e', { a: 'p/e' }],
    ['x://{a}/{b}', 'x://1/', { a: '1', b: '' }],
    // Adjacent variables: the first takes all up to the next literal, the rest are empty.
    ['x://{a}{b}{c}!', 'x://xyz!', { a: 'xyz', b: '', c: '' }],
    ['x://{a}{/b}', 'x://one/two', { a: 'one', b: 'two' }],
    ['x://{code:3}', 'x://abc', { code: 'abc' }],
  ])('%s matches %s', (template, uri, params) => expect(compileUriTemplate(template).match(uri)).toEqual(params));

  it.each([
    ['test://template/{id}/data', 'test://template/1/2/data'],
    ['test://template/{id}/data', 'test://other'],
    ['x://s{/a,b}', 'x://s/1'],
    ['x://m{;v}', 'x://m;w=1'],
    ['x://{a}', 'y://b'],
    ['x://{a}/end', 'x://b/end/more'],
  ])('%s does not match %s', (template, uri) => expect(compileUriTemplate(template).exec(uri)).toBeUndefined());

  it('a variable named __proto__ is an own property, not the prototype', () => {
    const params = compileUriTemplate('x://{__proto__}').match('x://v')!;
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
    expect(Object.keys(params)).toEqual(['__proto__']);
  });
});

describe('URI template variable rejection (before any handler runs)', () => {
  const rejected = (template: string, uri: string, options = {}) => {
    const outcome = compileUriTemplate(template, options).exec(uri);
    expect(outcome).toBeDefined();
    expect(outcome!.ok).toBe(false);
    return outcome as { ok: false; variable: string; reason: string };
  };

  it.each([
    ['files://{name}', 'files://..%2F..%2F..%2Fetc%2Fpasswd', 'contains `/`'],
    ['files://{name}', 'files://%2E%2E', 'contains a `..` segment'],
    ['files://{name}', 'files://..%5C..%5Cwindows', 'contains a `..` segment'],
    ['files://{name}', 'files://a%00b', 'NUL or control'],
    ['files://{name}', 'files://a%0Ab', 'NUL or control'],
    ['files://{name}', 'files://a%7F', 'NUL or control'],
    ['files://{name}', 'files://%C0%AF', 'percent-encoded UTF-8'],
    ['files://{+path}', 'files://a/../../etc/passwd', 'contains a `..` segment'],
    ['files://{+path}', 'files://a/%2e%2e/b', 'contains a `..` segment'],
    ['files://{+path}', 'files://..', 'contains a `..` segment'],
    ['files://{#frag}', 'files://#../x', 'contains a `..` segment'],
    ['files://x{/seg}', 'files://x/..', 'contains a `..` segment'],
    ['files://x{/seg*}', 'files://x/a/../b', 'contains a `..` segment'],
    ['files://x{.ext}', 'files://x.%2F', 'contains `/`'],
    ['files://x{;v}', 'files://x;v=%2F', 'contains `/`'],
    ['files://x{?q}', 'files://x?q=..%2Fa', 'contains `/`'],
    ['files://x{?q}', 'files://x?q=%00', 'NUL or control'],
    ['files://x{&q}', 'files://x&q=..', 'contains a `..` segment'],
    ['files://{code:3}', 'files://abcd', 'prefix length 3'],
    ['files://{+path}', `files://${'a'.repeat(1500)}`, 'longer than 1024'],
  ])('%s rejects %s (%s)', (template, uri, reason) => expect(rejected(template, uri).reason).toContain(reason));

  it('allowDotSegments lets {+x}, {#x} and {/x} keep `..`, but never a simple {x} or a NUL', () => {
    const options = { allowDotSegments: true };
    expect(compileUriTemplate('f://{+p}', options).match('f://a/../b')).toEqual({ p: 'a/../b' });
    expect(compileUriTemplate('f://x{/p*}', options).match('f://x/../b')).toEqual({ p: '../b' });
    expect(rejected('f://{p}', 'f://..', options).reason).toContain('`..`');
    expect(rejected('f://{+p}', 'f://../%00', options).reason).toContain('NUL');
  });

  it('a dotted name that is not a segment is fine', () => {
    expect(compileUriTemplate('f://{name}').match('f://a..b')).toEqual({ name: 'a..b' });
    expect(compileUriTemplate('f://{+p}').match('f://a/..b/c')).toEqual({ p: 'a/..b/c' });
  });

  it('rejection is only reported for the template shape: a later literal mismatch is "no match"', () => {
    expect(compileUriTemplate('f://{name}/end').exec('f://%00/other')).toBeUndefined();
  });
});

/**
 * Worst cases for a backtracking matcher, one per RFC 6570 operator, at the 2 048-character cap
 * (issue 14: `adj://{a}{b}{c}{d}!` + 400 × `a` took 17 s). Every match must take < 5 ms, and the
 * cost must grow linearly: 8× the input may cost at most 40× (quadratic would be 64×).
 */
describe('URI template matching is linear', () => {
  const fill = (prefix: string, unit: string, total: number) => prefix + unit.repeat(Math.ceil((total - prefix.length) / unit.length)).slice(0, total - prefix.length);
  const worst: [string, (n: number) => string][] = [
    ['adj://{a}{b}{c}{d}!', (n) => fill('adj://', 'a', n)],
    ['raw://{+a}/{+b}/{+c}/end', (n) => fill('raw://', '/x', n)],
    ['simple://{a},{b},{c}/end', (n) => fill('simple://', ',', n)],
    ['frag://x{#a,b,c}!', (n) => fill('frag://x#', ',', n)],
    ['label://x{.a}{.b}{.c}!', (n) => fill('label://x', '.', n)],
    ['path://x{/a}{/b}{/c}!', (n) => fill('path://x', '/', n)],
    ['param://x{;a}{;b}{;c}!', (n) => fill('param://x', ';a', n)],
    ['query://x{?a,b,c}!', (n) => fill('query://x?', 'a=&', n)],
    ['cont://x?k=1{&a,b,c}!', (n) => fill('cont://x?k=1', '&a=', n)],
    ['mixed://{a}{+b}{#c}{.d}{/e}{;f}{?g}{&h}', (n) => fill('mixed://', 'a.#/;?&', n)],
  ];

  const costOf = (matcher: ReturnType<typeof compileUriTemplate>, uri: string, rounds: number) => {
    let best = Number.POSITIVE_INFINITY;
    for (let sample = 0; sample < 15; sample += 1) {
      const started = performance.now();
      for (let i = 0; i < rounds; i += 1) matcher.exec(uri);
      best = Math.min(best, performance.now() - started);
    }
    return best / rounds;
  };

  it.each(worst)('%s: one worst-case match < 5 ms, and linear growth', (template, build) => {
    const matcher = compileUriTemplate(template);
    const long = build(MAX_MATCHED_URI_LENGTH);
    expect(long.length).toBe(MAX_MATCHED_URI_LENGTH);
    const started = performance.now();
    matcher.exec(long);
    expect(performance.now() - started).toBeLessThan(5);
    const small = costOf(matcher, build(256), 200);
    const large = costOf(matcher, long, 200);
    expect(large / Math.max(small, 1e-4)).toBeLessThan(40);
  });

  it('a URI over the cap is not matched at all', () => {
    expect(compileUriTemplate('x://{+a}').exec(`x://${'a'.repeat(MAX_MATCHED_URI_LENGTH)}`)).toBeUndefined();
  });
});
