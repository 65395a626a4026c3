/**
 * A real OAuth 2.1 / OpenID Connect authorization server for tests: `oidc-provider` (nobody on this
 * project wrote it) on 127.0.0.1, port 0. It issues RFC 9068 JWT access tokens for any http(s)
 * resource indicator (RFC 8707), audience = that indicator, via client_credentials or
 * authorization code + PKCE; `driveAuthorization` walks its development login and consent pages
 * over HTTP so a test needs no browser.
 *
 * Shared by the resource-server tests (test/auth/) and the generated client's OAuth tests.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';

export interface TestClient {
  client_id: string;
  client_secret?: string;
  grant_types?: string[];
  redirect_uris?: string[];
  response_types?: string[];
  token_endpoint_auth_method?: string;
  application_type?: 'web' | 'native';
  scope?: string;
  [key: string]: unknown;
}

export interface AuthorizationServerOptions {
  /** Scopes the AS grants for any resource (space-separated on the wire). Default mcp:read mcp:write mcp:admin. */
  scopes?: readonly string[];
  /** Clients registered up front. A confidential client_credentials client `cc-client`/`cc-secret` is always there. */
  clients?: readonly TestClient[];
  /** Access-token lifetime in seconds. Default 300. */
  accessTokenTtl?: number;
  /** JWS algorithm of access tokens. Default RS256. */
  accessTokenAlg?: 'RS256' | 'ES256' | 'PS256';
  /** Opaque access tokens instead of JWTs (for introspection). Default false. */
  opaqueAccessTokens?: boolean;
  /** Last word on the oidc-provider configuration (enable registration, change TTLs, …). */
  configure?: (configuration: Configuration) => void;
}

export interface TestAuthorizationServer {
  /** `http://127.0.0.1:<port>`: also the exact `issuer` of its metadata. */
  readonly issuer: string;
  readonly provider: Provider;
  /** Public signing keys (what the JWKS endpoint serves). */
  readonly publicJwks: JWK[];
  /** The client that `clientCredentialsToken` uses. */
  readonly ccClient: { id: string; secret: string };
  /** client_credentials with a resource indicator; returns the access token. */
  clientCredentialsToken(options: { resource: string; scope?: string }): Promise<string>;
  /**
   * Signs arbitrary claims with the AS's own RSA key (kid rsa-1, or the EC key with alg ES256), so a
   * test can craft tokens the AS would never issue (expired, not yet valid, wrong audience…) that
   * still carry a genuine signature. Defaults: iss = issuer, iat = now, exp = now + 300.
   */
  sign(claims: JWTPayload, header?: { alg?: 'RS256' | 'ES256'; kid?: string; typ?: string }): Promise<string>;
  /** Requests this AS answered, method and path (e.g. to count JWKS fetches). */
  readonly requests: { method: string; path: string }[];
  close(): Promise<void>;
}

export const CC_CLIENT = { id: 'cc-client', secret: 'cc-secret-0123456789abcdef0123456789' };

export async function startAuthorizationServer(options: AuthorizationServerOptions = {}): Promise<TestAuthorizationServer> {
  const scopes = options.scopes ?? ['mcp:read', 'mcp:write', 'mcp:admin'];
  const alg = options.accessTokenAlg ?? 'RS256';
  const rsa = await generateKeyPair('RS256', { extractable: true });
  const ec = await generateKeyPair('ES256', { extractable: true });
  const privateJwks = [
    { ...(await exportJWK(rsa.privateKey)), kid: 'rsa-1', alg: alg === 'PS256' ? 'PS256' : 'RS256', use: 'sig' },
    { ...(await exportJWK(ec.privateKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ];
  const publicJwks = [
    { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: alg === 'PS256' ? 'PS256' : 'RS256', use: 'sig' },
    { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ];

  // The issuer must be known before the provider exists, so the socket is bound first.
  const requests: { method: string; path: string }[] = [];
  let handler: ((req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void) | undefined;
  const http: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0]! });
    handler!(req, res);
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  const configuration: Configuration = {
    clients: [
      {
        client_id: CC_CLIENT.id,
        client_secret: CC_CLIENT.secret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: scopes.join(' '),
      },
      ...(options.clients ?? []),
    ],
    jwks: { keys: privateJwks as never },
    cookies: { keys: ['test-cookie-key-0123456789abcdef'] },
    pkce: { required: () => true },
    scopes: ['openid', 'offline_access', ...scopes],
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // The requested resource when there is exactly one, so authorization-code tokens are JWTs for it.
        defaultResource: (_ctx: unknown, _client: unknown, oneOf: string | string[] | undefined) => (Array.isArray(oneOf) ? oneOf[0] : oneOf) as string,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resourceIndicator: string) => {
          if (!/^https?:\/\//.test(resourceIndicator)) throw new Error(`test AS: not a URL resource: ${resourceIndicator}`);
          return {
            scope: scopes.join(' '),
            audience: resourceIndicator,
            accessTokenTTL: options.accessTokenTtl ?? 300,
            accessTokenFormat: options.opaqueAccessTokens ? 'opaque' : 'jwt',
            ...(options.opaqueAccessTokens ? {} : { jwt: { sign: { alg } } }),
          };
        },
      },
    },
    ttl: {
      AccessToken: options.accessTokenTtl ?? 300,
      ClientCredentials: options.accessTokenTtl ?? 300,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      RefreshToken: 3600,
      AuthorizationCode: 60,
      IdToken: 300,
    },
    // Every login name is an account whose id is that name (the token's `sub`).
    findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: () => ({ sub: id }) }),
    loadExistingGrant: async (ctx: any) => {
      // Consent is still driven through the pages; this only keeps grants across step-up logins.
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session?.grantIdFor(ctx.oidc.client!.clientId);
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
  };
  options.configure?.(configuration);
  const provider = new Provider(issuer, configuration);
  // Development interactions print warnings on every start; tests only care about errors.
  provider.on('server_error', (_ctx: unknown, error: unknown) => console.error('oidc-provider server_error', error));
  handler = provider.callback();

  return {
    issuer,
    provider,
    publicJwks: publicJwks as JWK[],
    ccClient: CC_CLIENT,
    requests,
    sign(claims, header = {}) {
      const alg = header.alg ?? 'RS256';
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: issuer, iat: now, exp: now + 300, ...claims })
        .setProtectedHeader({ alg, kid: header.kid ?? (alg === 'ES256' ? 'ec-1' : 'rsa-1'), typ: header.typ ?? 'at+jwt' })
        .sign(alg === 'ES256' ? ec.privateKey : rsa.privateKey);
    },
    async clientCredentialsToken({ resource, scope }) {
      const body = new URLSearchParams({ grant_type: 'client_credentials', resource, ...(scope !== undefined ? { scope } : {}) });
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${CC_CLIENT.id}:${CC_CLIENT.secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body,
      });
      const json = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
      if (!response.ok || !json.access_token) throw new Error(`client_credentials failed: ${response.status} ${json.error} ${json.error_description}`);
      return json.access_token;
    },
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** A tiny cookie jar: oidc-provider ties interactions to cookies (paths ignored, enough for one AS). */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  absorb(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()) || attributes.some((a) => /^\s*max-age=0/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * Follows an authorization URL through oidc-provider's development login and consent pages as
 * user `login`, and returns the redirect back to the client (its `code`, `state`, `iss`, or an
 * `error`). Nothing is opened in a browser: the pages are plain forms posted over HTTP.
 */
export async function driveAuthorization(authorizationUrl: string, options: { login?: string; maxSteps?: number } = {}): Promise<URL> {
  const jar = new CookieJar();
  const start = new URL(authorizationUrl);
  let url = start;
  let method: 'GET' | 'POST' = 'GET';
  let body: URLSearchParams | undefined;
  for (let step = 0; step < (options.maxSteps ?? 20); step++) {
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body,
    });
    jar.absorb(response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, url);
      // Leaving the AS: this is the redirect to the client's redirect_uri.
      if (next.origin !== start.origin) return next;
      url = next;
      method = 'GET';
      body = undefined;
      continue;
    }
    const html = await response.text();
    if (response.status !== 200) throw new Error(`authorization step ${url.pathname} answered ${response.status}: ${html.slice(0, 500)}`);
    // A form_post-free page at /interaction/<uid>: either the login or the consent form.
    const uid = /\/interaction\/([^/?#]+)/.exec(url.pathname)?.[1];
    if (!uid) throw new Error(`unexpected authorization page ${url.pathname}: ${html.slice(0, 300)}`);
    const prompt = /name="prompt" value="(login|consent)"/.exec(html)?.[1] ?? (html.includes('name="login"') ? 'login' : 'consent');
    url = new URL(`/interaction/${uid}`, start);
    method = 'POST';
    body = new URLSearchParams(prompt === 'login' ? { prompt, login: options.login ?? 'alice', password: 'any' } : { prompt });
  }
  throw new Error('authorization did not return to the client');
}
