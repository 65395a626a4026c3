/** Waiting for a child process to announce itself (a listening URL, a DevTools endpoint) on stderr. */
import type { ChildProcess } from 'node:child_process';

/**
 * Resolves with the first capture group of `pattern` in the child's stderr; rejects when the child
 * exits first, or after `timeoutMs` when given. The rejection carries what the child printed.
 */
export function waitForStderr(child: ChildProcess, pattern: RegExp, what: string, timeoutMs?: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => reject(new Error(`${what} did not start:\n${err}`)), timeoutMs);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = pattern.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`${what} exited ${code}:\n${err}`)));
  });
}
