/**
 * The no-op shortcut (generator/incremental/noop-stamp.ts), through the CLI as a user runs it: a
 * rerun with nothing changed skips the pipeline and prints what the full run printed; anything the
 * full pipeline would act on (a manifest or schema-file edit, a hand-edited, deleted or planted
 * file, a stale lock, an interrupted commit, another flag) reaches the pipeline; a damaged stamp is
 * never believed; and over seeded random sequences of edits and no-op runs the tree on disk stays
 * byte-identical to a cold generation of the same manifest.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../generator/cli/main.ts';
import { seededRandom } from '../../generator/fixtures/prng.ts';
import { NOOP_STAMP_PATH, provenNoop } from '../../generator/incremental/noop-stamp.ts';
import { syntheticManifest } from '../../bench/lib/synthetic-manifest.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const freshDir = (tag: string) => {
  const dir = join(REPO_ROOT, 'test', 'tmp', `noop-stamp-${tag}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(dir, { recursive: true });
  dirs.push(dir);
  return dir;
};

const env = hermeticEnv();

async function cli(dir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['generate', ...args], { out: (t) => out.push(t), err: (t) => err.push(t), env, cwd: dir });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const key = (dir: string) => ({ manifestPath: join(dir, 'mcp-gen.yaml'), outDir: dir });

/**
 * What generation owns under `dir`: the lock and every file its ledger lists, by relative path.
 * (User-owned files are created once and then left alone, so they follow the first manifest, not
 * the latest; the lock names them.)
 */
function tree(dir: string): Record<string, string> {
  const lock = readFileSync(join(dir, 'mcp-gen.lock.json'), 'utf8');
  const out: Record<string, string> = { 'mcp-gen.lock.json': lock };
  for (const rel of Object.keys((JSON.parse(lock) as { files: Record<string, string> }).files)) out[rel] = readFileSync(join(dir, rel), 'utf8');
  return out;
}

/** A 3-tool manifest whose first tool's input is a local schema file, plus one manifest warning (MG4006). */
function project(dir: string, seed = 5): Record<string, any> {
  const manifest = parse(syntheticManifest(3, seed)) as Record<string, any>;
  manifest.tools[0].input.properties.shipTo = { $ref: './schemas/address.json' };
  manifest.tools[1].input.properties.note = { type: 'string', maxLenght: 5 };
  mkdirSync(join(dir, 'schemas'), { recursive: true });
  writeFileSync(join(dir, 'schemas', 'address.json'), JSON.stringify({ type: 'object', properties: { city: { type: 'string' } } }));
  writeFileSync(join(dir, 'mcp-gen.yaml'), stringify(manifest));
  return manifest;
}

/** One byte changed in place, then the times put back to the nanosecond (`touch -r`): only ctime tells (write/file-stamps.ts). */
function sameSizeEdit(path: string): void {
  const text = readFileSync(path, 'utf8');
  const at = text.lastIndexOf('export');
  writeFileSync(`${path}.times`, '');
  execFileSync('touch', ['-r', path, `${path}.times`]);
  writeFileSync(path, `${text.slice(0, at)}Export${text.slice(at + 6)}`);
  execFileSync('touch', ['-r', `${path}.times`, path]);
  unlinkSync(`${path}.times`);
}

describe('no-op shortcut', () => {
  it('a settled run records it; the rerun takes it and prints what the full pipeline prints, --check too', { timeout: 300_000 }, async () => {
    const dir = freshDir('print');
    project(dir);
    const cold = await cli(dir);
    expect(cold.code).toBe(0);
    expect(cold.err).toContain('MG4006');
    const after = tree(dir);
    expect(await provenNoop(key(dir))).toBeDefined();

    const shortcut = await cli(dir);
    const shortcutCheck = await cli(dir, '--check');
    // The same reruns through the full pipeline (no stamp): the shortcut must be indistinguishable.
    rmSync(join(dir, NOOP_STAMP_PATH));
    const full = await cli(dir);
    rmSync(join(dir, NOOP_STAMP_PATH));
    const fullCheck = await cli(dir, '--check');
    expect(shortcut).toEqual(full);
    expect(shortcutCheck).toEqual(fullCheck);
    expect(full.out).toMatch(/^0 file\(s\) changed, \d+ unchanged or user-owned$/);
    expect(fullCheck.out).toBe('generated files are up to date');
    expect(tree(dir)).toEqual(after);
  });

  const mutations: [string, (dir: string) => void, string[]?][] = [
    ['a generated file edited by hand', (d) => appendFileSync(join(d, 'src/generated/tools.ts'), '// mine\n')],
    ['a JSON fixture edited (no header to tell)', (d) => appendFileSync(join(d, 'test/conformance/fixtures/tools.json'), ' ')],
    ['a generated file edited in place, its size and mtime kept', (d) => sameSizeEdit(join(d, 'src/generated/tools.ts'))],
    ['a generated file deleted', (d) => unlinkSync(join(d, 'src/generated/server.ts'))],
    ['a user-owned file deleted', (d) => unlinkSync(join(d, 'src/main.ts'))],
    ['the lock edited', (d) => appendFileSync(join(d, 'mcp-gen.lock.json'), '\n')],
    ['the lock deleted', (d) => unlinkSync(join(d, 'mcp-gen.lock.json'))],
    ['the manifest edited', (d) => writeFileSync(join(d, 'mcp-gen.yaml'), readFileSync(join(d, 'mcp-gen.yaml'), 'utf8').replace('synthetic tool 1)', 'synthetic tool one)'))],
    ['a $ref\'d schema file edited', (d) => writeFileSync(join(d, 'schemas', 'address.json'), JSON.stringify({ type: 'object', properties: { town: { type: 'string' } } }))],
    ['an interrupted commit left behind', (d) => mkdirSync(join(d, '.mcp-gen-staging-test'))],
    ['the stamp deleted', (d) => unlinkSync(join(d, NOOP_STAMP_PATH))],
    ['the whole cache deleted', (d) => rmSync(join(d, '.mcp-gen', 'cache'), { recursive: true })],
    ['another flag', () => undefined, ['--client-only']],
  ];
  /** Mutations that make the output stale, which `--check` must report (exit 1). */
  const staleForCheck = new Set(['a generated file edited by hand', 'a generated file edited in place, its size and mtime kept', 'a JSON fixture edited (no header to tell)', 'a generated file deleted', 'the lock edited', 'the lock deleted', 'the manifest edited', "a $ref'd schema file edited"]);
  for (const [what, mutate, flags = []] of mutations) {
    it(`${what}: the pipeline runs, and the result equals a cold run`, { timeout: 300_000 }, async () => {
      const dir = freshDir('mutate');
      project(dir);
      expect((await cli(dir)).code).toBe(0);
      expect(await provenNoop(key(dir))).toBeDefined();
      mutate(dir);
      expect(await provenNoop({ ...key(dir), clientOnly: flags.includes('--client-only') || undefined })).toBeUndefined();
      if (staleForCheck.has(what)) {
        // --check sees what the shortcut must not hide.
        expect((await cli(dir, '--check')).code, `--check after ${what}`).toBe(1);
      }
      rmSync(join(dir, '.mcp-gen-staging-test'), { recursive: true, force: true });
      expect((await cli(dir, ...flags)).code).toBe(0);
      const coldDir = freshDir('mutate-cold');
      writeFileSync(join(coldDir, 'mcp-gen.yaml'), readFileSync(join(dir, 'mcp-gen.yaml')));
      mkdirSync(join(coldDir, 'schemas'));
      writeFileSync(join(coldDir, 'schemas', 'address.json'), readFileSync(join(dir, 'schemas', 'address.json')));
      expect((await cli(coldDir, ...flags)).code).toBe(0);
      if (what === 'a user-owned file deleted') expect(existsSync(join(dir, 'src/main.ts'))).toBe(true);
      expect(tree(dir)).toEqual(tree(coldDir));
      // A run that warned about the previous state (a replaced hand edit: MG5002; handlers a
      // client-only project no longer plans: MG5004) is not settled: it records no stamp, the next one does.
      const clientOnly = flags.includes('--client-only') || undefined;
      if (what.startsWith('a generated file edited') || what.startsWith('a JSON fixture') || clientOnly) {
        expect(await provenNoop({ ...key(dir), clientOnly })).toBeUndefined();
        expect((await cli(dir, ...flags)).code).toBe(0);
      }
      expect(await provenNoop({ ...key(dir), clientOnly }), `stamp after ${what}`).toBeDefined();
    });
  }

  it('a flipped byte anywhere in the stamp is caught: never believed, and the next run rebuilds it', { timeout: 300_000 }, async () => {
    const dir = freshDir('flip');
    project(dir);
    await cli(dir);
    const stampPath = join(dir, NOOP_STAMP_PATH);
    const good = readFileSync(stampPath);
    const random = seededRandom(18);
    for (let i = 0; i < 60; i++) {
      const damaged = Buffer.from(good);
      const at = Math.floor(random() * damaged.length);
      damaged[at] = damaged[at]! ^ (1 << Math.floor(random() * 8));
      writeFileSync(stampPath, damaged);
      expect(await provenNoop(key(dir)), `flip at byte ${at}`).toBeUndefined();
    }
    // A stamp vouching for other inputs: the key is right, the input hashes are someone else's.
    const forged = JSON.parse(good.toString('utf8'));
    forged.inputs = forged.inputs.map(([p]: [string]) => [p, 'f'.repeat(64)]);
    writeFileSync(stampPath, JSON.stringify(forged));
    expect(await provenNoop(key(dir))).toBeUndefined();
    const before = tree(dir);
    expect((await cli(dir)).code).toBe(0);
    expect(tree(dir)).toEqual(before);
    expect(readFileSync(stampPath)).toEqual(good);
  });

  it('cold == incremental through the CLI over seeded random sequences of edits, reverts and no-op runs', { timeout: 600_000 }, async () => {
    const random = seededRandom(1804);
    const dir = freshDir('seq');
    const manifest = project(dir);
    await cli(dir);
    const texts = [stringify(manifest)];
    const log: string[] = [];
    for (let step = 1; step <= 6; step++) {
      const r = random();
      if (r < 0.35) {
        manifest.tools[Math.floor(random() * manifest.tools.length)].description += ` Step ${step}.`;
        log.push('edit description');
      } else if (r < 0.55) {
        manifest.schemas.Status.enum.push(`s${step}`);
        log.push('grow shared enum');
      } else if (r < 0.75 && texts.length > 1) {
        Object.assign(manifest, parse(texts[texts.length - 2]!));
        log.push('revert to the text before last');
      } else log.push('no change');
      const text = stringify(manifest);
      texts.push(text);
      writeFileSync(join(dir, 'mcp-gen.yaml'), text);
      expect((await cli(dir)).code).toBe(0);
      expect((await cli(dir)).out, `a rerun changes nothing (${log.join('; ')})`).toMatch(/^0 file\(s\) changed/);
      const coldDir = freshDir('seq-cold');
      writeFileSync(join(coldDir, 'mcp-gen.yaml'), text);
      mkdirSync(join(coldDir, 'schemas'));
      writeFileSync(join(coldDir, 'schemas', 'address.json'), readFileSync(join(dir, 'schemas', 'address.json')));
      await cli(coldDir);
      expect(tree(dir), log.join('; ')).toEqual(tree(coldDir));
      rmSync(coldDir, { recursive: true, force: true });
    }
    expect(existsSync(join(dir, NOOP_STAMP_PATH))).toBe(true);
  });
});
