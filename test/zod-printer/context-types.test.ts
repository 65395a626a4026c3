/**
 * Subschemas of a typed schema inherit its type (so inferred types stay objects), and
 * additionalProperties:false still holds when the object is intersected with allOf/anyOf parts.
 */
import { describe, expect, it } from 'vitest';
import { printZodModule } from '../../generator/emit/zod-printer.ts';
import { validator } from './evaluate.ts';

const schema = {
  type: 'object',
  properties: { email: { type: 'string' }, phone: { type: 'string' } },
  additionalProperties: false,
  allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
};

describe('typed context for applicator subschemas', () => {
  it('prints object-only branches under a type: object parent', () => {
    const { source } = printZodModule({ document: schema, exports: { S: '' } });
    expect(source).not.toMatch(/z\.string\(\),\s*z\.number\(\)/);
    expect(source).toContain('__onlyKeys(v, ["email", "phone"], [])');
  });
  it('keeps JSON Schema semantics', () => {
    const v = validator(schema);
    expect(v({ email: 'a' })).toBe(true);
    expect(v({ phone: 'p' })).toBe(true);
    expect(v({})).toBe(false);
    expect(v({ email: 'a', extra: 1 })).toBe(false);
    expect(v('x')).toBe(false);
  });
  it('an untyped parent keeps every type branch', () => {
    const v = validator({ anyOf: [{ required: ['a'] }, { type: 'string' }] });
    expect(v(5)).toBe(true); // a number is not an object, so `required` does not apply
    expect(v({})).toBe(false);
  });
});
