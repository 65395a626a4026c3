/**
 * The generator build's fingerprint (generator/incremental/noop-stamp.ts generatorFingerprint) keys
 * the no-op shortcut and every cache: a change to the code that runs must make the next run a full
 * one, through the CLI a user runs (bin/mcp-gen.js → dist/bundle). Code that does not run (the
 * unbundled dist/generator tree beside the bundle) is not statted on every run.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';

const dir = join(REPO_ROOT, 'test', 'tmp', `build-fingerprint-${process.pid}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { ...process.env, ...hermeticEnv({ MCP_GEN_TIMINGS: '1' }) };

/** Whether a `generate` ran the pipeline (stage timings are printed only then; a no-op prints none). */
function fullRun(): boolean {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'mcp-gen.js'), 'generate'], { cwd: dir, env, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return /^timing inputs /m.test(r.stderr);
}

/** Runs `body` with `file`'s mtime moved a second on, then puts it back. */
function touched(file: string, body: () => void): void {
  const { atime, mtime } = statSync(file);
  utimesSync(file, atime, new Date(mtime.getTime() + 1000));
  try {
    body();
  } finally {
    utimesSync(file, atime, mtime);
  }
}

describe('the build fingerprint follows the code that runs', () => {
  it('a touched bundle makes the next run a full one; a module outside the bundle does not', { timeout: 300_000 }, () => {
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(REPO_ROOT, 'examples', 'weather', 'mcp-gen.yaml'), join(dir, 'mcp-gen.yaml'));
    expect(fullRun()).toBe(true);
    expect(fullRun(), 'nothing changed: the no-op shortcut').toBe(false);
    touched(join(REPO_ROOT, 'dist', 'bundle', 'mcp-gen.cjs'), () => expect(fullRun(), 'dist/bundle/mcp-gen.cjs changed').toBe(true));
    // The run above recorded the touched build; with the mtime back it is another build again.
    expect(fullRun()).toBe(true);
    expect(fullRun()).toBe(false);
    touched(join(REPO_ROOT, 'dist', 'generator', 'cli', 'main.js'), () => expect(fullRun(), 'dist/generator is not what bin runs').toBe(false));
    touched(join(REPO_ROOT, 'templates', 'project', 'src', 'generated', 'tools.ts.hbs'), () => expect(fullRun(), 'a template changed').toBe(true));
  });
});
