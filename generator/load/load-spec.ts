/**
 * Resolves a spec revision to its schema.json text, verified against the sha256 pinned in
 * spec/versions.json. Order (DESIGN.md §3): --schema FILE › cache › MCP_GEN_SPEC_MIRROR › pinned upstream URL.
 * Nothing is written unless the bytes verified; only downloads are cached.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { readIfExists } from '../fs/read-optional.ts';
import { sweepAbandonedTemps, writeFileAtomic } from '../fs/atomic-file.ts';
import { DiagnosticError, diag } from '../diagnostics/diagnostic.ts';
import { cacheDir, cachedExamplesDir, cachedSchemaPath, sha256Hex } from './spec-cache.ts';
import { pullSpecExamples } from './spec-examples.ts';
import { findPin, pinnedRevisions, type PinnedRevision } from './spec-versions.ts';

export type SpecOriginKind = 'file' | 'cache' | 'mirror-dir' | 'mirror-url' | 'upstream';

export interface SpecDocument {
  $schema?: string;
  $defs: Record<string, Record<string, unknown> | boolean>;
  [k: string]: unknown;
}

export interface LoadedSpec {
  revision: string;
  sha256: string;
  /** false when loaded with --schema and the bytes match no pin. */
  pinned: boolean;
  origin: { kind: SpecOriginKind; location: string };
  text: string;
  document: SpecDocument;
}

export interface SpecSourceOptions {
  /** --schema FILE: used as-is; its revision is the pin its hash matches, else `revision`. */
  schemaFile?: string;
  env?: NodeJS.ProcessEnv;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
}

export { cacheDir, cachedExamplesDir, cachedSchemaPath, sha256Hex };

function requirePin(revision: string): PinnedRevision {
  const pin = findPin(revision);
  if (!pin) {
    const known = pinnedRevisions().map((p) => p.revision).join(', ');
    throw new DiagnosticError(
      diag('MG1001', `unknown spec revision "${revision}"`, { help: `known revisions: ${known} (see \`mcp-gen spec list\`)` }),
    );
  }
  return pin;
}

/** Parses and checks the document shape; `where` names the source in the error. */
export function parseSpecText(text: string, where: string): SpecDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DiagnosticError(diag('MG1003', `${where} is not JSON (${(e as Error).message})`));
  }
  const defs = (json as { $defs?: unknown; definitions?: unknown } | null)?.$defs ??
    (json as { definitions?: unknown } | null)?.definitions;
  if (typeof json !== 'object' || json === null || Array.isArray(json) || typeof defs !== 'object' || defs === null || Array.isArray(defs)) {
    throw new DiagnosticError(diag('MG1004', `${where} has no $defs object, so it is not an MCP schema`));
  }
  const doc = json as SpecDocument;
  // Older revisions use `definitions`; the model reads `$defs` only.
  if (!doc.$defs) doc.$defs = defs as SpecDocument['$defs'];
  return doc;
}

function mirrorLocation(mirror: string, revision: string): { kind: 'mirror-dir' | 'mirror-url'; location: string } {
  if (/^https?:\/\//i.test(mirror)) {
    return { kind: 'mirror-url', location: `${mirror.replace(/\/+$/, '')}/${revision}/schema.json` };
  }
  return { kind: 'mirror-dir', location: join(resolve(mirror), revision, 'schema.json') };
}

/** What to do when the schema cannot be downloaded: the offline fixes, spelled out. */
function offlineHelp(revision: string): string {
  return `mcp-gen needs the MCP schema of ${revision} once. Either set MCP_GEN_SPEC_MIRROR to a local copy (a directory laid out like <rev>/schema.json, e.g. a checkout of the spec repository's schema/ directory), pass --schema <file>, or run \`mcp-gen spec pull ${revision}\` once while online (it is cached under ~/.cache/mcp-gen)`;
}

/**
 * Two clocks: the response headers must arrive within the connect timeout (default 5 s, so an
 * offline first run fails in seconds, not after the OS gives up on the TCP handshake), the whole
 * body within the overall timeout (default 30 s).
 */
async function download(url: string, opts: SpecSourceOptions, revision: string): Promise<string> {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const timeoutMs = opts.timeoutMs ?? Number(opts.env?.MCP_GEN_FETCH_TIMEOUT_MS ?? 30_000);
  const connectMs = Math.min(timeoutMs, Number(opts.env?.MCP_GEN_CONNECT_TIMEOUT_MS ?? 5_000));
  const connect = new AbortController();
  const timer = setTimeout(() => connect.abort(), connectMs);
  let res: Response;
  try {
    res = await fetchImpl(url, { signal: AbortSignal.any([connect.signal, AbortSignal.timeout(timeoutMs)]), redirect: 'follow' });
  } catch (e) {
    const cause = connect.signal.aborted
      ? `no answer within ${connectMs / 1000} s; offline?`
      : ((e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message);
    throw new DiagnosticError(diag('MG1006', `cannot fetch ${url} (${cause})`, { help: offlineHelp(revision) }));
  } finally {
    clearTimeout(timer);
  }
  if (!res.ok) {
    throw new DiagnosticError(diag('MG1006', `cannot fetch ${url} (HTTP ${res.status})`, { help: offlineHelp(revision) }));
  }
  try {
    return await res.text();
  } catch (e) {
    throw new DiagnosticError(diag('MG1006', `cannot fetch ${url} (${(e as Error).message})`, { help: offlineHelp(revision) }));
  }
}

async function readLocal(path: string, code: 'MG1002', what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : (e as Error).message;
    throw new DiagnosticError(diag(code, `${what} ${path} ${reason}`));
  }
}

function verify(pin: PinnedRevision, text: string, where: string, code: 'MG1005' | 'MG1007'): string {
  const actual = sha256Hex(text);
  if (actual !== pin.sha256) {
    throw new DiagnosticError(
      diag(code, `${where} for ${pin.revision} has sha256 ${actual.slice(0, 12)}…, expected ${pin.sha256.slice(0, 12)}…`),
    );
  }
  return actual;
}

/** Writes via a temp file and rename so a crash never leaves half a schema in the cache. */
async function writeCache(path: string, text: string): Promise<void> {
  sweepAbandonedTemps(dirname(path));
  await writeFileAtomic(path, text);
}


/** Loads a schema given explicitly with --schema; identifies it by hash when it matches a pin. */
async function loadExplicitFile(file: string, revisionHint: string | undefined): Promise<LoadedSpec> {
  const path = resolve(file);
  const text = await readLocal(path, 'MG1002', 'schema file');
  const document = parseSpecText(text, basename(path));
  const sha = sha256Hex(text);
  const pin = pinnedRevisions().find((p) => p.sha256 === sha);
  const revision = pin?.revision ?? revisionHint ?? basename(dirname(path));
  return { revision, sha256: sha, pinned: Boolean(pin), origin: { kind: 'file', location: path }, text, document };
}

/** Fetches from mirror or upstream and verifies (parsed once: the document is returned too); does not touch the cache. */
async function fetchVerified(pin: PinnedRevision, opts: SpecSourceOptions): Promise<LoadedSpec> {
  const env = opts.env ?? process.env;
  const mirror = env.MCP_GEN_SPEC_MIRROR;
  const origin = mirror ? mirrorLocation(mirror, pin.revision) : { kind: 'upstream' as const, location: pin.url };
  const text =
    origin.kind === 'mirror-dir'
      ? await readLocal(origin.location, 'MG1002', 'the spec mirror (MCP_GEN_SPEC_MIRROR) has no file')
      : await download(origin.location, opts, pin.revision);
  const document = parseSpecText(text, origin.location);
  const sha256 = verify(pin, text, origin.location, 'MG1005');
  return { revision: pin.revision, sha256, pinned: true, origin, text, document };
}

export async function loadSpec(revision: string | undefined, opts: SpecSourceOptions = {}): Promise<LoadedSpec> {
  if (opts.schemaFile) return loadExplicitFile(opts.schemaFile, revision);
  if (!revision) throw new DiagnosticError(diag('MG9001', 'no spec revision given', { help: 'pass --spec <rev>' }));
  const pin = requirePin(revision);
  const env = opts.env ?? process.env;

  const cachePath = cachedSchemaPath(revision, env);
  const cachedText = await readIfExists(cachePath);
  if (cachedText !== undefined) {
    const sha256 = verify(pin, cachedText, `the cached schema ${cachePath}`, 'MG1007');
    const document = parseSpecText(cachedText, cachePath);
    return { revision, sha256, pinned: true, origin: { kind: 'cache', location: cachePath }, text: cachedText, document };
  }

  const fetched = await fetchVerified(pin, opts);
  if (fetched.origin.kind !== 'mirror-dir') await writeCache(cachePath, fetched.text);
  return fetched;
}

/**
 * `mcp-gen spec pull`: fill the cache from the mirror or upstream, verifying first: the schema and,
 * when the revision pins them, the spec's examples (generated fixtures derive from them).
 */
export async function pullSpec(
  revision: string,
  opts: SpecSourceOptions & { force?: boolean } = {},
): Promise<{ path: string; origin: LoadedSpec['origin']; alreadyCached: boolean; examples: Awaited<ReturnType<typeof pullSpecExamples>> }> {
  const pin = requirePin(revision);
  const env = opts.env ?? process.env;
  const cachePath = cachedSchemaPath(revision, env);
  if (!opts.force) {
    const cachedText = await readIfExists(cachePath);
    if (cachedText !== undefined && sha256Hex(cachedText) === pin.sha256) {
      return { path: cachePath, origin: { kind: 'cache', location: cachePath }, alreadyCached: true, examples: await pullSpecExamples(revision, opts) };
    }
  }
  const fetched = await fetchVerified(pin, opts);
  await writeCache(cachePath, fetched.text);
  return { path: cachePath, origin: fetched.origin, alreadyCached: false, examples: await pullSpecExamples(revision, opts) };
}

/** Which revisions are in the cache and whether each still verifies. */
export async function cacheStatus(env: NodeJS.ProcessEnv = process.env): Promise<Record<string, 'cached' | 'corrupt' | 'absent'>> {
  const out: Record<string, 'cached' | 'corrupt' | 'absent'> = {};
  for (const pin of pinnedRevisions()) {
    const text = await readIfExists(cachedSchemaPath(pin.revision, env));
    out[pin.revision] = text === undefined ? 'absent' : sha256Hex(text) === pin.sha256 ? 'cached' : 'corrupt';
  }
  return out;
}
