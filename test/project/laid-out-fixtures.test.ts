/**
 * The tools fixture file is joined from per-tool pieces laid out and remembered one tool at a time
 * (fixtures/laid-out-tools-file.ts). Whatever path produced it (cold, remembered, or the fallback
 * when a tool's layout is uncertain), it must be prettier's layout of the whole file as
 * buildFixtures computes it from scratch: that is what the generator wrote before the pieces.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFixtures } from '../../generator/fixtures/build-fixtures.ts';
import { PRETTIER_CONFIG } from '../../generator/format/format.ts';
import { generateProject, type ProjectResult } from '../../generator/project.ts';
import { syntheticManifest } from '../../bench/lib/synthetic-manifest.ts';
import { hermeticEnv, tempDir } from '../helpers/env.ts';
import { EXAMPLES } from '../helpers/project.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const env = hermeticEnv();
const TOOLS_FILE = 'test/conformance/fixtures/tools.json';

async function generate(text: string): Promise<{ dir: string; run: () => Promise<ProjectResult> }> {
  const dir = tempDir();
  dirs.push(dir);
  cpSync(join(EXAMPLES, 'kitchen-sink'), dir, { recursive: true }); // the files its manifest refers to
  writeFileSync(join(dir, 'mcp-gen.yaml'), text);
  return { dir, run: () => generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env } }) };
}

/** The tools file as the generator wrote it before the pieces: the whole file, formatted by prettier. */
async function expectedToolsFile(result: ProjectResult): Promise<string> {
  const tools = buildFixtures(result.app).files.find((f) => f.kind === 'tools')!;
  return prettier.format(JSON.stringify(tools, null, 2), { ...PRETTIER_CONFIG, parser: 'json' });
}
const toolsFile = (result: ProjectResult) => result.files.find((f) => f.path === TOOLS_FILE)!.content;

type Manifest = Record<string, any>;

describe('the tools fixture file joined from remembered per-tool pieces', () => {
  const cases: [string, () => string][] = [
    ['synthetic, 8 tools (seed 5)', () => syntheticManifest(8, 5)],
    ['synthetic, 5 tools (seed 91)', () => syntheticManifest(5, 91)],
    ['kitchen-sink', () => readFileSync(join(EXAMPLES, 'kitchen-sink', 'mcp-gen.yaml'), 'utf8')],
    ['kitchen-sink on the 2025-11-25 session wire', () => readFileSync(join(EXAMPLES, 'kitchen-sink', 'mcp-gen.yaml'), 'utf8').replace(/^spec: 2026-07-28$/m, 'spec: 2025-11-25')],
    [
      // A flat array of non-ASCII text: its width is prettier's call, so this tool's piece is unsure and the whole file goes to prettier.
      'a tool whose cases hold an array of non-ASCII text (fallback)',
      () => {
        const manifest = parse(syntheticManifest(4, 8)) as Manifest;
        manifest.tools[1].input.properties.langs = { type: 'array', items: { type: 'string' }, default: ['français', 'español'] };
        return stringify(manifest);
      },
    ],
  ];
  for (const [label, manifest] of cases) {
    it(`${label}: cold, remembered and after an edit, the file is prettier's layout of the whole`, { timeout: 600_000 }, async () => {
      const { dir, run } = await generate(manifest());
      const cold = await run();
      const tools = cold.app.tools.length;
      expect(cold.incremental.render['tool-fixture']).toEqual({ hits: 0, misses: tools });
      expect(toolsFile(cold)).toBe(await expectedToolsFile(cold));
      if (label.includes('fallback')) expect(toolsFile(cold)).toContain('["français", "español"]');

      const warm = await run();
      expect(warm.incremental.render['tool-fixture']).toEqual({ hits: tools, misses: 0 });
      expect(toolsFile(warm)).toBe(toolsFile(cold));

      // A description edit is not an input of any piece; an input schema edit is one tool's.
      const edited = parse(readFileSync(join(dir, 'mcp-gen.yaml'), 'utf8')) as Manifest;
      edited.tools[0].description = `${edited.tools[0].description} Edited.`;
      writeFileSync(join(dir, 'mcp-gen.yaml'), stringify(edited));
      expect((await run()).incremental.render['tool-fixture']).toEqual({ hits: tools, misses: 0 });
      edited.tools[0].input.properties = { ...edited.tools[0].input.properties, addedLater: { type: 'integer', minimum: 3, maximum: 9 } };
      writeFileSync(join(dir, 'mcp-gen.yaml'), stringify(edited));
      const schemaEdit = await run();
      expect(schemaEdit.incremental.render['tool-fixture']).toEqual({ hits: tools - 1, misses: 1 });
      expect(toolsFile(schemaEdit)).toContain('"addedLater": 9');
      expect(toolsFile(schemaEdit)).toBe(await expectedToolsFile(schemaEdit));
    });
  }
});
