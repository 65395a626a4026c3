/**
 * Single use of a sealed `requestState` within its lifetime. The seal already binds a state to its
 * request, principal and expiry; basic/patterns/mrtr.mdx "Server Requirements" warns that this
 * bounds replay but does not make a state single-use, which the server must enforce itself. Every
 * sealed state carries a random id; the first request presenting it claims the id until the state
 * expires, and any later one is refused.
 */
export interface ReplayGuard {
  /**
   * Claims `id` until `expiresAt` (epoch ms). Resolves true for the first claim, false for a
   * replay. Rejects when the guard cannot answer (its store is unreachable).
   */
  claim(id: string, expiresAt: number): Promise<boolean>;
  close?(): Promise<void>;
}

/**
 * One process's guard (the embedded default). Memory is bounded by the rate of MRTR rounds times
 * the state TTL: ids are dropped once their state has expired, since an expired state is refused
 * by the seal anyway.
 */
export class InMemoryReplayGuard implements ReplayGuard {
  /** id → expiry. Insertion order is (nearly) expiry order: every state gets the same TTL. */
  private readonly claimed = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async claim(id: string, expiresAt: number): Promise<boolean> {
    const now = this.now();
    this.sweep(now);
    const held = this.claimed.get(id);
    if (held !== undefined && held > now) return false;
    this.claimed.set(id, expiresAt);
    return true;
  }

  /** Ids currently remembered (for tests and memory accounting). */
  get size(): number {
    return this.claimed.size;
  }

  private sweep(now: number): void {
    for (const [id, expiresAt] of this.claimed) {
      if (expiresAt > now) break;
      this.claimed.delete(id);
    }
  }
}
