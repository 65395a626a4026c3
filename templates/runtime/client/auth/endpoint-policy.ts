import { McpAuthError } from './errors.ts';

/**
 * OAuth 2.1 requires TLS for every endpoint; plain `http` is accepted only on the loopback
 * interface (a developer's own machine, the loopback redirect of RFC 8252 §7.3), unless the
 * application opts out explicitly.
 */
export type InsecurePolicy = 'loopback' | 'never' | 'always';

export function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** Throws unless `url` may be contacted under the policy. Returns whether it is plain http. */
export function checkEndpoint(url: string | URL, what: string, policy: InsecurePolicy): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new McpAuthError('insecure_endpoint', `${what} is not a URL: ${String(url)}`);
  }
  if (parsed.protocol === 'https:') return false;
  if (parsed.protocol === 'http:' && (policy === 'always' || (policy === 'loopback' && isLoopback(parsed)))) return true;
  throw new McpAuthError('insecure_endpoint', `${what} must use https: ${parsed.href}`);
}
