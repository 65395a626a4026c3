/**
 * The no-op shortcut: a regenerate whose inputs did not change, over output nobody touched, ends
 * without loading the generator (manifest parser, Ajv, prettier, emitters). That is most runs of
 * `generate`, `generate --check` in CI and `generate --watch` after an editor's no-change save.
 *
 * A full write run that ended in a settled state leaves `.mcp-gen/cache/noop.json`: a key (the
 * generator build, the command's flags), the sha256 of every file the inputs stage read (manifest,
 * $ref'd schema files, app templates; `null` for one probed and absent), the sha256 of the lock
 * file it wrote, and what the run printed. The next run takes the shortcut only when all of it
 * still holds AND every file the lock's ledger lists still has its recorded sha256, every user-owned
 * file the lock names still exists and no interrupted commit is pending (a file whose lstat matches the
 * writer's stat stamp, write/file-stamps.ts, is not read for that) — so a hand edit, a deleted
 * file or a stale lock always reaches the full pipeline (and `--check` still reports it). The stamp
 * is never trusted beyond that: one that does not parse, fails its own hash or has another layout
 * is ignored, and deleting it only costs one full run. Imports nothing heavy on purpose.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATOR_VERSION, PACKAGE_ROOT, SPEC_VERSIONS_FILE, TEMPLATES_DIR } from '../paths.ts';
import { FileStamps } from '../write/file-stamps.ts';
import { sha256Hex as sha256 } from '../sha256.ts';
import { sweepAbandonedTemps, writeFileAtomic } from '../fs/atomic-file.ts';

export const NOOP_STAMP_PATH = '.mcp-gen/cache/noop.json';
/** Bumped when the stamp's layout or meaning changes; a stamp of another layout is foreign. */
const STAMP_FORMAT = 'mcp-gen-noop/1';
/** Matches write/lockfile.ts and write/commit.ts; repeated so this module stays light. */
const LOCK_FILE = 'mcp-gen.lock.json';
const STAGING_PREFIX = '.mcp-gen-staging-';

/** What decides the output besides the files read: which command, on what, by which generator build. */
export interface StampKeyInput {
  manifestPath: string;
  outDir: string;
  /** `--spec`, when given. */
  revision?: string;
  /** `--schema FILE` (absolute), when given: its bytes are part of the key. */
  schemaFile?: string;
  /** `--client-only` as given (undefined: what the lock says, and the lock is verified). */
  clientOnly?: boolean;
}

export interface NoopStamp {
  f: typeof STAMP_FORMAT;
  key: string;
  /** Absolute path → sha256 of the bytes the inputs stage read, or null when it found no file. */
  inputs: [string, string | null][];
  /** sha256 of mcp-gen.lock.json as the run wrote it. */
  lock: string;
  /** What the run printed on stderr before its report (manifest warnings), '' for nothing. */
  warnings: string;
  /** How many files the report listed (the "N unchanged or user-owned" of a no-op). */
  actions: number;
  /** sha256 of the rest: a damaged stamp is caught, not believed. */
  h: string;
}

let fingerprint: string | undefined;
/** The bundle the CLI runs, when the caller is the launcher (which runs from dist/generator itself). */
let bundledCode: string | undefined;

/**
 * Fingerprint the build as the bundle at `bundle` does: the launcher's no-op shortcut
 * (launch/launcher-noop.ts) runs before the bundle, and must name the build the same way the stamp
 * the bundle wrote does.
 */
export function assumeBundledCode(bundle: string): void {
  bundledCode = bundle;
  fingerprint = undefined;
}

const filesUnder = (root: string) =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));

/**
 * The modules that run: the bundle file when the CLI runs bundled (bin/mcp-gen.js; not the code
 * cache beside it, which changes without the code changing), else the module tree it runs from
 * (dist/generator, or generator/ from source); with the build's precompiled templates. Only what
 * runs: statting all of dist/ cost a bundled run ~280 stats.
 */
function codeFiles(): string[] {
  const self = fileURLToPath(import.meta.url);
  const here = dirname(self);
  const code = bundledCode !== undefined ? [bundledCode] : basename(here) === 'bundle' ? [self] : filesUnder(dirname(here));
  return [...code, join(PACKAGE_ROOT, 'dist', 'templates.precompiled.json')];
}

/**
 * The generator build: its version, its own code (size and mtime of every module it runs, see
 * codeFiles), the runtime templates, the spec pins and package.json (exact dependency pins). A
 * rebuilt checkout with an unchanged version is a new build.
 */
export function generatorFingerprint(): string {
  if (fingerprint) return fingerprint;
  const hash = createHash('sha256').update(`${STAMP_FORMAT}\0${GENERATOR_VERSION}\0`);
  for (const file of [...codeFiles(), ...filesUnder(TEMPLATES_DIR)].sort()) {
    let stamp = 'absent';
    try {
      const s = statSync(file);
      stamp = `${s.size}\0${s.mtimeMs}`;
    } catch {
      // only the precompiled templates may be missing (running from source before a build)
    }
    hash.update(`${relative(PACKAGE_ROOT, file)}\0${stamp}\n`);
  }
  for (const file of [SPEC_VERSIONS_FILE, join(PACKAGE_ROOT, 'package.json')]) {
    hash.update(`${relative(PACKAGE_ROOT, file)}\0`);
    try {
      hash.update(readFileSync(file));
    } catch {
      hash.update('absent');
    }
    hash.update('\n');
  }
  fingerprint = hash.digest('hex');
  return fingerprint;
}

async function stampKey(k: StampKeyInput): Promise<string> {
  const schemaBytes = k.schemaFile ? readBytes(k.schemaFile) : undefined;
  const schema = k.schemaFile ? (schemaBytes ? sha256(schemaBytes) : 'absent') : undefined;
  return sha256(
    JSON.stringify({
      f: STAMP_FORMAT,
      generator: generatorFingerprint(),
      manifest: resolve(k.manifestPath),
      outDir: resolve(k.outDir),
      revision: k.revision ?? null,
      schema: schema ?? null,
      clientOnly: k.clientOnly ?? null,
    }),
  );
}

const stampBody = (s: Omit<NoopStamp, 'h'>) => JSON.stringify([s.f, s.key, s.inputs, s.lock, s.warnings, s.actions]);

function parseStamp(text: string): NoopStamp | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const s = v as NoopStamp;
  if (s.f !== STAMP_FORMAT || typeof s.key !== 'string' || typeof s.lock !== 'string' || typeof s.warnings !== 'string') return undefined;
  if (!Number.isInteger(s.actions) || !Array.isArray(s.inputs)) return undefined;
  if (!s.inputs.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && (e[1] === null || typeof e[1] === 'string'))) return undefined;
  if (typeof s.h !== 'string' || s.h !== sha256(stampBody(s))) return undefined;
  return s;
}

/** Sync on purpose: a few hundred small reads are several times faster without a promise each. */
function readBytes(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** The recorded file still has the recorded bytes (or is still absent). */
function inputHolds([path, recorded]: [string, string | null]): boolean {
  const bytes = readBytes(path);
  return bytes === undefined ? recorded === null : recorded === sha256(bytes);
}

function insideRoot(outDir: string, rel: string): string | undefined {
  const abs = resolve(outDir, rel);
  return abs.startsWith(outDir + sep) ? abs : undefined;
}

/** Every generated file the ledger lists has its recorded bytes, and every user-owned file exists. */
function outputHolds(outDir: string, lockText: Buffer): boolean {
  let lock: { files?: unknown; userFiles?: unknown };
  try {
    lock = JSON.parse(lockText.toString('utf8')) as typeof lock;
  } catch {
    return false;
  }
  if (typeof lock.files !== 'object' || lock.files === null) return false;
  const files = Object.entries(lock.files as Record<string, unknown>);
  const userFiles = Array.isArray(lock.userFiles) ? (lock.userFiles as unknown[]) : [];
  // A file whose stat still matches the writer's stamp (write/file-stamps.ts) holds the bytes it recorded.
  const stamps = FileStamps.load(outDir);
  for (const [rel, recorded] of files) {
    const abs = insideRoot(outDir, rel);
    if (!abs || typeof recorded !== 'string') return false;
    if (stamps.knownHash(rel, lstatSync(abs, { bigint: true, throwIfNoEntry: false })) === recorded) continue;
    const bytes = readBytes(abs);
    if (bytes === undefined || sha256(bytes) !== recorded) return false;
  }
  for (const rel of userFiles) {
    const abs = typeof rel === 'string' ? insideRoot(outDir, rel) : undefined;
    if (!abs || !lstatSync(abs, { throwIfNoEntry: false })?.isFile()) return false;
  }
  return true;
}

export interface NoopVerdict {
  warnings: string;
  actions: number;
}

/**
 * The recorded run's report when nothing changed since it, else undefined (run the pipeline).
 * Never throws: anything unexpected means "not provably a no-op".
 */
export async function provenNoop(k: StampKeyInput): Promise<NoopVerdict | undefined> {
  try {
    const outDir = resolve(k.outDir);
    const text = readBytes(join(outDir, NOOP_STAMP_PATH));
    if (text === undefined) return undefined;
    const stamp = parseStamp(text.toString('utf8'));
    if (!stamp || stamp.key !== (await stampKey(k))) return undefined;
    if (readdirSync(outDir).some((name) => name.startsWith(STAGING_PREFIX))) return undefined;
    const lockText = readBytes(join(outDir, LOCK_FILE));
    if (!lockText || sha256(lockText) !== stamp.lock) return undefined;
    if (!stamp.inputs.every(inputHolds)) return undefined;
    if (!outputHolds(outDir, lockText)) return undefined;
    return { warnings: stamp.warnings, actions: stamp.actions };
  } catch {
    return undefined;
  }
}

export interface StampRecord extends StampKeyInput {
  /** Every file the inputs stage read: absolute path → its text, or undefined when absent. */
  reads: Map<string, string | undefined>;
  warnings: string;
  actions: number;
}

/** Records a settled write run. Best effort: a stamp that cannot be written only costs speed. */
export async function saveNoopStamp(r: StampRecord): Promise<void> {
  const outDir = resolve(r.outDir);
  const target = join(outDir, NOOP_STAMP_PATH);
  try {
    const lockText = await readFile(join(outDir, LOCK_FILE));
    const inputs = [...r.reads].map(([path, text]): [string, string | null] => [resolve(path), text === undefined ? null : sha256(text)]).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const body: Omit<NoopStamp, 'h'> = { f: STAMP_FORMAT, key: await stampKey(r), inputs, lock: sha256(lockText), warnings: r.warnings, actions: r.actions };
    const stamp: NoopStamp = { ...body, h: sha256(stampBody(body)) };
    sweepAbandonedTemps(dirname(target));
    await writeFileAtomic(target, `${JSON.stringify(stamp)}\n`);
  } catch {
    // not written: the next run is not a no-op shortcut
  }
}

/** A run that could not be recorded removes an older stamp, so it can never vouch for newer output. */
export async function dropNoopStamp(outDir: string): Promise<void> {
  await rm(join(resolve(outDir), NOOP_STAMP_PATH), { force: true }).catch(() => undefined);
}
