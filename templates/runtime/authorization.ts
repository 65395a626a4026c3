import type { AuthInfo } from './context.ts';
import type { HttpReply } from './http/exchange.ts';
import type { HeaderLookup } from './mirrored-headers.ts';

/**
 * What the HTTP transport and the dispatcher need from an OAuth 2.1 resource server
 * (basic/authorization/index.mdx). The implementation (JWT/introspection verification, RFC 9728
 * metadata, challenges) lives in ./auth/, which is only copied into projects whose manifest has
 * `auth:`, so a project without auth never imports jose. stdio never consults it: stdio takes its
 * credentials from the environment (basic/authorization/index.mdx "Protocol Requirements").
 */
export interface HttpAuthorization {
  /** The RFC 9728 metadata document when `path` is one of its well-known URIs, else undefined. */
  metadata(path: string, endpointPath: string, headers: HeaderLookup): HttpReply | undefined;
  /**
   * Verifies the bearer token before the body is read. Returns the principal; undefined when there
   * is no Authorization header and an anonymous request may still be acceptable (decided by
   * `authorize` once the method is known); or the refusal (401 invalid/expired/foreign token, 400
   * malformed, 503 while the issuer's keys cannot be fetched).
   */
  authenticate(headers: HeaderLookup, endpointPath: string): Promise<AuthInfo | undefined | HttpReply>;
  /** Per-operation check once the message is parsed: 401 for an anonymous call that needs a token, 403 insufficient_scope. */
  authorize(message: unknown, auth: AuthInfo | undefined, headers: HeaderLookup, endpointPath: string): HttpReply | undefined;
  /** Whether `auth` may see a list entry; lists the caller cannot use are filtered (and answered `cacheScope: private`). */
  allows(kind: ListKind, key: string, auth: AuthInfo): boolean;
  /** Whether some entry of `kind` needs a scope, i.e. the list differs per caller. */
  filters(kind: ListKind): boolean;
}

export type ListKind = 'tools' | 'prompts' | 'resources' | 'resourceTemplates';
