import * as oauth from 'oauth4webapi';
import { bearerChallenge, type BearerChallenge } from './challenge.ts';
import { discoverAuthorizationServer, discoverProtectedResource, requirePkce } from './discovery.ts';
import { checkEndpoint, type InsecurePolicy } from './endpoint-policy.ts';
import { McpAuthError } from './errors.ts';
import type { LoginHandler } from './login.ts';
import { clientAuthentication, clientSecretBasic, defaultAuthMethod, resolveClient, type RegistrationOptions } from './registration.ts';
import type { OAuthRequestOptions } from './request-options.ts';
import { MemoryTokenStore, type StoredClient, type StoredTokens, type TokenStore } from './token-store.ts';

/**
 * An MCP client as an OAuth 2.1 client (../shared/spec/2026-07-28/docs/basic/authorization/index.mdx).
 * It wraps `fetch`: a request to a protected MCP server that comes back 401 starts discovery
 * (PRM, then authorization-server metadata), registration, and a login — authorization code with
 * PKCE S256 and RFC 8707 `resource` on both requests, or the client-credentials grant for
 * machines — then the request is sent again with `Authorization: Bearer`. A 403
 * `insufficient_scope` re-authorizes with the union of the scopes asked before and the challenged
 * ones, a bounded number of times. Tokens and registrations live in a `TokenStore`; refresh
 * tokens are used before a token expires and replaced when the server rotates them.
 *
 * The protocol work (PKCE, state, RFC 9207 `iss`, token requests and responses, client
 * authentication, DCR) is oauth4webapi's; this module decides what to ask for and when.
 */
export interface ClientCredentialsGrant {
  clientId: string;
  /** `client_secret_basic` (or `_post` when the server supports only that). */
  clientSecret?: string;
  /** PKCS#8 PEM or a CryptoKey: `private_key_jwt` client authentication (RFC 7523). */
  privateKey?: string | CryptoKey;
  /** JWS algorithm of `privateKey`. Default ES256. */
  algorithm?: string;
}

/**
 * Enterprise-managed authorization (the `io.modelcontextprotocol/enterprise-managed-authorization`
 * extension): the user's identity provider exchanges their ID token for an identity assertion
 * grant (ID-JAG, RFC 8693 token exchange) aimed at the MCP server's authorization server, which
 * the client then redeems there with the RFC 7523 JWT-bearer grant. No browser, no consent page.
 */
export interface EnterpriseGrant {
  /** The identity provider's token endpoint and issuer. */
  idpTokenEndpoint: string;
  idpIssuer: string;
  idpClientId: string;
  idpClientSecret?: string;
  /** The user's OpenID Connect ID token from the IdP. */
  idToken: string | (() => string | Promise<string>);
  /** This client at the MCP server's authorization server (`client_secret_basic`). */
  clientId: string;
  clientSecret: string;
}

/**
 * Workload identity federation (the `io.modelcontextprotocol/auth/wif` extension): the platform's
 * workload token (a JWT audienced to the authorization server) is the RFC 7523 JWT-bearer grant.
 * A refusal is final: no retry, no other grant.
 */
export interface WorkloadIdentityGrant {
  clientId: string;
  assertion: string | (() => string | Promise<string>);
}

export interface OAuthClientOptions extends RegistrationOptions {
  /** Default: in memory. Use `FileTokenStore` for a CLI that should stay logged in. */
  store?: TokenStore;
  /** Interactive authorization-code login: `loopbackLogin()` for CLIs, or your own UI. */
  login?: LoginHandler;
  /** A token obtained elsewhere (CI): sent as is; a 401 is an error, never a login. */
  accessToken?: string | (() => string | Promise<string>);
  /** Machine-to-machine: the client-credentials grant instead of a login. */
  clientCredentials?: ClientCredentialsGrant;
  /** Workload identity federation: a platform-issued JWT for the JWT-bearer grant. */
  workloadIdentity?: WorkloadIdentityGrant;
  /** Enterprise-managed authorization: ID token → ID-JAG at the IdP → access token at the AS. */
  enterprise?: EnterpriseGrant;
  /** Ask for `offline_access` when the authorization server lists it. Default true. */
  offlineAccess?: boolean;
  /** Step-up re-authorizations per request before giving up. Default 2. */
  maxStepUps?: number;
  /** Plain-http endpoints: only on loopback (default), never, or always. */
  insecure?: InsecurePolicy;
  fetch?: typeof fetch;
}

interface Session {
  resource: string;
  issuer: string;
  as: oauth.AuthorizationServer;
}

type Reason = 'unauthorized' | 'step-up';

const EXPIRY_MARGIN_MS = 30_000;
const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((s) => b.includes(s));

function describe(cause: unknown): string {
  if (cause instanceof oauth.ResponseBodyError) return `${cause.error}${cause.error_description ? `: ${cause.error_description}` : ''} (HTTP ${cause.status})`;
  return cause instanceof Error ? cause.message : String(cause);
}

async function importPrivateKey(pem: string, algorithm: string): Promise<CryptoKey> {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const curves: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };
  const params: AlgorithmIdentifier | EcKeyImportParams | RsaHashedImportParams | undefined = curves[algorithm]
    ? { name: 'ECDSA', namedCurve: curves[algorithm]! }
    : /^RS(256|384|512)$/.test(algorithm)
      ? { name: 'RSASSA-PKCS1-v1_5', hash: `SHA-${algorithm.slice(2)}` }
      : /^PS(256|384|512)$/.test(algorithm)
        ? { name: 'RSA-PSS', hash: `SHA-${algorithm.slice(2)}` }
        : algorithm === 'EdDSA' || algorithm === 'Ed25519'
          ? { name: 'Ed25519' }
          : undefined;
  if (!params) throw new McpAuthError('registration_required', `unsupported client assertion algorithm ${algorithm}`);
  return crypto.subtle.importKey('pkcs8', der, params, false, ['sign']);
}

export class OAuthClientAuth {
  readonly #options: OAuthClientOptions;
  readonly #store: TokenStore;
  readonly #base: typeof fetch;
  readonly #insecure: InsecurePolicy;
  readonly #sessions = new Map<string, Session>();
  readonly #pending = new Map<string, Promise<unknown>>();

  constructor(options: OAuthClientOptions = {}) {
    this.#options = options;
    this.#store = options.store ?? new MemoryTokenStore();
    this.#base = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#insecure = options.insecure ?? 'loopback';
  }

  /** A `fetch` for `createClient({ fetch })` / `ClientOptions.auth`. */
  readonly fetch: typeof fetch = (input, init) => this.#fetch(input, init);

  /** Forget the tokens for a server URL (its registration stays, keyed by issuer). */
  async logout(serverUrl: string): Promise<void> {
    const session = this.#sessions.get(serverUrl);
    if (session) await this.#store.deleteTokens(session.resource, session.issuer);
  }

  #requestOptions(signal?: AbortSignal | null): OAuthRequestOptions {
    return {
      [oauth.customFetch]: (url: string, init: RequestInit) => this.#base(url, init),
      // Every endpoint was checked against the policy (endpoint-policy.ts) before it is used.
      [oauth.allowInsecureRequests]: this.#insecure !== 'never',
      ...(signal && { signal }),
    };
  }

  async #fetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
    const url = input instanceof Request ? input.url : String(input);
    let reauthorized = false;
    let stepUps = 0;
    let lastStepUp: string[] | undefined;
    for (;;) {
      await this.#pending.get(url)?.catch(() => {});
      const token = await this.#tokenFor(url, init.signal);
      const headers = new Headers(init.headers);
      if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
      const response = await this.#base(input, { ...init, headers });
      if (response.status !== 401 && response.status !== 403) return response;
      const challenge = bearerChallenge(response) ?? {};
      if (response.status === 403 && challenge.error !== 'insufficient_scope') return response;
      await response.body?.cancel().catch(() => {});

      if (response.status === 401) {
        if (this.#options.accessToken !== undefined)
          throw new McpAuthError('token_rejected', `${url} rejected the configured access token (401${challenge.error ? ` ${challenge.error}` : ''})`);
        if (reauthorized) throw new McpAuthError('token_rejected', `${url} rejected a freshly obtained access token (401${challenge.error ? ` ${challenge.error}` : ''})`);
        await this.#serialized(url, () => this.#authorize(url, challenge, 'unauthorized', token, init.signal));
        reauthorized = true;
        continue;
      }
      // 403 insufficient_scope: step up with the union, a bounded number of times, and never twice for the same set.
      const needed = challenge.scopes ?? [];
      if (this.#options.accessToken !== undefined || stepUps >= (this.#options.maxStepUps ?? 2))
        throw new McpAuthError('insufficient_scope', `${url} requires scope ${needed.join(' ') || '(unspecified)'}; ${stepUps} step-up attempt(s) did not obtain it`);
      const session = this.#sessions.get(url);
      const current = session ? await this.#store.getTokens(session.resource, session.issuer) : undefined;
      const wanted = union(current?.requestedScopes ?? [], needed);
      if (lastStepUp && sameSet(wanted, lastStepUp))
        throw new McpAuthError('insufficient_scope', `${url} still requires scope ${needed.join(' ')} after re-authorizing with it; giving up`);
      lastStepUp = wanted;
      stepUps += 1;
      await this.#serialized(url, () => this.#authorize(url, { ...challenge, scopes: wanted }, 'step-up', token, init.signal));
    }
  }

  /** One authorization at a time per server: concurrent 401s wait for it and then use its token. */
  async #serialized<T>(url: string, run: () => Promise<T>): Promise<T> {
    const previous = this.#pending.get(url) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(run);
    this.#pending.set(url, next);
    try {
      return await next;
    } finally {
      if (this.#pending.get(url) === next) this.#pending.delete(url);
    }
  }

  async #tokenFor(url: string, signal?: AbortSignal | null): Promise<string | undefined> {
    const fixed = this.#options.accessToken;
    if (fixed !== undefined) return typeof fixed === 'function' ? await fixed() : fixed;
    const session = this.#sessions.get(url);
    if (!session) return undefined;
    const tokens = await this.#store.getTokens(session.resource, session.issuer);
    if (!tokens) return undefined;
    if (tokens.expiresAt !== undefined && tokens.expiresAt - EXPIRY_MARGIN_MS < Date.now() && tokens.refreshToken) {
      const refreshed = await this.#serialized(url, () => this.#refresh(session, tokens, signal)).catch(() => undefined);
      return refreshed?.accessToken ?? tokens.accessToken;
    }
    return tokens.accessToken;
  }

  async #authorize(url: string, challenge: BearerChallenge, reason: Reason, sentToken: string | undefined, signal?: AbortSignal | null): Promise<void> {
    const ctx = { fetch: this.#base, insecure: this.#insecure, ...(signal && { signal }) };
    // Discovery runs again on every 401: the PRM may now name another authorization server.
    const prm = await discoverProtectedResource(url, challenge.resourceMetadata, ctx);
    const issuer = prm.authorizationServers[0]!;
    const as = await discoverAuthorizationServer(issuer, ctx);
    const session: Session = { resource: prm.resource, issuer, as };
    this.#sessions.set(url, session);

    const stored = await this.#store.getTokens(prm.resource, issuer);
    if (reason === 'unauthorized' && stored) {
      // A token this request did not send (another request's login, or a previous run's store).
      if (stored.accessToken !== sentToken && !(stored.expiresAt !== undefined && stored.expiresAt < Date.now())) return;
      if (stored.refreshToken && (await this.#refresh(session, stored, signal).catch(() => undefined))) return;
      await this.#store.deleteTokens(prm.resource, issuer);
    }

    // Scope selection: the challenge, else the PRM's scopes_supported, else none (index.mdx
    // "Scope Selection Strategy"); a step-up already carries the union.
    const scopes = challenge.scopes ?? prm.scopesSupported;
    if (this.#options.clientCredentials) return this.#clientCredentials(session, scopes, signal);
    if (this.#options.enterprise) return this.#enterpriseGrant(session, scopes, signal);
    if (this.#options.workloadIdentity) return this.#workloadGrant(session, scopes, signal);
    return this.#authorizationCode(session, scopes, signal);
  }

  async #save(session: Session, result: oauth.TokenEndpointResponse, requestedScopes: string[], previous?: StoredTokens): Promise<StoredTokens> {
    const refreshToken = result.refresh_token ?? previous?.refreshToken;
    const tokens: StoredTokens = {
      accessToken: result.access_token,
      tokenType: result.token_type,
      ...(typeof result.expires_in === 'number' && { expiresAt: Date.now() + result.expires_in * 1000 }),
      ...(refreshToken !== undefined && { refreshToken }),
      requestedScopes,
      ...(typeof result.scope === 'string' && { grantedScopes: result.scope.split(' ').filter(Boolean) }),
    };
    await this.#store.setTokens(session.resource, session.issuer, tokens);
    return tokens;
  }

  async #authorizationCode(session: Session, scopes: string[] | undefined, signal?: AbortSignal | null): Promise<void> {
    const { as, resource } = session;
    requirePkce(as);
    const login = this.#options.login;
    if (!login)
      throw new McpAuthError('authorization_failed', `${resource} requires authorization by ${as.issuer}; configure a login handler, an access token or client credentials`);
    const requested = [...(scopes ?? [])];
    // offline_access only when the authorization server lists it (index.mdx "Refresh Tokens").
    if (this.#options.offlineAccess !== false && as.scopes_supported?.includes('offline_access') && !requested.includes('offline_access')) requested.push('offline_access');

    const redirectUri = await login.redirectUri();
    const stored = await resolveClient(as, this.#options, { store: this.#store, redirectUri, requestOptions: this.#requestOptions(signal) });
    const client: oauth.Client = { client_id: stored.clientId };
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint!);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', stored.clientId);
    url.searchParams.set('redirect_uri', redirectUri);
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
    url.searchParams.set('code_challenge_method', 'S256');
    url.searchParams.set('state', state);
    url.searchParams.set('resource', resource);
    if (requested.length > 0) url.searchParams.set('scope', requested.join(' '));

    // The issuer recorded for this login is `as.issuer` (checked identical to the PRM's entry).
    const callback = await login.authorize(url, signal ?? undefined);
    let params: URLSearchParams;
    try {
      params = oauth.validateAuthResponse(as, client, callback, state);
    } catch (cause) {
      if (cause instanceof oauth.AuthorizationResponseError)
        throw new McpAuthError('authorization_failed', `authorization by ${as.issuer} failed: ${cause.error}${cause.error_description ? `: ${cause.error_description}` : ''}`);
      // RFC 9207: an absent-but-required or different `iss` ends the flow here, before the code
      // goes anywhere, and nothing else in the response (error, error_description) is acted on.
      const iss = callback.searchParams.get('iss');
      const kind = /"iss"/.test((cause as Error).message) ? 'iss_mismatch' : 'authorization_failed';
      throw new McpAuthError(kind, kind === 'iss_mismatch' ? `authorization response iss ${iss === null ? 'is missing' : JSON.stringify(iss)} where ${JSON.stringify(as.issuer)} was expected; refusing the response` : `invalid authorization response: ${(cause as Error).message}`);
    }
    let result: oauth.TokenEndpointResponse;
    try {
      const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuthentication(stored), params, redirectUri, verifier, {
        additionalParameters: { resource },
        ...this.#requestOptions(signal),
      });
      result = await oauth.processAuthorizationCodeResponse(as, client, response);
    } catch (cause) {
      throw new McpAuthError('authorization_failed', `token request to ${as.issuer} failed: ${describe(cause)}`, { cause });
    }
    await this.#save(session, result, requested);
  }

  async #refresh(session: Session, tokens: StoredTokens, signal?: AbortSignal | null): Promise<StoredTokens> {
    const { as, resource } = session;
    const stored: StoredClient = this.#options.clientCredentials
      ? { clientId: this.#options.clientCredentials.clientId, tokenEndpointAuthMethod: 'none' }
      : await resolveClient(as, this.#options, { store: this.#store, redirectUri: undefined, requestOptions: this.#requestOptions(signal) });
    const client: oauth.Client = { client_id: stored.clientId };
    const response = await oauth.refreshTokenGrantRequest(as, client, clientAuthentication(stored), tokens.refreshToken!, {
      additionalParameters: { resource },
      ...this.#requestOptions(signal),
    });
    const result = await oauth.processRefreshTokenResponse(as, client, response);
    // Rotation: a new refresh token replaces the old one; none keeps the old (RFC 6749 §6).
    return this.#save(session, result, tokens.requestedScopes, tokens);
  }

  async #clientCredentials(session: Session, scopes: string[] | undefined, signal?: AbortSignal | null): Promise<void> {
    const grant = this.#options.clientCredentials!;
    const { as, resource } = session;
    const client: oauth.Client = { client_id: grant.clientId };
    let auth: oauth.ClientAuth;
    if (grant.privateKey !== undefined) {
      const key = typeof grant.privateKey === 'string' ? await importPrivateKey(grant.privateKey, grant.algorithm ?? 'ES256') : grant.privateKey;
      auth = oauth.PrivateKeyJwt(key);
    } else if (grant.clientSecret !== undefined) {
      auth = clientAuthentication({ clientId: grant.clientId, clientSecret: grant.clientSecret, tokenEndpointAuthMethod: defaultAuthMethod(as, true) });
    } else auth = oauth.None();
    const parameters: Record<string, string> = { resource, ...(scopes && scopes.length > 0 && { scope: scopes.join(' ') }) };
    let result: oauth.TokenEndpointResponse;
    try {
      result = await oauth.processClientCredentialsResponse(as, client, await oauth.clientCredentialsGrantRequest(as, client, auth, parameters, this.#requestOptions(signal)));
    } catch (cause) {
      throw new McpAuthError('authorization_failed', `client-credentials grant at ${as.issuer} failed: ${describe(cause)}`, { cause });
    }
    await this.#save(session, result, scopes ?? []);
  }

  async #workloadGrant(session: Session, scopes: string[] | undefined, signal?: AbortSignal | null): Promise<void> {
    const grant = this.#options.workloadIdentity!;
    const { as, resource } = session;
    const client: oauth.Client = { client_id: grant.clientId };
    const assertion = typeof grant.assertion === 'function' ? await grant.assertion() : grant.assertion;
    let result: oauth.TokenEndpointResponse;
    try {
      result = await oauth.processGenericTokenEndpointResponse(
        as,
        client,
        await oauth.genericTokenEndpointRequest(as, client, oauth.None(), JWT_BEARER, { assertion, resource, ...(scopes && scopes.length > 0 && { scope: scopes.join(' ') }) }, this.#requestOptions(signal)),
      );
    } catch (cause) {
      throw new McpAuthError('authorization_failed', `JWT-bearer grant at ${as.issuer} failed: ${describe(cause)}`, { cause });
    }
    await this.#save(session, result, scopes ?? []);
  }

  async #enterpriseGrant(session: Session, scopes: string[] | undefined, signal?: AbortSignal | null): Promise<void> {
    const grant = this.#options.enterprise!;
    const { as, resource } = session;
    checkEndpoint(grant.idpTokenEndpoint, 'identity provider token endpoint', this.#insecure);
    const idp: oauth.AuthorizationServer = { issuer: grant.idpIssuer, token_endpoint: grant.idpTokenEndpoint };
    const idpClient: oauth.Client = { client_id: grant.idpClientId };
    const idToken = typeof grant.idToken === 'function' ? await grant.idToken() : grant.idToken;
    let assertion: string;
    try {
      // RFC 8693: the ID token for an identity assertion grant addressed to the MCP server's AS and resource.
      const exchanged = await oauth.processGenericTokenEndpointResponse(
        idp,
        idpClient,
        await oauth.genericTokenEndpointRequest(
          idp,
          idpClient,
          grant.idpClientSecret !== undefined ? clientSecretBasic(grant.idpClientSecret) : oauth.None(),
          TOKEN_EXCHANGE,
          {
            subject_token: idToken,
            subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
            requested_token_type: 'urn:ietf:params:oauth:token-type:id-jag',
            audience: as.issuer,
            resource,
            ...(scopes && scopes.length > 0 && { scope: scopes.join(' ') }),
          },
          this.#requestOptions(signal),
        ),
        // An ID-JAG is not an access token: its token_type is "N_A" (RFC 8693 §2.2.1).
        { recognizedTokenTypes: { n_a: () => {} } },
      );
      assertion = exchanged.access_token;
    } catch (cause) {
      throw new McpAuthError('authorization_failed', `token exchange at ${grant.idpIssuer} failed: ${describe(cause)}`, { cause });
    }
    const client: oauth.Client = { client_id: grant.clientId };
    let result: oauth.TokenEndpointResponse;
    try {
      result = await oauth.processGenericTokenEndpointResponse(
        as,
        client,
        await oauth.genericTokenEndpointRequest(as, client, clientSecretBasic(grant.clientSecret), JWT_BEARER, { assertion, ...(scopes && scopes.length > 0 && { scope: scopes.join(' ') }) }, this.#requestOptions(signal)),
      );
    } catch (cause) {
      throw new McpAuthError('authorization_failed', `JWT-bearer grant at ${as.issuer} failed: ${describe(cause)}`, { cause });
    }
    await this.#save(session, result, scopes ?? []);
  }
}

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** OAuth for a generated client: `createClient({ url, auth: createOAuth({ login: loopbackLogin() }) })`. */
export function createOAuth(options: OAuthClientOptions = {}): OAuthClientAuth {
  return new OAuthClientAuth(options);
}
