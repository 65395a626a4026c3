/**
 * Replicas of a *generated* project for the Redis scale tests: a manifest with `state: { backend:
 * redis }`, generated into test/tmp (so the repo's node_modules resolve, `redis` included), its
 * user-owned handler files filled in, then each replica started as `node --import tsx src/main.ts`
 * (the project's own entry point) with PORT=0, a shared MCP_STATE_SECRET and MCP_REDIS_URL.
 * The task tools run long enough to be killed mid-flight; their lease is short (PROBE_LEASE_MS)
 * so a takeover is quick.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateProject } from '../../generator/project.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';
import { waitForStderr } from '../helpers/process.ts';
import { replicaHandle, type Replica } from './cluster.ts';

/** server.tasks.leaseMs of the probe: a dead replica's task is taken over within about 1.5× this. */
export const PROBE_LEASE_MS = 3_000;

const MANIFEST = `server:
  name: redis-probe
  version: "1.0.0"
  tasks:
    pollIntervalMs: 200
    leaseMs: ${PROBE_LEASE_MS}
tools:
  - name: whoami
    description: The pid of the replica that answered
    output:
      type: object
      properties: { pid: { type: integer } }
      required: [pid]
  - name: touch
    description: Announces an update of a resource to every listen stream, on every replica
    input:
      type: object
      properties: { uri: { type: string } }
      required: [uri]
  - name: greet
    description: Asks for a name, then greets it with the pid of the replica that finished
    asks:
      - id: who
        kind: elicitation
        message: Your name?
        schema: { type: object, properties: { name: { type: string } }, required: [name] }
  - name: work
    description: A long job (ms on the first attempt, retryMs on a retry); retried on another replica if its replica dies
    task: optional
    input:
      type: object
      properties: { ms: { type: integer }, retryMs: { type: integer }, tag: { type: string }, gate: { type: string } }
      required: [ms]
    output:
      type: object
      properties: { pid: { type: integer }, attempt: { type: integer }, isRetry: { type: boolean }, tag: { type: string } }
      required: [pid, attempt, isRetry]
  - name: charge
    description: Like work, but must never run twice
    task: optional
    taskRetry: false
    input:
      type: object
      properties: { ms: { type: integer }, tag: { type: string }, gate: { type: string } }
      required: [ms]
    output:
      type: object
      properties: { pid: { type: integer }, attempt: { type: integer }, isRetry: { type: boolean }, tag: { type: string } }
      required: [pid, attempt, isRetry]
  - name: confirm
    description: Becomes a task, then asks for a confirmation (parks until tasks/update answers)
    task: optional
    asks:
      - id: ok
        kind: elicitation
        message: Proceed?
        schema: { type: object, properties: { ok: { type: boolean } }, required: [ok] }
resources:
  - uri: test://doc
    name: doc
state:
  backend: redis
`;

const HANDLERS: Record<string, string> = {
  'src/handlers/tools/whoami.ts': `import type { WhoamiHandler } from '../../generated/tools.ts';
export const whoami: WhoamiHandler = async () => ({ structured: { pid: process.pid } });
`,
  'src/handlers/tools/touch.ts': `import type { TouchHandler } from '../../generated/tools.ts';
export const touch: TouchHandler = async (input, ctx) => {
  await ctx.changes.resourceUpdated(input.uri);
  return { content: [{ type: 'text', text: \`touched \${input.uri} on \${process.pid}\` }] };
};
`,
  'src/handlers/tools/greet.ts': `import { greetAsks, type GreetHandler } from '../../generated/tools.ts';
export const greet: GreetHandler = async (_input, ctx) => {
  const who = await ctx.elicit('who', greetAsks.who);
  const name = who.action === 'accept' ? who.content.name : who.action;
  return { content: [{ type: 'text', text: \`hello \${name} from \${process.pid}\` }] };
};
`,
  'src/handlers/tools/work.ts': `import type { WorkHandler } from '../../generated/tools.ts';
import { runFor } from '../run-for.ts';
export const work: WorkHandler = async (input, ctx) => {
  await ctx.task.status(\`running on \${process.pid} attempt \${ctx.task.attempt}\`);
  await runFor(ctx.task.isRetry ? (input.retryMs ?? input.ms) : input.ms, ctx, input.tag, input.gate);
  return { structured: { pid: process.pid, attempt: ctx.task.attempt, isRetry: ctx.task.isRetry, ...(input.tag ? { tag: input.tag } : {}) } };
};
`,
  'src/handlers/tools/charge.ts': `import type { ChargeHandler } from '../../generated/tools.ts';
import { runFor } from '../run-for.ts';
export const charge: ChargeHandler = async (input, ctx) => {
  await ctx.task.status(\`running on \${process.pid} attempt \${ctx.task.attempt}\`);
  await runFor(input.ms, ctx, input.tag, input.gate);
  return { structured: { pid: process.pid, attempt: ctx.task.attempt, isRetry: ctx.task.isRetry, ...(input.tag ? { tag: input.tag } : {}) } };
};
`,
  // Waits, stopping early when ctx.signal aborts (tasks/cancel from any replica); an aborted run
  // announces test://aborted/<tag> so a test can see on a listen stream that the signal fired.
  // `gate` (a file path) ends the wait once that file exists: the test releases the work when it
  // chooses (after a kill) instead of racing a duration against its own speed.
  'src/handlers/run-for.ts': `import { existsSync, watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import type { ToolContext } from '../generated/runtime/index.ts';
export async function runFor(ms: number, ctx: ToolContext, tag?: string, gate?: string): Promise<void> {
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve, reject) => {
    timer = setTimeout(resolve, ms);
    if (gate) {
      // Watch first, then look: a file created in between is still seen.
      watcher = watch(dirname(gate), () => existsSync(gate) && resolve()).on('error', reject);
      if (existsSync(gate)) resolve();
    }
    ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
  })
    .catch(async (reason: unknown) => {
      if (tag) await ctx.changes.resourceUpdated(\`test://aborted/\${tag}\`).catch(() => undefined);
      throw reason;
    })
    .finally(() => {
      clearTimeout(timer);
      watcher?.close();
    });
}
`,
  'src/handlers/tools/confirm.ts': `import { confirmAsks, type ConfirmHandler } from '../../generated/tools.ts';
export const confirm: ConfirmHandler = async (_input, ctx) => {
  await ctx.task.start(\`started on \${process.pid}\`);
  const answer = await ctx.elicit('ok', confirmAsks.ok);
  const ok = answer.action === 'accept' && answer.content.ok;
  return { content: [{ type: 'text', text: \`\${ok ? 'confirmed' : 'declined'} on \${process.pid}\` }] };
};
`,
  'src/handlers/resources/doc.ts': `import type { DocResourceHandler } from '../../generated/resources.ts';
export const doc: DocResourceHandler = async () => ({ text: 'doc' });
`,
};

/** Generates the probe project; returns its directory (remove it when done). */
export async function generateRedisProbe(): Promise<string> {
  const dir = join(REPO_ROOT, 'test', 'tmp', `redis-probe-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'mcp-gen.yaml'), MANIFEST);
  await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env: hermeticEnv() } });
  for (const [path, text] of Object.entries(HANDLERS)) writeFileSync(join(dir, path), text);
  return dir;
}

/** Starts one replica of the generated project and waits for its `listening on <url>` line. */
export async function startGeneratedReplica(dir: string, env: Record<string, string>, timeoutMs = 30_000): Promise<Replica> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: dir,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const url = await waitForStderr(child, /listening on (http:\/\/\S+)/, 'generated replica', timeoutMs);
  return replicaHandle(child, url, () => err);
}
