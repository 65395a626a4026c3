import type { HttpAuthorization, ListKind } from '../authorization.ts';
import type { AuthInfo } from '../context.ts';
import type { HeaderLookup } from '../mirrored-headers.ts';
import type { RuntimeLogger } from '../log.ts';
import { stderrLogger } from '../log.ts';
import { compileUriTemplate, type CompiledTemplate } from '../uri-template.ts';
import { challengeReply, type Challenge } from './challenge.ts';
import { IssuerUnavailableError } from './fetch-json.ts';
import { introspect, type IntrospectionOptions } from './introspection.ts';
import { IssuerKeys } from './issuer-keys.ts';
import { metadataReply, metadataUrlOf, PRM_WELL_KNOWN } from './protected-resource.ts';
import { ScopePolicy, type ScopeRequirements } from './scopes.ts';
import { VerifiedTokenCache } from './verified-cache.ts';
import { DEFAULT_ALGORITHMS, InvalidTokenError, looksLikeJwt, verifyJwt, type JwtPolicy } from './verify.ts';

export interface ResourceServerOptions extends ScopeRequirements {
  /** Trusted authorization servers, by exact issuer identifier (`https://tenant.auth0.com/`, `https://kc/realms/shop`). */
  issuers: readonly string[];
  /**
   * This server's canonical URI (RFC 8707 / RFC 9728 `resource`), e.g. `https://mcp.example.com/mcp`.
   * Default: `http://<Host><endpoint path>` of each request, which is only right for local development.
   */
  resource?: string;
  /** Accepted `aud` values. Default: [resource]. Entra-style issuers put an application id URI here. */
  audiences?: readonly string[];
  /** Advertised in the metadata (`scopes_supported`); `offline_access` is left out. */
  scopesSupported?: readonly string[];
  /** Answer `server/discover` without a token (everything else still needs one). Default false. */
  publicDiscover?: boolean;
  /** Accepted JWS algorithms. Default: RS/PS/ES 256-512 and EdDSA; `none` and HS* are refused whatever is listed. */
  algorithms?: readonly string[];
  /** Required JWT `typ`, e.g. `at+jwt`. Default: any. */
  typ?: string;
  /** Leeway for exp/nbf, seconds. Default 5. */
  clockToleranceSec?: number;
  /** RFC 7662 introspection for tokens that are not JWTs. */
  introspection?: IntrospectionOptions;
  /** Deadline of each fetch to the authorization server. Default 3000 ms. */
  timeoutMs?: number;
  /** After a failed fetch, 503 without retrying for this long. Default 5000 ms. */
  retryAfterMs?: number;
  /** Background JWKS refresh age. Default 10 minutes. */
  jwksMaxAgeMs?: number;
  /** At most one JWKS refetch per this window on an unknown `kid`. Default 30 s. */
  unknownKidCooldownMs?: number;
  /** How long a verified JWT is remembered (never past its `exp`); 0 verifies every request. Default 60 s. */
  verifiedTokenCacheMs?: number;
  /** How many verified JWTs are remembered. Default 1000. */
  verifiedTokenCacheSize?: number;
  /** Longer tokens are refused without parsing. Default 8192 bytes. */
  maxTokenBytes?: number;
  /** `resource_name` in the metadata. */
  resourceName?: string;
  resourceDocumentation?: string;
  logger?: RuntimeLogger;
  fetch?: typeof fetch;
}

export interface ResourceServer extends HttpAuthorization {
  readonly issuerKeys: ReadonlyMap<string, IssuerKeys>;
  /** Fetches every issuer's metadata and keys now (e.g. at startup), so the first request does not wait. */
  warm(): Promise<void>;
}

/** RFC 6750 §2.1 `b64token` (token68). */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const FORBIDDEN_ALGORITHMS = /^(none|HS\d+)$/i;

/**
 * An OAuth 2.1 resource server for the MCP endpoint (basic/authorization/index.mdx "Access Token
 * Usage", "Token Handling"; wire-checklist §23.1). Tokens are never logged or echoed.
 */
export function createResourceServer(options: ResourceServerOptions): ResourceServer {
  if (options.issuers.length === 0) throw new Error('createResourceServer: at least one issuer is required');
  const logger = options.logger ?? stderrLogger;
  const timeoutMs = options.timeoutMs ?? 3000;
  const clockToleranceSec = options.clockToleranceSec ?? 5;
  const maxTokenBytes = options.maxTokenBytes ?? 8192;
  const algorithms = (options.algorithms ?? DEFAULT_ALGORITHMS).filter((alg) => !FORBIDDEN_ALGORITHMS.test(alg));
  const policy = new ScopePolicy(options);
  const verified = new VerifiedTokenCache(options.verifiedTokenCacheMs ?? 60_000, options.verifiedTokenCacheSize ?? 1000);
  const issuerKeys = new Map(
    options.issuers.map((issuer) => [
      issuer,
      new IssuerKeys(issuer, {
        timeoutMs,
        retryAfterMs: options.retryAfterMs ?? 5000,
        maxAgeMs: options.jwksMaxAgeMs ?? 10 * 60_000,
        unknownKidCooldownMs: options.unknownKidCooldownMs ?? 30_000,
        fetch: options.fetch,
      }),
    ]),
  );
  const templates: { template: string; matcher: CompiledTemplate }[] = Object.keys(options.resourceTemplates ?? {}).map((template) => ({
    template,
    matcher: compileUriTemplate(template, { allowDotSegments: true }),
  }));
  if (!options.resource) logger.warn('auth: no resource identifier configured; deriving http://<Host><path> per request (set auth.resource or MCP_AUTH_RESOURCE in production)');

  const resourceOf = (headers: HeaderLookup, endpointPath: string) => options.resource ?? `http://${headers.get('host') ?? 'localhost'}${endpointPath}`;
  const scopesSupported = (options.scopesSupported ?? []).filter((s) => s !== 'offline_access');

  const challenge = (headers: HeaderLookup, endpointPath: string, rest: Omit<Challenge, 'resourceMetadata'>) =>
    challengeReply({ ...rest, resourceMetadata: metadataUrlOf(resourceOf(headers, endpointPath)) });

  /** Scopes the operation in `message` needs; lists, discover and listen need only a valid token. */
  function requiredFor(method: string, params: Record<string, unknown>): readonly string[] {
    const name = typeof params.name === 'string' ? params.name : undefined;
    if (method === 'tools/call') return name === undefined ? policy.defaultScopes : policy.required('tools', name);
    if (method === 'prompts/get') return name === undefined ? policy.defaultScopes : policy.required('prompts', name);
    if (method === 'resources/read') return typeof params.uri === 'string' ? resourceScopes(params.uri) : policy.defaultScopes;
    if (method === 'completion/complete') {
      const ref = (params.ref ?? {}) as Record<string, unknown>;
      if (ref.type === 'ref/prompt' && typeof ref.name === 'string') return policy.required('prompts', ref.name);
      if (ref.type === 'ref/resource' && typeof ref.uri === 'string')
        return options.resourceTemplates?.[ref.uri] ?? options.resources?.[ref.uri] ?? policy.defaultScopes;
      return policy.defaultScopes;
    }
    return [];
  }

  function resourceScopes(uri: string): readonly string[] {
    const exact = options.resources?.[uri];
    if (exact) return exact;
    // The strictest matching template wins: the dispatcher's choice among overlapping templates must not widen access.
    const matched = templates.filter((t) => t.matcher.exec(uri) !== undefined).map((t) => policy.required('resourceTemplates', t.template));
    if (matched.length === 0) return policy.defaultScopes;
    return [...new Set(matched.flat())];
  }

  async function verify(token: string, headers: HeaderLookup, endpointPath: string): Promise<AuthInfo> {
    const resource = resourceOf(headers, endpointPath);
    const audiences = options.audiences ?? [resource];
    const key = verified.key(audiences, token);
    const known = verified.get(key);
    if (known) return known;
    if (looksLikeJwt(token)) {
      const jwtPolicy: JwtPolicy = { issuers: issuerKeys, audiences, algorithms, clockToleranceSec, typ: options.typ };
      const principal = await verifyJwt(token, jwtPolicy);
      verified.set(key, principal);
      return { ...principal, scopes: [...(principal.scopes ?? [])] };
    }
    if (!options.introspection) throw new InvalidTokenError('token is not a JWT and this server has no introspection endpoint');
    const issuer = options.introspection.issuer ?? options.issuers[0]!;
    const endpoint = options.introspection.endpoint ?? (await issuerKeys.get(issuer)?.metadata.get())?.introspection_endpoint;
    if (!endpoint) throw new IssuerUnavailableError(`issuer ${issuer} publishes no introspection_endpoint`, 60);
    return introspect(token, endpoint, { ...options.introspection, issuer, audiences, timeoutMs, clockToleranceSec, fetch: options.fetch });
  }

  return {
    issuerKeys,

    async warm() {
      await Promise.all([...issuerKeys.values()].map((keys) => keys.warm()));
    },

    metadata(path, endpointPath, headers) {
      const resource = resourceOf(headers, endpointPath);
      const resourcePath = new URL(resource).pathname.replace(/\/$/, '');
      const served = [PRM_WELL_KNOWN, `${PRM_WELL_KNOWN}${endpointPath}`, `${PRM_WELL_KNOWN}${resourcePath}`];
      if (!served.includes(path)) return undefined;
      return metadataReply({
        resource,
        authorization_servers: [...options.issuers],
        ...(scopesSupported.length > 0 ? { scopes_supported: scopesSupported } : {}),
        bearer_methods_supported: ['header'],
        ...(options.resourceName ? { resource_name: options.resourceName } : {}),
        ...(options.resourceDocumentation ? { resource_documentation: options.resourceDocumentation } : {}),
      });
    },

    async authenticate(headers, endpointPath) {
      const header = headers.get('authorization');
      const defaults = policy.defaultScopes;
      // No credentials at all: a challenge without an error code (RFC 6750 §3.1), or anonymous discover.
      if (header === undefined || header.trim() === '' || !/^bearer(?: |$)/i.test(header.trim())) {
        if (options.publicDiscover && (header === undefined || header.trim() === '')) return undefined;
        return challenge(headers, endpointPath, { status: 401, scopes: defaults });
      }
      const match = BEARER.exec(header.trim());
      if (!match) return challenge(headers, endpointPath, { status: 400, error: 'invalid_request', description: 'malformed Authorization header: expected one Bearer token' });
      const token = match[1]!;
      if (token.length > maxTokenBytes) return challenge(headers, endpointPath, { status: 401, error: 'invalid_token', description: `token longer than ${maxTokenBytes} bytes`, scopes: defaults });
      try {
        return await verify(token, headers, endpointPath);
      } catch (error) {
        if (error instanceof InvalidTokenError) return challenge(headers, endpointPath, { status: 401, error: 'invalid_token', description: error.reason, scopes: defaults });
        if (error instanceof IssuerUnavailableError) {
          // The token may well be valid: 503 (retry later), not 401 (which would send the client through login again).
          logger.warn(`auth: cannot verify tokens right now: ${error.message}`);
          return challenge(headers, endpointPath, { status: 503, description: 'the authorization server cannot be reached; retry later', retryAfter: error.retryAfter });
        }
        logger.error('auth: token verification failed unexpectedly', error instanceof Error ? new Error(error.message) : undefined);
        return challenge(headers, endpointPath, { status: 401, error: 'invalid_token', description: 'token could not be verified', scopes: defaults });
      }
    },

    authorize(message, auth, headers, endpointPath) {
      if (typeof message !== 'object' || message === null || typeof (message as { method?: unknown }).method !== 'string') return undefined;
      const method = (message as { method: string }).method;
      const rawParams = (message as { params?: unknown }).params;
      const params = typeof rawParams === 'object' && rawParams !== null ? (rawParams as Record<string, unknown>) : {};
      const needed = requiredFor(method, params);
      if (!auth) {
        if (method === 'server/discover' && options.publicDiscover) return undefined;
        return challenge(headers, endpointPath, { status: 401, scopes: needed.length > 0 ? needed : policy.defaultScopes });
      }
      const missing = policy.missing(needed, auth.scopes);
      if (missing.length === 0) return undefined;
      return challenge(headers, endpointPath, {
        status: 403,
        error: 'insufficient_scope',
        description: `${method} needs scope ${needed.join(' ')}`,
        scopes: needed,
      });
    },

    allows: (kind: ListKind, key: string, auth: AuthInfo) => policy.missing(policy.required(kind, key), auth.scopes).length === 0,

    filters: (kind: ListKind) =>
      policy.defaultScopes.length > 0 || Object.values(options[kind] ?? {}).some((scopes) => scopes.length > 0),
  };
}
