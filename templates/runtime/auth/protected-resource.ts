import type { HttpReply } from '../http/exchange.ts';

/** RFC 9728 §3: the well-known suffix, inserted between the host and the resource's path. */
export const PRM_WELL_KNOWN = '/.well-known/oauth-protected-resource';

/** The path-inserted metadata URL of a resource (`https://h/.well-known/oauth-protected-resource/mcp` for `https://h/mcp`). */
export function metadataUrlOf(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.origin}${PRM_WELL_KNOWN}${path}`;
}

export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported?: string[];
  bearer_methods_supported: string[];
  resource_name?: string;
  resource_documentation?: string;
}

/** Public, cacheable for a few minutes, readable by browser-based clients of any origin. */
export function metadataReply(document: ProtectedResourceMetadata): HttpReply {
  return {
    kind: 'body',
    status: 200,
    headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' },
    body: JSON.stringify(document),
  };
}
