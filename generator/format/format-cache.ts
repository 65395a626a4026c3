/**
 * Content-addressed cache of prettier's output, so a no-op or one-file edit does not format (or
 * even load) prettier again. It lives in the project at `.mcp-gen/cache/format.jsonl`: one JSON
 * line per entry, `{k, h, v}` where k = sha256(prettier version, config, parser, unformatted text)
 * and h = sha256(k, v) (`{k, h, j}` for a value that is JSON text: see entryLine). Nothing read
 * from it is trusted: a line that does not parse, whose hash does not match, or that comes from
 * another cache format is skipped, and the text is formatted again — so deleting or damaging the
 * cache can change speed, never output. Because every line
 * vouches for itself, a run may append its new entries instead of rewriting the pack (see save()).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { sha256Hex as sha256 } from '../sha256.ts';
import { sweepAbandonedTemps, tempPathFor } from '../fs/atomic-file.ts';

export const FORMAT_CACHE_DIR = '.mcp-gen/cache';
const PACK = 'format.jsonl';
/** Bumped when the line layout changes; lines of another version are foreign. */
const CACHE_FORMAT = 'mcp-gen-format-cache/1';
/** How every line this module writes begins (JSON.stringify keeps key order): the key follows. */
const LINE_PREFIX = `{"f":${JSON.stringify(CACHE_FORMAT)},"k":"`;
const KEY_END = LINE_PREFIX.length + 64;

let prettierVersion: string | undefined;
/** Read from prettier's package.json so that a cache hit never loads prettier itself. */
function installedPrettierVersion(): string {
  prettierVersion ??= (createRequire(import.meta.url)('prettier/package.json') as { version: string }).version;
  return prettierVersion;
}

export function formatKey(parser: string, config: object, text: string): string {
  return sha256(`${CACHE_FORMAT}\0prettier@${installedPrettierVersion()}\0${JSON.stringify(config)}\0${parser}\0${text}`);
}

const entryHash = (key: string, value: string) => sha256(`${key}\0${value}`);
/**
 * A text value is a JSON string (`"v":"…"`). A value that is JSON text itself (the render memo's
 * and the synthesis memo's results, `set(key, value, true)`) is written as it is (`"j":…`, last):
 * read back, it is sliced out of the line and checked by its hash without parsing the line, so its
 * consumer parses it once instead of twice, and it is not escaped a second time on the way in.
 */
const entryLine = (key: string, value: string, json = false) =>
  json && !value.includes('\n')
    ? `${LINE_PREFIX}${key}${HASH_FIELD}${entryHash(key, value)}${JSON_FIELD}${value}}\n`
    : `${JSON.stringify({ f: CACHE_FORMAT, k: key, h: entryHash(key, value), v: value })}\n`;
const HASH_FIELD = '","h":"';
const JSON_FIELD = '","j":';
const JSON_VALUE_START = KEY_END + HASH_FIELD.length + 64 + JSON_FIELD.length;
const HEX64 = /^[0-9a-f]{64}$/;

export interface FormatCacheStats {
  hits: number;
  misses: number;
  /** Lines skipped: unparsable, foreign or failing their hash (judged on load, or on first use). */
  rejected: number;
}

/** What the format stage reads and writes: a FormatCache, or several in tiers (TieredFormatStore). */
export interface FormatStore {
  get(key: string): string | undefined;
  /** `json`: the value is JSON text (see entryLine). */
  set(key: string, value: string, json?: boolean): void;
}

/**
 * Lines this process already verified, with their values: a warm process (`generate --watch`) loads
 * the same packs every run, and an identical line (compared in full) verifies the same way again.
 */
const verifiedLines = new Map<string, { line: string; value: string; json: boolean }>();
const VERIFIED_LINES_MAX = 50_000;

/** A pack may hold up to this many lines per entry a run used (plus some slack) before it is compacted. */
const DEAD_LINE_FACTOR = 2;
const DEAD_LINE_SLACK = 32;

/**
 * The pack on disk is append-only between compactions: a run appends the entries it added, and
 * rewrites the whole pack only when it holds a damaged line, a torn tail, or too many lines this
 * run did not use. Loading only indexes lines by the key they claim; a line is parsed and its hash
 * checked when its key is first asked for (most runs ask for most keys, but never pay twice, and
 * never for the dead ones).
 */
export class FormatCache implements FormatStore {
  /** Verified values (from disk, or set by this run). */
  private readonly entries = new Map<string, string>();
  /** Lines of the pack not verified yet, by the key they claim (a later line wins, like a later append). */
  private readonly unverified = new Map<string, string>();
  private readonly used = new Set<string>();
  /** Entries to append: set by this run, not (verified) on disk. */
  private readonly added = new Map<string, string>();
  /** Keys whose value is JSON text, written in the `"j"` form. */
  private readonly json = new Set<string>();
  /** Lines in the pack as loaded. */
  private linesOnDisk = 0;
  /** The pack must be rewritten whole: a bad line or a torn tail. */
  private damaged = false;
  readonly stats: FormatCacheStats = { hits: 0, misses: 0, rejected: 0 };

  private constructor(
    private readonly dir: string | undefined,
    private readonly pack = PACK,
    /** Save every entry, not only those this run used (a pack shared by runs that each use a part of it). */
    private readonly keepAll = false,
  ) {}

  /** A cache that remembers nothing across runs (tests, `renderProtocolLayer`). */
  static inMemory(): FormatCache {
    return new FormatCache(undefined);
  }

  /**
   * Loads `<root>/.mcp-gen/cache/<pack>`; a missing or unreadable pack is an empty cache. Other
   * content-addressed texts (the fixture synthesis memo) use the same verified layout in their own pack.
   */
  static load(root: string, pack = PACK): Promise<FormatCache> {
    return FormatCache.loadFrom(join(root, FORMAT_CACHE_DIR), pack);
  }

  /** Loads `<dir>/<pack>` (the machine-level cache keeps its packs outside any project). */
  static async loadFrom(dir: string, pack: string, options: { keepAll?: boolean } = {}): Promise<FormatCache> {
    const cache = new FormatCache(dir, pack, options.keepAll);
    let text: string;
    try {
      text = await readFile(join(cache.dir!, pack), 'utf8');
    } catch {
      return cache;
    }
    // A kill during an append leaves a line without its newline; the next append would extend it.
    if (text !== '' && !text.endsWith('\n')) cache.damaged = true;
    for (let start = 0; start < text.length; ) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      if (end > start) {
        cache.linesOnDisk++;
        const line = text.slice(start, end);
        if (line.startsWith(LINE_PREFIX) && line.charCodeAt(KEY_END) === 34 /* " */) cache.unverified.set(line.slice(LINE_PREFIX.length, KEY_END), line);
        else cache.reject();
      }
      start = end + 1;
    }
    return cache;
  }

  private reject(): void {
    this.stats.rejected++;
    this.damaged = true; // rewritten without the bad line
  }

  /** The verified value of `key`, checking its line from the pack on first use. */
  private lookup(key: string): string | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) return value;
    const line = this.unverified.get(key);
    if (line === undefined) return undefined;
    this.unverified.delete(key);
    const seen = verifiedLines.get(key);
    if (seen?.line === line) {
      this.entries.set(key, seen.value);
      if (seen.json) this.json.add(key);
      return seen.value;
    }
    const entry = parseLine(line);
    if (!entry || entry.k !== key) {
      this.reject();
      return undefined;
    }
    this.entries.set(key, entry.v);
    if (entry.json) this.json.add(key);
    if (verifiedLines.size >= VERIFIED_LINES_MAX) verifiedLines.clear();
    verifiedLines.set(key, { line, value: entry.v, json: entry.json });
    return entry.v;
  }

  get(key: string): string | undefined {
    const value = this.lookup(key);
    if (value === undefined) this.stats.misses++;
    else {
      this.stats.hits++;
      this.used.add(key);
    }
    return value;
  }

  set(key: string, value: string, json = false): void {
    this.used.add(key);
    if (this.lookup(key) === value) return; // already in the pack
    this.entries.set(key, value);
    this.added.set(key, value);
    if (json) this.json.add(key);
    else this.json.delete(key);
  }

  /**
   * Persists the run: appends the entries it added, or — when the pack is damaged or mostly lines
   * this run did not use — rewrites it with the entries this run used (every valid entry with
   * keepAll), so the pack tracks the project instead of growing with every edit. A rewrite is atomic
   * (a temp file renamed over the pack); an append torn by a kill is a damaged last line, caught on
   * load. A cache that cannot be written is not an error; the next run computes again.
   */
  async save(): Promise<void> {
    if (!this.dir) return;
    const lines = this.linesOnDisk + this.added.size;
    const bloated = !this.keepAll && lines > DEAD_LINE_FACTOR * this.used.size + DEAD_LINE_SLACK;
    if (this.damaged || bloated) return this.rewrite();
    if (this.added.size === 0) return;
    let chunk = '';
    for (const [key, value] of this.added) chunk += entryLine(key, value, this.json.has(key));
    try {
      // Synchronous: a few lines, and three thread-pool round trips cost more than the write itself.
      mkdirSync(this.dir, { recursive: true });
      appendFileSync(join(this.dir, this.pack), chunk);
    } catch {
      // not written: computed again next run
    }
  }

  private async rewrite(): Promise<void> {
    const dir = this.dir!;
    sweepAbandonedTemps(dir);
    const tmp = tempPathFor(join(dir, this.pack));
    // Every valid entry (keepAll verifies the lines nobody asked for first), or only the used ones.
    if (this.keepAll) for (const key of [...this.unverified.keys()]) this.lookup(key);
    const keys = [...(this.keepAll ? this.entries.keys() : this.used)].filter((k) => this.entries.has(k)).sort();
    try {
      await mkdir(dir, { recursive: true });
      // Written in chunks: a 1 000-tool project's pack is ~10 MB, not worth a second copy in memory.
      const file = await open(tmp, 'w');
      try {
        let chunk = '';
        for (const key of keys) {
          chunk += entryLine(key, this.entries.get(key)!, this.json.has(key));
          if (chunk.length >= 1 << 20) {
            await file.write(chunk);
            chunk = '';
          }
        }
        if (chunk) await file.write(chunk);
      } finally {
        await file.close();
      }
      await rename(tmp, join(dir, this.pack));
    } catch {
      await rm(tmp, { force: true }).catch(() => undefined);
    }
  }
}

/**
 * A project cache in front of another (the machine-level cache of the protocol layer,
 * incremental/machine-cache.ts): a text found only behind is copied to the front, a new one goes to both.
 */
export class TieredFormatStore implements FormatStore {
  constructor(
    private readonly front: FormatStore,
    private readonly back: FormatStore,
  ) {}

  get(key: string): string | undefined {
    const near = this.front.get(key);
    if (near !== undefined) return near;
    const far = this.back.get(key);
    if (far !== undefined) this.front.set(key, far);
    return far;
  }

  set(key: string, value: string, json?: boolean): void {
    this.front.set(key, value, json);
    this.back.set(key, value, json);
  }
}

/** A line's key and value when its hash holds (`json`: the value was written as JSON text). */
function parseLine(line: string): { k: string; v: string; json: boolean } | undefined {
  if (line.startsWith(HASH_FIELD, KEY_END) && line.startsWith(JSON_FIELD, JSON_VALUE_START - JSON_FIELD.length) && line.endsWith('}')) {
    const k = line.slice(LINE_PREFIX.length, KEY_END);
    const h = line.slice(KEY_END + HASH_FIELD.length, KEY_END + HASH_FIELD.length + 64);
    const v = line.slice(JSON_VALUE_START, -1);
    if (!line.startsWith(LINE_PREFIX) || !HEX64.test(k) || h !== entryHash(k, v)) return undefined;
    return { k, v, json: true };
  }
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { f, k, h, v } = entry as Record<string, unknown>;
  if (f !== CACHE_FORMAT || typeof k !== 'string' || typeof v !== 'string' || typeof h !== 'string') return undefined;
  if (!HEX64.test(k) || h !== entryHash(k, v)) return undefined;
  return { k, v, json: false };
}
