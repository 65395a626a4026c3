import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printZodModule } from '../../generator/emit/zod-printer.ts';
import { SHARED_SPEC } from '../helpers/env.ts';

const schema = JSON.parse(readFileSync(join(SHARED_SPEC, '2026-07-28', 'schema.json'), 'utf8')) as { $defs: Record<string, unknown> };
const names = Object.keys(schema.$defs);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('zod printer: determinism', () => {
  it('same input twice, exports in another order, frozen input: identical output', () => {
    const frozen = deepFreeze(structuredClone(schema));
    const forward = printZodModule({ document: frozen, exports: Object.fromEntries(names.map((n) => [n, `/$defs/${n}`])) });
    const backward = printZodModule({ document: frozen, exports: Object.fromEntries([...names].reverse().map((n) => [n, `/$defs/${n}`])) });
    const again = printZodModule({ document: frozen, exports: Object.fromEntries(names.map((n) => [n, `/$defs/${n}`])) });
    expect(backward.source).toBe(forward.source);
    expect(again).toEqual(forward);
    expect(forward.consts).toHaveLength(names.length);
    expect(forward.fallbacks).toEqual([]);
  });

  it('never embeds spec text (descriptions, titles)', () => {
    const output = printZodModule({ document: schema, exports: Object.fromEntries(names.map((n) => [n, `/$defs/${n}`])) });
    expect(output.source).not.toMatch(/describe\(|\/\/|\/\*/);
  });
});
