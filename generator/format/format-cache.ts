/**
 * Content-addressed cache of prettier's output, so a no-op or one-file edit does not format (or
 * even load) prettier again. It lives in the project at `.mcp-gen/cache/format.jsonl`: one JSON
 * line per entry, `{k, h, v}` where k = sha256(prettier version, config, parser, unformatted text)
 * and h = sha256(k, v). Nothing read from it is trusted: a line that does not parse, whose hash
 * does not match, or that comes from another cache format is skipped, and the text is formatted
 * again — so deleting or damaging the cache can change speed, never output.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const FORMAT_CACHE_DIR = '.mcp-gen/cache';
const PACK = 'format.jsonl';
/** Bumped when the line layout changes; lines of another version are foreign. */
const CACHE_FORMAT = 'mcp-gen-format-cache/1';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

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

export interface FormatCacheStats {
  hits: number;
  misses: number;
  /** Lines skipped on load: unparsable, foreign or failing their hash. */
  rejected: number;
}

/** What the format stage reads and writes: a FormatCache, or several in tiers (TieredFormatStore). */
export interface FormatStore {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

export class FormatCache implements FormatStore {
  private readonly entries = new Map<string, string>();
  private readonly used = new Set<string>();
  private dirty = false;
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
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const entry = parseLine(line);
      if (entry) cache.entries.set(entry.k, entry.v);
      else {
        cache.stats.rejected++;
        cache.dirty = true; // rewrite without the bad line
      }
    }
    return cache;
  }

  get(key: string): string | undefined {
    const value = this.entries.get(key);
    if (value === undefined) this.stats.misses++;
    else {
      this.stats.hits++;
      this.used.add(key);
    }
    return value;
  }

  set(key: string, value: string): void {
    this.entries.set(key, value);
    this.used.add(key);
    this.dirty = true;
  }

  /**
   * Writes the entries this run used (every entry with keepAll; else only those, so the pack tracks the project instead of
   * growing with every edit). Atomic: a temp file renamed over the pack. A cache that cannot be
   * written is not an error; the next run formats again.
   */
  async save(): Promise<void> {
    if (!this.dir) return;
    if (!this.dirty && (this.keepAll || this.used.size === this.entries.size)) return;
    const tmp = join(this.dir, `.${this.pack}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await mkdir(this.dir, { recursive: true });
      // Written in chunks: a 1 000-tool project's pack is ~10 MB, not worth a second copy in memory.
      const file = await open(tmp, 'w');
      try {
        let chunk = '';
        for (const key of [...(this.keepAll ? this.entries.keys() : this.used)].sort()) {
          const v = this.entries.get(key)!;
          chunk += `${JSON.stringify({ f: CACHE_FORMAT, k: key, h: entryHash(key, v), v })}\n`;
          if (chunk.length >= 1 << 20) {
            await file.write(chunk);
            chunk = '';
          }
        }
        if (chunk) await file.write(chunk);
      } finally {
        await file.close();
      }
      await rename(tmp, join(this.dir, this.pack));
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

  set(key: string, value: string): void {
    this.front.set(key, value);
    this.back.set(key, value);
  }
}

function parseLine(line: string): { k: string; v: string } | undefined {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { f, k, h, v } = entry as Record<string, unknown>;
  if (f !== CACHE_FORMAT || typeof k !== 'string' || typeof v !== 'string' || typeof h !== 'string') return undefined;
  if (!/^[0-9a-f]{64}$/.test(k) || h !== entryHash(k, v)) return undefined;
  return { k, v };
}
