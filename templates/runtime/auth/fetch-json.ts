/** Thrown when the authorization server cannot be reached in time: the caller answers 503, not 401. */
export class IssuerUnavailableError extends Error {
  constructor(
    message: string,
    /** Seconds until the next attempt is allowed. */
    readonly retryAfter: number,
  ) {
    super(message);
    this.name = 'IssuerUnavailableError';
  }
}

/** GET a JSON document with a hard deadline; redirects are not followed (metadata must be served where it is named). */
export async function fetchJson(url: string, timeoutMs: number, fetchImpl: typeof fetch = fetch): Promise<{ status: number; json?: unknown }> {
  const response = await fetchImpl(url, { headers: { accept: 'application/json' }, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    return { status: response.status };
  }
  return { status: 200, json: await response.json() };
}

/**
 * One value fetched on demand and shared: concurrent callers wait on the same fetch, and after a
 * failure nobody tries again for `retryAfterMs` (they get IssuerUnavailableError at once), so a
 * dead or slow authorization server costs one bounded wait per window, never one per request.
 */
export class Backoff<T> {
  private value: T | undefined;
  private pending: Promise<T> | undefined;
  private failedAt = Number.NEGATIVE_INFINITY;
  private lastError = '';

  constructor(
    private readonly load: () => Promise<T>,
    private readonly retryAfterMs: number,
  ) {}

  get current(): T | undefined {
    return this.value;
  }

  async get(refresh = false): Promise<T> {
    if (this.value !== undefined && !refresh) return this.value;
    if (this.pending) return this.pending;
    const waited = Date.now() - this.failedAt;
    if (waited < this.retryAfterMs) throw new IssuerUnavailableError(this.lastError, Math.ceil((this.retryAfterMs - waited) / 1000));
    this.pending = this.load().then(
      (value) => {
        this.value = value;
        this.pending = undefined;
        return value;
      },
      (error: unknown) => {
        this.pending = undefined;
        this.failedAt = Date.now();
        this.lastError = error instanceof Error ? error.message : String(error);
        throw new IssuerUnavailableError(this.lastError, Math.ceil(this.retryAfterMs / 1000));
      },
    );
    return this.pending;
  }
}
