/**
 * Manifest text (often pulled from a third-party server) never becomes code: crafted names, URIs,
 * descriptions and schema keywords end up escaped, the project compiles, and importing it runs
 * nothing of theirs.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../generator/project.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';
import { tscProject } from '../helpers/tsc-project.ts';

const dir = join(REPO_ROOT, 'test', 'tmp', `injection-${process.pid}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const manifest = `spec: 2026-07-28
server:
  name: "evil \${globalThis.pwnedName=1} \`x\`"
  version: "1"
  description: "*/ globalThis.pwnedDesc = 1; /*"
tools:
  - name: define
    description: "*/ globalThis.pwnedTool = 1; /*\\nsecond line"
    input:
      type: object
      properties:
        a: { type: string, tsType: "string; }\\nglobalThis.pwnedTs = 1;\\nexport interface Zzz { q: string" }
        __proto__: { type: string }
        constructor: { type: number }
  - name: then
    description: A thenable name.
  - name: __proto__
    description: A prototype's name.
resources:
  - uri: "x:a*/globalThis.pwnedRes=1;/*"
    name: res
resourceTemplates:
  - uriTemplate: "y://{id}*/globalThis.pwnedTpl=1;/*"
    name: tpl
prompts:
  - name: "p*/globalThis.pwnedPrompt=1;/*"
    description: A prompt.
    arguments:
      - name: __proto__
        required: true
`;

describe('generated code is not injectable from the manifest', () => {
  it('compiles, and importing the server and client runs no manifest text', { timeout: 300_000 }, async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'mcp-gen.yaml'), manifest);
    await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env: hermeticEnv() } });
    const tsc = tscProject(dir);
    expect(tsc.output).toBe('');
    await import(pathToFileURL(join(dir, 'src/generated/server.ts')).href);
    await import(pathToFileURL(join(dir, 'src/generated/client.ts')).href);
    const g = globalThis as Record<string, unknown>;
    for (const key of ['pwnedName', 'pwnedDesc', 'pwnedTool', 'pwnedTs', 'pwnedRes', 'pwnedTpl', 'pwnedPrompt']) expect(g[key], key).toBeUndefined();
    expect(readFileSync(join(dir, 'src/main.ts'), 'utf8')).not.toContain('pwnedName');
    expect(readFileSync(join(dir, '.github/workflows/mcp.yml'), 'utf8')).not.toContain('evil');

    // A property named `__proto__` is a property end to end: typed, validated, handed over as received.
    const define = await import(pathToFileURL(join(dir, 'src/generated/tools/define.ts')).href);
    expect(readFileSync(join(dir, 'src/generated/tools/define.ts'), 'utf8')).toMatch(/interface DefineInput \{[^}]*__proto__\?: string;/);
    const parsed = define.defineInputSchema.safeParse(JSON.parse('{"__proto__":"kept","constructor":1}'));
    expect(parsed.success).toBe(true);
    expect(Object.hasOwn(parsed.data, '__proto__') && parsed.data.__proto__ === 'kept').toBe(true);
    expect(Object.getPrototypeOf(parsed.data)).toBe(Object.prototype);
    expect(define.defineInputSchema.safeParse(JSON.parse('{"__proto__":5}')).success).toBe(false);
    // A tool named `__proto__` is listed, mocked and wired like any other.
    const mock = await import(pathToFileURL(join(dir, 'src/generated/mock-server.ts')).href);
    expect(Object.hasOwn(mock.mockData.tools, '__proto__')).toBe(true);
    expect(Object.hasOwn(mock.toolHeaderParams, '__proto__')).toBe(true);
  });
});
