/**
 * `mcp-gen pull` against a 2025-11-25 server (issue 15 item 4): pull
 * `@modelcontextprotocol/server-everything` over stdio (and HTTP), `generate --client-only`, then
 * use the generated typed client against the live server over both transports — typed calls, an
 * elicitation answered by the typed `elicit` callback — and prove the types bite: a wrong argument
 * does not compile.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../generator/project.ts';
import { pullManifest } from '../../generator/pull.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';
import { serverEverythingStdio, startServerEverythingHttp } from '../helpers/server-everything.ts';
import { tscProject } from '../helpers/tsc-project.ts';

const dir = join(REPO_ROOT, 'test', 'tmp', `pull-legacy-${process.pid}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const stdioLine = [serverEverythingStdio.command, ...serverEverythingStdio.args].join(' ');

/** What an application writes against the generated SDK; compiled by tsc, then run against the live server. */
const USE = `import { createMcpServersEverythingClient } from './generated/client.ts';
import type { TypedClientOptions } from './generated/runtime/client/index.ts';

export async function run(target: Pick<TypedClientOptions, 'url' | 'stdio'>) {
  const asked: string[] = [];
  const client = createMcpServersEverythingClient({
    ...target,
    clientInfo: { name: 'pulled-sdk', version: '1.0.0' },
    handlers: {
      elicit: async (params, ctx) => {
        asked.push(\`\${ctx.method}:\${ctx.target}:\${params.mode}\`);
        return { action: 'accept', content: { name: 'Ada Lovelace', check: true } };
      },
    },
  });
  try {
    const sum = await client.tools.getSum({ a: 2, b: 40 });
    const echo = await client.tools.echo({ message: 'typed hello' });
    const elicited = await client.tools.triggerElicitationRequest({});
    const text = (r: { content: readonly { type: string; text?: string }[] }) => r.content.map((c) => c.text ?? '').join(' ');
    return { era: client.era, version: client.protocolVersion, sum: text(sum), echo: text(echo), elicited: text(elicited), asked };
  } finally {
    await client.close();
  }
}
`;

/** Each line must fail tsc: a wrong argument type, a missing required argument, an unknown tool. */
const PROBES = [
  `client.tools.getSum({ a: 'two', b: 3 });`,
  `client.tools.getSum({ a: 2 });`,
  `client.tools.echo({ text: 'no such property' });`,
  `client.tools.noSuchTool({});`,
];

describe('mcp-gen pull from a 2025-11-25 server (server-everything)', () => {
  it('pulls over stdio and HTTP, generates a client-only SDK that calls the live server with typed arguments on both transports', async () => {
    const pulled = await pullManifest({ stdio: stdioLine });
    expect(pulled.serverRevision).toBe('2025-11-25');
    expect(pulled.yaml).toMatch(/^spec: 2026-07-28$/m);
    expect(pulled.yaml).toContain('# The server speaks 2025-11-25');
    expect(pulled.counts.tools).toBeGreaterThanOrEqual(13);
    expect(pulled.yaml).toContain('name: get-sum');
    expect(pulled.yaml).toContain('name: trigger-elicitation-request');

    const http = await startServerEverythingHttp();
    try {
      const overHttp = await pullManifest({ url: http.url });
      expect(overHttp.serverRevision).toBe('2025-11-25');
      expect(overHttp.counts).toEqual(pulled.counts);

      mkdirSync(join(dir, 'src'), { recursive: true });
      writeFileSync(join(dir, 'mcp-gen.yaml'), pulled.yaml);
      const generated = await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', clientOnly: true, source: { env: hermeticEnv() } });
      expect(generated.files.some((f) => f.path === 'src/generated/client.ts')).toBe(true);
      writeFileSync(join(dir, 'src', 'use.ts'), USE);
      expect(tscProject(dir).output).toBe('');

      const { run } = (await import(pathToFileURL(join(dir, 'src', 'use.ts')).href)) as { run: (t: object) => Promise<Record<string, unknown>> };
      for (const target of [{ stdio: { ...serverEverythingStdio, stderr: 'ignore' } }, { url: http.url }]) {
        const r = await run(target);
        expect(r.era).toBe('legacy');
        expect(r.version).toBe('2025-11-25');
        expect(r.sum).toContain('42');
        expect(r.echo).toContain('typed hello');
        expect(r.elicited).toContain('Ada Lovelace');
        expect(r.asked).toEqual(['tools/call:trigger-elicitation-request:form']);
      }
    } finally {
      await http.stop();
    }

    // Compile-must-fail probes: every probe line is an error of its own.
    const probe = `import { createMcpServersEverythingClient } from './generated/client.ts';\nconst client = createMcpServersEverythingClient({ url: 'http://127.0.0.1:1/mcp' });\n${PROBES.join('\n')}\n`;
    writeFileSync(join(dir, 'src', 'probe.ts'), probe);
    const failed = tscProject(dir);
    expect(failed.ok).toBe(false);
    for (let i = 0; i < PROBES.length; i++) expect(failed.output).toMatch(new RegExp(`src/probe\\.ts\\(${i + 3},\\d+\\): error TS`));
  }, 180_000);
});
