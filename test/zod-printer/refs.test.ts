import { describe, expect, it } from 'vitest';
import { printZodExpression, printZodModule } from '../../generator/emit/zod-printer.ts';
import { validator } from './evaluate.ts';

describe('zod printer: $ref resolution', () => {
  it('never fetches: a ref outside the document and remotes throws naming it', () => {
    expect(() => printZodModule({ document: { $ref: 'https://example.com/schema.json' }, exports: { S: '' } })).toThrow(
      /Unresolvable \$ref "https:\/\/example\.com\/schema\.json"/,
    );
    expect(() => printZodExpression({ $ref: 'other.json#/a' })).toThrow(/Unresolvable \$ref "other\.json#\/a"/);
    expect(() => printZodExpression({ $ref: '#/$defs/missing' })).toThrow(/no schema at/);
    expect(() => printZodExpression({ $ref: '#nope' })).toThrow(/no anchor "nope"/);
  });

  it('resolves remotes by URI, relative to $id', () => {
    const remotes = { 'http://localhost:1234/types/int.json': { type: 'integer' } };
    const valid = validator({ $id: 'http://localhost:1234/root.json', properties: { n: { $ref: 'types/int.json' } } }, remotes);
    expect(valid({ n: 1 })).toBe(true);
    expect(valid({ n: 'x' })).toBe(false);
    const output = printZodModule({ document: { $ref: 'http://localhost:1234/types/int.json' }, exports: { S: '' }, remotes });
    expect(output.consts.map((c) => [c.name, c.pointer])).toEqual([
      ['Remote_localhost_1234_types_int_json', 'http://localhost:1234/types/int.json#'],
      ['S', ''],
    ]);
  });

  it('resolves $anchor, embedded $id resources and escaped pointers', () => {
    const valid = validator({
      $id: 'https://example.test/root',
      properties: {
        a: { $ref: '#str' },
        b: { $ref: 'inner#/$defs/n' },
        c: { $ref: '#/$defs/tilde~0slash~1percent%25' },
      },
      $defs: {
        s: { $anchor: 'str', type: 'string' },
        inner: { $id: 'inner', $defs: { n: { type: 'number' } } },
        'tilde~slash/percent%': { type: 'boolean' },
      },
    });
    expect(valid({ a: 'x', b: 1, c: true })).toBe(true);
    expect([valid({ a: 1 }), valid({ b: 'x' }), valid({ c: 1 })]).toEqual([false, false, false]);
  });

  it('printZodExpression refuses recursive schemas', () => {
    expect(() => printZodExpression({ items: { $ref: '#' } })).toThrow(/recursive/);
  });

  it('records keywords from other drafts as fallbacks', () => {
    const output = printZodModule({ document: { properties: { a: { additionalItems: false } } }, exports: { S: '' } });
    expect(output.fallbacks).toEqual([
      { keyword: 'additionalItems', pointer: '/properties/a', note: 'ignored: pre-2020 keyword; use prefixItems + items' },
    ]);
  });
});
