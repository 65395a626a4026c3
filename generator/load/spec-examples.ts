/**
 * The spec's own message examples (`<rev>/examples/<Def>/<name>.json` beside schema.json upstream),
 * pinned like the schema: spec/versions.json holds one sha256 over the whole set, so every source
 * that verifies yields the same examples and the fixtures derived from them never depend on where
 * they came from. Sources, in order: beside the loaded schema (mirror directory, --schema file,
 * cache), the cache, the mirror directory, and — only in a run that downloaded the schema — the
 * pinned upstream commit. A verified download is cached, and `mcp-gen spec pull` caches them too.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { sweepAbandonedTemps, tempPathFor } from '../fs/atomic-file.ts';
import type { LoadedSpec, SpecSourceOptions } from './load-spec.ts';
import { cachedExamplesDir, sha256Hex } from './spec-cache.ts';
import { findPin, upstreamSource, type PinnedRevision } from './spec-versions.ts';

/** One example file, parsed; `def` is the schema definition it illustrates. */
export interface SpecExample {
  def: string;
  file: string;
  value: unknown;
}

interface RawExample {
  def: string;
  file: string;
  bytes: Buffer;
}

export interface LoadedSpecExamples {
  /** Sorted by def, then file; empty when no source had a verified set. */
  examples: SpecExample[];
  /** Where they came from, or undefined when unavailable. */
  origin?: string;
  /** Sources that held examples failing their pin (MG1009 warnings). */
  warnings: Diagnostic[];
}

const byPath = (a: RawExample, b: RawExample) => (`${a.def}/${a.file}` < `${b.def}/${b.file}` ? -1 : 1);

/** One sha256 over the set: each file's path and the sha256 of its bytes, in path order. */
export function examplesDigest(examples: readonly { def: string; file: string; bytes: Buffer }[]): string {
  return sha256Hex([...examples].sort(byPath).map((e) => `${e.def}/${e.file}\0${sha256Hex(e.bytes)}\n`).join(''));
}

/** Reads `<dir>/<Def>/*.json`; undefined when the directory does not exist. */
async function readExamplesDir(dir: string): Promise<RawExample[] | undefined> {
  let defs: string[];
  try {
    defs = await readdir(dir);
  } catch {
    return undefined;
  }
  // Listed and read concurrently (about a hundred small files: one at a time, every run waited on each).
  const listed = await Promise.all(
    defs.map(async (def) => {
      try {
        return { def, files: (await readdir(join(dir, def))).filter((f) => f.endsWith('.json')) };
      } catch {
        return { def, files: [] }; // a stray file, not a definition directory
      }
    }),
  );
  const out = await Promise.all(listed.flatMap(({ def, files }) => files.map(async (file): Promise<RawExample> => ({ def, file, bytes: await readFile(join(dir, def, file)) }))));
  return out.sort(byPath);
}

/** Parses the set; a file that is not JSON is skipped (it cannot become a request). */
function parsed(raw: RawExample[]): SpecExample[] {
  const out: SpecExample[] = [];
  for (const e of raw) {
    try {
      out.push({ def: e.def, file: e.file, value: JSON.parse(e.bytes.toString('utf8')) });
    } catch {
      /* skipped */
    }
  }
  return out;
}

/** Writes the set into the cache via a temp directory and a rename, so a crash never leaves half a set. */
async function writeExamplesCache(revision: string, raw: RawExample[], env: NodeJS.ProcessEnv): Promise<string> {
  const target = cachedExamplesDir(revision, env);
  sweepAbandonedTemps(dirname(target));
  const tmp = tempPathFor(target);
  try {
    for (const e of raw) {
      await mkdir(join(tmp, e.def), { recursive: true });
      await writeFile(join(tmp, e.def, e.file), e.bytes);
    }
    await mkdir(tmp, { recursive: true });
    await rm(target, { recursive: true, force: true });
    await rename(tmp, target);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return target;
}

/** Example paths of a revision at the pinned commit, listed with GitHub's tree API, then fetched raw. */
async function downloadUpstreamExamples(pin: PinnedRevision, opts: SpecSourceOptions): Promise<RawExample[] | undefined> {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const timeoutMs = opts.timeoutMs ?? Number(opts.env?.MCP_GEN_FETCH_TIMEOUT_MS ?? 30_000);
  const { repository, commit } = upstreamSource();
  const get = async (url: string) => {
    const res = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    if (!res.ok) throw new Error(`HTTP ${res.status} from ${url}`);
    return res;
  };
  const prefix = `schema/${pin.revision}/examples/`;
  const tree = (await (await get(`https://api.github.com/repos/${repository}/git/trees/${commit}?recursive=1`)).json()) as {
    tree?: { path?: string; type?: string }[];
    truncated?: boolean;
  };
  if (tree.truncated || !Array.isArray(tree.tree)) return undefined;
  const wanted: { def: string; file: string; path: string }[] = [];
  for (const entry of tree.tree) {
    const m = entry.type === 'blob' && entry.path?.startsWith(prefix) ? /^([^/]+)\/([^/]+\.json)$/.exec(entry.path.slice(prefix.length)) : null;
    if (m) wanted.push({ def: m[1]!, file: m[2]!, path: entry.path! });
  }
  // A few at a time: about a hundred small files, fetched in seconds without hammering the host.
  const out: RawExample[] = [];
  for (let i = 0; i < wanted.length; i += 8) {
    const batch = wanted.slice(i, i + 8);
    const bodies = await Promise.all(batch.map(async (w) => Buffer.from(await (await get(`https://raw.githubusercontent.com/${repository}/${commit}/${w.path}`)).arrayBuffer())));
    batch.forEach((w, k) => out.push({ def: w.def, file: w.file, bytes: bodies[k]! }));
  }
  return out.length ? out.sort(byPath) : undefined;
}

function mismatch(where: string, revision: string, actual: string, expected: string): Diagnostic {
  return diag('MG1009', `the spec examples in ${where} for ${revision} have sha256 ${actual.slice(0, 12)}…, expected ${expected.slice(0, 12)}…; they were not used`, {
    severity: 'warning',
  });
}

/**
 * The examples belonging to the loaded schema. A pinned revision takes only a set matching its
 * `examplesSha256`; an unpinned --schema file takes the set beside it as is.
 */
export async function loadSpecExamples(spec: LoadedSpec, opts: SpecSourceOptions = {}): Promise<LoadedSpecExamples> {
  const env = opts.env ?? process.env;
  const pin = spec.pinned ? findPin(spec.revision) : undefined;
  const warnings: Diagnostic[] = [];
  const candidates: string[] = [];
  if (spec.origin.kind === 'mirror-dir' || spec.origin.kind === 'file' || spec.origin.kind === 'cache') candidates.push(join(dirname(spec.origin.location), 'examples'));
  if (spec.pinned) {
    candidates.push(cachedExamplesDir(spec.revision, env));
    const mirror = env.MCP_GEN_SPEC_MIRROR;
    if (mirror && !/^https?:\/\//i.test(mirror)) candidates.push(join(resolve(mirror), spec.revision, 'examples'));
  }
  for (const dir of [...new Set(candidates)]) {
    const raw = await readExamplesDir(dir);
    if (!raw?.length) continue;
    if (!spec.pinned) return { examples: parsed(raw), origin: dir, warnings };
    if (!pin?.examplesSha256) break; // a pinned revision without pinned examples uses none: output must not depend on the source
    const digest = examplesDigest(raw);
    if (digest === pin.examplesSha256) return { examples: parsed(raw), origin: dir, warnings };
    warnings.push(mismatch(dir, spec.revision, digest, pin.examplesSha256));
  }
  // The run already went to the network for the schema: fetch the examples at the same commit.
  if (pin?.examplesSha256 && spec.origin.kind === 'upstream') {
    const fetched = await fetchPinnedExamples(pin, opts, warnings);
    if (fetched) return { examples: parsed(fetched.raw), origin: fetched.origin, warnings };
  }
  return { examples: [], warnings };
}

async function fetchPinnedExamples(pin: PinnedRevision, opts: SpecSourceOptions, warnings: Diagnostic[]): Promise<{ raw: RawExample[]; origin: string } | undefined> {
  let raw: RawExample[] | undefined;
  try {
    raw = await downloadUpstreamExamples(pin, opts);
  } catch (e) {
    warnings.push(diag('MG1009', `the spec examples for ${pin.revision} could not be downloaded (${(e as Error).message}); the spec-examples fixture has no cases`, { severity: 'warning' }));
    return undefined;
  }
  if (!raw) return undefined;
  const digest = examplesDigest(raw);
  if (digest !== pin.examplesSha256) {
    warnings.push(mismatch(`the upstream commit ${upstreamSource().commit.slice(0, 12)}`, pin.revision, digest, pin.examplesSha256!));
    return undefined;
  }
  const origin = await writeExamplesCache(pin.revision, raw, opts.env ?? process.env);
  return { raw, origin };
}

/**
 * `mcp-gen spec pull`: puts the revision's verified examples in the cache beside schema.json, from
 * the mirror directory or the pinned upstream commit. Returns where they are, or undefined when the
 * revision pins none or no source had a verified set.
 */
export async function pullSpecExamples(revision: string, opts: SpecSourceOptions & { force?: boolean } = {}): Promise<{ path?: string; alreadyCached: boolean; warnings: Diagnostic[] }> {
  const env = opts.env ?? process.env;
  const pin = findPin(revision);
  const warnings: Diagnostic[] = [];
  if (!pin?.examplesSha256) return { alreadyCached: false, warnings };
  const cached = cachedExamplesDir(revision, env);
  if (!opts.force) {
    const raw = await readExamplesDir(cached);
    if (raw?.length && examplesDigest(raw) === pin.examplesSha256) return { path: cached, alreadyCached: true, warnings };
  }
  const mirror = env.MCP_GEN_SPEC_MIRROR;
  if (mirror && /^https?:\/\//i.test(mirror)) return { alreadyCached: false, warnings }; // an HTTP mirror cannot be listed
  if (mirror) {
    const dir = join(resolve(mirror), revision, 'examples');
    const raw = await readExamplesDir(dir);
    if (!raw?.length) return { alreadyCached: false, warnings };
    const digest = examplesDigest(raw);
    if (digest !== pin.examplesSha256) {
      warnings.push(mismatch(dir, revision, digest, pin.examplesSha256));
      return { alreadyCached: false, warnings };
    }
    return { path: await writeExamplesCache(revision, raw, env), alreadyCached: false, warnings };
  }
  const fetched = await fetchPinnedExamples(pin, opts, warnings);
  return { path: fetched?.origin, alreadyCached: false, warnings };
}
