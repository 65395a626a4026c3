/**
 * Projects from the examples: they compile, goldens match (structure and hashes for protocol and
 * runtime files, which derive from the spec; full text for files derived from our manifests),
 * regeneration is idempotent, --check catches staleness, user files survive.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../generator/project.ts';
import { sha256 } from '../../generator/write/lockfile.ts';
import { hermeticEnv } from '../helpers/env.ts';
import { generateExample } from '../helpers/project.ts';
import { tscProject } from '../helpers/tsc-project.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Paths whose content derives from spec text or is copied verbatim: hashed, never stored. */
const hashedOnly = (path: string) =>
  path.startsWith('src/generated/protocol/') || path.startsWith('src/generated/runtime/') || path === 'test/conformance/fixtures/spec-examples.json';

for (const example of ['weather', 'kitchen-sink']) {
  describe(`example ${example}`, async () => {
    const { dir, result } = await generateExample(example);
    dirs.push(dir);

    // A whole project through tsc: ~20 s alone, past 60 s beside other workers. A budget, not an assertion.
    it('compiles under tsc --strict', () => {
      const r = tscProject(dir);
      expect(r.output).toBe('');
      expect(r.ok).toBe(true);
    }, 180_000);

    it('matches the goldens', async () => {
      const hashes: Record<string, string> = {};
      for (const f of result.files) {
        if (hashedOnly(f.path)) hashes[f.path] = sha256(f.content);
        else await expect(f.content).toMatchFileSnapshot(join(import.meta.dirname, 'golden', example, `${f.path}.snap`));
      }
      await expect(`${JSON.stringify(hashes, null, 2)}\n`).toMatchFileSnapshot(join(import.meta.dirname, 'golden', example, 'hashed-files.json.snap'));
    });

    it('regenerates to byte-identical output and writes nothing the second time', async () => {
      const again = await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env: hermeticEnv() } });
      expect(again.files).toEqual(result.files);
      expect(again.report.actions.every((a) => a.action === 'unchanged' || a.action === 'keep-user')).toBe(true);
    });

    it('--check is clean, then flags a manifest change', async () => {
      const check = await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'check', source: { env: hermeticEnv() } });
      expect(check.report.stale).toEqual([]);
      const manifest = readFileSync(join(dir, 'mcp-gen.yaml'), 'utf8');
      writeFileSync(join(dir, 'mcp-gen.yaml'), manifest.replace(/^(\s+description: )(.*)$/m, '$1Changed. $2'));
      const stale = await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'check', source: { env: hermeticEnv() } });
      expect(stale.report.stale.length).toBeGreaterThan(0);
      writeFileSync(join(dir, 'mcp-gen.yaml'), manifest);
    });
  });
}

describe('ownership', () => {
  it('an edited handler survives regeneration; a removed tool keeps its stub with a warning; a new tool gets a stub', async () => {
    const { dir } = await generateExample('weather');
    dirs.push(dir);
    const handler = join(dir, 'src/handlers/tools/get-weather.ts');
    writeFileSync(handler, `${readFileSync(handler, 'utf8')}\n// my edit\n`);
    const manifestPath = join(dir, 'mcp-gen.yaml');
    const manifest = readFileSync(manifestPath, 'utf8');
    writeFileSync(
      manifestPath,
      manifest.replace('  - name: get_weather', '  - name: get_forecast\n    description: Forecast.\n    input: { type: object, properties: { city: { type: string } } }\n  - name: get_weather'),
    );
    await generateProject({ manifestPath, mode: 'write', source: { env: hermeticEnv() } });
    expect(readFileSync(handler, 'utf8')).toContain('// my edit');
    expect(existsSync(join(dir, 'src/handlers/tools/get-forecast.ts'))).toBe(true);
    expect(existsSync(join(dir, 'src/generated/tools/get-forecast.ts'))).toBe(true);

    // remove get_forecast again: generated file deleted, stub kept with MG5004
    writeFileSync(manifestPath, manifest);
    const r = await generateProject({ manifestPath, mode: 'write', source: { env: hermeticEnv() } });
    expect(existsSync(join(dir, 'src/generated/tools/get-forecast.ts'))).toBe(false);
    expect(existsSync(join(dir, 'src/handlers/tools/get-forecast.ts'))).toBe(true);
    expect(r.warnings.map((w) => `${w.code} ${w.message}`)).toContainEqual(expect.stringMatching(/^MG5004 src\/handlers\/tools\/get-forecast\.ts/));
    expect(readFileSync(handler, 'utf8')).toContain('// my edit');
  });

  it('a failed generate writes nothing', async () => {
    const { dir } = await generateExample('weather');
    dirs.push(dir);
    const before = readdirSync(join(dir, 'src/generated'), { recursive: true }).map(String).sort();
    writeFileSync(join(dir, 'mcp-gen.yaml'), readFileSync(join(dir, 'mcp-gen.yaml'), 'utf8').replace('version: "1.0.0"', 'version: "1.0.0"\n  bogus: 1'));
    await expect(generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env: hermeticEnv() } })).rejects.toThrow(/MG2003/);
    expect(readdirSync(join(dir, 'src/generated'), { recursive: true }).map(String).sort()).toEqual(before);
  });
});
