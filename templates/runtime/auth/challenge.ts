import type { HttpReply } from '../http/exchange.ts';

/**
 * Bearer challenges (RFC 6750 §3, basic/authorization/index.mdx "Error Handling"): 401 carries
 * `resource_metadata` (RFC 9728 §5.1) and the scopes worth asking for; 403 `insufficient_scope`
 * names every scope the operation needs. A description never contains the token.
 */
export interface Challenge {
  status: 400 | 401 | 403 | 503;
  /** RFC 6750 error code; none for a request that carried no credentials at all (§3.1). */
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope';
  description?: string;
  scopes?: readonly string[];
  resourceMetadata: string;
  /** Seconds, for 503. */
  retryAfter?: number;
}

/** A quoted-string value: no quotes, backslashes or control characters survive (RFC 9110 §5.6.4). */
function quoted(value: string): string {
  return `"${value.replace(/[\\"\x00-\x1f\x7f]/g, ' ')}"`;
}

export function wwwAuthenticate(challenge: Challenge): string {
  const parts: string[] = [];
  if (challenge.error) parts.push(`error=${quoted(challenge.error)}`);
  if (challenge.description) parts.push(`error_description=${quoted(challenge.description)}`);
  parts.push(`resource_metadata=${quoted(challenge.resourceMetadata)}`);
  // offline_access is never challenged for: it is the client's business (index.mdx "Scope Selection Strategy").
  const scopes = (challenge.scopes ?? []).filter((s) => s !== 'offline_access');
  if (scopes.length > 0) parts.push(`scope=${quoted(scopes.join(' '))}`);
  return `Bearer ${parts.join(', ')}`;
}

export function challengeReply(challenge: Challenge): HttpReply {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store' };
  // 503 is not a credentials problem: no challenge, so a client does not start a new login.
  if (challenge.status !== 503) headers['www-authenticate'] = wwwAuthenticate(challenge);
  if (challenge.retryAfter !== undefined) headers['retry-after'] = String(challenge.retryAfter);
  const body = { error: challenge.error ?? (challenge.status === 503 ? 'temporarily_unavailable' : 'unauthorized'), ...(challenge.description ? { error_description: challenge.description } : {}) };
  return { kind: 'body', status: challenge.status, headers, body: JSON.stringify(body) };
}
