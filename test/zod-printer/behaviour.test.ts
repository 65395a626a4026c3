import { describe, expect, it } from 'vitest';
import { validator } from './evaluate.ts';

describe('zod printer: printed validators behave like JSON Schema', () => {
  it('object keywords do not reject non-objects unless type says so', () => {
    const valid = validator({ properties: { a: { type: 'string' } }, required: ['a'] });
    expect([valid('text'), valid(1), valid([]), valid(null), valid({ a: 'x' })]).toEqual([true, true, true, true, true]);
    expect(valid({})).toBe(false);
  });

  it('additionalProperties applies to undeclared, unmatched keys only', () => {
    const valid = validator({
      type: 'object',
      properties: { a: { type: 'string' } },
      patternProperties: { '^n': { type: 'number' } },
      additionalProperties: { type: 'boolean' },
    });
    expect(valid({ a: 'x', n1: 1, other: true })).toBe(true);
    expect(valid({ other: 1 })).toBe(false);
    expect(valid({ n1: 'x' })).toBe(false);
    // patternProperties also constrain declared properties
    expect(validator({ properties: { nx: { type: 'number' } }, patternProperties: { '^n': { minimum: 10 } } })({ nx: 5 })).toBe(false);
  });

  it('string lengths count code points, not UTF-16 units', () => {
    const valid = validator({ type: 'string', minLength: 2, maxLength: 2 });
    expect(valid('💩💩')).toBe(true);
    expect(valid('💩')).toBe(false);
  });

  it('integer accepts 1.0 and rejects 1.5', () => {
    const valid = validator({ type: 'integer' });
    expect([valid(1.0), valid(1.5), valid('1')]).toEqual([true, false, false]);
  });

  it('const, enum and uniqueItems use JSON equality', () => {
    expect(validator({ const: { a: [1, { b: null }] } })({ a: [1, { b: null }] })).toBe(true);
    expect(validator({ enum: [[0]] })([false])).toBe(false);
    const unique = validator({ uniqueItems: true });
    expect([unique([{ a: 1, b: 2 }, { b: 2, a: 1 }]), unique([1, true]), unique([[1], [true]])]).toEqual([false, true, true]);
  });

  it('own properties named like Object.prototype members', () => {
    const valid = validator({ properties: { constructor: { type: 'number' } }, required: ['toString'] });
    expect(valid({})).toBe(false);
    expect(valid({ toString: 1 })).toBe(true);
    expect(valid({ toString: 1, constructor: 'x' })).toBe(false);
  });

  it('unevaluatedProperties and unevaluatedItems follow the passing branches', () => {
    const props = validator({
      type: 'object',
      anyOf: [{ properties: { a: { const: 1 } }, required: ['a'] }, { properties: { b: true } }],
      unevaluatedProperties: false,
    });
    expect(props({ a: 1, b: 2 })).toBe(true);
    expect(props({ a: 2, b: 2 })).toBe(false);
    const items = validator({ prefixItems: [true], contains: { type: 'string' }, unevaluatedItems: false });
    expect(items([1, 'x'])).toBe(true);
    expect(items([1, 'x', 2])).toBe(false);
  });

  it('oneOf requires exactly one branch', () => {
    const valid = validator({ oneOf: [{ type: 'integer' }, { minimum: 2 }] });
    expect([valid(1), valid(2.5), valid(3)]).toEqual([true, true, false]);
  });

  it('$dynamicRef resolves to the outermost dynamic anchor in scope', () => {
    const list = { $id: 'list', type: 'array', items: { $dynamicRef: '#item' }, $defs: { any: { $dynamicAnchor: 'item' } } };
    const valid = validator({
      $id: 'https://example.test/strict-list',
      $ref: 'list',
      $defs: { stringItem: { $dynamicAnchor: 'item', type: 'string' }, list },
    });
    expect(validator(list)([1])).toBe(true);
    expect(valid(['a'])).toBe(true);
    expect(valid([1])).toBe(false);
  });
});
