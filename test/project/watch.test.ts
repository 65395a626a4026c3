/**
 * `generate --watch` on a real kitchen-sink project: a manifest save, a shared-schema save, a bad
 * edit (positioned diagnostics, nothing written, recovery), a deleted then restored manifest.
 * Waits on the watcher's own output lines, never on fixed sleeps.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../generator/cli/io.ts';
import { watchProject } from '../../generator/cli/watch.ts';
import { initProject } from '../../generator/init.ts';
import { hermeticEnv, tempDir } from '../helpers/env.ts';

const dir = join(tempDir(), 'shop');
const manifest = join(dir, 'mcp-gen.yaml');
const lines: string[] = [];
const waiters: { re: RegExp; from: number; resolve: (line: string) => void }[] = [];
const stop = new AbortController();
let done: Promise<number>;

function push(text: string) {
  for (const line of text.split('\n')) {
    lines.push(line);
    for (const w of [...waiters]) {
      if (w.re.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  }
}
/** The next line matching `re` printed after this call. */
function next(re: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const w = { re, from: lines.length, resolve };
    waiters.push(w);
    setTimeout(() => reject(new Error(`no line matching ${re} within 60 s; got:\n${lines.slice(w.from).join('\n')}`)), 60_000).unref();
  });
}
const io: CliIO = { out: push, err: push, env: hermeticEnv(), cwd: dir };
const source = { env: io.env };
const generated = (p: string) => readFileSync(join(dir, p), 'utf8');

beforeAll(async () => {
  await initProject({ dir, template: 'kitchen-sink', source });
  const ready = next(/^watching mcp-gen\.yaml and \d+ file\(s\) it references; Ctrl-C to stop$/);
  done = watchProject(io, { manifestPath: manifest, source, debounceMs: 50, signal: stop.signal });
  await ready;
}, 120_000);

afterAll(async () => {
  stop.abort();
  expect(await done).toBe(0);
});

describe('generate --watch', () => {
  it('started with one run that changed nothing', () => {
    expect(lines.find((l) => /regenerated in \d+ ms/.test(l))).toMatch(/regenerated in \d+ ms: 0 file\(s\) changed$/);
  });

  it('a manifest save regenerates, one line naming the time taken and the files changed', { timeout: 90_000 }, async () => {
    const line = next(/regenerated in|failed in/);
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('description: Ship an order to an address.', 'description: Ship an order to a postal address.'));
    expect(await line).toMatch(/^\[\d\d:\d\d:\d\d\] regenerated in \d+ ms: [1-9]\d* file\(s\) changed \(.*src\/generated\//);
    expect(generated('src/generated/tools/ship-order.ts')).toContain('Ship an order to a postal address.');
  });

  it('a save of a $ref\'d schema file regenerates', { timeout: 90_000 }, async () => {
    const line = next(/regenerated in|failed in/);
    const schema = join(dir, 'schemas/address.json');
    writeFileSync(schema, readFileSync(schema, 'utf8').replace('"street": { "type": "string" }', '"street": { "type": "string", "description": "street and number" }'));
    expect(await line).toMatch(/regenerated in \d+ ms: [1-9]\d* file\(s\) changed/);
    expect(generated('src/generated/tools/ship-order.ts')).toContain('street and number');
  });

  it('a bad edit prints positioned diagnostics and writes nothing; the next good save recovers', { timeout: 90_000 }, async () => {
    const before = generated('src/generated/tools/ship-order.ts');
    const good = readFileSync(manifest, 'utf8');
    const failed = next(/failed in/);
    writeFileSync(manifest, good.replace('description: Ship an order to a postal address.', 'descripton: Ship an order to a postal address.'));
    expect(await failed).toMatch(/failed in \d+ ms: \d+ error\(s\); nothing written, waiting for the next save$/);
    expect(lines.some((l) => /mcp-gen\.yaml:\d+:\d+/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes('MG2003'))).toBe(true);
    expect(generated('src/generated/tools/ship-order.ts')).toBe(before);
    const recovered = next(/regenerated in/);
    writeFileSync(manifest, good.replace('Ship an order to a postal address.', 'Ship an order.'));
    await recovered;
    expect(generated('src/generated/tools/ship-order.ts')).toContain('Ship an order.');
  });

  it('a deleted manifest is reported and waited for; restoring it regenerates', { timeout: 90_000 }, async () => {
    const gone = next(/was deleted; waiting for it to come back/);
    renameSync(manifest, `${manifest}.bak`);
    await gone;
    const back = next(/regenerated in/);
    renameSync(`${manifest}.bak`, manifest);
    expect(await back).toMatch(/0 file\(s\) changed/);
  });
});
