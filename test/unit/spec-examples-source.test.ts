/**
 * The spec's examples are an input pinned like the schema: `spec pull` caches them (from a mirror
 * directory, or from the pinned upstream commit), every source is checked against the pinned
 * digest, and a source that does not verify is never used.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedExamplesDir, loadSpec, pullSpec } from '../../generator/load/load-spec.ts';
import { loadSpecExamples } from '../../generator/load/spec-examples.ts';
import { findPin, upstreamSource } from '../../generator/load/spec-versions.ts';
import { hermeticEnv, SHARED_SPEC, tempDir } from '../helpers/env.ts';

const REV = '2026-07-28';
const mirrorExamples = join(SHARED_SPEC, REV, 'examples');
const exampleCount = readdirSync(mirrorExamples).reduce((n, def) => n + readdirSync(join(mirrorExamples, def)).filter((f) => f.endsWith('.json')).length, 0);

/** A copy of the mirror whose examples can be edited. */
function mirrorCopy(): string {
  const dir = tempDir('mcp-gen-mirror-');
  cpSync(join(SHARED_SPEC, REV), join(dir, REV), { recursive: true, filter: (src) => !src.includes('/docs') });
  return dir;
}

/** GitHub as the loader sees it (tree API and raw files at the pinned commit), served from the mirror. */
function fakeGitHub(seen: string[], mirror = SHARED_SPEC): typeof fetch {
  const { repository, commit } = upstreamSource();
  return async (input) => {
    const url = String(input);
    seen.push(url);
    if (url === `https://api.github.com/repos/${repository}/git/trees/${commit}?recursive=1`) {
      const tree = [{ path: `schema/${REV}/schema.json`, type: 'blob' }, { path: `schema/${REV}/examples`, type: 'tree' }];
      for (const def of readdirSync(join(mirror, REV, 'examples')))
        for (const file of readdirSync(join(mirror, REV, 'examples', def))) tree.push({ path: `schema/${REV}/examples/${def}/${file}`, type: 'blob' });
      return new Response(JSON.stringify({ sha: commit, tree, truncated: false }), { headers: { 'content-type': 'application/json' } });
    }
    const raw = `https://raw.githubusercontent.com/${repository}/${commit}/schema/`;
    if (url.startsWith(raw)) {
      const path = join(mirror, url.slice(raw.length));
      return existsSync(path) ? new Response(readFileSync(path)) : new Response('not found', { status: 404 });
    }
    return new Response('unexpected', { status: 500 });
  };
}

describe('spec examples as a pinned input', () => {
  it('the pin covers the mirror examples', () => {
    expect(findPin(REV)?.examplesSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(exampleCount).toBeGreaterThan(50);
  });

  it('spec pull caches the examples beside schema.json; loads from the cache then find them', async () => {
    const env = hermeticEnv();
    const pulled = await pullSpec(REV, { env });
    expect(pulled.examples.path).toBe(cachedExamplesDir(REV, env));
    expect(pulled.examples.warnings).toEqual([]);
    const cached = readdirSync(pulled.examples.path!).reduce((n, def) => n + readdirSync(join(pulled.examples.path!, def)).length, 0);
    expect(cached).toBe(exampleCount);
    expect((await pullSpec(REV, { env })).examples.alreadyCached).toBe(true);

    // No mirror any more: the cache alone holds the schema and its examples.
    const cacheOnly = { MCP_GEN_CACHE_DIR: env.MCP_GEN_CACHE_DIR! };
    const spec = await loadSpec(REV, { env: cacheOnly });
    expect(spec.origin.kind).toBe('cache');
    const loaded = await loadSpecExamples(spec, { env: cacheOnly });
    expect(loaded.origin).toBe(cachedExamplesDir(REV, env));
    expect(loaded.examples.length).toBe(exampleCount);
  });

  it('a cache holding only schema.json and no other source: no examples, deterministically', async () => {
    const env = hermeticEnv();
    await pullSpec(REV, { env });
    rmSync(cachedExamplesDir(REV, env), { recursive: true });
    const cacheOnly = { MCP_GEN_CACHE_DIR: env.MCP_GEN_CACHE_DIR! };
    const loaded = await loadSpecExamples(await loadSpec(REV, { env: cacheOnly }), { env: cacheOnly });
    expect(loaded).toEqual({ examples: [], warnings: [] });
    // With the mirror configured again, the examples come from it although the schema comes from the cache.
    const again = await loadSpecExamples(await loadSpec(REV, { env }), { env });
    expect(again.examples.length).toBe(exampleCount);
    expect(again.origin).toBe(join(SHARED_SPEC, REV, 'examples'));
  });

  it('an edited example in the mirror is refused (MG1009) and never cached', async () => {
    const mirror = mirrorCopy();
    const file = join(mirror, REV, 'examples', 'CallToolRequest', readdirSync(join(mirror, REV, 'examples', 'CallToolRequest'))[0]!);
    writeFileSync(file, readFileSync(file, 'utf8').replace('tools/call', 'tools/call '));
    const env = hermeticEnv({ MCP_GEN_SPEC_MIRROR: mirror });
    const pulled = await pullSpec(REV, { env });
    expect(pulled.examples.path).toBeUndefined();
    expect(pulled.examples.warnings.map((d) => d.code)).toEqual(['MG1009']);
    expect(existsSync(cachedExamplesDir(REV, env))).toBe(false);
    const loaded = await loadSpecExamples(await loadSpec(REV, { env }), { env });
    expect(loaded.examples).toEqual([]);
    expect(loaded.warnings.map((d) => d.code)).toContain('MG1009');
  });

  it('downloads the examples at the pinned commit when the schema came from upstream, verifies and caches them', async () => {
    const env = hermeticEnv();
    delete env.MCP_GEN_SPEC_MIRROR;
    const seen: string[] = [];
    const fetchImpl = fakeGitHub(seen);
    const spec = await loadSpec(REV, { env, fetchImpl });
    expect(spec.origin.kind).toBe('upstream');
    const loaded = await loadSpecExamples(spec, { env, fetchImpl });
    expect(loaded.warnings).toEqual([]);
    expect(loaded.examples.length).toBe(exampleCount);
    expect(loaded.origin).toBe(cachedExamplesDir(REV, env));
    expect(seen.filter((u) => u.includes('/examples/')).length).toBe(exampleCount);
    // Next run: schema and examples from the cache, no network.
    seen.length = 0;
    const next = await loadSpec(REV, { env, fetchImpl });
    expect(next.origin.kind).toBe('cache');
    expect((await loadSpecExamples(next, { env, fetchImpl })).examples.length).toBe(exampleCount);
    expect(seen).toEqual([]);
  });

  it('an upstream set that does not match the pin is not used (MG1009)', async () => {
    const mirror = mirrorCopy();
    rmSync(join(mirror, REV, 'examples', 'CallToolRequest'), { recursive: true });
    const env = hermeticEnv();
    delete env.MCP_GEN_SPEC_MIRROR;
    const fetchImpl = fakeGitHub([], mirror);
    const loaded = await loadSpecExamples(await loadSpec(REV, { env, fetchImpl }), { env, fetchImpl });
    expect(loaded.examples).toEqual([]);
    expect(loaded.warnings.map((d) => d.code)).toEqual(['MG1009']);
    expect(existsSync(cachedExamplesDir(REV, env))).toBe(false);
  });
});
