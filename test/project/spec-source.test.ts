/**
 * Generated output does not depend on where the spec came from, and never on the previous run's
 * output: a project generated from a mirror directory is up to date when checked against the cache
 * (`spec pull` caches the pinned examples with the schema) — as in a project's CI — and editing the
 * manifest then regenerating from the cache rewrites the spec-example fixtures from the new manifest.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { pullSpec } from '../../generator/load/load-spec.ts';
import { generateProject } from '../../generator/project.ts';
import { hermeticEnv, tempDir } from '../helpers/env.ts';
import { generateExample } from '../helpers/project.ts';

describe('spec source independence', async () => {
  const { dir } = await generateExample('kitchen-sink');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--check passes when the schema comes from the cache instead of the mirror', async () => {
    const examples = JSON.parse(readFileSync(join(dir, 'test/conformance/fixtures/spec-examples.json'), 'utf8'));
    expect(examples.cases.length).toBeGreaterThan(0);
    const cacheOnly = { MCP_GEN_CACHE_DIR: tempDir('mcp-gen-cache-') };
    // The project serves 2025-11-25 too (default `serve:`), so its schema comes from the cache as well.
    for (const revision of ['2026-07-28', '2025-11-25']) await pullSpec(revision, { env: { ...hermeticEnv(), ...cacheOnly } });
    const check = await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'check', source: { env: cacheOnly } });
    expect(check.spec.origin.kind).toBe('cache');
    expect(check.report.stale).toEqual([]);
  });

  it('removing prompts: and regenerating from the cache leaves no prompt fixtures', async () => {
    const fixture = () => readFileSync(join(dir, 'test/conformance/fixtures/spec-examples.json'), 'utf8');
    const methods = () => (JSON.parse(fixture()).cases as { request: { method: string } }[]).map((c) => c.request.method);
    expect(methods().filter((m) => m.startsWith('prompts/')).length).toBeGreaterThan(0);

    const manifestPath = join(dir, 'mcp-gen.yaml');
    const doc = parseDocument(readFileSync(manifestPath, 'utf8'));
    doc.delete('prompts');
    writeFileSync(manifestPath, doc.toString());
    const cacheOnly = { MCP_GEN_CACHE_DIR: tempDir('mcp-gen-cache-') };
    // The project serves 2025-11-25 too (default `serve:`), so its schema comes from the cache as well.
    for (const revision of ['2026-07-28', '2025-11-25']) await pullSpec(revision, { env: { ...hermeticEnv(), ...cacheOnly } });
    const regenerated = await generateProject({ manifestPath, mode: 'write', source: { env: cacheOnly } });
    expect(regenerated.spec.origin.kind).toBe('cache');
    console.log(`spec-example requests after removing prompts: ${methods().join(', ')}`);
    expect(methods().filter((m) => m.startsWith('prompts/'))).toEqual([]);
    expect(methods().length).toBeGreaterThan(0);
    // The same manifest generated from the mirror gives the same fixture byte for byte.
    const fromCache = fixture();
    await generateProject({ manifestPath, mode: 'write', source: { env: hermeticEnv() } });
    expect(fixture()).toBe(fromCache);
  });
});
