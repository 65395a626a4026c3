import { describe, expect, it } from 'vitest';
import { printZodExpression, printZodModule, type JsonSchema } from '../../generator/emit/zod-printer.ts';

const print = (schema: JsonSchema) => printZodExpression(schema);
/** The declaration of the root const, without the runtime helpers it uses. */
const rootDeclaration = (schema: JsonSchema) =>
  printZodModule({ document: schema, exports: { Schema: '' } }).source.split('\n\n').filter((d) => !d.startsWith('const __')).join('\n\n');

describe('zod printer: one shape at a time', () => {
  it('boolean and empty schemas', () => {
    expect(print(true)).toBe('z.unknown()');
    expect(print(false)).toBe('z.never()');
    expect(print({})).toBe('z.unknown()');
  });

  it('numbers and integers with bounds', () => {
    expect(print({ type: 'integer', minimum: 1, exclusiveMaximum: 10, multipleOf: 2 })).toBe('z.int().min(1).lt(10).multipleOf(2)');
    expect(print({ type: 'number', exclusiveMinimum: 0, maximum: 1 })).toBe('z.number().gt(0).max(1)');
  });

  it('strings count code points, patterns use the u flag, format and description are not printed', () => {
    expect(rootDeclaration({ type: 'string', minLength: 1, maxLength: 10, pattern: '^a+$' })).toBe(
      'export const Schema = z.string().min(1).refine((s) => __codePoints(s) <= 10).regex(/^a+$/u);\n',
    );
    expect(print({ type: 'string', pattern: 'a/b' })).toBe(`z.string().regex(new RegExp("a/b", 'u'))`);
    expect(print({ type: 'string', format: 'email', description: 'an address', title: 'Email' })).toBe('z.string()');
  });

  it('type lists become unions', () => {
    expect(print({ type: ['string', 'null'] })).toBe('z.union([z.string(), z.null()])');
    expect(print({ type: ['integer', 'number'] })).toBe('z.number()');
  });

  it('const and enum', () => {
    expect(print({ const: 'x' })).toBe('z.literal("x")');
    expect(print({ const: null })).toBe('z.null()');
    expect(print({ type: 'string', enum: ['a', 'b'] })).toBe('z.enum(["a", "b"])');
    expect(print({ enum: [1, 'a', null] })).toBe('z.literal([1, "a", null])');
    expect(print({ type: 'string', enum: ['a', 1] })).toBe('z.literal("a")');
    expect(rootDeclaration({ const: { a: [1] } })).toBe('export const Schema = z.unknown().refine((v) => __jsonEqual(v, { a: [1] }));\n');
    expect(rootDeclaration({ type: 'string', const: 'abc', maxLength: 2 })).toBe(
      'export const Schema = z.literal("abc").and(z.string().refine((s) => __codePoints(s) <= 2));\n',
    );
  });

  it('objects pass unknown keys through; additionalProperties picks strict or catchall', () => {
    expect(print({ type: 'object', properties: { a: { type: 'string' }, 'b-c': { type: 'number' } }, required: ['a'] })).toBe(
      'z.looseObject({\n  a: z.string(),\n  "b-c": z.number().optional(),\n})',
    );
    expect(print({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false })).toBe(
      'z.strictObject({\n  a: z.string().optional(),\n})',
    );
    expect(print({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'number' } })).toBe(
      'z.object({\n  a: z.string().optional(),\n}).catchall(z.number())',
    );
    expect(print({ type: 'object', required: ['id'] })).toBe('z.looseObject({\n  id: z.unknown(),\n})');
    expect(print({ type: 'object' })).toBe('z.looseObject({})');
  });

  it('patternProperties check every key, declared ones included', () => {
    expect(
      rootDeclaration({ type: 'object', properties: { a: {} }, patternProperties: { '^x-': { type: 'string' } }, additionalProperties: false }),
    ).toBe(
      'const Schema_patternProperties__x_ = z.string();\n\n' +
        'export const Schema = z.looseObject({\n  a: z.unknown().optional(),\n})' +
        '.refine((o) => __propertyRest(o, ["a"], [[/^x-/u, Schema_patternProperties__x_]], false));\n',
    );
  });

  it('object keywords without type: object still accept non-objects', () => {
    expect(print({ properties: { a: { type: 'string' } } })).toBe(
      'z.union([\n  z.looseObject({\n    a: z.string().optional(),\n  }),\n  z.array(z.unknown()),\n  z.string(),\n  z.number(),\n  z.boolean(),\n  z.null(),\n])',
    );
  });

  it('arrays, tuples, contains', () => {
    expect(print({ type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3 })).toBe('z.array(z.string()).min(1).max(3)');
    expect(print({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false })).toBe(
      'z.tuple([z.string().optional(), z.number().optional()])',
    );
    expect(print({ type: 'array', prefixItems: [{ type: 'string' }] })).toBe('z.tuple([z.string().optional()], z.unknown())');
    expect(rootDeclaration({ type: 'array', contains: { type: 'number' }, minContains: 2, uniqueItems: true })).toBe(
      'const Schema_contains = z.number();\n\n' +
        'export const Schema = z.array(z.unknown()).refine((a) => __uniqueItems(a)).refine((a) => __containsBetween(a, Schema_contains, 2, Infinity));\n',
    );
  });

  it('combinators', () => {
    expect(print({ anyOf: [{ type: 'string' }, { type: 'number' }] })).toBe('z.union([z.string(), z.number()])');
    expect(print({ oneOf: [{ type: 'string' }, { type: 'number' }] })).toBe('z.xor([z.string(), z.number()])');
    expect(print({ allOf: [{ type: 'object', required: ['a'] }, { type: 'object', required: ['b'] }] })).toBe(
      'z.looseObject({\n  a: z.unknown(),\n}).and(z.looseObject({\n  b: z.unknown(),\n}))',
    );
    expect(rootDeclaration({ not: { type: 'string' } })).toBe(
      'const Schema_not = z.string();\n\nexport const Schema = z.unknown().refine((v) => !__matches(Schema_not, v));\n',
    );
    expect(rootDeclaration({ if: { type: 'string' }, then: { const: 'a' }, else: { type: 'number' } })).toBe(
      'const Schema_if = z.string();\n\nconst Schema_then = z.literal("a");\n\nconst Schema_else = z.number();\n\n' +
        'export const Schema = z.unknown().refine((v) => (__matches(Schema_if, v) ? __matches(Schema_then, v) : __matches(Schema_else, v)));\n',
    );
  });

  it('dependent keywords, propertyNames and property counts', () => {
    expect(rootDeclaration({ type: 'object', dependentRequired: { a: ['b'] }, maxProperties: 2 })).toBe(
      'export const Schema = z.looseObject({}).refine((o) => Object.keys(o).length <= 2)' +
        '.refine((o) => !Object.hasOwn(o, "a") || ["b"].every((d) => Object.hasOwn(o, d)));\n',
    );
  });

  it('unevaluatedProperties sees the annotations of passing branches only', () => {
    expect(
      rootDeclaration({ type: 'object', properties: { a: true }, oneOf: [{ required: ['b'], properties: { b: true } }], unevaluatedProperties: false }),
    ).toMatch(/\.refine\(\(v\) => __unevaluatedProperties\(v, \(k, o\) => k === "a" \|\| \(__matches\(Schema_oneOf_0, o\) && k === "b"\), false\)\);\n$/);
  });

  it('properties named like Object.prototype members are checked as own properties', () => {
    expect(rootDeclaration({ type: 'object', properties: { toString: { type: 'string' } }, required: ['toString'] })).toBe(
      'const Schema_properties_toString = z.string();\n\n' +
        'export const Schema = z.looseObject({}).and(z.unknown().refine((v) => __ownProperty(v, "toString", Schema_properties_toString, true)));\n',
    );
  });

  it('$ref targets become consts; refName lets the caller name refs', () => {
    expect(rootDeclaration({ $defs: { s: { type: 'string' } }, type: 'object', properties: { a: { $ref: '#/$defs/s' } } })).toBe(
      'const Schema__defs_s = z.string();\n\nexport const Schema = z.looseObject({\n  a: Schema__defs_s.optional(),\n});\n',
    );
    expect(printZodExpression({ $ref: 'other.json', description: 'x' }, { refName: (ref) => (ref === 'other.json' ? 'Other' : undefined) })).toBe('Other');
  });

  it('printZodExpression wraps consts and helpers in one expression', () => {
    expect(print({ type: 'object', properties: { n: { not: { type: 'string' } } } })).toBe(
      [
        '(() => {',
        '  const __matches = (schema: z.ZodType | boolean, value: unknown): boolean =>',
        "    typeof schema === 'boolean' ? schema : schema.safeParse(value).success;",
        '  const Root_properties_n_not = z.string();',
        '  return z.looseObject({',
        '    n: z.unknown().refine((v) => !__matches(Root_properties_n_not, v)).optional(),',
        '  });',
        '})()',
      ].join('\n'),
    );
  });
});
