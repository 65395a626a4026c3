/**
 * Parity: for every $def, `z.infer` of the generated zod schema and the json-schema-to-typescript
 * type are mutually assignable. Defs where they cannot be are listed with the reason in
 * exceptions.json; the test fails if the list is wrong in either direction.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { generateLayer } from '../helpers/protocol-layer.ts';
import { tscStrict } from '../helpers/tsc.ts';

const exceptions = JSON.parse(readFileSync(join(import.meta.dirname, 'exceptions.json'), 'utf8')) as Record<string, Record<string, string>>;

for (const revision of ['2026-07-28', '2025-11-25']) {
  describe(`parity ${revision}`, async () => {
    const layer = await generateLayer(revision, 'parity');
afterAll(() => rmSync(layer.dir, { recursive: true, force: true }));
    const defs = layer.protocol.defs;
    const lines = [
      `import type { z } from 'zod';`,
      `import type * as T from './protocol/types.ts';`,
      `import type * as S from './protocol/schemas.ts';`,
      `type Assignable<A, B> = [A] extends [B] ? true : false;`,
    ];
    const lineOf = new Map<number, string>();
    for (const d of defs) {
      lineOf.set(lines.length + 1, d);
      lines.push(`export const zodToTs_${d}: Assignable<z.infer<typeof S.${d}>, T.${d}> = true;`);
      lineOf.set(lines.length + 1, d);
      lines.push(`export const tsToZod_${d}: Assignable<T.${d}, z.infer<typeof S.${d}>> = true;`);
    }
    // A check that cannot pass vacuously: distinct defs must not be assignable (guards against `any`).
    lines.push(`export const sanity1: Assignable<z.infer<typeof S.CallToolResult>, T.Tool> = false;`);
    lines.push(`export const sanity2: Assignable<T.Implementation, z.infer<typeof S.CallToolRequest>> = false;`);
    writeFileSync(join(layer.dir, 'parity.ts'), `${lines.join('\n')}\n`);
    const result = tscStrict(layer.dir, ['parity.ts']);

    it('generated protocol layer compiles under tsc --strict', () => {
      const nonParity = result.output.split('\n').filter((l) => /error TS/.test(l) && !l.startsWith('parity.ts'));
      expect(nonParity).toEqual([]);
      expect(result.output).not.toMatch(/sanity/);
    });

    it('z.infer and the TS type are mutually assignable, except the documented defs', () => {
      const failing = new Set<string>();
      for (const m of result.output.matchAll(/^parity\.ts\((\d+),\d+\): error/gm)) failing.add(lineOf.get(Number(m[1]))!);
      const expected = Object.keys(exceptions[revision] ?? {}).sort();
      expect([...failing].sort()).toEqual(expected);
      // eslint-disable-next-line no-console
      console.log(`parity ${revision}: ${defs.length - failing.size}/${defs.length} defs mutually assignable`);
    });
  });
}
