import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { isPlainObject } from './json.ts';
import type { JsonValue } from './wire.ts';

/**
 * Opaque, integrity-protected tokens (AES-256-GCM) for `requestState` and list cursors.
 *
 * basic/patterns/mrtr.mdx "Server Requirements": requestState is attacker-controlled input, so it
 * MUST be integrity-protected and SHOULD carry an expiry and bind the originating request. AEAD
 * also hides what the server carries between rounds. The key comes from a shared secret, so any
 * replica can open a token another replica sealed (SEP-2575 statelessness).
 */
export interface TokenSealer {
  seal(purpose: string, data: JsonValue, ttlMs: number): string;
  /** Returns undefined for anything forged, tampered with, expired or sealed for another purpose. */
  open(purpose: string, token: string): JsonValue | undefined;
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function createTokenSealer(secret: string | Uint8Array, now: () => number = Date.now): TokenSealer {
  const key = Buffer.from(hkdfSync('sha256', secret, 'mcp-gen/sealed-token', 'aes-256-gcm key v1', 32));

  return {
    seal(purpose, data, ttlMs) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      // The purpose is authenticated (AAD) so a cursor can never be replayed as requestState.
      cipher.setAAD(Buffer.from(purpose));
      const body = JSON.stringify({ exp: now() + ttlMs, d: data });
      const ciphertext = Buffer.concat([cipher.update(body, 'utf8'), cipher.final()]);
      return `${VERSION}.${Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64url')}`;
    },

    open(purpose, token) {
      if (typeof token !== 'string' || !token.startsWith(`${VERSION}.`)) return undefined;
      const encoded = token.slice(VERSION.length + 1);
      if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return undefined;
      const raw = Buffer.from(encoded, 'base64url');
      // Re-encoding must round-trip: rejects trailing junk that base64url decoding would drop.
      if (raw.toString('base64url') !== encoded || raw.length < IV_BYTES + TAG_BYTES + 1) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(purpose));
        decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
        const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
        const parsed: unknown = JSON.parse(plain.toString('utf8'));
        if (!isPlainObject(parsed) || typeof parsed.exp !== 'number' || parsed.exp < now()) return undefined;
        return parsed.d ?? null;
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * The secret defaults to MCP_STATE_SECRET. Without one, a random per-process key still keeps
 * tokens tamper-proof, but another replica (or a restart) cannot open them, so we say so once.
 */
export function resolveStateSecret(configured: string | undefined, warn: (message: string) => void): string | Uint8Array {
  const secret = configured ?? process.env.MCP_STATE_SECRET;
  if (secret && secret.length > 0) {
    if (secret.length < 32) warn('MCP_STATE_SECRET is shorter than 32 characters; use a long random value.');
    return secret;
  }
  warn('MCP_STATE_SECRET is not set: requestState and cursors are only valid on this process.');
  return randomBytes(32);
}
