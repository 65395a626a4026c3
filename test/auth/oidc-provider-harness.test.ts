/**
 * The shared authorization-server harness (test/helpers/oidc-provider.ts) does what the auth tests
 * rely on: JWT access tokens whose `aud` is the resource indicator, and a non-interactive
 * authorization code + PKCE login that ends at the client's redirect URI with `code` and `iss`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveAuthorization, startAuthorizationServer, type TestAuthorizationServer } from '../helpers/oidc-provider.ts';

const REDIRECT = 'http://127.0.0.1:9/callback';
const RESOURCE = 'http://127.0.0.1:9/mcp';

describe('oidc-provider test harness', () => {
  let as: TestAuthorizationServer;
  beforeAll(async () => {
    as = await startAuthorizationServer({
      clients: [{ client_id: 'public-app', token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], redirect_uris: [REDIRECT], application_type: 'native' }],
    });
  });
  afterAll(() => as?.close());

  it('serves RFC 8414 / OIDC metadata with the exact issuer', async () => {
    const oidc = (await (await fetch(`${as.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(oidc.issuer).toBe(as.issuer);
    expect(oidc.jwks_uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(oidc.code_challenge_methods_supported).toContain('S256');
    expect(oidc.authorization_response_iss_parameter_supported).toBe(true);
  });

  it('client_credentials with a resource indicator gives a JWT for that audience', async () => {
    const token = await as.clientCredentialsToken({ resource: RESOURCE, scope: 'mcp:read' });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', typ: 'at+jwt', kid: 'rsa-1' });
    expect(decodeJwt(token)).toMatchObject({ iss: as.issuer, aud: RESOURCE, scope: 'mcp:read', sub: 'cc-client' });
  });

  it('authorization code + PKCE without a browser', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorize = new URL(`${as.issuer}/auth`);
    authorize.search = new URLSearchParams({
      client_id: 'public-app', response_type: 'code', redirect_uri: REDIRECT, scope: 'mcp:read mcp:write', state: 's1',
      code_challenge: challenge, code_challenge_method: 'S256', resource: RESOURCE,
    }).toString();
    const back = await driveAuthorization(authorize.href, { login: 'alice' });
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('s1');
    expect(back.searchParams.get('iss')).toBe(as.issuer);
    const code = back.searchParams.get('code');
    expect(code).toBeTruthy();
    const response = await fetch(`${as.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT, client_id: 'public-app', code_verifier: verifier, resource: RESOURCE }),
    });
    const tokens = (await response.json()) as Record<string, string>;
    expect(response.status, JSON.stringify(tokens)).toBe(200);
    expect(decodeJwt(tokens.access_token!)).toMatchObject({ iss: as.issuer, aud: RESOURCE, sub: 'alice', scope: 'mcp:read mcp:write' });
  });
});
