import { fetchJson } from './fetch-json.ts';

/** The fields of RFC 8414 / OpenID Connect Discovery metadata a resource server uses. */
export interface IssuerMetadata {
  issuer: string;
  jwks_uri?: string;
  introspection_endpoint?: string;
  [key: string]: unknown;
}

/**
 * Metadata URLs in the order basic/authorization/authorization-server-discovery.mdx gives: for an
 * issuer with a path, RFC 8414 path-inserted, OIDC path-inserted, OIDC path-appended; without a
 * path, RFC 8414 then OIDC.
 */
export function metadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, '');
  const origin = url.origin;
  if (path === '') return [`${origin}/.well-known/oauth-authorization-server`, `${origin}/.well-known/openid-configuration`];
  return [`${origin}/.well-known/oauth-authorization-server${path}`, `${origin}/.well-known/openid-configuration${path}`, `${origin}${path}/.well-known/openid-configuration`];
}

/**
 * Fetches the issuer's metadata. A document whose `issuer` is not exactly the configured one is
 * not used (RFC 8414 §3.3; no case folding or slash normalisation), and the next URL is tried.
 */
export async function discoverIssuer(issuer: string, timeoutMs: number, fetchImpl?: typeof fetch): Promise<IssuerMetadata> {
  const problems: string[] = [];
  for (const url of metadataUrls(issuer)) {
    let fetched: Awaited<ReturnType<typeof fetchJson>>;
    try {
      fetched = await fetchJson(url, timeoutMs, fetchImpl);
    } catch (error) {
      // Unreachable or too slow: trying the other URLs of a dead host would only multiply the wait.
      throw new Error(`metadata of ${issuer} unreachable (${url}): ${(error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (error as Error).message}`);
    }
    if (fetched.status !== 200) {
      problems.push(`${url}: HTTP ${fetched.status}`);
      continue;
    }
    const doc = fetched.json as Partial<IssuerMetadata> | undefined;
    if (typeof doc !== 'object' || doc === null || doc.issuer !== issuer) {
      problems.push(`${url}: issuer ${JSON.stringify(doc?.issuer)} is not ${JSON.stringify(issuer)}`);
      continue;
    }
    return doc as IssuerMetadata;
  }
  throw new Error(`no usable metadata for issuer ${issuer}: ${problems.join('; ')}`);
}
