import { createLocalJWKSet, errors, type CompactJWSHeaderParameters, type FlattenedJWSInput, type JWTVerifyGetKey } from 'jose';
import { Backoff, fetchJson } from './fetch-json.ts';
import { discoverIssuer, type IssuerMetadata } from './issuer-metadata.ts';

export interface IssuerKeysOptions {
  /** Deadline of each metadata or JWKS fetch. */
  timeoutMs: number;
  /** After a failed fetch, requests needing it get 503 for this long without a new attempt. */
  retryAfterMs: number;
  /** Keys older than this are refreshed in the background (the old set keeps verifying meanwhile). */
  maxAgeMs: number;
  /** An unknown `kid` triggers at most one refetch per this window (key rotation vs. a flood of forged kids). */
  unknownKidCooldownMs: number;
  fetch?: typeof fetch;
}

interface KeySet {
  resolve: JWTVerifyGetKey;
  fetchedAt: number;
}

/**
 * One trusted issuer: its metadata (discovered once, exact issuer match) and its JWKS, cached.
 * Verification never waits on a refresh it does not need: stale keys are refreshed in the
 * background, and only an unknown `kid` (rotation) waits for a refetch, rate-limited.
 */
export class IssuerKeys {
  readonly metadata: Backoff<IssuerMetadata>;
  private readonly keys: Backoff<KeySet>;
  /** JWKS fetches made (tests and the bench read it). */
  fetches = 0;

  constructor(
    readonly issuer: string,
    private readonly options: IssuerKeysOptions,
  ) {
    this.metadata = new Backoff(() => discoverIssuer(issuer, options.timeoutMs, options.fetch), options.retryAfterMs);
    this.keys = new Backoff(() => this.loadKeys(), options.retryAfterMs);
  }

  private async loadKeys(): Promise<KeySet> {
    const metadata = await this.metadata.get();
    if (typeof metadata.jwks_uri !== 'string') throw new Error(`issuer ${this.issuer} publishes no jwks_uri`);
    this.fetches += 1;
    let fetched: Awaited<ReturnType<typeof fetchJson>>;
    try {
      fetched = await fetchJson(metadata.jwks_uri, this.options.timeoutMs, this.options.fetch);
    } catch (error) {
      throw new Error(`JWKS of ${this.issuer} unreachable: ${(error as Error).name === 'TimeoutError' ? `no answer within ${this.options.timeoutMs} ms` : (error as Error).message}`);
    }
    if (fetched.status !== 200) throw new Error(`JWKS of ${this.issuer} answered HTTP ${fetched.status}`);
    return { resolve: createLocalJWKSet(fetched.json as never), fetchedAt: Date.now() };
  }

  /** Loads metadata and keys now (startup), so the first request does not wait for them. */
  async warm(): Promise<void> {
    await this.keys.get();
  }

  /** The key for a token's protected header (jose's key-resolver shape). */
  readonly getKey = async (header: CompactJWSHeaderParameters, token: FlattenedJWSInput) => {
    let set = await this.keys.get();
    if (Date.now() - set.fetchedAt > this.options.maxAgeMs) this.keys.get(true).catch(() => undefined);
    try {
      return await set.resolve(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || Date.now() - set.fetchedAt < this.options.unknownKidCooldownMs) throw error;
      set = await this.keys.get(true);
      return set.resolve(header, token);
    }
  };
}
