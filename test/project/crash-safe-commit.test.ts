/**
 * `generate` survives SIGKILL at any instant of its commit (issue 14, item 9).
 *
 * A real regenerate of a many-tool project (old manifest → new manifest: descriptions and inputs
 * changed, tools added and removed, so generated files are updated, created and deleted, handler
 * stubs are created and the lock changes) is computed once. Each of 100 iterations then restores
 * the old tree and replays that generate's commit in a child process running the built writer
 * (dist/, what bin/mcp-gen.js runs), and SIGKILLs it a seeded random delay after the commit starts.
 * Every time: once what the killed run left is settled, every file (hashed) equals the old tree
 * or the new one exactly — user-owned files, the lock and leftovers included — and the next run,
 * given the killed tree as is, succeeds and yields exactly the new tree.
 * Re-running the emit in every iteration would cost seconds each; the commit is what is under test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FinalFile } from '../../generator/format/format.ts';
import { FORMAT_CACHE_DIR } from '../../generator/format/format-cache.ts';
import { seededRandom } from '../../generator/fixtures/prng.ts';
import { generateProject, PROJECT_DELETABLE_ROOTS } from '../../generator/project.ts';
import { settleInterruptedCommits, STAGING_PREFIX } from '../../generator/write/commit.ts';
import { LOCK_FILE, parseLock, sha256 } from '../../generator/write/lockfile.ts';
import { writeOutput, type WriteRequest } from '../../generator/write/write-output.ts';
import { hermeticEnv, REPO_ROOT, tempDir } from '../helpers/env.ts';

const ITERATIONS = 100;
const SEED = Number(process.env.MCP_GEN_KILL_SEED ?? 0x14c0ffee);
const CHILD = join(import.meta.dirname, 'commit-kill-child.mjs');
const BUILT_WRITER = join(REPO_ROOT, 'dist/generator/write/write-output.js');

function manifest(tools: { i: number; version: number }[]): string {
  let y = 'spec: 2026-07-28\nserver:\n  name: big\n  version: "1.0.0"\ntools:\n';
  for (const { i, version } of tools) {
    y += `  - name: tool_${i}\n    description: Tool ${i}, revision ${version}, looks up record ${i}.\n`;
    y += `    input:\n      type: object\n      properties:\n        id${i}:\n          type: string\n`;
    if (version > 1) y += `        limit:\n          type: integer\n          minimum: ${version}\n`;
    y += `      required: [id${i}]\n`;
  }
  return y;
}

type Tree = Record<string, string>;

/** Every file under dir (hidden ones too; not the format cache, which is no output) → sha256 of its bytes. */
function hashTree(dir: string): Tree {
  const out: Tree = {};
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (rel === FORMAT_CACHE_DIR) continue;
      if (e.isDirectory()) walk(join(d, e.name), rel);
      else out[rel] = sha256(readFileSync(join(d, e.name), 'utf8'));
    }
  };
  walk(dir, '');
  return out;
}

const withoutStaging = (t: Tree): Tree => Object.fromEntries(Object.entries(t).filter(([p]) => !p.startsWith(STAGING_PREFIX)));
const same = (a: Tree, b: Tree) => JSON.stringify(a) === JSON.stringify(b);

interface ChildRun {
  finished: boolean;
  /** When it finished: ms from writeOutput's start, and from the first file moving into the output. */
  total?: number;
  applying?: number;
  /** From the first apply step to the last: while the tree is a mix of old and new files. */
  mixed?: number;
}

type Trigger = 'go' | 'apply';

/**
 * A commit child, spawned ahead so its start-up overlaps the previous iteration's checks. `run`
 * starts the commit and SIGKILLs it `delayMs` after the `trigger` event (never, when undefined).
 */
const children = new Set<ChildProcess>();
afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

function spawnChild(requestPath: string) {
  const child = spawn(process.execPath, [CHILD, requestPath], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  let err = '';
  let onLine = (_line: string) => {};
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
    let nl: number;
    while ((nl = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      onLine(line);
    }
  });
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const ready = new Promise<void>((resolve) => (onLine = (line) => line === 'ready' && resolve()));
  return {
    ready,
    async run(trigger?: Trigger, delayMs = 0): Promise<ChildRun> {
      let done: string | undefined;
      onLine = (line) => {
        if (line === trigger) setTimeout(() => child.kill('SIGKILL'), delayMs);
        if (line.startsWith('done ')) done = line;
      };
      child.stdin.end('start\n');
      const { code, signal } = await closed;
      if (signal === 'SIGKILL') return { finished: false };
      if (code !== 0 || !done) throw new Error(`commit child failed (code ${code}, signal ${signal}): ${err}`);
      const [, total, applying, mixed] = done.split(' ').map(Number);
      return { finished: true, total, applying, mixed };
    },
  };
}

describe('crash-safe generate commit', () => {
  const root = tempDir('mcp-gen-kill-');
  const oldDir = join(root, 'old');
  const work = join(root, 'work');
  const side = join(root, 'side');
  const requestPath = join(root, 'request.json');
  let oldTree: Tree;
  let newTree: Tree;
  let request: WriteRequest;
  let changed: string[];
  const oldText = new Map<string, string>();
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  beforeAll(async () => {
    if (!existsSync(BUILT_WRITER)) throw new Error('run `npm run build` first: this test kills the built CLI writer (dist/)');
    const env = hermeticEnv();
    const old = Array.from({ length: 24 }, (_, i) => ({ i, version: 1 }));
    // 16 tools changed (description and a new input), 8 removed, 8 added.
    const next = [...Array.from({ length: 16 }, (_, i) => ({ i, version: 2 })), ...Array.from({ length: 8 }, (_, k) => ({ i: 24 + k, version: 1 }))];
    mkdirSync(join(root, 'manifests'), { recursive: true });
    const manifestPath = join(root, 'manifests', 'mcp-gen.yaml');
    writeFileSync(manifestPath, manifest(old));
    await generateProject({ manifestPath, outDir: oldDir, mode: 'write', source: { env } });
    oldTree = hashTree(oldDir);
    for (const path of Object.keys(oldTree)) oldText.set(path, readFileSync(join(oldDir, path), 'utf8'));
    cpSync(oldDir, work, { recursive: true });
    writeFileSync(manifestPath, manifest(next));
    await generateProject({ manifestPath, outDir: work, mode: 'write', source: { env } });
    newTree = hashTree(work);
    changed = Object.keys({ ...oldTree, ...newTree }).filter((p) => oldTree[p] !== newTree[p]);

    // The same commit, as a request the built writer can replay: files and ownership from the new lock.
    const lock = parseLock(readFileSync(join(work, LOCK_FILE), 'utf8'))!;
    const files: FinalFile[] = [
      ...Object.keys(lock.files).map((path) => ({ path, owner: 'generated' as const, content: readFileSync(join(work, path), 'utf8') })),
      ...(lock.userFiles ?? []).map((path) => ({ path, owner: 'user' as const, content: readFileSync(join(work, path), 'utf8') })),
    ];
    const { files: _ledger, lockfileVersion: _v, ...meta } = lock;
    request = { outDir: work, files, deletableRoots: PROJECT_DELETABLE_ROOTS, lock: meta, mode: 'write' };
    writeFileSync(requestPath, JSON.stringify(request));
  }, 240_000);

  /** Back to the old tree from the new one (which every iteration ends with): only the files that differ. */
  function restoreOld(): void {
    if (!existsSync(work)) return cpSync(oldDir, work, { recursive: true });
    for (const path of changed) {
      if (path in oldTree) {
        mkdirSync(dirname(join(work, path)), { recursive: true });
        writeFileSync(join(work, path), oldText.get(path)!);
      } else rmSync(join(work, path), { force: true });
    }
  }

  it('the change touches many files of every kind', () => {
    const created = changed.filter((p) => !(p in oldTree));
    const deleted = changed.filter((p) => !(p in newTree));
    expect(changed.length).toBeGreaterThan(40);
    expect(created.some((p) => p.startsWith('src/handlers/'))).toBe(true);
    expect(created.some((p) => p.startsWith('src/generated/'))).toBe(true);
    expect(deleted.some((p) => p.startsWith('src/generated/'))).toBe(true);
    expect(changed).toContain(LOCK_FILE);
  });

  it('100 SIGKILLs at seeded instants: old or new tree exactly, and the next run yields the new one', async () => {
    const started = performance.now();
    // Calibrate the windows: how long the built writer's commit takes here, uninterrupted — all of
    // it (plan, staging, apply, clean-up) and the part after the commit point.
    let total = 0;
    let applying = 0;
    let mixed = 0;
    for (let k = 0; k < 3; k++) {
      restoreOld();
      const child = spawnChild(requestPath);
      await child.ready;
      const r = await child.run();
      expect(r.finished).toBe(true);
      expect(same(hashTree(work), newTree)).toBe(true); // the replay is the real generate's commit
      total = Math.max(total, r.total!);
      applying = Math.max(applying, r.applying!);
      mixed = Math.max(mixed, r.mixed!);
    }
    const random = seededRandom(SEED);
    const outcomes = { old: 0, new: 0, rawMixed: 0, journalFound: 0, finished: 0 };
    let next = spawnChild(requestPath);
    for (let n = 0; n < ITERATIONS; n++) {
      // A third of the kills anywhere in the whole write, the rest after the commit point, while the
      // tree is being changed — a few ms now that the steps are synchronous renames (timers fire late
      // under load, so both windows get some slack).
      const trigger: Trigger = random() < 1 / 3 ? 'go' : 'apply';
      const delay = random() * (trigger === 'go' ? total : mixed) * 1.25;
      restoreOld();
      const child = next;
      await child.ready;
      const killed = await child.run(trigger, delay);
      if (n + 1 < ITERATIONS) next = spawnChild(requestPath);
      if (killed.finished) outcomes.finished++;
      const raw = hashTree(work);
      const rawOutput = withoutStaging(raw);
      if (!same(rawOutput, oldTree) && !same(rawOutput, newTree)) outcomes.rawMixed++;
      const committed = Object.keys(raw).some((p) => p.startsWith(STAGING_PREFIX) && p.endsWith('/journal.json'));
      if (committed) outcomes.journalFound++;
      const where = `iteration ${n}, seed ${SEED}, kill ${delay.toFixed(2)} ms after "${trigger}"`;

      // What the killed run left, once settled: exactly the old or the new tree, nothing else.
      // Without leftovers the raw tree is judged as is. With leftovers, odd iterations settle a copy
      // and then let the next run settle the killed tree itself; even ones settle in place.
      let settled = raw;
      if (Object.keys(raw).length !== Object.keys(rawOutput).length) {
        const target = n % 2 ? side : work;
        if (n % 2) {
          rmSync(side, { recursive: true, force: true });
          cpSync(work, side, { recursive: true });
        }
        await settleInterruptedCommits(target);
        settled = hashTree(target);
      }
      const isOld = same(settled, oldTree);
      const isNew = same(settled, newTree);
      expect(isOld || isNew, `${where}: settled tree is neither old nor new`).toBe(true);
      if (committed) expect(isNew, `${where}: a committed journal must roll forward`).toBe(true);
      if (isOld) outcomes.old++;
      else outcomes.new++;

      await writeOutput({ ...request, outDir: work });
      expect(same(hashTree(work), newTree), `${where}: the next run did not yield the new tree`).toBe(true);
    }
    console.log(
      `crash-safe commit: ${ITERATIONS} kills in ${((performance.now() - started) / 1000).toFixed(1)} s; write ${total.toFixed(1)} ms, after the commit point ${applying.toFixed(1)} ms (tree mixed for ${mixed.toFixed(1)} ms); outcomes ${JSON.stringify(outcomes)}`,
    );
    // The instants must cover both sides of the commit point and the mixed middle, or the test proves
    // nothing. (On a heavily loaded box timers fire late and more runs finish first: hence the low bars.)
    expect(outcomes.old).toBeGreaterThanOrEqual(3);
    expect(outcomes.new).toBeGreaterThanOrEqual(3);
    expect(outcomes.rawMixed).toBeGreaterThanOrEqual(3);
  }, 600_000);
});
