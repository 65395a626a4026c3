import { canonicalJson, isPlainObject } from '../json.ts';
import type { JsonObject } from '../wire.ts';

/**
 * Client-side cache for cacheable results (server/utilities/caching.mdx; SEP-2549):
 *
 * - the key is the method plus the params that shape the result (`uri`, `cursor`, …), never `_meta`;
 * - a result is fresh while `now < receivedAt + ttlMs`; absent or negative `ttlMs` means 0, so it is
 *   not stored at all;
 * - `"public"` entries may be served to anyone sharing this cache; `"private"` ones only to the same
 *   authorization context (`identity`), so a cache shared between clients never leaks them;
 * - MRTR retries are never cached (the caller only stores first-round complete results);
 * - list-changed / updated notifications invalidate immediately (`invalidate`).
 *
 * One instance may be shared by several clients (pass it as `cache`).
 */
export const CACHEABLE_METHODS: ReadonlySet<string> = new Set([
  'server/discover',
  'tools/list',
  'prompts/list',
  'resources/list',
  'resources/templates/list',
  'resources/read',
]);

interface Entry {
  result: JsonObject;
  expiresAt: number;
}

export class ResultCache {
  readonly #now: () => number;
  readonly #maxEntries: number;
  /** method → param key → (public entry | private entries by identity) */
  readonly #entries = new Map<string, Map<string, { public?: Entry; private: Map<string, Entry> }>>();
  #size = 0;

  constructor(options: { now?: () => number; maxEntries?: number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#maxEntries = options.maxEntries ?? 1_000;
  }

  static keyOf(params: JsonObject | undefined): string {
    if (!params) return '{}';
    const { _meta: _ignored, ...rest } = params;
    return canonicalJson(rest);
  }

  get(method: string, params: JsonObject | undefined, identity: string): JsonObject | undefined {
    const slot = this.#entries.get(method)?.get(ResultCache.keyOf(params));
    if (!slot) return undefined;
    const now = this.#now();
    const mine = slot.private.get(identity);
    if (mine && now < mine.expiresAt) return mine.result;
    if (slot.public && now < slot.public.expiresAt) return slot.public.result;
    return undefined;
  }

  /** Stores `result` if its hints make it fresh for a while. Returns whether it was stored. */
  set(method: string, params: JsonObject | undefined, result: JsonObject, identity: string): boolean {
    if (!CACHEABLE_METHODS.has(method)) return false;
    const ttl = typeof result.ttlMs === 'number' && Number.isFinite(result.ttlMs) && result.ttlMs > 0 ? result.ttlMs : 0;
    if (ttl === 0) return false;
    if (this.#size >= this.#maxEntries) this.clear(); // crude but bounded; a hostile server cannot grow memory
    const byKey = this.#entries.get(method) ?? new Map();
    this.#entries.set(method, byKey);
    const key = ResultCache.keyOf(params);
    const slot = byKey.get(key) ?? { private: new Map<string, Entry>() };
    byKey.set(key, slot);
    const entry = { result, expiresAt: this.#now() + ttl };
    // Anything but an explicit "public" is treated as private (the safe reading of a bad hint).
    if (result.cacheScope === 'public') slot.public = entry;
    else slot.private.set(identity, entry);
    this.#size += 1;
    return true;
  }

  /** Drops cached results of `method`; with `match`, only those whose params match. */
  invalidate(method: string, match?: (params: JsonObject) => boolean): void {
    const byKey = this.#entries.get(method);
    if (!byKey) return;
    if (!match) {
      this.#entries.delete(method);
      return;
    }
    for (const key of [...byKey.keys()]) {
      const params: unknown = JSON.parse(key);
      if (isPlainObject(params) && match(params)) byKey.delete(key);
    }
  }

  clear(): void {
    this.#entries.clear();
    this.#size = 0;
  }
}
