/**
 * The plan stage: every file and exported name decided once; clashes are diagnostics naming
 * both entries; shared schemas are emitted once under their manifest name.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderDiagnostic, DiagnosticError } from '../../generator/diagnostics/diagnostic.ts';
import { loadSpec } from '../../generator/load/load-spec.ts';
import { GeneratedFile } from '../../generator/plan/generated-file.ts';
import { type OutputPlan } from '../../generator/plan/plan.ts';
import type { PlannedSymbol } from '../../generator/plan/symbols.ts';
import { generateProject, loadApp, planOrThrow } from '../../generator/project.ts';
import { buildProtocolModel } from '../../generator/protocol/build.ts';
import { runCli } from '../helpers/cli.ts';
import { hermeticEnv, REPO_ROOT, tempDir } from '../helpers/env.ts';

const KITCHEN_SINK = join(REPO_ROOT, 'examples/kitchen-sink/mcp-gen.yaml');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function planOf(manifestPath: string, clientOnly = false): Promise<OutputPlan> {
  const { app, locate, sources } = await loadApp(manifestPath);
  const protocol = buildProtocolModel(await loadSpec(app.spec, { env: hermeticEnv() }));
  return planOrThrow(app, protocol, { manifestPath: 'mcp-gen.yaml', clientOnly, locate }, sources);
}

function manifestDir(yaml: string): string {
  const dir = tempDir('mcp-gen-plan-');
  dirs.push(dir);
  writeFileSync(join(dir, 'mcp-gen.yaml'), yaml);
  return dir;
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(dir, `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

describe('planProject', () => {
  it('plans the kitchen-sink: every name once, shared schemas in src/generated/schemas.ts', async () => {
    const plan = await planOf(KITCHEN_SINK);
    expect(plan.diagnostics).toEqual([]);
    const names = plan.symbols.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    const schemas = plan.files.find((f) => f.path === 'src/generated/schemas.ts')!;
    expect(schemas).toMatchObject({ owner: 'generated', side: 'shared', artifact: 'shared-schemas' });
    // The helper types of nested $ref targets are allocated by the plan too (emission names nothing).
    expect(schemas.symbols).toEqual(['Order', 'OrderRef', 'OrderStatus', 'Order_Address', 'Order_Address_CountryCode', 'zodOrder', 'zodOrderRef', 'zodOrderStatus', 'zodOrder_Address', 'zodOrder_Address_CountryCode']);
    expect(plan.tools.ship_order!.typeNames).toMatchObject({ '/$defs/ShipOrderInput': 'ShipOrderInput' });
    expect(Object.values(plan.tools.ship_order!.typeNames)).toContain('ShipOrderInput_Address');
    expect(plan.files.find((f) => f.path === 'src/handlers/tools/cancel-order.ts')).toMatchObject({ owner: 'user', side: 'server', symbols: ['cancelOrder'] });
    expect(plan.tools.cancel_order).toMatchObject({ input: 'CancelOrderInput', output: 'CancelOrderOutput', binder: 'cancelOrderTool', askTypes: { confirm: 'CancelOrderAskConfirm' } });
    // Sorted, and every symbol belongs to a planned file.
    expect(plan.files.map((f) => f.path)).toEqual([...plan.files.map((f) => f.path)].sort());
    const paths = new Set(plan.files.map((f) => f.path));
    for (const s of plan.symbols) expect(paths.has(s.file), s.name).toBe(true);
  });

  it('a shared schema named like a derived name is MG3008 naming both entries with their positions', async () => {
    const dir = manifestDir(`spec: 2026-07-28
server: { name: clash, version: "1.0.0" }
tools:
  - name: search_orders
    description: Finds orders.
    input: { $ref: "#/schemas/Query" }
schemas:
  Query:
    type: object
    properties: { q: { type: string } }
  SearchOrdersInput:
    type: string
`);
    const error = await planOf(join(dir, 'mcp-gen.yaml')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiagnosticError);
    const [d, ...rest] = (error as DiagnosticError).diagnostics;
    expect(rest).toEqual([]);
    expect(d!.code).toBe('MG3008');
    // The later of the two (the tool, planned after shared schemas) is where it is shown; the message names the other.
    expect(d!.message).toBe(
      `the input type of tool \`search_orders\` and the type of schema \`SearchOrdersInput\` (${join(dir, 'mcp-gen.yaml')}:11:3) both become \`SearchOrdersInput\``,
    );
    expect(d!.at).toMatchObject({ file: join(dir, 'mcp-gen.yaml'), line: 4, column: 11 });
    expect(renderDiagnostic(d!, (error as DiagnosticError).sources)).toContain('- name: search_orders');
  });

  it('derived names of two kinds that meet are one clash, reported once per pair of entries', async () => {
    // Tool `get_prompt` → `getPromptDefinition`; prompt `get` → `getPromptDefinition` too.
    const dir = manifestDir(`spec: 2026-07-28
server: { name: meet, version: "1.0.0" }
tools:
  - name: get_prompt
    description: One.
prompts:
  - name: get
`);
    const error = (await planOf(join(dir, 'mcp-gen.yaml')).catch((e: unknown) => e)) as DiagnosticError;
    expect(error.diagnostics.map((d) => [d.message, d.at?.line])).toEqual([
      [`the wire definition of prompt \`get\` and the wire definition of tool \`get_prompt\` (${join(dir, 'mcp-gen.yaml')}:4:11) both become \`getPromptDefinition\``, 7],
    ]);
  });

  it('client-only plans no server file; the omitted list names them', async () => {
    const plan = await planOf(KITCHEN_SINK, true);
    expect(plan.clientOnly).toBe(true);
    expect(plan.files.filter((f) => f.side === 'server')).toEqual([]);
    expect(plan.omitted).toContain('src/generated/server.ts');
    expect(plan.omitted).toContain('src/generated/runtime/create-server.ts');
    expect(plan.files.map((f) => f.path)).toContain('src/generated/runtime/client/index.ts');
    expect(plan.files.map((f) => f.path)).toContain('src/generated/schemas.ts');
  });

  it('`mcp-gen inspect plan --json` prints every file and symbol', async () => {
    const run = await runCli(['inspect', 'plan', '--manifest', KITCHEN_SINK, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout) as OutputPlan;
    expect(plan.files.length).toBeGreaterThan(80);
    expect(plan.symbols.filter((s) => s.name === 'Order')).toEqual([
      { name: 'Order', kind: 'type', file: 'src/generated/schemas.ts', origin: { kind: 'schema', name: 'Order' }, role: 'type' },
    ]);
  });
});

describe('shared schemas are emitted once', () => {
  it('kitchen-sink: `Order` and `OrderStatus` are declared once, in schemas.ts; tools import them', async () => {
    const dir = join(REPO_ROOT, 'test', 'tmp', `plan-ks-${process.pid}`);
    dirs.push(dir);
    mkdirSync(dir, { recursive: true });
    for (const f of ['mcp-gen.yaml', 'schemas/address.json', 'apps/order-board.html']) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), readFileSync(join(REPO_ROOT, 'examples/kitchen-sink', f)));
    }
    await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env: hermeticEnv() } });
    const generated = listFiles(dir, 'src/generated/').filter((f) => !f.includes('/runtime/') && !f.includes('/protocol/'));
    const declarations = (name: string) =>
      generated.flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(new RegExp(`export (?:type|interface|const) (?:zod)?${name}\\b`, 'g'))].map(() => f));
    expect(declarations('Order')).toEqual(['src/generated/schemas.ts', 'src/generated/schemas.ts']);
    expect(declarations('OrderStatus')).toEqual(['src/generated/schemas.ts', 'src/generated/schemas.ts']);
    // No tool module carries a private copy under a derived name any more.
    expect(generated.filter((f) => /_OrderStatus\b|Output_Order\b/.test(readFileSync(join(dir, f), 'utf8')))).toEqual([]);
    const cancel = readFileSync(join(dir, 'src/generated/tools/cancel-order.ts'), 'utf8');
    expect(cancel).toContain("import { type Order, type OrderRef, zodOrder, zodOrderRef } from '../schemas.ts';");
    expect(cancel).toContain('export type CancelOrderOutput = Order;');
    // The plan's names are the ones the modules export: planned ⊆ exported; the rest are schema helpers (`Order_Address`).
    const plan = await planOf(join(dir, 'mcp-gen.yaml'));
    for (const file of plan.files.filter((f) => f.artifact === 'tool-contracts' && f.path !== 'src/generated/tools.ts' || f.artifact === 'shared-schemas')) {
      const exported = [...readFileSync(join(dir, file.path), 'utf8').matchAll(/^export (?:type|interface|const|function) (\w+)/gm)].map((m) => m[1]!);
      expect(file.symbols.filter((s) => !exported.includes(s)), file.path).toEqual([]);
      expect(exported.filter((s) => !file.symbols.includes(s) && !s.includes('_')), file.path).toEqual([]);
    }
    // The wire literal is still the bundled, self-contained schema.
    expect(cancel).toMatch(/outputSchema: \{[\s\S]*\$defs: \{\s*OrderStatus:/);
  }, 120_000);
});

describe('GeneratedFile', () => {
  const sym = (name: string, file: string, kind: PlannedSymbol['kind'] = 'type'): PlannedSymbol => ({ name, kind, file, origin: { kind: 'schema', name }, role: 'type' });

  it('imports under the own name, aliases only on a real clash, and never imports from itself', () => {
    const file = new GeneratedFile('src/generated/tools/a.ts', ['AInput', 'Order']);
    expect(file.import(sym('Status', 'src/generated/schemas.ts'))).toBe('Status');
    expect(file.import(sym('Order', 'src/generated/schemas.ts'))).toBe('Order$schemas');
    expect(file.import(sym('zodOrder', 'src/generated/schemas.ts', 'value'))).toBe('zodOrder');
    expect(file.import(sym('AInput', 'src/generated/tools/a.ts'))).toBe('AInput');
    expect(file.import(sym('Status', 'src/generated/schemas.ts'))).toBe('Status');
    expect(file.importLines()).toBe("import { type Order as Order$schemas, type Status, zodOrder } from '../schemas.ts';");
  });

  it('type-only modules get `import type`; two modules exporting one name get one alias', () => {
    const file = new GeneratedFile('src/generated/client.ts');
    expect(file.import(sym('X', 'src/generated/tools/x.ts'))).toBe('X');
    expect(file.import(sym('X', 'src/generated/schemas.ts'))).toBe('X$schemas');
    expect(file.importLines()).toBe("import type { X as X$schemas } from './schemas.ts';\nimport type { X } from './tools/x.ts';");
  });
});
