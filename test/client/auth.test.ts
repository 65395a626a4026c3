/**
 * The client runtime as an OAuth 2.1 client (templates/runtime/client/auth/) against a fake
 * authorization server that can be made to lie (auth-fake.ts). The official conformance leg
 * (npm run conformance:client, 25 auth/* scenarios) covers the happy paths against the referee's
 * mocks; this file pins the refusals — each one must happen before a token or code is sent —
 * and the stateful parts: step-up union and limit, refresh rotation, the file store.
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, createOAuth, FileTokenStore, McpAuthError } from '../../templates/runtime/client/index.ts';
import { parseChallenges } from '../../templates/runtime/client/auth/challenge.ts';
import { metadataCandidates } from '../../templates/runtime/client/auth/discovery.ts';
import { redirectLogin, startFake, type Fake, type FakeOptions } from './auth-fake.ts';

let fake: Fake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const rpc = (method: string) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: {} }) });
async function setup(options: FakeOptions = {}, auth: Parameters<typeof createOAuth>[0] = {}) {
  fake = await startFake(options);
  return { fake, auth: createOAuth({ login: redirectLogin, ...auth }) };
}
const paths = (f: Fake) => f.seen.map((s) => s.path);
const authError = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(McpAuthError);
  return error as McpAuthError;
};

describe('challenge parsing', () => {
  it('reads quoted values with commas and escapes, and several schemes', () => {
    const [bearer, dpop] = parseChallenges('Bearer realm="a, b", scope="x y", error_description="say \\"no\\"", DPoP algs="ES256"');
    expect(bearer).toEqual({ scheme: 'bearer', params: { realm: 'a, b', scope: 'x y', error_description: 'say "no"' } });
    expect(dpop).toEqual({ scheme: 'dpop', params: { algs: 'ES256' } });
  });
  it('gives up on garbage without hanging', () => {
    expect(parseChallenges('=== , ,, "')).toEqual([]);
  });
});

describe('discovery order', () => {
  it('tries RFC 8414 path insertion, then both OpenID Connect placements, for an issuer with a path', () => {
    expect(metadataCandidates('https://as.example/tenant1')).toEqual([
      'https://as.example/.well-known/oauth-authorization-server/tenant1',
      'https://as.example/.well-known/openid-configuration/tenant1',
      'https://as.example/tenant1/.well-known/openid-configuration',
    ]);
    expect(metadataCandidates('https://as.example')).toEqual(['https://as.example/.well-known/oauth-authorization-server', 'https://as.example/.well-known/openid-configuration']);
  });
});

describe('refusals happen before anything is sent', () => {
  it('a PRM naming a foreign resource: no authorization server is contacted', async () => {
    const { fake, auth } = await setup({ prmResource: () => 'https://evil.example/mcp' });
    const error = await authError(auth.fetch(fake.url, rpc('tools/list')));
    expect(error.kind).toBe('resource_mismatch');
    expect(paths(fake).filter((p) => p.startsWith('/as') || p.includes('authorization-server'))).toEqual([]);
  });

  it('AS metadata whose issuer differs only in scheme case: no registration, no authorization', async () => {
    // A URL parser calls these equal (oauth4webapi's own check would pass it); the spec says identical.
    const { fake, auth } = await setup({ metadataIssuer: (issuer) => issuer.replace('http://', 'HTTP://') });
    expect((await authError(auth.fetch(fake.url, rpc('tools/list')))).kind).toBe('issuer_mismatch');
    expect(paths(fake).filter((p) => p.startsWith('/as/'))).toEqual([]);
  });

  it('a wrong iss (trailing slash only) in the redirect: the code never reaches the token endpoint', async () => {
    const { fake, auth } = await setup({ issInRedirect: 'wrong', issSupported: true });
    expect((await authError(auth.fetch(fake.url, rpc('tools/list')))).kind).toBe('iss_mismatch');
    expect(paths(fake)).toContain('/as/authorize');
    expect(paths(fake)).not.toContain('/as/token');
  });

  it('iss advertised but missing: refused; not advertised and missing: accepted', async () => {
    const first = await setup({ issInRedirect: 'omit', issSupported: true });
    expect((await authError(first.auth.fetch(first.fake.url, rpc('tools/list')))).kind).toBe('iss_mismatch');
    expect(paths(first.fake)).not.toContain('/as/token');
    await first.fake.close();
    const second = await setup({ issInRedirect: 'omit' });
    expect((await second.auth.fetch(second.fake.url, rpc('tools/list'))).status).toBe(200);
  });

  it('no code_challenge_methods_supported: no authorization request', async () => {
    const { fake, auth } = await setup({ pkce: false });
    expect((await authError(auth.fetch(fake.url, rpc('tools/list')))).kind).toBe('pkce_unsupported');
    expect(paths(fake)).not.toContain('/as/authorize');
  });

  it('a plain-http authorization server off the loopback interface is refused, not contacted', async () => {
    const { fake, auth } = await setup({ prmIssuer: () => 'http://auth.example/as' });
    expect((await authError(auth.fetch(fake.url, rpc('tools/list')))).kind).toBe('insecure_endpoint');
  });
});

describe('login, step-up, refresh', () => {
  it('sends resource on both requests, byte-exact as the PRM publishes it, and the token on the retry', async () => {
    const { fake, auth } = await setup();
    expect((await auth.fetch(fake.url, rpc('tools/list'))).status).toBe(200);
    const authorize = fake.seen.find((s) => s.path === '/as/authorize')!;
    const token = fake.seen.find((s) => s.path === '/as/token')!;
    expect(authorize.query.resource).toBe(fake.url);
    expect(token.form.resource).toBe(fake.url);
    expect(authorize.query.code_challenge_method).toBe('S256');
    expect(fake.seen.at(-1)!.authorization).toMatch(/^Bearer at-/);
  });

  it('steps up on 403 insufficient_scope with the union, then stops after a bounded number of tries', async () => {
    const { fake, auth } = await setup({ scopesSupported: ['read'], grantable: ['read', 'write'], scopeFor: (m) => (m === 'tools/call' ? ['write'] : m === 'never' ? ['admin'] : ['read']) });
    expect((await auth.fetch(fake.url, rpc('tools/list'))).status).toBe(200);
    expect((await auth.fetch(fake.url, rpc('tools/call'))).status).toBe(200);
    const scopes = fake.seen.filter((s) => s.path === '/as/authorize').map((s) => s.query.scope);
    expect(scopes).toEqual(['read', 'read write']);

    const before = fake.seen.filter((s) => s.path === '/as/authorize').length;
    // 'admin' is never granted: one step-up asks for the union, the next would ask for the same set, so it stops.
    const error = await authError(auth.fetch(fake.url, rpc('never')));
    expect(error.kind).toBe('insufficient_scope');
    const after = fake.seen.filter((s) => s.path === '/as/authorize').map((s) => s.query.scope);
    expect(after.slice(before)).toEqual(['read write admin']);
  });

  it('refreshes an expired token with the rotated refresh token, never reusing the old one', async () => {
    const { fake, auth } = await setup({ refresh: true, expiresIn: 1 });
    for (let i = 0; i < 3; i += 1) expect((await auth.fetch(fake.url, rpc('tools/list'))).status).toBe(200);
    // expires_in 1 s is inside the 30 s margin, so every request refreshes first; the fake honours
    // each refresh token once, so three successes mean each rotated token replaced the last.
    const refreshes = fake.seen.filter((s) => s.path === '/as/token' && s.form.grant_type === 'refresh_token').map((s) => s.form.refresh_token);
    expect(refreshes.length).toBe(3);
    expect(new Set(refreshes).size).toBe(3);
    expect(fake.seen.filter((s) => s.path === '/as/authorize').length).toBe(1);
  });

  it('a file store keeps the login across processes (mode 0600)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mcp-auth-')), 'tokens.json');
    const { fake } = await setup();
    await createOAuth({ login: redirectLogin, store: new FileTokenStore(path) }).fetch(fake.url, rpc('tools/list'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const noLogin = createOAuth({ store: new FileTokenStore(path) });
    expect((await noLogin.fetch(fake.url, rpc('tools/list'))).status).toBe(200);
    expect(fake.seen.filter((s) => s.path === '/as/authorize').length).toBe(1);
  });

  it('through createClient: the typed client logs in, and an OAuth refusal surfaces as McpAuthError', async () => {
    const { fake, auth } = await setup();
    const client = createClient({ url: fake.url, auth, clientInfo: { name: 't', version: '1' } });
    expect((await client.listTools()).map((t) => t.name)).toEqual(['echo']);
    await client.close();
    const hostile = await startFake({ prmResource: () => 'https://evil.example/mcp' });
    try {
      const other = createClient({ url: hostile.url, auth: createOAuth({ login: redirectLogin }) });
      expect((await authError(other.listTools())).kind).toBe('resource_mismatch');
      await other.close();
    } finally {
      await hostile.close();
    }
  });

  it('a configured access token that the server rejects is an error, not a login', async () => {
    fake = await startFake();
    const auth = createOAuth({ accessToken: 'not-a-real-token', login: redirectLogin });
    expect((await authError(auth.fetch(fake.url, rpc('tools/list')))).kind).toBe('token_rejected');
    expect(paths(fake)).not.toContain('/as/authorize');
  });
});
