/**
 * The official client (@modelcontextprotocol/client 2.4.0, version negotiation left on auto) with
 * its own OAuth machinery against a generated server protected by scope, with oidc-provider as the
 * authorization server. The test plays the user: when the client asks to redirect, the login and
 * consent pages are walked over HTTP (driveAuthorization) and the code handed to finishAuth.
 * Covers the 401 → metadata → authorization code + PKCE → call path and the 403 step-up.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../generator/project.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';
import { driveAuthorization, startAuthorizationServer, type TestAuthorizationServer } from '../helpers/oidc-provider.ts';

type Any = any; // the SDK's and the generated modules' types are not part of this repo's type-check

const REDIRECT = 'http://127.0.0.1:9/callback';
const dir = join(REPO_ROOT, 'test', 'tmp', `auth-official-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
mkdirSync(dir, { recursive: true });
cpSync(join(REPO_ROOT, 'test', 'auth', 'fixtures', 'scoped'), dir, { recursive: true });
await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env: hermeticEnv() } });
writeFileSync(
  join(dir, 'src/handlers/tools/whoami.ts'),
  `import type { WhoamiHandler } from '../../generated/tools.ts';
export const whoami: WhoamiHandler = async (_input, ctx) => ({ structured: { scopes: ctx.auth?.scopes ?? [], ...(ctx.auth?.subject ? { subject: ctx.auth.subject } : {}) } });
`,
);
writeFileSync(join(dir, 'src/handlers/tools/purge-notes.ts'), `import type { PurgeNotesHandler } from '../../generated/tools.ts';\nexport const purgeNotes: PurgeNotesHandler = async (_i, ctx) => ({ content: [{ type: 'text', text: 'purged by ' + ctx.auth?.subject }] });\n`);
const load = async (rel: string): Promise<Any> => import(pathToFileURL(join(dir, rel)).href);
const require = createRequire(join(REPO_ROOT, 'package.json'));

/** An OAuthClientProvider for a pre-registered public client whose "browser" is driveAuthorization. */
function userAgentProvider(logins: URL[]) {
  let tokens: Any;
  let verifier = '';
  let callback: URLSearchParams | undefined;
  return {
    get redirectUrl() {
      return REDIRECT;
    },
    get clientMetadata() {
      return { client_name: 'official-client-e2e', redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' };
    },
    clientInformation: () => ({ client_id: 'official-app' }),
    tokens: () => tokens,
    saveTokens: (t: Any) => void (tokens = t),
    saveCodeVerifier: (v: string) => void (verifier = v),
    codeVerifier: () => verifier,
    async redirectToAuthorization(url: URL) {
      logins.push(url);
      const back = await driveAuthorization(url.href, { login: 'alice' });
      if (!back.searchParams.get('code')) throw new Error(`authorization failed: ${back.search}`);
      // The whole redirect (code, state, iss): the client checks iss itself (RFC 9207).
      callback = back.searchParams;
    },
    takeCallback: () => {
      const c = callback;
      callback = undefined;
      return c;
    },
    get accessToken(): string | undefined {
      return tokens?.access_token;
    },
  };
}

describe('official client (auto mode) ↔ generated protected server ↔ oidc-provider', () => {
  let as: TestAuthorizationServer;
  let http: Any;
  beforeAll(async () => {
    as = await startAuthorizationServer({
      scopes: ['notes:read', 'notes:write', 'notes:admin'],
      clients: [{ client_id: 'official-app', token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], redirect_uris: [REDIRECT] }],
    });
    const runtime = await load('src/generated/runtime/index.ts');
    const auth = await load('src/generated/runtime/auth/index.ts');
    const serverModule = await load('src/generated/server.ts');
    const quiet = { error() {}, warn() {}, info() {} };
    const authorization = auth.createResourceServer({ ...serverModule.authorization, issuers: [as.issuer], logger: quiet });
    http = await runtime.serveHttp(serverModule.createServer({ authorization, logger: quiet, stateSecret: 'official-client-secret-0123456789abcdef' }), { port: 0, handleSignals: false });
  });
  afterAll(async () => {
    await http?.close();
    await as?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs in with authorization code + PKCE, calls a tool, steps up on 403', async () => {
    const sdk = (await import(pathToFileURL(require.resolve('@modelcontextprotocol/client')).href)) as Any;
    const logins: URL[] = [];
    const provider = userAgentProvider(logins);
    const newTransport = () => new sdk.StreamableHTTPClientTransport(new URL(http.url), { authProvider: provider });
    const client = new sdk.Client({ name: 'official-e2e', version: '1.0.0' }, { capabilities: {} });

    // 1. The first request gets 401; the client discovers the AS and sends the user to log in.
    let transport = newTransport();
    await expect(client.connect(transport)).rejects.toThrow(/unauthorized/i);
    expect(logins).toHaveLength(1);
    const first = logins[0]!;
    expect(first.origin).toBe(as.issuer);
    expect(first.searchParams.get('resource')).toBe(http.url);
    expect(first.searchParams.get('code_challenge_method')).toBe('S256');
    // The challenge's scope, plus offline_access because the AS lists it (the client's choice, index.mdx).
    expect(first.searchParams.get('scope')!.split(' ').filter((s) => s !== 'offline_access')).toEqual(['notes:read']);
    await transport.finishAuth(provider.takeCallback());
    transport = newTransport();
    await client.connect(transport);

    const me = await client.callTool({ name: 'whoami', arguments: {} });
    expect(me.structuredContent).toEqual({ subject: 'alice', scopes: ['notes:read'] });
    const listed = await client.listTools();
    expect(listed.tools.map((t: Any) => t.name)).toEqual(['whoami']);

    // 2. A tool needing notes:admin: 403 insufficient_scope, the client asks for the union and retries.
    // The client sees 403 insufficient_scope, sends the user to log in again, and reports Unauthorized.
    await expect(client.callTool({ name: 'purge_notes', arguments: {} })).rejects.toThrow(/unauthorized/i);
    expect(logins).toHaveLength(2);
    await transport.finishAuth(provider.takeCallback());
    const stepped = await client.callTool({ name: 'purge_notes', arguments: {} });
    expect(logins).toHaveLength(2);
    const scopes = new Set(logins[1]!.searchParams.get('scope')!.split(' '));
    // The union of what was granted and what the challenge names (index.mdx "Step-Up Authorization Flow").
    expect(scopes.has('notes:admin') && scopes.has('notes:read')).toBe(true);
    expect((stepped as Any).content[0].text).toBe('purged by alice');
    await client.close();
  });
});
