/**
 * Prints per-file agreement of the zod printer with Ajv and with the suite's expected verdicts.
 *   tsx test/jsts/run-jsts.ts [--verbose] [--write-baseline] [file.json …]
 * Exits 1 when overall agreement with Ajv, or correctness against the suite, is below 95 %.
 * "ajv wrong" counts disagreements where zod matches the suite's expected verdict and Ajv does not.
 */
import { writeFileSync } from 'node:fs';
import { BASELINE_PATH, runSuite, summarize, type CaseResult } from './jsts-harness.ts';

const MIN_AGREEMENT = 0.95;
const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const writeBaseline = args.includes('--write-baseline');
const files = args.filter((a) => a.endsWith('.json'));

const results = runSuite(files.length > 0 ? files : undefined);
const summaries = summarize(results);

const percent = (n: number, of: number) => `${((100 * n) / of).toFixed(1)}%`;
const ajvWrong = (file?: string) =>
  results.filter((r) => (file === undefined || r.file === file) && r.zod !== r.ajv && r.zod === r.expected).length;
const rows = summaries.map((s) => [s.file, s.cases, s.agreeAjv, s.cases - s.agreeAjv, ajvWrong(s.file), s.correct, s.ajvCorrect]);
const total = summaries.reduce(
  (t, s) => ({ cases: t.cases + s.cases, agree: t.agree + s.agreeAjv, correct: t.correct + s.correct, ajv: t.ajv + s.ajvCorrect }),
  { cases: 0, agree: 0, correct: 0, ajv: 0 },
);
const header = ['file', 'cases', 'agree(ajv)', 'disagree', 'of which ajv wrong', 'zod correct', 'ajv correct'];
const table = [header, ...rows, ['TOTAL', total.cases, total.agree, total.cases - total.agree, ajvWrong(), total.correct, total.ajv]];
const widths = header.map((_, i) => Math.max(...table.map((row) => String(row[i]).length)));
for (const row of table) console.log(row.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  '));
console.log(
  `\nagreement with ajv: ${percent(total.agree, total.cases)}; zod correct vs suite: ${percent(total.correct, total.cases)}; ajv correct vs suite: ${percent(total.ajv, total.cases)}`,
);

const show = (title: string, list: CaseResult[]) => {
  if (list.length === 0) return;
  console.log(`\n${title} (${list.length}):`);
  for (const r of list) {
    const error = r.printError ? ` [print-error: ${r.printError}]` : '';
    console.log(`  ${r.file} | ${r.group} | ${r.description}: expected ${r.expected}, ajv ${r.ajv}, zod ${r.zod}${error}`);
  }
};
show('zod disagrees with ajv, zod wrong vs the suite', results.filter((r) => r.zod !== r.ajv && r.zod !== r.expected));
show('zod agrees with ajv, both wrong vs the suite', results.filter((r) => r.zod === r.ajv && r.zod !== r.expected));
if (verbose) show('zod disagrees with ajv, ajv wrong vs the suite', results.filter((r) => r.zod !== r.ajv && r.zod === r.expected));

if (writeBaseline) {
  const baseline = Object.fromEntries(summaries.map((s) => [s.file, { cases: s.cases, agreeAjv: s.agreeAjv, correct: s.correct }]));
  writeFileSync(BASELINE_PATH, JSON.stringify(baseline, null, 2) + '\n');
  console.log(`\nbaseline written to ${BASELINE_PATH.pathname}`);
}
process.exitCode = total.agree / total.cases >= MIN_AGREEMENT && total.correct / total.cases >= MIN_AGREEMENT ? 0 : 1;
