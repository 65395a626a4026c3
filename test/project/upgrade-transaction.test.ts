/**
 * `upgrade --to` is all or nothing: a fault injected into the regenerate's commit leaves the
 * manifest byte-for-byte as it was (BOM, CRLF, comments, odd spacing included) and the generated
 * tree untouched; without the fault the same upgrade goes through.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateProject } from '../../generator/project.ts';
import { upgradeProject } from '../../generator/upgrade.ts';
import { hermeticEnv, REPO_ROOT, tempDir } from '../helpers/env.ts';

/** path → sha256 of every file under dir. */
function tree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const abs = join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(abs).isDirectory()) Object.assign(out, tree(abs, rel));
    else out[rel] = createHash('sha256').update(readFileSync(abs)).digest('hex');
  }
  return out;
}

const weather = readFileSync(join(REPO_ROOT, 'examples/weather/mcp-gen.yaml'), 'utf8');
/**
 * The legacy manifest in bytes a text round trip would mangle: a BOM, CRLF line ends, a trailing
 * blank line and a Latin-1 byte in a comment (not UTF-8: decoding and re-encoding changes it).
 */
const legacyBytes = Buffer.concat([
  Buffer.from(`\uFEFF${weather.replace('spec: 2026-07-28', 'spec:   2025-11-25   # pinned')}\n`.replace(/\n/g, '\r\n'), 'utf8'),
  Buffer.from([0x23, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x0d, 0x0a]), // "# caf\xe9\r\n"
]);
const source = { env: hermeticEnv() };
const boom = (at: number) => (index: number) => {
  if (index === at) throw new Error(`injected fault at commit step ${index}`);
};

describe('upgrade --to is transactional', () => {
  it('a fault in the first regenerate restores the manifest byte for byte and writes nothing', async () => {
    const dir = tempDir();
    const manifestPath = join(dir, 'mcp-gen.yaml');
    writeFileSync(manifestPath, legacyBytes);
    await expect(upgradeProject({ manifestPath, to: '2026-07-28', source, beforeCommitStep: boom(3) })).rejects.toThrow();
    expect(readFileSync(manifestPath).equals(legacyBytes)).toBe(true);
    // no file besides the manifest (the writer may leave an empty directory behind; no content)
    expect(Object.keys(tree(dir))).toEqual(['mcp-gen.yaml']);
  });

  it('over an existing generated tree: the fault leaves every file as it was; without it the upgrade lands', async () => {
    const dir = tempDir();
    const manifestPath = join(dir, 'mcp-gen.yaml');
    // generated from an older edit of the manifest, so the upgrade rewrites generated files
    writeFileSync(manifestPath, weather.replace('Current temperature and conditions', 'Temperature and conditions'));
    await generateProject({ manifestPath, mode: 'write', source });
    writeFileSync(manifestPath, legacyBytes);
    const before = tree(dir);
    for (const step of [0, 1]) {
      await expect(upgradeProject({ manifestPath, to: '2026-07-28', source, beforeCommitStep: boom(step) })).rejects.toThrow(/injected fault|MG5003/);
      expect(tree(dir)).toEqual(before);
    }
    const r = await upgradeProject({ manifestPath, to: '2026-07-28', source });
    expect(r.project).toBeDefined();
    // only the spec value changed: BOM, CRLF, spacing and the trailing comment are as they were
    expect(readFileSync(manifestPath, 'utf8')).toBe(legacyBytes.toString('utf8').replace('spec:   2025-11-25   # pinned', 'spec:   2026-07-28   # pinned'));
    expect(existsSync(join(dir, 'mcp-gen.lock.json'))).toBe(true);
  });
});
