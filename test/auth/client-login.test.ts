/**
 * The generated client as an OAuth 2.1 client, end to end: a generated server protecting tools by
 * scope (test/auth/fixtures/scoped) behind a real authorization server nobody here wrote
 * (oidc-provider, test/helpers/oidc-provider.ts). The generated project's own copy of the client
 * runtime logs in with authorization code + PKCE after registering itself (DCR,
 * `application_type: native`); the test plays the user by driving the AS's login and consent pages
 * over HTTP. Then: a tool call, a 403 on a tool needing a broader scope, step-up with the union,
 * and refresh with rotation.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../generator/project.ts';
import { pullManifest } from '../../generator/pull.ts';
import { createOAuth } from '../../templates/runtime/client/index.ts';
import { runCli } from '../helpers/cli.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';
import { driveAuthorization, startAuthorizationServer, type TestAuthorizationServer } from '../helpers/oidc-provider.ts';

type Any = any; // generated modules are loaded at run time

const dir = join(REPO_ROOT, 'test', 'tmp', `auth-client-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
mkdirSync(dir, { recursive: true });
cpSync(join(REPO_ROOT, 'test', 'auth', 'fixtures', 'scoped'), dir, { recursive: true });
await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env: hermeticEnv() } });
// The handlers say what reached them (the verified principal), as in resource-server.test.ts.
writeFileSync(
  join(dir, 'src/handlers/tools/whoami.ts'),
  `import type { WhoamiHandler } from '../../generated/tools.ts';
export const whoami: WhoamiHandler = async (_input, ctx) => ({ structured: { scopes: ctx.auth?.scopes ?? [], ...(ctx.auth?.subject ? { subject: ctx.auth.subject } : {}) } });
`,
);
writeFileSync(join(dir, 'src/handlers/tools/write-note.ts'), `import type { WriteNoteHandler } from '../../generated/tools.ts';\nexport const writeNote: WriteNoteHandler = async (input) => ({ content: [{ type: 'text', text: 'stored ' + input.text }] });\n`);
const load = async (rel: string): Promise<Any> => import(pathToFileURL(join(dir, rel)).href);

const logger = { error() {}, warn() {}, info() {} };
let as: TestAuthorizationServer;
let http: Any;
let client: Any;
let store: Any;
const consents: URL[] = [];

beforeAll(async () => {
  // Short-lived access tokens (inside the client's 30 s refresh margin) so every call refreshes.
  as = await startAuthorizationServer({
    scopes: ['notes:read', 'notes:write', 'notes:admin'],
    accessTokenTtl: 20,
    configure: (c) => {
      c.features!.registration = { enabled: true };
      // oidc-provider's default issues refresh tokens only for an OpenID `offline_access` consent
      // prompt; many authorization servers give native clients one whenever the grant allows it.
      c.issueRefreshToken = async (_ctx: unknown, client: Any) => client.grantTypeAllowed('refresh_token');
    },
  });
  const runtime = await load('src/generated/runtime/index.ts');
  const auth = await load('src/generated/runtime/auth/index.ts');
  const serverModule = await load('src/generated/server.ts');
  const authorization = auth.createResourceServer({ ...serverModule.authorization, issuers: [as.issuer], logger });
  http = await runtime.serveHttp(serverModule.createServer({ authorization, logger, stateSecret: 'auth-client-secret-0123456789abcdef0123' }), { port: 0, handleSignals: false });

  const clientRuntime = await load('src/generated/runtime/client/index.ts');
  store = new clientRuntime.MemoryTokenStore();
  const oauth = clientRuntime.createOAuth({
    clientName: 'generated client e2e',
    store,
    login: {
      redirectUri: async () => 'http://127.0.0.1:53682/callback',
      // The user: logs in as "alice" and consents; the redirect back is what a browser would deliver.
      authorize: async (url: URL) => {
        consents.push(url);
        return driveAuthorization(url.href, { login: 'alice' });
      },
    },
  });
  client = clientRuntime.createClient({ url: http.url, auth: oauth, clientInfo: { name: 'e2e', version: '1' }, timeoutMs: 30_000 });
});

afterAll(async () => {
  await client?.close();
  await http?.close();
  await as?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('generated client ↔ oidc-provider ↔ generated server', () => {
  it('logs in (DCR, authorization code + PKCE, resource), calls a tool, steps up on 403, refreshes with rotation', async () => {
    const tools = await client.listTools();
    expect(tools.map((t: Any) => t.name)).toEqual(['whoami']);
    expect(consents).toHaveLength(1);
    const first = consents[0]!.searchParams;
    expect(first.get('scope')?.split(' ')).toEqual(['notes:read', 'offline_access']); // the 401 challenge's scope, plus offline_access the AS lists
    expect(first.get('resource')).toBe(http.url);
    expect(first.get('code_challenge_method')).toBe('S256');
    expect(as.requests.some((r) => r.method === 'POST' && r.path === '/reg')).toBe(true);

    const who = await client.callTool('whoami');
    expect(who.structured.subject).toBe('alice');
    expect(who.structured.scopes).toContain('notes:read');

    // write_note needs notes:write: 403 insufficient_scope, a second login with the union, then success.
    const wrote = await client.callTool('write_note', { text: 'hello' });
    expect(wrote.content[0].text).toBe('stored hello');
    expect(consents).toHaveLength(2);
    expect(new Set(consents[1]!.searchParams.get('scope')?.split(' '))).toEqual(new Set(['notes:read', 'offline_access', 'notes:write']));

    // Refresh: the token lives 20 s, inside the 30 s margin, so the next call refreshes first; the AS rotates.
    const resource = http.url;
    const before = await store.getTokens(resource, as.issuer);
    expect(before.refreshToken).toBeTruthy();
    await client.callTool('whoami');
    const after = await store.getTokens(resource, as.issuer);
    expect(after.refreshToken).toBeTruthy();
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(consents).toHaveLength(2); // no new login
  });

  it('mcp-gen pull reaches the protected server non-interactively (client credentials, or a pre-issued token)', async () => {
    const viaGrant = await pullManifest({ url: http.url, auth: createOAuth({ clientCredentials: { clientId: as.ccClient.id, clientSecret: as.ccClient.secret } }) });
    expect(viaGrant.yaml).toContain('name: whoami');
    const token = await as.clientCredentialsToken({ resource: http.url, scope: 'notes:admin' });
    const viaToken = await pullManifest({ url: http.url, auth: createOAuth({ accessToken: token }) });
    // notes:admin sees every tool (the server filters lists by scope).
    expect(viaToken.counts.tools).toBe(3);
    const refused = await pullManifest({ url: http.url, auth: createOAuth({ accessToken: 'not-a-token' }) }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(refused?.message).toMatch(/rejected the configured access token/);
  });

  it('the CLI: pull --token-env and --client-id/--client-secret-env; without credentials on a non-terminal it fails with the reason', async () => {
    const out = join(dir, 'pulled');
    mkdirSync(out, { recursive: true });
    const token = await as.clientCredentialsToken({ resource: http.url, scope: 'notes:admin' });
    const withToken = await runCli(['pull', '--url', http.url, '--out', 'a.yaml', '--token-env', 'MCP_TEST_TOKEN'], { cwd: out, env: { ...hermeticEnv(), MCP_TEST_TOKEN: token } });
    expect(withToken.stderr).toBe('');
    expect(withToken.stdout).toMatch(/wrote a.yaml: 3 tools/);
    const withGrant = await runCli(['pull', '--url', http.url, '--out', 'b.yaml', '--client-id', as.ccClient.id, '--client-secret-env', 'MCP_TEST_SECRET'], { cwd: out, env: { ...hermeticEnv(), MCP_TEST_SECRET: as.ccClient.secret } });
    expect(withGrant.stdout).toMatch(/wrote b.yaml: 1 tools/); // the challenge asks for notes:read only
    const without = await runCli(['pull', '--url', http.url, '--out', 'c.yaml'], { cwd: out });
    expect(without.code).not.toBe(0);
    expect(without.stderr).toMatch(/requires authorization by .*configure a login handler/);
  });
});
