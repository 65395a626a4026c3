import { describe, expect, it } from 'vitest';
import { printZodModule } from '../../generator/emit/zod-printer.ts';
import { evaluateModule } from './evaluate.ts';

const json = {
  $defs: {
    JSONValue: { anyOf: [{ $ref: '#/$defs/JSONObject' }, { $ref: '#/$defs/JSONArray' }, { type: ['string', 'number', 'boolean', 'null'] }] },
    JSONObject: { type: 'object', additionalProperties: { $ref: '#/$defs/JSONValue' } },
    JSONArray: { type: 'array', items: { $ref: '#/$defs/JSONValue' } },
    Tagged: { type: 'object', properties: { value: { $ref: '#/$defs/JSONValue' }, tag: { $ref: '#/$defs/Tag' } }, required: ['value'] },
    Tag: { type: 'string' },
  },
};
const exports = Object.fromEntries(Object.keys(json.$defs).map((name) => [name, `/$defs/${name}`]));

describe('zod printer: references and cycles', () => {
  it('orders consts topologically and puts z.lazy only on cycle-closing edges', () => {
    const output = printZodModule({
      document: json,
      exports,
      typeAnnotation: (name) => (name === 'JSONValue' ? 'z.ZodType<T.JSONValue>' : undefined),
    });
    expect(output.source).toBe(
      [
        'export const JSONArray: z.ZodType<unknown> = z.array(z.lazy(() => JSONValue));',
        'export const JSONObject: z.ZodType<unknown> = z.object({}).catchall(z.lazy(() => JSONValue));',
        'export const JSONValue: z.ZodType<T.JSONValue> = z.union([JSONObject, JSONArray, z.union([z.string(), z.number(), z.boolean(), z.null()])]);',
        'export const Tag = z.string();',
        'export const Tagged = z.looseObject({\n  value: JSONValue,\n  tag: Tag.optional(),\n});',
      ].join('\n\n') + '\n',
    );
    expect(output.consts).toEqual([
      { name: 'JSONArray', pointer: '/$defs/JSONArray', exported: true, lazy: true },
      { name: 'JSONObject', pointer: '/$defs/JSONObject', exported: true, lazy: true },
      { name: 'JSONValue', pointer: '/$defs/JSONValue', exported: true, lazy: true },
      { name: 'Tag', pointer: '/$defs/Tag', exported: true, lazy: false },
      { name: 'Tagged', pointer: '/$defs/Tagged', exported: true, lazy: false },
    ]);
    expect(output.fallbacks).toEqual([]);
  });

  it('recursive validators work at run time', () => {
    const { JSONValue, Tagged } = evaluateModule({ document: json, exports });
    expect(JSONValue.safeParse({ a: [1, { b: null }] }).success).toBe(true);
    expect(JSONValue.safeParse({ a: [1, { b: undefined }] }).success).toBe(false);
    expect(Tagged.safeParse({ value: [[]], tag: 't', extra: 1 }).success).toBe(true);
  });

  it('a self-reference is lazy and annotated; non-exported targets get stable generated names', () => {
    const output = printZodModule({
      document: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#' } }, meta: { $ref: '#/$defs/meta' } }, $defs: { meta: { type: 'object' } } },
      exports: { Tree: '' },
    });
    expect(output.source).toBe(
      'const Tree__defs_meta = z.looseObject({});\n\n' +
        'export const Tree: z.ZodType<unknown> = z.looseObject({\n  children: z.array(z.lazy(() => Tree)).optional(),\n  meta: Tree__defs_meta.optional(),\n});\n',
    );
    expect(printZodModule({ document: { $defs: { foo: { type: 'string' } }, $ref: '#/$defs/foo' }, exports: {} }).source).toBe('\n');
    expect(printZodModule({ document: { $defs: { foo: { type: 'string' }, bar: { $ref: '#/$defs/foo' } } }, exports: { Bar: '/$defs/bar' } }).source).toBe(
      'const Root__defs_foo = z.string();\n\nexport const Bar = Root__defs_foo;\n',
    );
  });

  it('two export names for one pointer: the second is an alias', () => {
    const output = printZodModule({ document: { type: 'string' }, exports: { B: '', A: '' } });
    expect(output.source).toBe('export const A = z.string();\n\nexport const B = A;\n');
  });

  it('exportHelpers exports generated consts and runtime helpers too', () => {
    const output = printZodModule({ document: { not: { const: 1 } }, exports: { S: '' }, exportHelpers: true });
    expect(output.source.match(/^export const \w+/gm)).toEqual(['export const __matches', 'export const S_not', 'export const S']);
  });
});
