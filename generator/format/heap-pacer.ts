/**
 * Keeps the format stage's peak memory near the live set on big projects. prettier leaves its
 * syntax trees and docs behind as garbage, a lot of it old enough to be promoted, and V8 lets the
 * old generation grow to several times the live set before a full collection: a 1 000-tool project
 * peaked at ~780 MB RSS with ~170 MB live. Once the heap has grown by `budgetMb` since the last full
 * collection, the pacer asks for one between two files (a collection of ~150 MB live takes
 * ~100–150 ms; a 1 000-tool run needs a dozen or so), and one at the end of the stage. The format
 * layer uses it only for big projects (generator/format/format.ts).
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined | null;

/** `gc()` without the --expose-gc command-line flag: the flag set at run time exposes it in new contexts. */
function fullCollection(): (() => void) | null {
  if (collect !== undefined) return collect;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    collect = typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    collect = null;
  }
  return collect;
}

export class HeapPacer {
  private floor = getHeapStatistics().used_heap_size;
  constructor(private readonly budgetMb = 48) {}

  /** Call between units of work; collects when the heap has grown by the budget since the last time. */
  step(): void {
    const used = getHeapStatistics().used_heap_size;
    if (used - this.floor < this.budgetMb * 1024 * 1024) return;
    this.collect();
  }

  /** At the end of the work: the write stage and the cache packs that follow start from the live set. */
  collect(): void {
    const gc = fullCollection();
    if (!gc) return;
    gc();
    this.floor = getHeapStatistics().used_heap_size;
  }
}
