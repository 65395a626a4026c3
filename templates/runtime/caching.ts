import type { CacheHint } from './wire.ts';

/**
 * Caching hints per cacheable operation (server/utilities/caching.mdx "Cacheable Results"):
 * `ttlMs` (integer ≥ 0) and `cacheScope` on every complete result of discover, the four lists
 * and resources/read. One scope per list, so every page of it agrees.
 */
export interface CachingOptions {
  discover?: Partial<CacheHint>;
  tools?: Partial<CacheHint>;
  prompts?: Partial<CacheHint>;
  resources?: Partial<CacheHint>;
  resourceTemplates?: Partial<CacheHint>;
  /** Default for resources/read; a resource's own `cache` or its read handler may override it. */
  read?: Partial<CacheHint>;
}

export type CacheTarget = keyof CachingOptions;

/**
 * Lists and discover describe the server, not the caller: public, one minute. Reads may be
 * per-user, so they default to private and immediately stale.
 */
const DEFAULTS: Record<CacheTarget, CacheHint> = {
  discover: { ttlMs: 60_000, cacheScope: 'public' },
  tools: { ttlMs: 60_000, cacheScope: 'public' },
  prompts: { ttlMs: 60_000, cacheScope: 'public' },
  resources: { ttlMs: 60_000, cacheScope: 'public' },
  resourceTemplates: { ttlMs: 60_000, cacheScope: 'public' },
  read: { ttlMs: 0, cacheScope: 'private' },
};

export function cacheHint(options: CachingOptions | undefined, target: CacheTarget, ...overrides: (Partial<CacheHint> | undefined)[]): CacheHint {
  const merged = Object.assign({}, DEFAULTS[target], options?.[target], ...overrides.filter(Boolean)) as CacheHint;
  // ttlMs MUST be an integer >= 0 (schema CacheableResult).
  const ttlMs = Number.isFinite(merged.ttlMs) ? Math.max(0, Math.floor(merged.ttlMs)) : 0;
  return { ttlMs, cacheScope: merged.cacheScope === 'public' ? 'public' : 'private' };
}
