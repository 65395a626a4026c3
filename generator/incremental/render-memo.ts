/**
 * The incremental render cache: results of the expensive pure steps between the models and the
 * format stage, remembered across runs, so a one-tool edit re-renders only what that tool's
 * inputs feed. Each entry is keyed by sha256(memo format, generator build (noop-stamp.ts: version,
 * code, templates, pins), the step's name, the JSON of everything the step reads); a caller that
 * cannot name all of a step's inputs as JSON does not memoize it. The spec enters a key by its
 * sha256 (plus revision), never its text.
 *
 * Entries live in `.mcp-gen/cache/render.jsonl`, in the format cache's verified layout
 * (format/format-cache.ts: one line per entry, each with its own hash; a line that does not
 * parse, fails its hash or has another layout is skipped). A value read back is also checked for
 * the shape its step returns; anything else is recomputed. So the cache can change speed, never
 * output: test/project/incremental-render.test.ts compares incremental runs with cold ones.
 */
import { jsonSafe } from '../fixtures/json-safe.ts';
import { FormatCache } from '../format/format-cache.ts';
import { generatorFingerprint } from './noop-stamp.ts';
import { sha256Hex } from '../sha256.ts';

export const RENDER_PACK = 'render.jsonl';
const MEMO_FORMAT = 'mcp-gen-render/1';

/** Hits and misses by step name (what a run actually recomputed). */
export type RenderMemoStats = Record<string, { hits: number; misses: number }>;

export class RenderMemo {
  readonly stats: RenderMemoStats = {};

  private constructor(
    private readonly pack: FormatCache,
    private readonly build: string,
  ) {}

  /** Remembers nothing across runs. */
  static inMemory(): RenderMemo {
    return new RenderMemo(FormatCache.inMemory(), generatorFingerprint());
  }

  /** Over a pack loaded elsewhere (the machine-level cache, machine-cache.ts). */
  static over(pack: FormatCache): RenderMemo {
    return new RenderMemo(pack, generatorFingerprint());
  }

  static async load(root: string): Promise<RenderMemo> {
    return new RenderMemo(await FormatCache.load(root, RENDER_PACK), generatorFingerprint());
  }

  /** Entries this run used; --check and --dry-run do not call it (they write nothing). */
  save(): Promise<void> {
    return this.pack.save();
  }

  private count(step: string, hit: boolean): void {
    const s = (this.stats[step] ??= { hits: 0, misses: 0 });
    if (hit) s.hits++;
    else s.misses++;
  }

  /**
   * `compute()`'s result for `inputs`, from the cache when a verified entry of the right shape is
   * there. `inputs` must hold everything `compute` reads (and nothing that is not JSON-safe: then
   * the step simply runs). The result must be JSON-safe to be remembered.
   */
  async get<T>(step: string, inputs: unknown, isValue: (v: unknown) => v is T, compute: () => T | Promise<T>): Promise<T> {
    const key = this.keyOf(step, inputs);
    if (key === undefined) return compute();
    const hit = this.read(key, isValue);
    this.count(step, hit !== undefined);
    if (hit !== undefined) return hit.value;
    const value = await compute();
    if (jsonSafe(value)) this.pack.set(key, JSON.stringify(value), true);
    return value;
  }

  /** The synchronous form of `get`, for pure synchronous steps (the plan stage). */
  getSync<T>(step: string, inputs: unknown, isValue: (v: unknown) => v is T, compute: () => T): T {
    const key = this.keyOf(step, inputs);
    if (key === undefined) return compute();
    const hit = this.read(key, isValue);
    this.count(step, hit !== undefined);
    if (hit !== undefined) return hit.value;
    const value = compute();
    if (jsonSafe(value)) this.pack.set(key, JSON.stringify(value), true);
    return value;
  }

  /** A remembered value for `inputs`, without computing anything on a miss (counted as one). */
  peek<T>(step: string, inputs: unknown, isValue: (v: unknown) => v is T): { value: T } | undefined {
    const key = this.keyOf(step, inputs);
    if (key === undefined) return undefined;
    const hit = this.read(key, isValue);
    this.count(step, hit !== undefined);
    return hit;
  }

  /** Remembers `value` for `inputs` (a step that decides itself which results are worth keeping). */
  remember(step: string, inputs: unknown, value: unknown): void {
    const key = this.keyOf(step, inputs);
    if (key !== undefined && jsonSafe(value)) this.pack.set(key, JSON.stringify(value), true);
  }

  private keyOf(step: string, inputs: unknown): string | undefined {
    // A text (a YAML piece, a file to lay out) is hashed as is: JSON.stringify would only copy it.
    // The tag keeps the two forms apart.
    if (typeof inputs === 'string') return sha256Hex(`${MEMO_FORMAT}\0${this.build}\0${step}\0s\0${inputs}`);
    if (!jsonSafe(inputs)) return undefined;
    return sha256Hex(`${MEMO_FORMAT}\0${this.build}\0${step}\0j\0${JSON.stringify(inputs)}`);
  }

  private read<T>(key: string, isValue: (v: unknown) => v is T): { value: T } | undefined {
    const text = this.pack.get(key);
    if (text === undefined) return undefined;
    try {
      const v: unknown = JSON.parse(text);
      return isValue(v) ? { value: v } : undefined;
    } catch {
      return undefined; // not believed: recomputed
    }
  }
}

/** Shape checks for values read back from the cache. */
export const isString = (v: unknown): v is string => typeof v === 'string';
export const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
