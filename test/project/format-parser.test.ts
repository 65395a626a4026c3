/**
 * generator/format/format.ts formats TypeScript with prettier's `babel-ts` parser because it is
 * faster; the promise is that it prints exactly what the `typescript` parser prints. Checked on the
 * raw emitted text (before any formatting) of every TypeScript file of the examples and of a
 * seeded synthetic manifest, including the protocol layer and the copied runtime.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'prettier';
import { afterAll, describe, expect, it } from 'vitest';
import { PRETTIER_CONFIG } from '../../generator/format/format.ts';
import { loadProjectInputs } from '../../generator/load/project-inputs.ts';
import { emitContext, emitProject, planOptions, planOrThrow, projectProtocolModel } from '../../generator/project.ts';
import { syntheticManifest } from '../../bench/lib/synthetic-manifest.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function emittedTypeScript(manifestPath: string, outDir: string) {
  const opts = { manifestPath, outDir, mode: 'dry-run' as const, source: { env: hermeticEnv() } };
  const inputs = await loadProjectInputs(opts);
  const protocol = projectProtocolModel(inputs.spec);
  const plan = planOrThrow(inputs.app, protocol, planOptions(inputs, opts), inputs.sources);
  return (await emitProject(emitContext(inputs, protocol, plan))).filter((f) => f.language === 'typescript' && !f.verbatim);
}

describe('babel-ts prints what typescript prints', () => {
  const synthetic = join(REPO_ROOT, 'test', 'tmp', `format-parser-${process.pid}`);
  const cases: [string, string][] = [
    ['weather', join(REPO_ROOT, 'examples', 'weather', 'mcp-gen.yaml')],
    ['kitchen-sink', join(REPO_ROOT, 'examples', 'kitchen-sink', 'mcp-gen.yaml')],
    ['apps', join(REPO_ROOT, 'examples', 'apps', 'mcp-gen.yaml')],
    ['synthetic 12 tools (seed 99)', join(synthetic, 'mcp-gen.yaml')],
  ];
  for (const [name, manifest] of cases) {
    it(name, { timeout: 600_000 }, async () => {
      if (manifest.startsWith(synthetic)) {
        mkdirSync(synthetic, { recursive: true });
        dirs.push(synthetic);
        writeFileSync(manifest, syntheticManifest(12, 99));
      }
      const files = await emittedTypeScript(manifest, join(REPO_ROOT, 'test', 'tmp', `format-parser-out-${process.pid}`));
      expect(files.length).toBeGreaterThan(5);
      const declined: string[] = [];
      for (const f of files) {
        const viaTs = await format(f.content, { ...PRETTIER_CONFIG, parser: 'typescript' });
        let viaBabel: string;
        try {
          viaBabel = await format(f.content, { ...PRETTIER_CONFIG, parser: 'babel-ts' });
        } catch {
          declined.push(f.path); // format.ts falls back to `typescript` for these
          continue;
        }
        expect(viaBabel, f.path).toBe(viaTs);
      }
      console.log(`${name}: ${files.length - declined.length}/${files.length} files via babel-ts; declined: ${declined.join(', ') || 'none'}`);
    });
  }
});
