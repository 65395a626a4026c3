/**
 * The incremental render cache (generator/incremental/render-memo.ts, memo-steps.ts) only saves
 * work: after any sequence of manifest edits an incremental run writes exactly what a cold run
 * writes; a flipped, truncated, replaced or deleted cache changes nothing; and a one-tool
 * description edit recomputes none of the remembered steps (counted, not timed), so the speed-up
 * cannot silently vanish.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { FORMAT_CACHE_DIR } from '../../generator/format/format-cache.ts';
import { seededRandom } from '../../generator/fixtures/prng.ts';
import { RENDER_PACK } from '../../generator/incremental/render-memo.ts';
import { generateProject, type ProjectResult } from '../../generator/project.ts';
import { syntheticManifest } from '../../bench/lib/synthetic-manifest.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const freshDir = (tag: string) => {
  const dir = join(REPO_ROOT, 'test', 'tmp', `incremental-${tag}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(dir, { recursive: true });
  dirs.push(dir);
  return dir;
};
const env = hermeticEnv();
const gen = (dir: string, mode: 'write' | 'check' = 'write') => generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode, source: { env } });
const contents = (r: ProjectResult) => r.files.map((f) => [f.path, f.content] as const);

/** A cold run of `text` in a fresh directory. */
async function coldRun(text: string): Promise<ProjectResult> {
  const dir = freshDir('cold');
  writeFileSync(join(dir, 'mcp-gen.yaml'), text);
  const result = await gen(dir);
  rmSync(dir, { recursive: true, force: true });
  return result;
}

type Manifest = Record<string, any>;

/** One random manifest edit of the kinds a user makes; returns a label for the failure message. */
const EDIT_KINDS = 10;
function edit(manifest: Manifest, random: () => number, step: number, kind: number): string {
  const tools = manifest.tools as Manifest[];
  const pickTool = () => tools[Math.floor(random() * tools.length)]!;
  switch (kind) {
    case 0: {
      const t = pickTool();
      t.description = `${t.description} Edited at step ${step}.`;
      return `describe ${t.name}`;
    }
    case 1: {
      const t = structuredClone(pickTool());
      t.name = `added_tool_${step}`;
      tools.push(t);
      return `add ${t.name}`;
    }
    case 2: {
      if (tools.length < 2) return 'skip remove';
      const [t] = tools.splice(Math.floor(random() * tools.length), 1);
      return `remove ${t!.name}`;
    }
    case 3: {
      const t = pickTool();
      const old = t.name;
      t.name = `renamed_${step}_${old}`;
      return `rename ${old}`;
    }
    case 4: {
      const t = pickTool();
      t.input.properties[`flag${step}`] = { type: 'boolean', description: `Flag ${step}.` };
      return `new input property on ${t.name}`;
    }
    case 5: {
      (manifest.schemas.Status.enum as string[]).push(`state${step}`);
      return 'shared Status enum grows';
    }
    case 6: {
      manifest.schemas.Money.properties[`note${step}`] = { type: 'string' };
      return 'shared Money gains a property';
    }
    case 7: {
      manifest.resources.push({ uri: `bench://extra/${step}`, name: `extra-${step}`, description: `Extra ${step}.`, mimeType: 'text/plain' });
      manifest.prompts[0].description = `Prompt edited at step ${step}.`;
      manifest.prompts[1].arguments.push({ name: `arg${step}` });
      return 'resources and prompts change';
    }
    case 8: {
      manifest.spec = manifest.spec === '2026-07-28' ? '2025-11-25' : '2026-07-28';
      return `spec ${manifest.spec}`;
    }
    default: {
      const t = pickTool();
      delete t.output;
      return `drop output of ${t.name}`;
    }
  }
}

/** Every kind of edit once, in a seeded order (so each kind also follows a different one), or `count` random kinds. */
function editKinds(random: () => number, count?: number): number[] {
  if (count !== undefined) return Array.from({ length: count }, () => Math.floor(random() * EDIT_KINDS));
  const kinds = Array.from({ length: EDIT_KINDS }, (_, i) => i);
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  return kinds;
}

describe('cold == incremental with the render cache', () => {
  for (const [seed, count] of [[3, undefined], [2027, 5]] as const) {
    it(`${count ? `${count} random edits` : 'every kind of edit'} (seed ${seed})`, { timeout: 900_000 }, async () => {
      const random = seededRandom(seed);
      const manifest = parse(syntheticManifest(4, seed)) as Manifest;
      const incremental = freshDir(`inc-${seed}`);
      writeFileSync(join(incremental, 'mcp-gen.yaml'), stringify(manifest));
      await gen(incremental);
      const log: string[] = [];
      let remembered = 0;
      const kinds = editKinds(random, count);
      for (let step = 1; step <= kinds.length; step++) {
        log.push(edit(manifest, random, step, kinds[step - 1]!));
        const text = stringify(manifest);
        writeFileSync(join(incremental, 'mcp-gen.yaml'), text);
        const inc = await gen(incremental);
        const cold = await coldRun(text);
        expect(contents(inc), `after: ${log.join('; ')}`).toEqual(contents(cold));
        for (const f of inc.files.filter((x) => x.owner === 'generated')) expect(readFileSync(join(incremental, f.path), 'utf8'), f.path).toBe(f.content);
        remembered += Object.values(inc.incremental.render).reduce((n, s) => n + s.hits, 0);
      }
      // The comparison is only worth something if the incremental runs did use the cache.
      expect(remembered).toBeGreaterThan(0);
    });
  }
});

describe('a damaged render cache is never trusted', () => {
  it('flipped bytes, truncation, another project’s cache, planted values and deletion change nothing', { timeout: 900_000 }, async () => {
    const dir = freshDir('damage');
    const text = syntheticManifest(3, 11);
    writeFileSync(join(dir, 'mcp-gen.yaml'), text);
    const cold = await gen(dir);
    const pack = join(dir, FORMAT_CACHE_DIR, RENDER_PACK);
    const good = readFileSync(pack);
    const lines = good.toString('utf8').split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(5);
    const again = async (label: string) => {
      const run = await gen(dir);
      expect(contents(run), label).toEqual(contents(cold));
      expect(run.report.actions.every((a) => a.action === 'unchanged' || a.action === 'keep-user'), label).toBe(true);
      return run;
    };

    const random = seededRandom(5);
    for (let i = 0; i < 6; i++) {
      const damaged = Buffer.from(good);
      for (let j = 0; j < 12; j++) {
        const at = Math.floor(random() * damaged.length);
        damaged[at] = damaged[at]! ^ (1 << Math.floor(random() * 8));
      }
      writeFileSync(pack, damaged);
      const run = await again(`flip round ${i}`);
      const s = Object.values(run.incremental.render);
      expect(s.reduce((n, x) => n + x.misses, 0), `flip round ${i} went unnoticed`).toBeGreaterThan(0);
    }

    writeFileSync(pack, good.subarray(0, Math.floor(good.length / 2)));
    await again('truncated in the middle of a line');
    writeFileSync(pack, '');
    await again('empty');

    // Well-formed lines with valid hashes under this project's keys, but values of the wrong shape
    // (what another step stored, or another tool wrote): re-hashed so only the shape check can catch them.
    const { createHash } = await import('node:crypto');
    const planted = lines.map((line) => {
      const e = JSON.parse(line) as { f: string; k: string; h: string; v: string };
      const v = JSON.stringify({ planted: true, types: 1 });
      return JSON.stringify({ ...e, v, h: createHash('sha256').update(`${e.k}\0${v}`).digest('hex') });
    });
    writeFileSync(pack, `${planted.join('\n')}\n`);
    const plantedRun = await again('planted values');
    // Nothing planted was believed: the run recomputed what the cold run computed (its hits are repeats within the run).
    expect(plantedRun.incremental.render).toEqual(cold.incremental.render);

    // Another project's cache: valid lines under other keys.
    const other = freshDir('other');
    writeFileSync(join(other, 'mcp-gen.yaml'), syntheticManifest(3, 12));
    await gen(other);
    writeFileSync(pack, readFileSync(join(other, FORMAT_CACHE_DIR, RENDER_PACK)));
    await again('another project’s cache');

    rmSync(join(dir, FORMAT_CACHE_DIR), { recursive: true, force: true });
    await again('cache deleted');
    expect(existsSync(pack)).toBe(true);
    const warm = await again('rebuilt cache');
    expect(Object.values(warm.incremental.render).every((x) => x.misses === 0)).toBe(true);
  });
});

describe('what a one-tool edit recomputes', () => {
  it('a description edit re-renders no schema module, plan names or protocol file, and formats at most the tool module', { timeout: 600_000 }, async () => {
    const dir = freshDir('counts');
    const manifest = parse(syntheticManifest(6, 21)) as Manifest;
    writeFileSync(join(dir, 'mcp-gen.yaml'), stringify(manifest));
    const first = await gen(dir);
    const tools = manifest.tools.length as number;
    const modules = tools + 1; // every tool's types and validators, and the shared schemas' (src/generated/schemas.ts)
    // The cold run filled the cache: every remembered step missed once.
    expect(first.incremental.render['schema-module']).toEqual({ hits: 0, misses: modules });
    for (const step of ['artifact:protocol-types', 'artifact:protocol-schemas', 'artifact:protocol-methods', 'artifact:protocol-revisions']) expect(first.incremental.render[step], step).toEqual({ hits: 0, misses: 1 });

    const target = manifest.tools[2] as Manifest;
    target.description = `${target.description} Now with a longer description.`;
    writeFileSync(join(dir, 'mcp-gen.yaml'), stringify(manifest));
    const edited = await gen(dir);
    const { render, format } = edited.incremental;
    for (const [step, s] of Object.entries(render)) if (step !== 'yaml-piece' && step !== 'tool-file') expect(s.misses, `${step} recomputed`).toBe(0);
    // Only the edited tool's piece of the manifest was parsed again (manifest/yaml-chunks.ts), and only its file rendered and laid out.
    expect(render['yaml-piece']!.misses).toBe(1);
    expect(render['tool-file']).toEqual({ hits: tools - 1, misses: 1 });
    // tools.ts, schemas.ts (and prompts.ts, resources.ts) kept their text: none laid out again.
    expect(render['module-layout']!.misses).toBe(0);
    expect(render['module-layout']!.hits).toBeGreaterThanOrEqual(2);
    expect(render['yaml-piece']!.hits).toBeGreaterThanOrEqual(tools);
    // Every tool's schema checks come from the memo (clean before, unchanged since): none is bundled or meta-validated again.
    expect(render['tool-schemas-clean']).toEqual({ hits: tools, misses: 0 });
    expect(render['meta-schema-valid']!.hits).toBe(Object.keys(manifest.schemas).length); // the shared schemas only
    expect(render['schema-module']).toEqual({ hits: modules, misses: 0 });
    expect(render['tool-fixture']).toEqual({ hits: tools, misses: 0 }); // no fixture case synthesized or laid out again
    expect(render['type-names']!.hits).toBe(tools + 1); // every tool's group and the shared schemas
    const changed = edited.report.actions.filter((a) => a.action !== 'unchanged' && a.action !== 'keep-user' && a.owner !== 'lock').map((a) => a.path);
    expect(changed).toEqual([`src/generated/tools/${target.name.replaceAll('_', '-')}.ts`]);
    // prettier ran (if at all) only on texts that mention the description: the tool module, and the
    // README and handler stub (user-owned: rendered, then kept as they are).
    expect(format.misses).toBeLessThanOrEqual(3);

    // An input schema edit recomputes that one tool's schema module and names, nothing else.
    target.input.properties.extra = { type: 'string' };
    writeFileSync(join(dir, 'mcp-gen.yaml'), stringify(manifest));
    const schemaEdit = await gen(dir);
    expect(schemaEdit.incremental.render['schema-module']).toEqual({ hits: modules - 1, misses: 1 });
    expect(schemaEdit.incremental.render['tool-schemas-clean']).toEqual({ hits: tools - 1, misses: 1 });
    expect(schemaEdit.incremental.render['type-names']).toEqual({ hits: tools, misses: 1 });
    expect(schemaEdit.incremental.render['tool-fixture']).toEqual({ hits: tools - 1, misses: 1 });
    expect(schemaEdit.incremental.render['artifact:protocol-types']).toEqual({ hits: 1, misses: 0 });
    expect(contents(schemaEdit)).toEqual(contents(await coldRun(stringify(manifest))));

    // A schema that becomes invalid is reported exactly as a cold run reports it: no verdict of its valid past is used.
    target.input.properties.extra = { type: 'strin', minLength: -1 };
    const broken = stringify(manifest);
    writeFileSync(join(dir, 'mcp-gen.yaml'), broken);
    const warmError = await gen(dir).then(() => undefined, (e: Error) => e.message);
    const coldDir = freshDir('cold-broken');
    writeFileSync(join(coldDir, 'mcp-gen.yaml'), broken);
    const coldError = await gen(coldDir).then(() => undefined, (e: Error) => e.message);
    expect(coldError).toContain('MG4001');
    expect(warmError?.replaceAll(dir, '<dir>')).toBe(coldError?.replaceAll(coldDir, '<dir>'));
  });
});
