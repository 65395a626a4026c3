/**
 * Runs the bundled CLI (dist/bundle/mcp-gen.cjs, scripts/bundle-cli.mjs) with a V8 code cache.
 *
 * Why: Node 20 has no module compile cache (module.enableCompileCache is Node 22), and compiling
 * the bundle's functions again in every process was the largest share of a short run's start-up:
 * ~60 ms of ESM compilation before main, more for each function compiled lazily on first call.
 * A `vm.Script` accepts V8's cached data instead, so the bundle is one CommonJS script run here.
 *
 * The cache is never trusted: a file whose header does not name this exact bundle (sha256 of its
 * bytes), whose payload does not match its own sha256, or that V8 rejects (another Node or V8
 * flags) is ignored and written again. It lives next to the bundle (like Python's __pycache__),
 * or in the machine cache (`$MCP_GEN_CACHE_DIR`, else ~/.cache/mcp-gen) when the installation is
 * read-only. `MCP_GEN_CODE_CACHE=off` runs without it; `MCP_GEN_CODE_CACHE=<dir>` keeps it there.
 */
import { isAscii } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { getHeapCodeStatistics } from 'node:v8';
import { Script } from 'node:vm';
import { sweepAbandonedTemps, writeFileAtomicSync } from '../fs/atomic-file.ts';
import { cacheDir, sha256Hex } from '../load/spec-cache.ts';

const MAGIC = 'mcp-gen-v8-code-cache/1';

/** The CommonJS wrapper the bundle runs in; V8 reports offsets in the script from its start (test/unit/cli-startup.test.ts reads coverage). */
export const WRAPPER_PREFIX = '(function (exports, require, module, __filename, __dirname) {';

/** What the bundle exports (generator/cli/main.ts). */
interface BundleExports {
  main(argv: string[]): Promise<number>;
  useImporter(importer: (specifier: string) => Promise<unknown>): void;
}

/** What happened to the code cache in one run; printed under MCP_GEN_TIMINGS. */
export type CodeCacheState = 'off' | 'absent' | 'used' | 'foreign' | 'corrupt' | 'rejected';

interface CacheHeader {
  f: string;
  /** sha256 of the bundle the payload was compiled from. */
  bundle: string;
  /** sha256 of the payload. */
  payload: string;
  /** V8's bytecode size when the payload was made: a run that compiled much more writes a fuller cache. */
  bytecode: number;
}

/** The cache file's directories, preferred first. */
export function codeCacheDirs(bundlePath: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const setting = env.MCP_GEN_CODE_CACHE;
  if (setting === 'off' || setting === '0') return [];
  if (setting) return [resolve(setting)];
  return [join(dirname(bundlePath), '.code-cache'), join(cacheDir(env), 'code-cache')];
}

/** One file per Node build: V8 rejects another version's data anyway, and two Nodes sharing a directory must not evict each other. */
const cacheFileName = () => `${process.version}-${process.arch}.bin`;

/** The payload of a cache file made for exactly this bundle, or why there is none. */
export function readCodeCache(file: string, bundleSha: string): { payload?: Buffer; header?: CacheHeader; state: CodeCacheState } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return { state: 'absent' };
  }
  const eol = bytes.indexOf(10);
  let header: CacheHeader;
  try {
    header = JSON.parse(bytes.subarray(0, eol < 0 ? 0 : eol).toString('utf8')) as CacheHeader;
  } catch {
    return { state: 'corrupt' };
  }
  if (header?.f !== MAGIC || typeof header.bytecode !== 'number') return { state: 'corrupt' };
  if (header.bundle !== bundleSha) return { state: 'foreign' };
  const payload = bytes.subarray(eol + 1);
  if (sha256Hex(payload) !== header.payload) return { state: 'corrupt' };
  return { payload, header, state: 'used' };
}

/**
 * Writes the cache into the first directory that takes it (tmp + rename: concurrent runs never see
 * half a file); false when none does. A cache that cannot be written costs the run nothing else.
 */
function writeCodeCache(dirs: string[], script: Script, bundleSha: string, bytecode: number): boolean {
  const payload = script.createCachedData();
  const header: CacheHeader = { f: MAGIC, bundle: bundleSha, payload: sha256Hex(payload), bytecode };
  const bytes = Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), payload]);
  for (const dir of dirs) {
    try {
      sweepAbandonedTemps(dir);
      writeFileAtomicSync(join(dir, cacheFileName()), bytes);
      return true;
    } catch {
      // A read-only installation (or no directory at all): the next directory.
    }
  }
  return false;
}

const bytecodeSize = () => getHeapCodeStatistics().bytecode_and_metadata_size;

/**
 * Loads the bundle, runs its CLI on argv and returns the exit code. `importer` is the launcher's own
 * `import()` (see generator/load/import-package.ts for why the bundle cannot use its own).
 */
export async function runBundle(
  bundlePath: string,
  argv: string[],
  importer: (specifier: string) => Promise<unknown>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const bytes = readFileSync(bundlePath);
  // scripts/bundle-cli.mjs writes ASCII: latin1 decodes it without UTF-8 validation.
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const dirs = codeCacheDirs(bundlePath, env);
  const bundleSha = dirs.length ? sha256Hex(bytes) : '';
  let found: ReturnType<typeof readCodeCache> = { state: dirs.length ? 'absent' : 'off' };
  for (const dir of dirs) {
    found = readCodeCache(join(dir, cacheFileName()), bundleSha);
    if (found.state !== 'absent') break;
  }
  const script = new Script(`${WRAPPER_PREFIX}${source}\n})`, {
    filename: bundlePath,
    cachedData: found.payload,
  });
  if (found.payload && script.cachedDataRejected) found = { state: 'rejected' };
  const module = { exports: {} as BundleExports };
  (script.runInThisContext() as (...args: unknown[]) => void).call(
    module.exports,
    module.exports,
    createRequire(bundlePath),
    module,
    bundlePath,
    dirname(bundlePath),
  );
  module.exports.useImporter(importer);
  const code = await module.exports.main(argv);
  if (dirs.length) {
    const bytecode = bytecodeSize();
    // Rewritten when missing or unusable, and when this run compiled a good deal more than the
    // cache holds (the first run was `--help`, this one generated): a few writes, then none.
    const stale = found.state !== 'used' || bytecode > found.header!.bytecode * 1.1;
    const written = stale && writeCodeCache(dirs, script, bundleSha, bytecode);
    if (env.MCP_GEN_TIMINGS && env.MCP_GEN_TIMINGS !== '0') {
      process.stderr.write(`code cache: ${found.state}${stale ? (written ? ', written' : ', not written') : ''}\n`);
    }
  }
  return code;
}
