import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printZodModule } from '../../generator/emit/zod-printer.ts';
import { BASELINE_PATH, loadRemotes, loadSuiteGroups, runSuite, summarize } from './jsts-harness.ts';

const MIN_AGREEMENT = 0.95;
type Baseline = Record<string, { cases: number; agreeAjv: number; correct: number }>;

describe('JSON Schema Test Suite (draft 2020-12) through the zod printer, against Ajv', () => {
  const summaries = summarize(runSuite());
  const total = summaries.reduce((t, s) => ({ cases: t.cases + s.cases, agree: t.agree + s.agreeAjv, correct: t.correct + s.correct }), {
    cases: 0,
    agree: 0,
    correct: 0,
  });

  it(`agrees with Ajv on at least ${MIN_AGREEMENT * 100}% of cases and is right on at least as many`, () => {
    expect(total.agree / total.cases).toBeGreaterThanOrEqual(MIN_AGREEMENT);
    expect(total.correct / total.cases).toBeGreaterThanOrEqual(MIN_AGREEMENT);
  });

  it('no file regresses below the recorded baseline (tsx test/jsts/run-jsts.ts --write-baseline)', () => {
    const baseline = JSON.parse(readFileSync(BASELINE_PATH, 'utf8')) as Baseline;
    const regressions = summaries
      .filter((s) => baseline[s.file] && (s.agreeAjv < baseline[s.file].agreeAjv || s.correct < baseline[s.file].correct))
      .map((s) => ({ file: s.file, now: { agreeAjv: s.agreeAjv, correct: s.correct }, baseline: baseline[s.file] }));
    expect(regressions).toEqual([]);
    expect(summaries.map((s) => s.file).filter((file) => !baseline[file])).toEqual([]);
  });

  it('every printed test-suite schema compiles under tsc --strict', () => {
    // The MCP schemas use no refinements; these exercise every runtime helper and refinement signature.
    const dir = join(import.meta.dirname, '../tmp/jsts-tsc');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const remotes = loadRemotes();
    const files = loadSuiteGroups().map(({ file, index, group }) => {
      const path = join(dir, `${file.replace(/\.json$/, '')}_${index}.ts`);
      const { source } = printZodModule({ document: group.schema, exports: { Schema: '' }, remotes });
      writeFileSync(path, `import { z } from 'zod';\n\n${source}`);
      return path;
    });
    const tsc = join(import.meta.dirname, '../../node_modules/typescript/bin/tsc');
    const options = ['--noEmit', '--strict', '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--skipLibCheck'];
    let diagnostics = '';
    try {
      execFileSync(process.execPath, [tsc, ...options, ...files], { encoding: 'utf8' });
    } catch (error) {
      diagnostics = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(diagnostics).toBe('');
  }, 120_000);
});
