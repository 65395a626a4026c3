/**
 * A project whose manifest has no `auth:` carries no resource server: no runtime/auth/ files, no
 * file importing jose, no jose in package.json (so it builds where jose is not installed).
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateExample } from '../helpers/project.ts';

const { dir, result } = await generateExample('kitchen-sink');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('no auth: no jose', () => {
  it('emits no runtime/auth and imports jose nowhere', () => {
    const paths = result.files.map((f) => f.path);
    expect(paths.some((p) => p.startsWith('src/generated/runtime/'))).toBe(true);
    expect(paths.filter((p) => p.includes('/runtime/auth/'))).toEqual([]);
    const importers = result.files.filter((f) => /from ['"]jose['"]|import\(['"]jose['"]\)/.test(readFileSync(join(dir, f.path), 'utf8')));
    expect(importers.map((f) => f.path)).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies.jose).toBeUndefined();
  });
});
