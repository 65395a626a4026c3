// Child process of crash-safe-commit.test.ts: the built writer of `mcp-gen generate`
// (dist/generator/write/write-output.js, what bin/mcp-gen.js runs) replaying one generate's commit.
// Protocol on stdio, so the parent can SIGKILL it at a seeded instant measured from an event:
//   child → "ready" (imports done), parent → any line (start), child → "go" (writeOutput called),
//   child → "apply" (the first file is about to move into the output: the journal is committed),
//   child → "done <ms since go> <ms since apply> <ms from the first apply step to the last>" when it
//   finished uninterrupted (the last figure is the window in which the tree is mixed).
import { readFileSync, writeSync } from 'node:fs';

const [requestPath] = process.argv.slice(2);
const { writeOutput } = await import(new URL('../../dist/generator/write/write-output.js', import.meta.url).href);
const request = JSON.parse(readFileSync(requestPath, 'utf8'));
writeSync(1, 'ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.pause();
writeSync(1, 'go\n');
const started = performance.now();
let applying = started;
let lastStep = started;
request.beforeCommitStep = (index) => {
  lastStep = performance.now();
  if (index !== 0) return;
  applying = lastStep;
  writeSync(1, 'apply\n');
};
await writeOutput(request);
const end = performance.now();
writeSync(1, `done ${(end - started).toFixed(2)} ${(end - applying).toFixed(2)} ${(lastStep - applying).toFixed(2)}\n`);
