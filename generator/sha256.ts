/**
 * sha256 in hex, one-shot (crypto.hash: no Hash object per call, several times cheaper than
 * createHash for the short texts the caches, stamps and ledger hash on every run).
 */
import { hash } from 'node:crypto';

export function sha256Hex(data: string | Buffer): string {
  return hash('sha256', data, 'hex');
}
