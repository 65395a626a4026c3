/**
 * Write-then-rename for the caches and stamps mcp-gen keeps beside its output and in the machine
 * cache, and the sweep of the temp files a killed run leaves behind.
 *
 * A temp file is named `<target>.<pid>-<random>.tmp`: the pid lets a later run tell a temp of a dead
 * process (left by SIGKILL between write and rename, which no `finally` survives) from one another
 * process is writing now. (The project's output itself is committed by generator/write/commit.ts,
 * whose staging directory has its own roll-back and roll-forward.)
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const TEMP_NAME = /\.(\d+)-[0-9a-f]+\.tmp$/;

/**
 * A temp file of a dead process is left alone for this long after its last write: a process in
 * another pid namespace sharing the directory (a container with the machine cache mounted) looks
 * dead from here, and its write ends in milliseconds.
 */
export const DEAD_WRITER_GRACE_MS = 10_000;
/** Any temp file untouched this long is abandoned, whoever holds the pid now (pids are reused). */
export const ABANDONED_MS = 60 * 60_000;

export function tempPathFor(target: string): string {
  return `${target}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
}

/** Replaces `target` by rename, so a reader sees the old bytes or the new ones, never half of either. */
export function writeFileAtomicSync(target: string, data: string | Uint8Array): void {
  const tmp = tempPathFor(target);
  try {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, target);
  } catch (error) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // the write's own error is the one to report
    }
    throw error;
  }
}

/** The same, asynchronous. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(target);
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(tmp, data);
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => undefined); // the write's own error is the one to report
    throw error;
  }
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp files (and temp directories) in `dir` that their writer abandoned: its process is
 * gone and the file is DEAD_WRITER_GRACE_MS old, or it is ABANDONED_MS old. Best effort, one readdir:
 * called where a run is about to write into `dir` anyway, so a run that writes nothing pays nothing.
 * Returns the names removed.
 */
export function sweepAbandonedTemps(dir: string, now: number = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMP_NAME.exec(name);
    if (!match) continue;
    const path = join(dir, name);
    try {
      const st = lstatSync(path, { throwIfNoEntry: false });
      if (!st) continue;
      const age = now - st.mtimeMs;
      const stale = age > ABANDONED_MS || (age > DEAD_WRITER_GRACE_MS && !processAlive(Number(match[1])));
      if (!stale) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // someone else's to clean up, or already gone
    }
  }
  return removed;
}
