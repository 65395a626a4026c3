/**
 * `mcp-gen pull` round trips: pull a manifest from a live server, `generate --client-only`, tsc.
 * Servers: the generated conformance server (HTTP) and one built with the official SDK
 * (@modelcontextprotocol/server@2.4.0) over HTTP and stdio.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../generator/project.ts';
import { pullManifest } from '../../generator/pull.ts';
import { startSdkHttpServer } from '../client/sdk-server.ts';
import { prepareGeneratedProject, startGeneratedServer } from '../conformance-generated/project.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';
import { tscProject } from '../helpers/tsc-project.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function generateClient(name: string, yaml: string) {
  const dir = join(REPO_ROOT, 'test', 'tmp', `pull-${name}-${process.pid}`);
  dirs.push(dir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'mcp-gen.yaml'), yaml);
  const result = await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', clientOnly: true, source: { env: hermeticEnv() } });
  expect(result.files.some((f) => f.path === 'src/generated/client.ts')).toBe(true);
  expect(result.files.some((f) => f.path === 'src/generated/server.ts' || f.path.startsWith('src/handlers/') || f.path === 'src/main.ts')).toBe(false);
  const tsc = tscProject(dir);
  expect(tsc.output).toBe('');
  return { dir, client: readFileSync(join(dir, 'src/generated/client.ts'), 'utf8') };
}

describe('mcp-gen pull', () => {
  it('from the generated conformance server, then generate --client-only compiles', async () => {
    const project = await prepareGeneratedProject(`pull-source-${process.pid}`);
    const server = await startGeneratedServer(project.dir, { MCP_STATE_SECRET: 'pull-roundtrip-secret-0123456789abcdef' });
    try {
      const pulled = await pullManifest({ url: server.url });
      expect(pulled.counts.tools).toBeGreaterThan(15);
      expect(pulled.counts.prompts).toBeGreaterThan(3);
      expect(pulled.counts.resourceTemplates).toBe(1);
      const { client } = await generateClient('conformance', pulled.yaml);
      expect(client).toContain("name: 'test_simple_text'");
    } finally {
      await server.stop();
      project.remove();
    }
  });

  it('from an official-SDK server over HTTP and stdio', async () => {
    const sdk = await startSdkHttpServer();
    try {
      const overHttp = await pullManifest({ url: sdk.url });
      const { client } = await generateClient('sdk-http', overHttp.yaml);
      expect(client).toContain("name: 'greet'");
      expect(client).toContain("header: 'Name'");
      const overStdio = await pullManifest({ stdio: `${process.execPath} --import tsx ${join(REPO_ROOT, 'test/client/sdk-server.ts')} --stdio` });
      expect(overStdio.counts).toEqual(overHttp.counts);
    } finally {
      await sdk.close();
    }
  });
});
