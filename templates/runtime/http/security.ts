import type { HeaderLookup } from '../mirrored-headers.ts';

/**
 * DNS-rebinding protection (basic/transports/streamable-http.mdx "Security & Endpoint"): an
 * invalid `Origin` MUST get 403. We also check `Host`, which is what actually defeats rebinding
 * against a loopback server (wire-checklist §29.7).
 */
export interface OriginPolicy {
  /** Hostnames (any port) or `host:port` values accepted in `Host`. Undefined: no Host check. */
  allowedHosts?: readonly string[];
  /**
   * Exact origins (`https://app.example.com`) or `'*'`. Undefined: loopback-to-loopback, and
   * same-origin when `allowedHosts` is set; any other Origin gets 403.
   */
  allowedOrigins?: readonly string[];
}

export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.includes(host) || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * `uri-host [ ":" port ]` (RFC 9110 §7.2, RFC 3986 §3.2.2): an IP literal in brackets or a name of
 * letters, digits, `-`, `.`, `_`, `~`, percent-escapes, and an optional port. No userinfo, no path,
 * no second value: `127.0.0.1:1@evil.com` and `a, b` are malformed.
 */
const WELL_FORMED_HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~%]+)(?::[0-9]{1,5})?$/;

export function isWellFormedHost(host: string): boolean {
  return host.length <= 261 && WELL_FORMED_HOST.test(host);
}

/** Splits `host[:port]`, keeping IPv6 brackets. */
function hostnameOf(hostHeader: string): string {
  const trimmed = hostHeader.trim().toLowerCase();
  if (trimmed.startsWith('[')) return trimmed.slice(0, trimmed.indexOf(']') + 1);
  return trimmed.split(':')[0] ?? '';
}

function hostAllowed(host: string | undefined, allowed: readonly string[] | undefined): boolean {
  if (!allowed) return true;
  if (!host) return false;
  const value = host.trim().toLowerCase();
  return allowed.some((entry) => {
    const e = entry.toLowerCase();
    return e === value || e === hostnameOf(value);
  });
}

function originAllowed(origin: string, host: string | undefined, policy: OriginPolicy): boolean {
  if (policy.allowedOrigins) return policy.allowedOrigins.includes('*') || policy.allowedOrigins.includes(origin);
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  // Same-origin only counts when Host itself was checked against an allow-list: under DNS
  // rebinding the attacker controls both headers, so Origin === Host alone proves nothing.
  if (policy.allowedHosts && host && url.host.toLowerCase() === host.trim().toLowerCase()) return true;
  // Local tools (e.g. an inspector on another localhost port) may talk to a local server.
  return isLoopbackHost(url.hostname.toLowerCase()) && host !== undefined && isLoopbackHost(hostnameOf(host));
}

/** Returns a reason when the request must be refused with 403. */
export function checkOrigin(headers: HeaderLookup, policy: OriginPolicy): string | undefined {
  const host = headers.get('host');
  if (!hostAllowed(host, policy.allowedHosts)) return `Host '${host ?? ''}' is not allowed`;
  const origin = headers.get('origin');
  if (origin !== undefined && !originAllowed(origin, host, policy)) return `Origin '${origin}' is not allowed`;
  return undefined;
}
