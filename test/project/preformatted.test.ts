/**
 * Files their emitters write in prettier's layout (EmittedFile.prettierShaped) skip prettier when
 * generator/format/preformatted.ts finds nothing width-dependent in them. The promise: for every
 * such file it accepts, prettier(text) === text. Checked on the raw emitted text of the examples
 * (both spec revisions) and of seeded random manifests whose names and descriptions are long
 * enough to force wraps at column 100, with quotes, comment closers and non-ASCII text; each case
 * also checks that the fast path was taken (and, for the random ones, declined) often enough for
 * the comparison to mean something.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'prettier';
import { serverTexts } from '../../generator/emit/artifacts/project/server-wiring.ts';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticManifest } from '../../bench/lib/synthetic-manifest.ts';
import type { EmittedFile } from '../../generator/emit/artifact.ts';
import { seededRandom } from '../../generator/fixtures/prng.ts';
import { PRETTIER_CONFIG } from '../../generator/format/format.ts';
import { callWithString, preformattedHolds } from '../../generator/format/preformatted.ts';
import { arrowToArray, arrowToCall, arrowToObject, itemList } from '../../generator/emit/artifacts/project/mock-server-view.ts';
import { loadProjectInputs } from '../../generator/load/project-inputs.ts';
import { emitContext, emitProject, planOptions, planOrThrow, projectProtocolModel } from '../../generator/project.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const PARSERS: Partial<Record<EmittedFile['language'], string>> = { typescript: 'babel-ts', json: 'json', markdown: 'markdown', yaml: 'yaml' };

async function emitted(manifestPath: string, revision?: string): Promise<EmittedFile[]> {
  const opts = { manifestPath, outDir: join(manifestPath, '..'), revision, mode: 'dry-run' as const, source: { env: hermeticEnv() } };
  const inputs = await loadProjectInputs(opts);
  const protocol = projectProtocolModel(inputs.spec);
  const plan = planOrThrow(inputs.app, protocol, planOptions(inputs, opts), inputs.sources);
  return emitProject(emitContext(inputs, protocol, plan));
}

/** prettier as generator/format/format.ts runs it: babel-ts, and `typescript` for what babel-ts cannot parse. */
async function viaPrettier(text: string, parser: string): Promise<string> {
  try {
    return await format(text, { ...PRETTIER_CONFIG, parser });
  } catch (e) {
    if (parser !== 'babel-ts') throw e;
    return format(text, { ...PRETTIER_CONFIG, parser: 'typescript' });
  }
}

/** The TypeScript files laid out by format/ts-tool-layout.ts beside the tool files: they must be claimed (certain). */
const LAID_OUT = [/^src\/generated\/protocol\/types\.ts$/, /^src\/generated\/protocol\/(?:[0-9-]+\/)?schemas\.ts$/, /^src\/generated\/schemas\.ts$/, /^src\/generated\/(?:prompts|resources|tools)\.ts$/];
function expectLaidOut(files: EmittedFile[]): void {
  const laidOut = files.filter((f) => LAID_OUT.some((r) => r.test(f.path)));
  expect(laidOut.map((f) => f.path)).toContain('src/generated/protocol/types.ts');
  for (const f of laidOut) expect(f.preformatted, f.path).toBe(true);
}

/** prettier(text) === text for every preformatted file the check accepts; how many were accepted and declined. */
async function checkClaims(files: EmittedFile[]): Promise<{ accepted: number; declined: number }> {
  let accepted = 0;
  let declined = 0;
  // prettierShaped: checked by preformattedHolds; preformatted: certain by its emitter (README, tool files).
  for (const f of files.filter((x) => x.prettierShaped || x.preformatted)) {
    if (!f.preformatted && !preformattedHolds(f.content)) {
      declined++;
      continue;
    }
    accepted++;
    const body = f.content.endsWith('\n') ? f.content : `${f.content}\n`;
    expect(await viaPrettier(f.content, PARSERS[f.language]!), f.path).toBe(body);
  }
  return { accepted, declined };
}

const CHARS = ['a', 'b', 'Z', ' ', ' ', '-', "'", '"', '`', '*/', '/*', '\\', 'é', '✓', '漢', '0', '.', ':', '|', '$', '{'];
function randomText(random: () => number, max: number, ascii: boolean): string {
  let s = 'Word';
  const n = Math.floor(random() * max);
  for (let i = 0; i < n; i++) s += CHARS[Math.floor(random() * (ascii ? 13 : CHARS.length))];
  return s.replace(/\s+$/, '') + '.';
}

/** A synthetic manifest with long names and descriptions (some non-ASCII) near and past column 100. */
/**
 * Text a README table cell or paragraph may hold: plain prose, or plain prose with one word of
 * markdown syntax in it (which prettier would rewrite, escape or re-align: the README must go to prettier).
 */
function randomProse(random: () => number, plain = false): string {
  const words = ['Get', 'a', 'record', 'by', 'id', '(fast).', 'Don\'t', 'use:', '"quoted"', 'v1.2', 'a/b', 'ok?', 'yes!'];
  const special = ['*not*', '_x_', '__x__', '`code`', '<b>', 'a|b', '#1', '[a](b)', '&amp;', 'x  y', 'é', '—', '\\*', '~~s~~', 'a*b*c'];
  const out = ['Get'];
  for (let i = Math.floor(random() * 10); i > 0; i--) out.push(words[Math.floor(random() * words.length)]!);
  if (!plain) out.splice(1 + Math.floor(random() * out.length), 0, special[Math.floor(random() * special.length)]!);
  return out.join(' ');
}

function randomManifest(seed: number): string {
  const random = seededRandom(seed);
  const m = parse(syntheticManifest(4, seed)) as Record<string, any>;
  const long = (base: string, i: number) => `${base}_${'n'.repeat(Math.floor(random() * random() * 70))}_${i}`;
  for (const [i, t] of (m.tools as Record<string, any>[]).entries()) {
    t.name = long(t.name, i);
    // Even seeds: prose a README may hold as written (mostly); odd seeds: one tool's prose has markdown
    // syntax in it (so the README must go to prettier), the others anything.
    t.description =
      seed % 2 === 0 ? randomProse(random, random() < 0.95) : i === 0 ? randomProse(random, false) : random() < 0.5 ? randomProse(random, true) : randomText(random, 160, random() < 0.6);
  }
  for (const [i, p] of (m.prompts as Record<string, any>[]).entries()) {
    p.name = long('prompt', i);
    p.description = randomText(random, 140, random() < 0.6);
  }
  for (const [i, r] of (m.resources as Record<string, any>[]).entries()) r.name = long('doc', i);
  m.resourceTemplates[0].name = long('record', 0);
  m.server.description = seed % 2 === 0 ? randomProse(random, true) : random() < 0.5 ? randomProse(random, random() < 0.5) : randomText(random, 120, true);
  if (random() < 0.5) m.server.title = randomProse(random, seed % 2 === 0);
  // server.ts prints them as a string literal in the options object (quotes, escapes, width).
  if (random() < 0.7) m.server.instructions = randomText(random, 60, random() < 0.5);
  return stringify(m, { lineWidth: 0 });
}

describe('preformatted files equal prettier whenever they skip it', () => {
  const examples = ['weather', 'kitchen-sink', 'apps'];
  for (const example of examples) {
    for (const revision of ['2026-07-28', '2025-11-25']) {
      it(`${example} (${revision})`, { timeout: 300_000 }, async () => {
        const files = await emitted(join(REPO_ROOT, 'examples', example, 'mcp-gen.yaml'), revision);
        const { accepted } = await checkClaims(files);
        expect(accepted).toBeGreaterThan(0);
        expectLaidOut(files);
      });
    }
  }

  it('synthetic 30-tool manifest (the bench shape): every shaped file, the mock server among them, skips prettier', { timeout: 300_000 }, async () => {
    const dir = join(REPO_ROOT, 'test', 'tmp', `preformatted-synthetic-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    dirs.push(dir);
    writeFileSync(join(dir, 'mcp-gen.yaml'), syntheticManifest(30, 5));
    const files = await emitted(join(dir, 'mcp-gen.yaml'));
    const { declined } = await checkClaims(files);
    expect(declined).toBe(0);
    expect(files.find((f) => f.path === 'src/generated/mock-server.ts')!.prettierShaped).toBe(true);
    expect(files.find((f) => f.path === 'src/generated/server.ts')!.prettierShaped).toBe(true);
    expectLaidOut(files);
  });

  it('random manifests with long names and descriptions (seeded)', { timeout: 600_000 }, async () => {
    let accepted = 0;
    let declined = 0;
    const readmes = [0, 0]; // laid out here, left to prettier
    const servers = [0, 0]; // server.ts: the same
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
      const dir = join(REPO_ROOT, 'test', 'tmp', `preformatted-${seed}-${process.pid}`);
      mkdirSync(dir, { recursive: true });
      dirs.push(dir);
      writeFileSync(join(dir, 'mcp-gen.yaml'), randomManifest(seed));
      const files = await emitted(join(dir, 'mcp-gen.yaml'));
      readmes[files.find((f) => f.path === 'README.md')!.preformatted ? 0 : 1]++;
      const server = files.find((f) => f.path === 'src/generated/server.ts')!;
      servers[server.prettierShaped && preformattedHolds(server.content) ? 0 : 1]++;
      const r = await checkClaims(files);
      accepted += r.accepted;
      declined += r.declined;
    }
    expect(accepted).toBeGreaterThan(20);
    expect(declined).toBeGreaterThan(3);
    expect(readmes[0]).toBeGreaterThan(0);
    expect(readmes[1]).toBeGreaterThan(0);
    // Long names put most handler lists past the width (prettier's to break): declined, never wrong.
    expect(servers[1]).toBeGreaterThan(0);
  });
});

describe('server.ts in prettier\'s layout', () => {
  it('the built form is what prettier makes of the template (a template edit cannot leave it behind)', { timeout: 300_000 }, async () => {
    const cases: string[] = [join(REPO_ROOT, 'examples', 'weather', 'mcp-gen.yaml')];
    for (const [i, m] of [syntheticManifest(3, 11), syntheticManifest(30, 5)].entries()) {
      const dir = join(REPO_ROOT, 'test', 'tmp', `preformatted-agree-${i}-${process.pid}`);
      mkdirSync(dir, { recursive: true });
      dirs.push(dir);
      writeFileSync(join(dir, 'mcp-gen.yaml'), m);
      cases.push(join(dir, 'mcp-gen.yaml'));
    }
    let compared = 0;
    for (const manifestPath of cases) {
      const opts = { manifestPath, outDir: join(manifestPath, '..'), mode: 'dry-run' as const, source: { env: hermeticEnv() } };
      const inputs = await loadProjectInputs(opts);
      const protocol = projectProtocolModel(inputs.spec);
      const plan = planOrThrow(inputs.app, protocol, planOptions(inputs, opts), inputs.sources);
      const texts = serverTexts(emitContext(inputs, protocol, plan) as never);
      if (texts.shaped === undefined) continue;
      expect(texts.shaped, manifestPath).toBe(await viaPrettier(texts.template(), 'babel-ts'));
      compared++;
    }
    expect(compared).toBe(cases.length);
  });

  it('its handler lists go on one line exactly when prettier puts them there', { timeout: 300_000 }, async () => {
    const widths = new Map<number, boolean>(); // width of the one-line tools list → claimed on one line
    for (let k = 5; k <= 13; k++) {
      const m = parse(syntheticManifest(2, 7)) as Record<string, any>;
      m.tools[0].name = `${m.tools[0].name}_${'n'.repeat(k)}`;
      const dir = join(REPO_ROOT, 'test', 'tmp', `preformatted-server-${k}-${process.pid}`);
      mkdirSync(dir, { recursive: true });
      dirs.push(dir);
      writeFileSync(join(dir, 'mcp-gen.yaml'), stringify(m, { lineWidth: 0 }));
      const files = await emitted(join(dir, 'mcp-gen.yaml'));
      const server = files.find((f) => f.path === 'src/generated/server.ts')!;
      expect(server.prettierShaped).toBe(true);
      await checkClaims([server]);
      const lines = server.content.split('\n');
      const at = lines.findIndex((l) => l.startsWith('    tools: ['));
      const oneLine = lines[at]!.endsWith('],');
      const items = oneLine ? lines[at]!.slice('    tools: ['.length, -2).split(', ') : lines.slice(at + 1, lines.indexOf('    ],', at)).map((l) => l.trim().slice(0, -1));
      widths.set(`    tools: [${items.join(', ')}],`.length, oneLine);
    }
    // Both sides of the edge were drawn, and claimed.
    expect([...widths].some(([w, one]) => w >= 98 && w <= 100 && one)).toBe(true);
    expect([...widths].some(([w, one]) => w >= 101 && w <= 103 && !one)).toBe(true);
  });
});

describe('preformattedHolds', () => {
  it('declines what prettier would change or whose width it must measure', () => {
    expect(preformattedHolds('const a = 1;\n')).toBe(true);
    expect(preformattedHolds('/**\n * ' + 'long comment '.repeat(20).trimEnd() + '\n */\nconst a = 1;\n')).toBe(true);
    for (const text of [
      `const a = '${'x'.repeat(100)}';\n`, // past the print width
      `const a = '${'漢'.repeat(45)}';\n`, // display width is prettier's call
      'const a = 1; \n', // trailing blank
      'const a = 1;\n\n\nconst b = 2;\n', // a run of blank lines
      '\nconst a = 1;\n', // leading blank line
      'const a = 1;\n\n', // trailing blank line
      '\tconst a = 1;\n', // tab
      '/**\n   * misaligned\n */\n', // prettier re-indents a doc comment
      '/**\n * never closed\n', // open doc comment
    ]) {
      expect(preformattedHolds(text), JSON.stringify(text)).toBe(false);
    }
  });

  it('what it accepts at the width edge (punctuation, lone long strings) is prettier\'s output', async () => {
    const accepted: string[] = [];
    for (let n = 95; n <= 102; n++) {
      for (const text of [
        `export const a = '${'—'.repeat(n - 19)}';\n`,
        `export const b = '${'é…'.repeat(Math.floor((n - 19) / 2))}';\n`,
        `function f() {\n  throw new Error(\n    '${'x'.repeat(n)}',\n  );\n}\n`,
        `const c =\n  \`${'y'.repeat(n)} \${name}\` +\n  'z';\n`,
        `import { ${'a'.repeat(n - 40)} as b } from '../handlers/tools/x.ts';\n`,
        `import { type ${'T'.repeat(n - 30)} } from './a-b.ts';\n`,
      ]) {
        if (!preformattedHolds(text)) continue;
        accepted.push(text);
        expect(await format(text, { ...PRETTIER_CONFIG, parser: 'babel-ts' }), text).toBe(text);
      }
    }
    expect(accepted.length).toBeGreaterThan(20);
    // Beyond the width, and emoji or wide text whose width is prettier's to measure, are declined.
    expect(preformattedHolds(`export const a = '${'—'.repeat(82)}';\n`)).toBe(false);
    expect(preformattedHolds(`export const a = '${'©'.repeat(40)}';\n`)).toBe(false);
    expect(preformattedHolds(`export const a = '${'漢'.repeat(40)}';\n`)).toBe(false);
    // Two names, or a module path prettier might requote, are prettier's to lay out.
    expect(preformattedHolds(`import { a, ${'b'.repeat(90)} } from './x.ts';\n`)).toBe(false);
    expect(preformattedHolds(`import { ${'b'.repeat(90)} } from "./x.ts";\n`)).toBe(false);
    expect(preformattedHolds(`import { ${'b'.repeat(90)} } from './it\'s.ts';\n`)).toBe(false);
  });

  it('the mock server\'s handler list entries break exactly where prettier breaks them', { timeout: 120_000 }, async () => {
    let accepted = 0;
    for (let b = 3; b <= 66; b += 7) {
      for (let n = 1; n <= 76; n += 3) {
        for (const o of [4, 27, 58]) {
          const binder = `b${'i'.repeat(b)}Tool`;
          const name = `'${'n'.repeat(n)}'`;
          const answer = `(mockData.tools[${name}] as MockTool)`;
          const output = `O${'u'.repeat(o)}Output`;
          const entries = [
            arrowToObject(binder, 'structured', `${answer}.structured as ${output}`, [answer, `.structured as ${output}`]),
            arrowToCall(binder, `mockToolResult(mockData.tools[${name}] as MockTool)`),
            arrowToArray(binder, `{ role: 'user', content: { type: 'text', text: mockData.prompts[${name}] } }`),
            arrowToObject(binder, 'text', `mockData.resources[${name}]`),
          ];
          const short = `      bTool(async () => mockToolResult(mockData.tools['x'] as MockTool)),`;
          const lists = entries.flatMap((e) => [itemList('tools', [e]), itemList('tools', [e, short]), itemList('tools', [short, e])]);
          for (const list of lists) {
            if (list === undefined) continue;
            const text = `export function f() {\n  return createMcpServer({\n${list}\n  });\n}\n`;
            if (!preformattedHolds(text)) continue;
            accepted++;
            expect(await format(text, { ...PRETTIER_CONFIG, parser: 'babel-ts' }), text).toBe(text);
          }
        }
      }
    }
    expect(accepted).toBeGreaterThan(2000);
  });

  it('callWithString breaks exactly where prettier does', async () => {
    for (let n = 60; n <= 110; n++) {
      for (const head of ['return ctx.error', 'throw new Error']) {
        const value = `it's "${'x'.repeat(n - 30)}" here`;
        const text = `function f() {\n${callWithString('  ', head, value, ';')}\n}\n`;
        expect(await format(text, { ...PRETTIER_CONFIG, parser: 'babel-ts' }), text).toBe(text);
      }
    }
  });
});
