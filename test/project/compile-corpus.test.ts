/**
 * DONE-WHEN corpus of issue 12: every object schema of the JSON Schema Test Suite (draft 2020-12)
 * and the hard cases of compile-corpus.ts, each used as one tool's input AND output in ONE generated
 * project, must pass `tsc --strict`; and for each tool two compile-must-fail probes (a wrong-typed
 * argument to the typed client, a wrong-typed `structured` in a handler) must fail, each on its own
 * line. One generate, one tsc run: diagnostics are mapped back to probes by line.
 *
 * Filter (see suiteObjectSchemas): roots that are object schemas (`type: object`, or untyped with
 * object keywords, then typed `object`); boolean roots, other roots, remote refs and `$id`/anchor
 * resolution are skipped and counted.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../generator/project.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';
import { tscProject } from '../helpers/tsc-project.ts';
import { HARD_CASES, SHARED_SCHEMAS, suiteObjectSchemas, wrongValue, type CorpusEntry } from './compile-corpus.ts';

/**
 * Probes that cannot fail because the validator's own type admits a string: a `$ref` to a `$def`
 * without `type` is the union of every JSON type (zod prints `.and(<that union>)`, and the TS type
 * follows the validator). Listed so that any change, better or worse, shows up here.
 */
const WIDE_BY_DESIGN = [
  'ref.json / ref creates new scope when adjacent to keywords',
  'unevaluatedProperties.json / unevaluatedProperties + ref inside allOf / oneOf',
  'unevaluatedProperties.json / dynamic evalation inside nested refs',
];

const suite = suiteObjectSchemas();
const corpus: CorpusEntry[] = [...suite.entries, ...HARD_CASES];
const toolName = (i: number) => `corpus_${String(i).padStart(3, '0')}`;
const pascal = (i: number) => `Corpus${String(i).padStart(3, '0')}`;
const camel = (i: number) => `corpus${String(i).padStart(3, '0')}`;

describe('compile corpus: types and validators agree for schemas nobody on the project wrote', () => {
  const dir = join(REPO_ROOT, 'test', 'tmp', `compile-corpus-${process.pid}`);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`generates one project with ${corpus.length} tools that passes tsc --strict, and every probe fails on its own line`, { timeout: 600_000 }, async () => {
    mkdirSync(dir, { recursive: true });
    const manifest = {
      spec: '2026-07-28',
      server: { name: 'corpus', version: '1.0.0' },
      schemas: SHARED_SCHEMAS,
      tools: corpus.map((entry, i) => ({ name: toolName(i), description: entry.label, input: entry.schema, output: entry.schema })),
    };
    writeFileSync(join(dir, 'mcp-gen.yaml'), JSON.stringify(manifest, null, 1));
    // Throws a DiagnosticError on any error; warnings (MG4003 shapes some hosts reject) are expected here.
    await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env: hermeticEnv() } });

    // One probe per line; line numbers are 1-based and the header takes PROBE_START - 1 lines.
    const header = [
      `import { createCorpusClient } from './generated/client.ts';`,
      `import type * as T from './generated/tools.ts';`,
      `const client = createCorpusClient({ url: 'http://127.0.0.1:1/mcp' });`,
      `export async function probes(): Promise<unknown[]> { return [`,
    ];
    const probes: { line: number; tool: number; kind: 'client' | 'handler' }[] = [];
    const lines = [...header];
    corpus.forEach((entry, i) => {
      const wrong = wrongValue(entry.schema);
      lines.push(`  await client.tools.${camel(i)}(${wrong}),`);
      probes.push({ line: lines.length, tool: i, kind: 'client' });
      lines.push(`  ((async () => ({ structured: ${wrong} })) satisfies T.${pascal(i)}Handler),`);
      probes.push({ line: lines.length, tool: i, kind: 'handler' });
    });
    lines.push(`]; }`);
    writeFileSync(join(dir, 'src', 'probes.ts'), lines.join('\n') + '\n');

    const r = tscProject(dir);
    const diagnostics = [...r.output.matchAll(/^(\S[^(\n]*)\((\d+),\d+\): error (TS\d+): (.*)$/gm)].map((m) => ({ file: m[1]!, line: Number(m[2]), code: m[3]!, text: m[4]! }));
    const outsideProbes = diagnostics.filter((d) => !d.file.endsWith('src/probes.ts'));
    const failedLines = new Set(diagnostics.filter((d) => d.file.endsWith('src/probes.ts')).map((d) => d.line));
    const strayLines = [...failedLines].filter((line) => !probes.some((p) => p.line === line));
    const silentProbes = probes.filter((p) => !failedLines.has(p.line));
    const silent = silentProbes.filter((p) => !WIDE_BY_DESIGN.includes(corpus[p.tool]!.label)).map((p) => `${p.kind} probe of ${corpus[p.tool]!.label}`);
    const wideSilent = [...new Set(silentProbes.map((p) => corpus[p.tool]!.label).filter((label) => WIDE_BY_DESIGN.includes(label)))];
    console.log(
      `compile corpus: ${suite.total} suite schemas, ${suite.entries.length} object schemas kept (${suite.skipped.length} skipped), ` +
        `${HARD_CASES.length} hard cases; ${corpus.length} schemas compiled as input and output; ` +
        `${probes.length - silentProbes.length}/${probes.length} probes failed as they should (${silentProbes.length} silent, listed in WIDE_BY_DESIGN)`,
    );
    expect({
      outsideProbes: outsideProbes.map((d) => `${d.file}:${d.line} ${d.code} ${d.text}`),
      strayLines,
      silent,
      wideSilent,
    }).toEqual({ outsideProbes: [], strayLines: [], silent: [], wideSilent: WIDE_BY_DESIGN });
  });
});
