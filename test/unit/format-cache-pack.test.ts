/**
 * The verified jsonl pack (generator/format/format-cache.ts) on disk: append-only between
 * compactions, lines verified when their key is first asked for. Speed must never cost trust:
 * a torn append, a damaged line or a bloated pack is repaired by a rewrite, and no bad line is
 * ever returned.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatCache } from '../../generator/format/format-cache.ts';
import { tempDir } from '../helpers/env.ts';

const PACK = 'test.jsonl';
const key = (i: number) => createHash('sha256').update(`key ${i}`).digest('hex');
const value = (i: number) => `value ${i}\n`.repeat(1 + (i % 5));
const load = (dir: string, keepAll = false) => FormatCache.loadFrom(dir, PACK, { keepAll });
const lines = (dir: string) => readFileSync(join(dir, PACK), 'utf8').split('\n').filter(Boolean);

async function filled(n: number): Promise<string> {
  const dir = tempDir();
  const cache = await load(dir);
  for (let i = 0; i < n; i++) cache.set(key(i), value(i));
  await cache.save();
  return dir;
}

describe('format cache pack on disk', () => {
  it('a run that adds nothing does not write the pack; one that adds appends only its new lines', async () => {
    const dir = await filled(10);
    const before = statSync(join(dir, PACK), { bigint: true });
    const same = await load(dir);
    for (let i = 0; i < 10; i++) expect(same.get(key(i))).toBe(value(i));
    await same.save();
    const after = statSync(join(dir, PACK), { bigint: true });
    expect([after.ino, after.mtimeNs, after.size]).toEqual([before.ino, before.mtimeNs, before.size]);

    const text = readFileSync(join(dir, PACK), 'utf8');
    const more = await load(dir);
    for (let i = 0; i < 10; i++) more.get(key(i));
    more.set(key(10), value(10));
    more.set(key(3), value(3)); // already there: not appended again
    await more.save();
    const grown = readFileSync(join(dir, PACK), 'utf8');
    expect(grown.startsWith(text)).toBe(true);
    expect(grown.slice(text.length).split('\n').filter(Boolean)).toHaveLength(1);
    expect(statSync(join(dir, PACK), { bigint: true }).ino).toBe(before.ino);
    const again = await load(dir);
    expect(again.get(key(10))).toBe(value(10));
    expect(again.stats).toEqual({ hits: 1, misses: 0, rejected: 0 });
  });

  it('a torn append (killed mid-line) costs that entry only, and the next save repairs the pack', async () => {
    const dir = await filled(6);
    const path = join(dir, PACK);
    const whole = readFileSync(path, 'utf8');
    truncateSync(path, whole.length - 7); // the last line loses its end and its newline
    const torn = await load(dir);
    for (let i = 0; i < 5; i++) expect(torn.get(key(i))).toBe(value(i));
    expect(torn.get(key(5))).toBeUndefined();
    expect(torn.stats.rejected).toBe(1);
    torn.set(key(5), value(5));
    await torn.save();
    expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(true);
    const repaired = await load(dir);
    for (let i = 0; i < 6; i++) expect(repaired.get(key(i))).toBe(value(i));
    expect(repaired.stats).toEqual({ hits: 6, misses: 0, rejected: 0 });
  });

  it('a line is verified when its key is asked for: a forged value under a real key is never returned', async () => {
    const dir = await filled(4);
    const path = join(dir, PACK);
    const forged = lines(dir).map((l) => l.replace('value 2', 'value X')); // key intact, hash no longer matches
    writeFileSync(path, `${forged.join('\n')}\n`);
    const cache = await load(dir);
    expect(cache.stats.rejected).toBe(0); // nothing judged yet: load only indexes
    expect(cache.get(key(2))).toBeUndefined();
    expect(cache.stats).toEqual({ hits: 0, misses: 1, rejected: 1 });
    expect(cache.get(key(1))).toBe(value(1));
    // A line that claims one key up front while its JSON (last "k" wins) holds another, validly hashed.
    const real = lines(dir).find((l) => l.includes(key(1)))!;
    writeFileSync(path, `${real.replace(`"k":"${key(1)}"`, `"k":"${key(0)}","k":"${key(1)}"`)}\n`);
    const other = await load(dir);
    expect(other.get(key(0))).toBeUndefined();
    expect(other.stats.rejected).toBe(1);
  });

  it('a JSON value is written as it is and read back once; a changed byte, a forged hash or a torn line is never returned', async () => {
    const dir = tempDir();
    const path = join(dir, PACK);
    const json = (i: number) => JSON.stringify({ i, text: `line "${i}"\nnext`, list: [i, null, true] });
    const cache = await load(dir);
    for (let i = 0; i < 4; i++) cache.set(key(i), json(i), true);
    cache.set(key(4), value(4)); // a text value beside them
    cache.set(key(5), 'not\nJSON text', true); // a value with a raw newline cannot be a line as it is: kept as text
    await cache.save();
    const written = lines(dir);
    expect(written.filter((l) => l.includes(`,"j":${json(1)}}`))).toHaveLength(1); // as it is: escaped once, by JSON.stringify
    expect(written.filter((l) => l.includes('"j":'))).toHaveLength(4);
    const back = await load(dir);
    for (let i = 0; i < 4; i++) expect(back.get(key(i))).toBe(json(i));
    expect([back.get(key(4)), back.get(key(5))]).toEqual([value(4), 'not\nJSON text']);
    expect(back.stats).toEqual({ hits: 6, misses: 0, rejected: 0 });

    const good = readFileSync(path, 'utf8');
    const damaged = [
      good.replace('"i":2', '"i":7'), // a changed byte inside the value
      good.replace(/("k":"[0-9a-f]{64}","h":")([0-9a-f])/, (_m, a: string, c: string) => `${a}${c === '0' ? '1' : '0'}`), // a hash that does not vouch for it
      good.replace(`${json(3)}}`, json(3).slice(0, -3)), // a line cut short
    ];
    for (const text of damaged) {
      writeFileSync(path, text);
      const cache2 = await load(dir);
      const got = [0, 1, 2, 3].map((i) => cache2.get(key(i)));
      expect(got.filter((v, i) => v !== undefined && v !== json(i))).toEqual([]); // never a wrong value
      expect(got.filter((v) => v === undefined)).toHaveLength(1);
      expect(cache2.stats.rejected).toBe(1);
      // The repair (a rewrite without the bad line) keeps the JSON form of the others.
      cache2.set(key(9), json(9), true);
      await cache2.save();
      const repaired = await load(dir);
      expect(repaired.get(key(9))).toBe(json(9));
      expect(lines(dir).filter((l) => l.includes('"j":')).length).toBeGreaterThanOrEqual(4);
      writeFileSync(path, good);
    }
  });

  it('a line this process verified before is believed again only while it is identical (a warm --watch process)', async () => {
    const dir = await filled(3);
    const path = join(dir, PACK);
    const first = await load(dir);
    expect(first.get(key(1))).toBe(value(1)); // verified, and remembered for this process
    const good = readFileSync(path, 'utf8');
    writeFileSync(path, good.replace('value 1', 'value Y'));
    const forged = await load(dir);
    expect(forged.get(key(1))).toBeUndefined();
    expect(forged.stats).toEqual({ hits: 0, misses: 1, rejected: 1 });
    writeFileSync(path, good);
    const again = await load(dir);
    expect(again.get(key(1))).toBe(value(1));
    expect(again.stats).toEqual({ hits: 1, misses: 0, rejected: 0 });
  });

  it('a pack mostly of lines the run did not use is compacted to the used ones (keepAll packs keep every valid line)', async () => {
    const dir = await filled(100);
    const few = await load(dir);
    for (let i = 0; i < 10; i++) few.get(key(i));
    few.set(key(100), value(100));
    await few.save();
    expect(lines(dir)).toHaveLength(11);
    const compacted = await load(dir);
    for (let i = 0; i < 10; i++) expect(compacted.get(key(i))).toBe(value(i));
    expect(compacted.get(key(100))).toBe(value(100));

    const shared = await filled(50);
    appendFileSync(join(shared, PACK), 'junk\n'); // damage forces a rewrite; keepAll still keeps all 50
    const machine = await load(shared, true);
    machine.get(key(0));
    await machine.save();
    expect(lines(shared)).toHaveLength(50);
  });

  it('dead lines stay bounded over many runs that each replace a few entries', async () => {
    const dir = await filled(40);
    for (let run = 0; run < 30; run++) {
      const cache = await load(dir);
      // Each run uses 40 entries: 35 of the first ones, and 5 new ones (an edit's new results).
      for (let i = 0; i < 35; i++) expect(cache.get(key(i))).toBe(value(i));
      for (let j = 0; j < 5; j++) cache.set(key(1000 + run * 5 + j), value(j));
      await cache.save();
      expect(lines(dir).length).toBeLessThanOrEqual(2 * 40 + 32 + 5);
    }
  });
});
