/**
 * Manifest → app model → generated server wiring → runtime for the issue-14 knobs: `server.timeoutMs`
 * (default deadline), a tool's `timeoutMs`, and a template's `allowDotSegments`. The user's
 * handlers are replaced by ones that hang or echo, and the generated server is driven directly.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../generator/project.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';

const dir = join(REPO_ROOT, 'test', 'tmp', `hardening-wiring-${process.pid}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const manifest = `spec: 2026-07-28
server:
  name: wiring
  version: "1"
  timeoutMs: 30
tools:
  - name: slow
    description: Hangs; has its own deadline.
    timeoutMs: 120
  - name: plain
    description: Hangs; uses the server default.
resourceTemplates:
  - uriTemplate: "tree://{+path}"
    name: tree
    allowDotSegments: true
  - uriTemplate: "files://{+path}"
    name: files
`;

const hang = (name: string, type: string) =>
  `import type { ${type} } from '../../generated/tools.ts';\nexport const ${name}: ${type} = (_input, ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve(ctx.error('aborted'))));\n`;
const echo = (name: string, type: string) =>
  `import type { ${type} } from '../../generated/resources.ts';\nexport const ${name}: ${type} = (params) => ({ text: params.path });\n`;

const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
const call = (id: number, method: string, params: Record<string, unknown>) => ({ jsonrpc: '2.0', id, method, params: { ...params, _meta: meta } });

describe('timeoutMs and allowDotSegments reach the runtime', () => {
  it('server default, tool override and the dot-segment opt-in behave as declared', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'mcp-gen.yaml'), manifest);
    await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env: hermeticEnv() } });
    writeFileSync(join(dir, 'src/handlers/tools/slow.ts'), hang('slow', 'SlowHandler'));
    writeFileSync(join(dir, 'src/handlers/tools/plain.ts'), hang('plain', 'PlainHandler'));
    writeFileSync(join(dir, 'src/handlers/templates/tree.ts'), echo('tree', 'TreeTemplateHandler'));
    writeFileSync(join(dir, 'src/handlers/templates/files.ts'), echo('files', 'FilesTemplateHandler'));
    const { createServer } = (await import(pathToFileURL(join(dir, 'src/generated/server.ts')).href)) as {
      createServer: (o?: object) => { handle(m: unknown): Promise<{ response?: { result?: unknown; error?: { code: number; message: string } } }> };
    };
    const server = createServer({ logger: { error() {}, warn() {}, info() {} } });

    const slow = await server.handle(call(1, 'tools/call', { name: 'slow', arguments: {} }));
    expect(slow.response?.error).toMatchObject({ code: -32603, message: 'Request timed out after 120 ms' });
    const plain = await server.handle(call(2, 'tools/call', { name: 'plain', arguments: {} }));
    expect(plain.response?.error).toMatchObject({ code: -32603, message: 'Request timed out after 30 ms' });

    const opened = await server.handle(call(3, 'resources/read', { uri: 'tree://a/../b' }));
    expect(JSON.stringify(opened.response?.result)).toContain('a/../b');
    const refused = await server.handle(call(4, 'resources/read', { uri: 'files://a/../b' }));
    expect(refused.response?.error?.code).toBe(-32602);
  }, 60_000);
});
