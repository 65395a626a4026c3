import { createHash } from 'node:crypto';
import type { AuthInfo } from '../context.ts';

/**
 * JWTs already verified, so a client that reuses its token for many calls pays for one signature
 * check, not one per call. Keyed by a SHA-256 of (accepted audiences, token): the token itself is
 * never kept. An entry lives until the token's `exp` and at most `ttlMs`, so a key the issuer
 * withdraws stops being honoured within `ttlMs` for tokens already seen. Bounded: the oldest
 * entries go first.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, { auth: AuthInfo; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  key(audiences: readonly string[], token: string): string {
    return createHash('sha256').update(audiences.join(' ')).update('\u0000').update(token).digest('base64url');
  }

  get(key: string): AuthInfo | undefined {
    if (this.ttlMs <= 0) return undefined;
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (Date.now() >= hit.until) {
      this.entries.delete(key);
      return undefined;
    }
    // A copy: a handler that edits ctx.auth must not change what the next request sees.
    return { ...hit.auth, scopes: [...(hit.auth.scopes ?? [])] };
  }

  set(key: string, auth: AuthInfo): void {
    if (this.ttlMs <= 0 || auth.expiresAt === undefined) return;
    const until = Math.min(auth.expiresAt * 1000, Date.now() + this.ttlMs);
    if (until <= Date.now()) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { auth, until });
  }
}
