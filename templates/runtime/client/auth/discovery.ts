import * as oauth from 'oauth4webapi';
import { McpAuthError } from './errors.ts';
import { checkEndpoint, type InsecurePolicy } from './endpoint-policy.ts';

/**
 * Discovery for an MCP client (../shared/spec/2026-07-28/docs/basic/authorization/authorization-server-discovery.mdx):
 * protected-resource metadata (RFC 9728) first, then the authorization server's metadata
 * (RFC 8414 or OpenID Connect Discovery) at the well-known URIs in the order the spec lists, with
 * the document's `issuer` required to be byte-identical to the issuer the URL was built from.
 */
export interface DiscoveryContext {
  fetch: typeof fetch;
  insecure: InsecurePolicy;
  signal?: AbortSignal;
}

export interface ProtectedResource {
  /** The `resource` exactly as published: sent byte-for-byte as RFC 8707 `resource`. */
  resource: string;
  authorizationServers: string[];
  scopesSupported?: string[];
  metadataUrl: string;
}

const WELL_KNOWN_PRM = '/.well-known/oauth-protected-resource';

async function getJson(url: string, ctx: DiscoveryContext): Promise<{ response: Response; text: string } | undefined> {
  const response = await ctx.fetch(url, { headers: { accept: 'application/json' }, redirect: 'manual', ...(ctx.signal && { signal: ctx.signal }) });
  const text = await response.text();
  return response.status === 200 ? { response, text } : undefined;
}

/** A fresh Response over an already-read body, for oauth4webapi's validators. */
const replay = (text: string) => new Response(text, { status: 200, headers: { 'content-type': 'application/json' } });

/**
 * The resource a PRM names must be this server or a parent of it on the same origin (RFC 9728 §3.3
 * binds the document to the identifier it was discovered for; a root PRM names the origin).
 * Anything else is a PRM pointing at a foreign resource: refused before authorization starts.
 */
function coversServer(resource: string, serverUrl: URL): boolean {
  let parsed: URL;
  try {
    parsed = new URL(resource);
  } catch {
    return false;
  }
  if (parsed.hash || parsed.origin !== serverUrl.origin) return false;
  const base = parsed.pathname.replace(/\/+$/, '');
  const path = serverUrl.pathname.replace(/\/+$/, '');
  return path === base || path.startsWith(`${base}/`);
}

function prmCandidates(serverUrl: URL, fromChallenge: string | undefined): string[] {
  // A challenge's resource_metadata is authoritative; otherwise path-inserted, then root.
  if (fromChallenge) return [new URL(fromChallenge, serverUrl).href];
  const path = serverUrl.pathname.replace(/\/+$/, '');
  return [...(path ? [`${serverUrl.origin}${WELL_KNOWN_PRM}${path}`] : []), `${serverUrl.origin}${WELL_KNOWN_PRM}`];
}

export async function discoverProtectedResource(serverUrl: string, fromChallenge: string | undefined, ctx: DiscoveryContext): Promise<ProtectedResource> {
  const server = new URL(serverUrl);
  for (const candidate of prmCandidates(server, fromChallenge)) {
    checkEndpoint(candidate, 'protected resource metadata', ctx.insecure);
    const got = await getJson(candidate, ctx);
    if (!got) continue;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(got.text) as Record<string, unknown>;
    } catch (cause) {
      throw new McpAuthError('discovery_failed', `protected resource metadata at ${candidate} is not JSON`, { cause });
    }
    const resource = body.resource;
    if (typeof resource !== 'string' || !coversServer(resource, server))
      throw new McpAuthError('resource_mismatch', `protected resource metadata at ${candidate} is for ${JSON.stringify(resource)}, not for ${serverUrl}`);
    // Structural checks (authorization_servers, scopes_supported types) by oauth4webapi.
    const metadata = await oauth
      .processResourceDiscoveryResponse(new URL(resource), replay(got.text))
      .catch((cause: unknown) => Promise.reject(new McpAuthError('discovery_failed', `protected resource metadata at ${candidate} is invalid: ${(cause as Error).message}`, { cause })));
    const servers = metadata.authorization_servers;
    if (!Array.isArray(servers) || servers.length === 0 || servers.some((s) => typeof s !== 'string'))
      throw new McpAuthError('discovery_failed', `protected resource metadata at ${candidate} lists no authorization_servers`);
    const scopes = metadata.scopes_supported;
    return {
      resource,
      authorizationServers: servers,
      ...(Array.isArray(scopes) && scopes.length > 0 && { scopesSupported: scopes.filter((s): s is string => typeof s === 'string') }),
      metadataUrl: candidate,
    };
  }
  throw new McpAuthError('discovery_failed', `no protected resource metadata for ${serverUrl} (tried ${prmCandidates(server, fromChallenge).join(', ')})`);
}

/** RFC 8414 §3.1 path insertion first, then OpenID Connect in both placements (spec order). */
export function metadataCandidates(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  if (!path) return [`${url.origin}/.well-known/oauth-authorization-server`, `${url.origin}/.well-known/openid-configuration`];
  return [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}/.well-known/openid-configuration${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
  ];
}

export async function discoverAuthorizationServer(issuer: string, ctx: DiscoveryContext): Promise<oauth.AuthorizationServer> {
  checkEndpoint(issuer, 'authorization server issuer', ctx.insecure);
  for (const candidate of metadataCandidates(issuer)) {
    const got = await getJson(candidate, ctx);
    if (!got) continue;
    let claimed: unknown;
    try {
      claimed = (JSON.parse(got.text) as { issuer?: unknown }).issuer;
    } catch (cause) {
      throw new McpAuthError('discovery_failed', `authorization server metadata at ${candidate} is not JSON`, { cause });
    }
    // Identical strings, no URL normalisation: oauth4webapi compares parsed hrefs, which would let
    // `https://as.example` match `https://as.example/`.
    if (claimed !== issuer)
      throw new McpAuthError('issuer_mismatch', `authorization server metadata at ${candidate} is for issuer ${JSON.stringify(claimed)}, not ${JSON.stringify(issuer)}; refusing to use it`);
    const as = await oauth
      .processDiscoveryResponse(new URL(issuer), replay(got.text))
      .catch((cause: unknown) => Promise.reject(new McpAuthError('discovery_failed', `authorization server metadata at ${candidate} is invalid: ${(cause as Error).message}`, { cause })));
    for (const endpoint of ['authorization_endpoint', 'token_endpoint', 'registration_endpoint'] as const)
      if (as[endpoint] !== undefined) checkEndpoint(as[endpoint], `${issuer} ${endpoint}`, ctx.insecure);
    return as;
  }
  throw new McpAuthError('discovery_failed', `no authorization server metadata for ${issuer} (tried ${metadataCandidates(issuer).join(', ')})`);
}

/**
 * PKCE S256 is mandatory for the authorization-code flow, and metadata that does not advertise
 * `code_challenge_methods_supported` is refused
 * (../shared/spec/2026-07-28/docs/basic/authorization/security-considerations.mdx).
 */
export function requirePkce(as: oauth.AuthorizationServer): void {
  if (!as.code_challenge_methods_supported?.includes('S256'))
    throw new McpAuthError('pkce_unsupported', `authorization server ${as.issuer} does not advertise PKCE S256 in code_challenge_methods_supported; refusing to start an authorization-code flow`);
}
