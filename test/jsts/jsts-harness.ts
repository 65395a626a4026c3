/**
 * Runs the official JSON Schema Test Suite (draft 2020-12) through the zod printer and through Ajv in
 * the same process, and records each case's three verdicts: expected (the suite), Ajv, zod.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { transformSync } from 'esbuild';
import { z } from 'zod';
import { printZodModule, type JsonSchema } from '../../generator/emit/zod-printer.ts';
import { REPO_ROOT } from '../helpers/env.ts';

export const SUITE_DIR = join(REPO_ROOT, '..', 'shared', 'json-schema-test-suite');
const TESTS_DIR = join(SUITE_DIR, 'draft2020-12');
const REMOTES_DIR = join(SUITE_DIR, 'remotes');
const REMOTE_BASE = 'http://localhost:1234/';
/** Remotes written for other drafts; the 2020-12 tests never reference them and Ajv2020 cannot load some. */
const OTHER_DRAFT_REMOTES = /^(draft3|draft4|draft6|draft7|draft2019-09)\//;

type Verdict = boolean | 'error';

export interface CaseResult {
  file: string;
  group: string;
  description: string;
  expected: boolean;
  ajv: Verdict;
  zod: Verdict;
  printError?: string;
}

export interface FileSummary {
  file: string;
  cases: number;
  agreeAjv: number;
  correct: number;
  ajvCorrect: number;
}

interface TestGroup {
  description: string;
  schema: JsonSchema;
  tests: { description: string; data: unknown; valid: boolean }[];
}

/** Every .json file below dir, depth first, sorted. */
export function listJson(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listJson(path) : name.endsWith('.json') ? [path] : [];
    });
}

/**
 * The 2020-12 metaschemas, which every validator has built in (Ajv included): some tests validate
 * schemas against them. Read from Ajv's package, registered under their own `$id`s.
 */
function loadMetaschemas(): Record<string, JsonSchema> {
  const dir = join(import.meta.dirname, '../../node_modules/ajv/dist/refs/json-schema-2020-12');
  const documents = [join(dir, 'schema.json'), ...listJson(join(dir, 'meta'))].map(
    (path) => JSON.parse(readFileSync(path, 'utf8')) as { $id: string },
  );
  return Object.fromEntries(documents.map((document) => [document.$id, document]));
}

export function loadRemotes(): Record<string, JsonSchema> {
  const remotes: Record<string, JsonSchema> = loadMetaschemas();
  for (const path of listJson(REMOTES_DIR)) {
    const name = relative(REMOTES_DIR, path);
    if (!OTHER_DRAFT_REMOTES.test(name)) remotes[REMOTE_BASE + name] = JSON.parse(readFileSync(path, 'utf8'));
  }
  return remotes;
}

/** Test files outside optional/, by file name. */
export function suiteFiles(): string[] {
  return readdirSync(TESTS_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

/** Evaluates printed source the way a user's bundler would after stripping types. */
function evaluateSchema(source: string): z.ZodType {
  const js = transformSync(source.replace(/^export /gm, ''), { loader: 'ts' }).code;
  return new Function('z', `${js}\nreturn Schema;`)(z) as z.ZodType;
}

function zodVerdict(schema: z.ZodType, data: unknown): Verdict {
  try {
    return schema.safeParse(data).success;
  } catch {
    return 'error';
  }
}

function ajvFor(schema: JsonSchema, remotes: Record<string, JsonSchema>): ((data: unknown) => Verdict) {
  try {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    if (JSON.stringify(schema).includes('localhost:1234')) {
      for (const [uri, remote] of Object.entries(remotes)) {
        if (!uri.startsWith(REMOTE_BASE)) continue;
        try {
          ajv.addSchema(remote as object, uri);
        } catch {
          // A remote whose $id another remote already claimed: the first one stays.
        }
      }
    }
    const validate = ajv.compile(schema as object);
    return (data) => {
      try {
        return validate(data) as boolean;
      } catch {
        return 'error';
      }
    };
  } catch {
    return () => 'error';
  }
}

export function runGroup(file: string, group: TestGroup, remotes: Record<string, JsonSchema>): CaseResult[] {
  const ajv = ajvFor(group.schema, remotes);
  let zodSchema: z.ZodType | undefined;
  let printError: string | undefined;
  try {
    const printed = printZodModule({ document: group.schema, exports: { Schema: '' }, remotes });
    zodSchema = evaluateSchema(printed.source);
  } catch (error) {
    printError = error instanceof Error ? error.message : String(error);
  }
  return group.tests.map((test) => ({
    file,
    group: group.description,
    description: test.description,
    expected: test.valid,
    ajv: ajv(test.data),
    zod: zodSchema ? zodVerdict(zodSchema, test.data) : 'error',
    ...(printError !== undefined && { printError }),
  }));
}

export function loadSuiteGroups(files: string[] = suiteFiles()): { file: string; index: number; group: TestGroup }[] {
  return files.flatMap((file) =>
    (JSON.parse(readFileSync(join(TESTS_DIR, file), 'utf8')) as TestGroup[]).map((group, index) => ({ file, index, group })),
  );
}

export function runSuite(files: string[] = suiteFiles()): CaseResult[] {
  const remotes = loadRemotes();
  return loadSuiteGroups(files).flatMap(({ file, group }) => runGroup(file, group, remotes));
}

export function summarize(results: CaseResult[]): FileSummary[] {
  const byFile = new Map<string, FileSummary>();
  for (const r of results) {
    let summary = byFile.get(r.file);
    if (!summary) byFile.set(r.file, (summary = { file: r.file, cases: 0, agreeAjv: 0, correct: 0, ajvCorrect: 0 }));
    summary.cases++;
    if (r.zod === r.ajv) summary.agreeAjv++;
    if (r.zod === r.expected) summary.correct++;
    if (r.ajv === r.expected) summary.ajvCorrect++;
  }
  return [...byFile.values()];
}

export const BASELINE_PATH = new URL('./baseline.json', import.meta.url);
