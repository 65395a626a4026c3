/**
 * Offline generation of a dual-era project: the default `serve` of a `spec: 2026-07-28` manifest
 * also needs the 2025-11-25 schema. With only the project's own revision in the cache, generate
 * fails with MG1006 naming the second revision, why it is needed, and the exact command that fixes
 * it; after that command (run while online) the offline generate works. A manifest narrowed with
 * `serve: [2026-07-28]` never needs it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { SHARED_SPEC, tempDir } from '../helpers/env.ts';

const MANIFEST = `spec: 2026-07-28
server: { name: offline-dual, version: "1.0.0" }
tools:
  - name: ping_me
    description: Answers pong
    input: { type: object, properties: {} }
`;

describe('offline generate of a dual-era project', () => {
  it('with only 2026-07-28 cached: MG1006 names 2025-11-25 and `mcp-gen spec pull 2025-11-25`; after the pull it works offline', async () => {
    const cache = tempDir('mcp-gen-cache-');
    const online = { MCP_GEN_SPEC_MIRROR: SHARED_SPEC, MCP_GEN_CACHE_DIR: cache };
    // A mirror that refuses connections: offline, deterministically and at once.
    const offline = { MCP_GEN_SPEC_MIRROR: 'http://127.0.0.1:9', MCP_GEN_CACHE_DIR: cache };
    expect((await runCli(['spec', 'pull', '2026-07-28'], { env: online })).code).toBe(0);

    const dir = tempDir();
    writeFileSync(join(dir, 'mcp-gen.yaml'), MANIFEST);
    const failed = await runCli(['generate', '--manifest', join(dir, 'mcp-gen.yaml')], { env: offline, cwd: dir });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('MG1006');
    expect(failed.stderr).toMatch(/the schema of 2025-11-25 is needed too: by default a 2026-07-28 project also serves every older pinned revision/);
    expect(failed.stderr).toContain('`mcp-gen spec pull 2025-11-25`');
    expect(failed.stderr).toContain('`serve: [2026-07-28]`');

    // The command the message names, run while "online" (the mirror), fixes it.
    expect((await runCli(['spec', 'pull', '2025-11-25'], { env: online })).code).toBe(0);
    const fixed = await runCli(['generate', '--manifest', join(dir, 'mcp-gen.yaml')], { env: offline, cwd: dir });
    expect(fixed.code, fixed.stderr).toBe(0);
  });

  it('a manifest listing the revision in `serve:` is told so; `serve: [2026-07-28]` alone needs nothing more', async () => {
    const cache = tempDir('mcp-gen-cache-');
    expect((await runCli(['spec', 'pull', '2026-07-28'], { env: { MCP_GEN_SPEC_MIRROR: SHARED_SPEC, MCP_GEN_CACHE_DIR: cache } })).code).toBe(0);
    const offline = { MCP_GEN_SPEC_MIRROR: 'http://127.0.0.1:9', MCP_GEN_CACHE_DIR: cache };
    const listed = tempDir();
    writeFileSync(join(listed, 'mcp-gen.yaml'), MANIFEST.replace('spec: 2026-07-28\n', 'spec: 2026-07-28\nserve: [2026-07-28, 2025-11-25]\n'));
    const failed = await runCli(['generate', '--manifest', join(listed, 'mcp-gen.yaml')], { env: offline, cwd: listed });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/the manifest lists 2025-11-25 in `serve:`/);
    expect(failed.stderr).toContain('`mcp-gen spec pull 2025-11-25`');

    const narrow = tempDir();
    writeFileSync(join(narrow, 'mcp-gen.yaml'), MANIFEST.replace('spec: 2026-07-28\n', 'spec: 2026-07-28\nserve: [2026-07-28]\n'));
    const ok = await runCli(['generate', '--manifest', join(narrow, 'mcp-gen.yaml')], { env: offline, cwd: narrow });
    expect(ok.code, ok.stderr).toBe(0);
  });
});
