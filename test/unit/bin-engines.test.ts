/**
 * npm only warns about `engines`; the launcher itself refuses an older Node with a clear message
 * (the running Node version is faked with a preload, the way an old runtime would report it).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/env.ts';

const BIN = join(REPO_ROOT, 'bin', 'mcp-gen.js');
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; engines: { node: string }; files: string[]; private?: boolean; scripts: Record<string, string> };

function runAs(version: string) {
  const fake = `Object.defineProperty(process,"versions",{value:{...process.versions,node:"${version}"}});Object.defineProperty(process,"version",{value:"v${version}"})`;
  return spawnSync(process.execPath, ['--import', `data:text/javascript,${fake}`, BIN, '--version'], { encoding: 'utf8' });
}

describe('the launcher and the package manifest', () => {
  it('engines is >=20.19 and the launcher agrees: 18.20 and 20.18 are refused with exit 2, 20.19 runs', () => {
    expect(pkg.engines.node).toBe('>=20.19');
    for (const old of ['18.20.4', '20.18.3']) {
      const r = runAs(old);
      expect(r.status, old).toBe(2);
      expect(r.stderr).toBe(`mcp-gen needs Node.js >= 20.19; this is v${old}. Install a newer Node (https://nodejs.org) and retry.\n`);
    }
    const ok = runAs('20.19.0');
    expect(ok.stderr).toBe('');
    expect(ok.stdout.trim()).toBe(pkg.version);
  });

  it('is publishable: not private, built by prepack (not prepare), ships dist, templates and the spec pins', () => {
    expect(pkg.private).toBeUndefined();
    expect(pkg.scripts.prepare).toBeUndefined();
    expect(pkg.scripts.prepack).toContain('npm run build');
    expect(pkg.files).toEqual(expect.arrayContaining(['bin/', 'dist/', 'templates/', 'spec/versions.json']));
  });
});
