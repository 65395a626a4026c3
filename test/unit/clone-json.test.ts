/**
 * generator/app/build.ts cloneJson copies plain JSON trees itself and leaves everything else to
 * structuredClone: the copy is always what structuredClone makes (sharing and cycles kept, class
 * instances as structuredClone copies them), and never aliases the original.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cloneJson } from '../../generator/app/build.ts';

const same = (value: unknown) => {
  const copy = cloneJson(value);
  expect(isDeepStrictEqual(copy, structuredClone(value))).toBe(true);
  if (typeof value === 'object' && value !== null) expect(copy).not.toBe(value);
  return copy as any;
};

describe('cloneJson', () => {
  it('copies trees, keeping key order, undefined values, holes and odd numbers', () => {
    const tree = { b: 1, a: [1, { x: null, y: undefined }, 'z'], n: -0, big: Number.NaN, inf: Infinity, '2': 'int-like key', nested: { deep: [[[]]] } };
    const copy = same(tree);
    expect(Object.keys(copy)).toEqual(Object.keys(tree));
    expect('y' in copy.a[1]).toBe(true);
    expect(Object.is(copy.n, -0)).toBe(true);
    copy.a[1].x = 'changed';
    expect(tree.a[1]).toEqual({ x: null, y: undefined });
    // eslint-disable-next-line no-sparse-arrays
    const holes = same([1, , 3]);
    expect(1 in holes).toBe(false);
  });

  it('keeps shared nodes shared and cycles cyclic, like structuredClone', () => {
    const shared = { type: 'string' };
    const dag = same({ properties: { a: shared, b: shared } });
    expect(dag.properties.a).toBe(dag.properties.b);
    const cyclic: Record<string, unknown> = { type: 'object' };
    cyclic.self = cyclic;
    const copy = cloneJson(cyclic) as Record<string, unknown>;
    expect(copy.self).toBe(copy);
  });

  it('hands class instances, null prototypes and __proto__ keys to structuredClone', () => {
    const date = same({ default: new Date(0) });
    expect(date.default).toBeInstanceOf(Date);
    const bare = Object.assign(Object.create(null), { a: 1 });
    expect(Object.getPrototypeOf(same({ bare }).bare)).toBe(Object.prototype);
    const proto = JSON.parse('{"__proto__": {"polluted": true}}');
    const copy = same({ proto });
    expect(Object.getPrototypeOf(copy.proto)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(() => cloneJson({ f: () => 1 })).toThrow();
  });
});
