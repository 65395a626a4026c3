/**
 * Generated output does not depend on where the schema came from: a project generated from a
 * mirror directory (which has the spec's examples) is up to date when checked against the cache
 * (which has only schema.json) — as in a project's CI, which downloads the pinned schema.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
    await pullSpec('2026-07-28', { env: { ...hermeticEnv(), ...cacheOnly } });
    const check = await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'check', source: { env: cacheOnly } });
    expect(check.spec.origin.kind).toBe('cache');
    expect(check.report.stale).toEqual([]);
  });
});
