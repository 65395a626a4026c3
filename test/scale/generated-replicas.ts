/**
 * Replicas of a *generated* project for the Redis scale test: a manifest with `state: { backend:
 * redis }`, generated into test/tmp (so the repo's node_modules resolve, `redis` included), its
 * user-owned handler files filled in, then each replica started as `node --import tsx src/main.ts`
 * (the project's own entry point) with PORT=0, a shared MCP_STATE_SECRET and MCP_REDIS_URL.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateProject } from '../../generator/project.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';
import { waitForStderr } from '../helpers/process.ts';
import { replicaHandle, type Replica } from './cluster.ts';

const MANIFEST = `server:
  name: redis-probe
  version: "1.0.0"
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
