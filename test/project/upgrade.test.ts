import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { upgradeProject } from '../../generator/upgrade.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';

const dir = join(REPO_ROOT, 'test', 'tmp', `upgrade-${process.pid}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mcp-gen upgrade', () => {
  const manifest = join(dir, 'mcp-gen.yaml');
  const legacy = readFileSync(join(REPO_ROOT, 'examples/weather/mcp-gen.yaml'), 'utf8').replace('spec: 2026-07-28', 'spec: 2025-11-25');

  it('--dry-run reports the changes that concern this manifest and touches nothing', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(manifest, legacy);
    const r = await upgradeProject({ manifestPath: manifest, to: '2026-07-28', dryRun: true, source: { env: hermeticEnv() } });
    expect(r.diff.methods.added).toContain('server/discover');
    expect(r.diff.methods.removed).toContain('initialize');
    expect(r.diff.methods.changed.map((c) => c.method)).toContain('tools/call');
    // weather has no prompts or resources: their changes are not this manifest's concern
    expect([...r.diff.methods.added, ...r.diff.methods.removed].some((m) => m.startsWith('prompts/') || m.startsWith('resources/'))).toBe(false);
    expect(readFileSync(manifest, 'utf8')).toBe(legacy);
    expect(existsSync(join(dir, 'src'))).toBe(false);
  });

  it('rewrites spec: keeping comments, and regenerates', async () => {
    const r = await upgradeProject({ manifestPath: manifest, to: '2026-07-28', source: { env: hermeticEnv() } });
    const text = readFileSync(manifest, 'utf8');
    expect(text).toContain('spec: 2026-07-28');
    expect(text.split('\n')[0]).toBe(legacy.split('\n')[0]); // the leading comment survives
    expect(r.project?.report.actions.length).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(dir, 'mcp-gen.lock.json'), 'utf8')).spec.revision).toBe('2026-07-28');
  });

  it('an unknown target is a diagnostic', async () => {
    await expect(upgradeProject({ manifestPath: manifest, to: '2099-01-01', source: { env: hermeticEnv() } })).rejects.toThrow(/MG1001/);
  });
});
