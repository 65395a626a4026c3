/**
 * The launcher's V8 code cache (generator/launch/bundle-runner.ts), through the CLI users run
 * (bin/mcp-gen.js → dist/bundle/mcp-gen.cjs): written by a first run, used by the next, never
 * trusted — a damaged, truncated, foreign or V8-rejected file is ignored and written again — and
 * never a difference in what a generate writes. Each test keeps its cache in its own directory
 * (MCP_GEN_CODE_CACHE), so the cache beside the checkout's bundle is not touched.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../generator/sha256.ts';
import { hermeticEnv, REPO_ROOT, tempDir } from '../helpers/env.ts';

const CACHE_FILE = `${process.version}-${process.arch}.bin`;

/** A fresh weather project generated with the code cache in `codeCache`; its stderr's code-cache line and its files. */
function generate(codeCache: string): { state: string; files: Map<string, string> } {
  const dir = tempDir();
  copyFileSync(join(REPO_ROOT, 'examples', 'weather', 'mcp-gen.yaml'), join(dir, 'mcp-gen.yaml'));
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'mcp-gen.js'), 'generate'], {
    cwd: dir,
    env: hermeticEnv({ MCP_GEN_CODE_CACHE: codeCache, MCP_GEN_TIMINGS: '1' }),
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  const files = new Map<string, string>();
  for (const f of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = relative(dir, join(f.parentPath, f.name));
    // .mcp-gen/ holds the project's own caches and stamps (inode numbers, paths): not output.
    if (f.isFile() && !path.startsWith('.mcp-gen')) files.set(path, readFileSync(join(dir, path), 'utf8'));
  }
  return { state: /^code cache: (.*)$/m.exec(r.stderr)?.[1] ?? '(none printed)', files };
}

/** Rewrites the cache file: `edit` gets its header (parsed) and payload and returns the new ones. */
function rewrite(file: string, edit: (header: Record<string, unknown>, payload: Buffer) => [Record<string, unknown>, Buffer]): void {
  const bytes = readFileSync(file);
  const eol = bytes.indexOf(10);
  const [header, payload] = edit(JSON.parse(bytes.subarray(0, eol).toString('utf8')) as Record<string, unknown>, Buffer.from(bytes.subarray(eol + 1)));
  writeFileSync(file, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), payload]));
}

describe('the V8 code cache of the bundled CLI', () => {
  let off: ReturnType<typeof generate>;
  let reference: Map<string, string>;
  beforeAll(() => {
    off = generate('off');
    reference = off.files;
  });

  it('is written by a first run and used by the next; the output is the same with it, without it and from it', () => {
    const cache = tempDir('mcp-gen-code-cache-');
    expect(off.state).toBe('(none printed)');
    const first = generate(cache);
    expect(first.state).toBe('absent, written');
    expect(statSync(join(cache, CACHE_FILE)).size).toBeGreaterThan(100_000);
    // The second run generates a new project too: it imports prettier (generator/load/import-package.ts) from cached code.
    const second = generate(cache);
    expect(second.state).toBe('used');
    expect(reference.size).toBeGreaterThan(50);
    for (const run of [off, first, second]) expect(run.files).toEqual(reference);
  });

  it('a damaged file is ignored and written again: flipped payload bytes, a truncated file, a foreign bundle, data V8 rejects', () => {
    const cache = tempDir('mcp-gen-code-cache-');
    const file = join(cache, CACHE_FILE);
    expect(generate(cache).state).toBe('absent, written');
    const damage: [string, () => void, string][] = [
      ['flipped bytes', () => rewrite(file, (h, p) => {
        for (let i = 1000; i < p.length; i += 50_000) p[i] = p[i]! ^ 0xff;
        return [h, p];
      }), 'corrupt, written'],
      ['truncated', () => writeFileSync(file, readFileSync(file).subarray(0, 20)), 'corrupt, written'],
      ['no header', () => writeFileSync(file, readFileSync(file).subarray(readFileSync(file).indexOf(10) + 1)), 'corrupt, written'],
      ['another bundle', () => rewrite(file, (h, p) => [{ ...h, bundle: sha256Hex('another build') }, p]), 'foreign, written'],
      // A header that vouches for its payload, and a payload that is not V8's: V8 itself turns it down.
      ['not V8 data', () => rewrite(file, (h, p) => {
        const junk = Buffer.alloc(p.length, 7);
        return [{ ...h, payload: sha256Hex(junk) }, junk];
      }), 'rejected, written'],
    ];
    for (const [what, harm, state] of damage) {
      harm();
      const run = generate(cache);
      expect(run.state, what).toBe(state);
      expect(run.files, what).toEqual(reference);
      expect(generate(cache).state, `${what}: rewritten`).toBe('used');
    }
  });

  it('an installation whose bundle directory takes no cache keeps it in the machine cache ($MCP_GEN_CACHE_DIR/code-cache)', () => {
    // A copy of the installation (links to everything but bin/ and the bundle), whose dist/bundle/.code-cache is a file.
    const root = tempDir('mcp-gen-install-');
    for (const entry of ['package.json', 'templates', 'spec', 'node_modules']) symlinkSync(join(REPO_ROOT, entry), join(root, entry));
    mkdirSync(join(root, 'dist', 'bundle'), { recursive: true });
    for (const entry of ['generator', 'templates.precompiled.json']) symlinkSync(join(REPO_ROOT, 'dist', entry), join(root, 'dist', entry));
    cpSync(join(REPO_ROOT, 'bin'), join(root, 'bin'), { recursive: true });
    copyFileSync(join(REPO_ROOT, 'dist', 'bundle', 'mcp-gen.cjs'), join(root, 'dist', 'bundle', 'mcp-gen.cjs'));
    writeFileSync(join(root, 'dist', 'bundle', '.code-cache'), 'not a directory');
    const machine = tempDir('mcp-gen-cache-');
    const version = () => spawnSync(process.execPath, [join(root, 'bin', 'mcp-gen.js'), '--version'], { env: { ...hermeticEnv(), MCP_GEN_CACHE_DIR: machine, MCP_GEN_TIMINGS: '1' }, encoding: 'utf8' });
    expect(version().stderr).toContain('code cache: absent, written');
    expect(readdirSync(join(machine, 'code-cache'))).toEqual([CACHE_FILE]);
    const second = version();
    expect(second.status).toBe(0);
    expect(second.stderr).toContain('code cache: used');
  });

  it('a cache directory that cannot be written costs nothing but the cache', () => {
    const blocked = join(tempDir(), 'a-file');
    writeFileSync(blocked, '');
    const run = generate(join(blocked, 'code-cache')); // a directory under a file: mkdir fails
    expect(run.state).toBe('absent, not written');
    expect(existsSync(join(blocked, 'code-cache'))).toBe(false);
    expect(run.files).toEqual(reference);
  });
});
