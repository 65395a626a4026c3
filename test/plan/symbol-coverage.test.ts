/**
 * Every exported top-level name in the generated kitchen-sink comes from the plan's symbol table:
 * a template that invents a name of its own (instead of receiving it from the OutputPlan) fails here.
 * The runtime under src/generated/runtime/ is copied verbatim from templates/runtime/ and is exempt.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../../generator/load/load-spec.ts';
import { RUNTIME_OUTPUT_DIR } from '../../generator/emit/artifacts/project/runtime-copy.ts';
import { planOrThrow, loadApp, loadServed, servedRevisionList } from '../../generator/project.ts';
import { buildProtocolModel } from '../../generator/protocol/build.ts';
import { runCli } from '../helpers/cli.ts';
import { hermeticEnv, REPO_ROOT, tempDir } from '../helpers/env.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(dir, `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

/** `export const|function|type|interface|class NAME` (also `export async function`, `export declare …`). */
export function exportedNames(source: string): string[] {
  const names: string[] = [];
  for (const m of source.matchAll(/^export\s+(?:declare\s+)?(?:async\s+)?(?:const|let|function\*?|type|interface|class|enum)\s+([\p{ID_Start}$_][\p{ID_Continue}$]*)/gmu)) names.push(m[1]!);
  return names;
}

describe('symbol coverage', () => {
  it('the scanner sees each declaration form (a scanner that finds nothing would pass anything)', () => {
    const names = exportedNames('export const a = 1;\nexport function b() {}\nexport async function c() {}\nexport type D = 1;\nexport interface E {}\nexport class F {}\n  export const notTopLevel = 1;\nexport { G };\n');
    expect(names).toEqual(['a', 'b', 'c', 'D', 'E', 'F']);
  });

  it('every exported name in the kitchen-sink src/generated/ is in the plan, in the file the plan says', async () => {
    const dir = tempDir('mcp-gen-coverage-');
    dirs.push(dir);
    for (const f of ['mcp-gen.yaml', 'schemas/address.json', 'apps/order-board.html']) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), readFileSync(join(REPO_ROOT, 'examples/kitchen-sink', f)));
    }
    const manifest = join(dir, 'mcp-gen.yaml');
    const run = await runCli(['generate', '--manifest', manifest], { env: hermeticEnv() });
    expect(run.stderr).not.toMatch(/ error /);
    expect(run.code).toBe(0);

    const { app, locate, sources } = await loadApp(manifest);
    const spec = await loadSpec(app.spec, { env: hermeticEnv() });
    const protocol = buildProtocolModel(spec);
    const served = await loadServed(servedRevisionList(app, app.spec), { spec, protocol }, { env: hermeticEnv() });
    const plan = planOrThrow(app, protocol, { manifestPath: 'mcp-gen.yaml', locate, served: served.map((s) => ({ revision: s.spec.revision, defs: s.protocol.defs })) }, sources);
    const planned = new Map(plan.symbols.map((s) => [s.name, s.file]));
    // Fixed names of support modules (createServer, APP_MIME_TYPE, a view's ToolResult) are listed on their file only.
    const onFile = new Map(plan.files.map((f) => [f.path, new Set(f.symbols)]));

    const scanned = listFiles(dir).filter((f) => f.startsWith('src/generated/') && f.endsWith('.ts') && !f.startsWith(`${RUNTIME_OUTPUT_DIR}/`));
    expect(scanned.length).toBeGreaterThan(10);
    const stray: string[] = [];
    let seen = 0;
    for (const file of scanned) {
      for (const name of exportedNames(readFileSync(join(dir, file), 'utf8'))) {
        seen++;
        if (planned.get(name) === file || (!planned.has(name) && onFile.get(file)?.has(name))) continue;
        stray.push(`${file}: ${name}${planned.has(name) ? ` (planned in ${planned.get(name)})` : ''}`);
      }
    }
    expect(seen).toBeGreaterThan(50);
    expect(stray).toEqual([]);
    // The protocol layer is scanned too (one type and one validator per spec $def), with the method
    // tables of both served revisions and the 2025-11-25 validators they use.
    expect(scanned.filter((f) => f.startsWith('src/generated/protocol/')).length).toBe(7);
  });
});
