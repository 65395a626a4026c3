/**
 * The format stage's heap pacer (generator/format/heap-pacer.ts) must really collect without the
 * --expose-gc flag (vitest workers do not have it), and only once the heap grew by its budget.
 */
import { getHeapStatistics } from 'node:v8';
import { expect, it } from 'vitest';
import { HeapPacer } from '../../generator/format/heap-pacer.ts';

const usedMb = () => getHeapStatistics().used_heap_size / 1024 / 1024;

it('collects once the heap has grown by the budget, not before', () => {
  const pacer = new HeapPacer(16);
  pacer.collect();
  const floor = usedMb();
  pacer.step(); // nothing allocated since: no collection needed, and none hurts
  let garbage: string[][] | undefined = Array.from({ length: 400 }, (_, i) => Array.from({ length: 1000 }, (_, j) => `${i}:${j}:${'x'.repeat(40)}`));
  expect(garbage.length).toBe(400);
  garbage = undefined;
  const grown = usedMb();
  expect(grown - floor).toBeGreaterThan(16); // ~50 MB of strings, unreachable now
  pacer.step();
  expect(usedMb()).toBeLessThan(grown - 16);
});
