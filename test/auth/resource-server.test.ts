/**
 * A generated server (test/auth/fixtures/scoped: `auth:` + per-tool scopes) as an OAuth 2.1
 * resource server, against a real authorization server nobody here wrote (oidc-provider, see
 * test/helpers/oidc-provider.ts). Tokens come from the AS (client_credentials + RFC 8707 resource
 * indicator) or are signed with the AS's own key to craft expired / not-yet-valid / foreign ones.
 * Checks status codes and WWW-Authenticate challenges (basic/authorization/index.mdx), RFC 9728
 * metadata, scope filtering, JWKS outages, and that no token ever reaches a log.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../generator/project.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';
import { startAuthorizationServer, type TestAuthorizationServer } from '../helpers/oidc-provider.ts';

type Any = any; // generated modules are loaded at run time; tsc checks them in the compile test below

const VERSION = '2026-07-28';
const dir = join(REPO_ROOT, 'test', 'tmp', `auth-scoped-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
mkdirSync(dir, { recursive: true });
cpSync(join(REPO_ROOT, 'test', 'auth', 'fixtures', 'scoped'), dir, { recursive: true });
const generated = await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env: hermeticEnv() } });
// The handlers report what reached them: ctx.auth is the verified principal.
writeFileSync(
  join(dir, 'src/handlers/tools/whoami.ts'),
  `import type { WhoamiHandler } from '../../generated/tools.ts';
export const whoami: WhoamiHandler = async (_input, ctx) => ({
  structured: { scopes: ctx.auth?.scopes ?? [], ...(ctx.auth?.subject ? { subject: ctx.auth.subject } : {}), ...(ctx.auth?.clientId ? { clientId: ctx.auth.clientId } : {}) },
});
`,
);
writeFileSync(join(dir, 'src/handlers/tools/write-note.ts'), `import type { WriteNoteHandler } from '../../generated/tools.ts';\nexport const writeNote: WriteNoteHandler = async (input) => ({ content: [{ type: 'text', text: 'stored ' + input.text }] });\n`);
writeFileSync(join(dir, 'src/handlers/tools/purge-notes.ts'), `import type { PurgeNotesHandler } from '../../generated/tools.ts';\nexport const purgeNotes: PurgeNotesHandler = async () => ({ content: [{ type: 'text', text: 'purged' }] });\n`);

const load = async (rel: string): Promise<Any> => import(pathToFileURL(join(dir, rel)).href);

/** Everything the server logs, and everything written to stderr meanwhile: no token may appear in either. */
const logged: string[] = [];
const logger = {
  error: (m: string, e?: unknown) => logged.push(`error ${m} ${e instanceof Error ? `${e.message} ${e.stack}` : String(e ?? '')}`),
  warn: (m: string) => logged.push(`warn ${m}`),
  info: (m: string) => logged.push(`info ${m}`),
};
const tokensUsed: string[] = [];

let as: TestAuthorizationServer;
let foreignAs: TestAuthorizationServer;
let runtime: Any;
let auth: Any;
let serverModule: Any;
let http: Any;
let url: string;
const originalStderrWrite = process.stderr.write.bind(process.stderr);

function serveWith(options: Record<string, unknown> = {}) {
  const authorization = auth.createResourceServer({ ...serverModule.authorization, issuers: [as.issuer], logger, ...options });
  const server = serverModule.createServer({ authorization, logger, stateSecret: 'auth-test-secret-0123456789abcdef0123' });
  return runtime.serveHttp(server, { port: 0, handleSignals: false });
}

beforeAll(async () => {
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
    logged.push(String(chunk));
    return (originalStderrWrite as Any)(chunk, ...rest);
  }) as typeof process.stderr.write;
  as = await startAuthorizationServer({ scopes: ['notes:read', 'notes:write', 'notes:admin'] });
  foreignAs = await startAuthorizationServer({ scopes: ['notes:read', 'notes:write', 'notes:admin'] });
  runtime = await load('src/generated/runtime/index.ts');
  auth = await load('src/generated/runtime/auth/index.ts');
  serverModule = await load('src/generated/server.ts');
  http = await serveWith();
  url = http.url;
});

afterAll(async () => {
  process.stderr.write = originalStderrWrite;
  await http?.close();
  await as?.close();
  await foreignAs?.close();
  rmSync(dir, { recursive: true, force: true });
});

let nextId = 1;
function body(method: string, params: Record<string, unknown> = {}) {
  return {
    jsonrpc: '2.0',
    id: nextId++,
    method,
    params: { ...params, _meta: { 'io.modelcontextprotocol/protocolVersion': VERSION, 'io.modelcontextprotocol/clientCapabilities': {}, 'io.modelcontextprotocol/clientInfo': { name: 'auth-test', version: '1' } } },
  };
}

async function call(method: string, params: Record<string, unknown> = {}, authorization?: string, target = url) {
  if (authorization) tokensUsed.push(authorization.replace(/^Bearer /, ''));
  const name: Record<string, string> = typeof params.name === 'string' ? { 'mcp-name': params.name } : typeof params.uri === 'string' ? { 'mcp-name': params.uri } : {};
  const response = await fetch(target, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': VERSION,
      'mcp-method': method,
      ...name,
      ...(authorization !== undefined ? { authorization } : {}),
    } as Record<string, string>,
    body: JSON.stringify(body(method, params)),
  });
  const text = await response.text();
  return { status: response.status, challenge: response.headers.get('www-authenticate') ?? undefined, retryAfter: response.headers.get('retry-after'), json: text ? JSON.parse(text) : undefined };
}

const token = (scope: string, resource = url) => as.clientCredentialsToken({ resource, scope });
const bearer = (t: string) => `Bearer ${t}`;
const prmUrl = () => `${new URL(url).origin}/.well-known/oauth-protected-resource/mcp`;

/** Parses `Bearer a="x", b="y"` into {a: x, b: y}. */
function params(challenge: string | undefined): Record<string, string> {
  expect(challenge).toMatch(/^Bearer /);
  return Object.fromEntries([...challenge!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

describe('generated resource server ↔ oidc-provider', () => {
  it('the generated project builds with jose only because of auth:', async () => {
    expect(generated.warnings).toEqual([]);
    expect(generated.app.auth?.tools).toEqual({ purge_notes: ['notes:admin'], write_note: ['notes:write'] });
    const pkg = JSON.parse(await (await import('node:fs/promises')).readFile(join(dir, 'package.json'), 'utf8'));
    expect(pkg.dependencies.jose).toBe('6.2.17');
  });

  it('publishes RFC 9728 metadata at the path-inserted and the root well-known URIs', async () => {
    for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
      const response = await fetch(new URL(path, url));
      expect(response.status, path).toBe(200);
      expect(await response.json()).toEqual({
        resource: url,
        authorization_servers: [as.issuer],
        scopes_supported: ['notes:read', 'notes:write', 'notes:admin'],
        bearer_methods_supported: ['header'],
      });
    }
  });

  it('no token: 401 with resource_metadata and the default scope, even for server/discover', async () => {
    for (const method of ['tools/list', 'server/discover']) {
      const r = await call(method);
      expect(r.status, method).toBe(401);
      expect(params(r.challenge)).toEqual({ resource_metadata: prmUrl(), scope: 'notes:read' });
    }
  });

  it('a valid token reaches the handler as ctx.auth', async () => {
    const t = await token('notes:read');
    const r = await call('tools/call', { name: 'whoami', arguments: {} }, bearer(t));
    expect(r.status).toBe(200);
    expect(r.json.result.structuredContent).toEqual({ subject: 'cc-client', scopes: ['notes:read'], clientId: 'cc-client' });
  });

  it('lists show only what the scopes allow, answered cacheScope private; the hierarchy widens them', async () => {
    const read = await call('tools/list', {}, bearer(await token('notes:read')));
    expect(read.json.result.tools.map((t: Any) => t.name)).toEqual(['whoami']);
    expect(read.json.result.cacheScope).toBe('private');
    const admin = await call('tools/list', {}, bearer(await token('notes:admin')));
    expect(admin.json.result.tools.map((t: Any) => t.name).sort()).toEqual(['purge_notes', 'whoami', 'write_note']);
    // notes:admin implies notes:write implies notes:read.
    const wrote = await call('tools/call', { name: 'write_note', arguments: { text: 'hi' } }, bearer(await token('notes:admin')));
    expect(wrote.status).toBe(200);
    expect(wrote.json.result.content[0].text).toBe('stored hi');
  });

  it('403 insufficient_scope names every scope the operation needs', async () => {
    const write = bearer(await token('notes:write'));
    const r = await call('tools/call', { name: 'purge_notes', arguments: {} }, write);
    expect(r.status).toBe(403);
    expect(params(r.challenge)).toMatchObject({ error: 'insufficient_scope', scope: 'notes:admin', resource_metadata: prmUrl() });
    const template = await call('resources/read', { uri: 'notes://private/7' }, bearer(await token('notes:read')));
    expect(template.status).toBe(403);
    expect(params(template.challenge)).toMatchObject({ error: 'insufficient_scope', scope: 'notes:admin' });
  });

  it('every bad token gets 401 invalid_token (400 for a malformed header), with the challenge', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { aud: url, scope: 'notes:read', sub: 'mallory', client_id: 'x' };
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const untrusted = await generateKeyPair('RS256');
    const cases: [string, string, number, string?][] = [
      ['alg none', `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64({ ...claims, iss: as.issuer, exp: now + 300 })}.`, 401, 'token signing algorithm is not accepted'],
      ['HS256 (wrong algorithm)', await new SignJWT({ ...claims, iss: as.issuer, exp: now + 300 }).setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' }).sign(new TextEncoder().encode('a'.repeat(32))), 401, 'token signing algorithm is not accepted'],
      ['untrusted key', await new SignJWT({ ...claims, iss: as.issuer, exp: now + 300 }).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).sign(untrusted.privateKey), 401, 'token signature is invalid'],
      ['wrong audience (issued by the AS for another resource)', await token('notes:read', 'http://127.0.0.1:9/other'), 401, 'token audience is not this resource'],
      ['wrong issuer (another AS, right audience)', await foreignAs.clientCredentialsToken({ resource: url, scope: 'notes:read' }), 401, 'token issuer is not trusted'],
      ['expired', await as.sign({ ...claims, iat: now - 600, exp: now - 300 }), 401, 'token expired'],
      ['not yet valid', await as.sign({ ...claims, nbf: now + 3600, exp: now + 7200 }), 401, 'token not yet valid'],
      ['no exp', await as.sign({ ...claims, exp: undefined }), 401],
      ['oversized', 'a'.repeat(9000), 401, 'token longer than 8192 bytes'],
      ['garbage', 'not-a-token', 401],
    ];
    for (const [what, bad, status, description] of cases) {
      const r = await call('tools/call', { name: 'whoami', arguments: {} }, bearer(bad));
      expect(r.status, what).toBe(status);
      const p = params(r.challenge);
      expect(p, what).toMatchObject({ error: 'invalid_token', resource_metadata: prmUrl(), scope: 'notes:read' });
      if (description) expect(p.error_description, what).toBe(description);
    }
    const malformed = await call('tools/list', {}, 'Bearer two tokens');
    expect(malformed.status).toBe(400);
    expect(params(malformed.challenge)).toMatchObject({ error: 'invalid_request' });
    const basic = await call('tools/list', {}, 'Basic dXNlcjpwYXNz');
    expect(basic.status).toBe(401);
    expect(params(basic.challenge)).toEqual({ resource_metadata: prmUrl(), scope: 'notes:read' });
  });

  it('a header beyond node\'s limit is refused by node (431) and the server keeps serving', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(url, { method: 'POST', headers: { authorization: `Bearer ${'a'.repeat(20_000)}`, 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(431);
    expect((await call('tools/call', { name: 'whoami', arguments: {} }, bearer(await token('notes:read')))).status).toBe(200);
  });

  it('an unknown kid refetches the JWKS at most once per cooldown window', async () => {
    const jwksFetches = () => as.requests.filter((r) => r.path === '/jwks').length;
    const before = jwksFetches();
    for (let i = 0; i < 5; i++) {
      const forged = await as.sign({ aud: url, scope: 'notes:read' }, { kid: `rotated-${i}` });
      expect((await call('tools/list', {}, bearer(forged))).status).toBe(401);
    }
    expect(jwksFetches() - before).toBeLessThanOrEqual(1);
  });

  it('stdio takes no OAuth: the dispatcher without a transport principal lists everything', async () => {
    const server = serverModule.createServer({ logger, stateSecret: 'auth-test-secret-0123456789abcdef0123', authorization: auth.createResourceServer({ ...serverModule.authorization, issuers: [as.issuer], resource: url, logger }) });
    const outcome = await server.handle(body('tools/list'));
    expect(outcome.response.result.tools).toHaveLength(3);
  });

  it('JWKS down or slow: 503 with Retry-After within the bounded wait, then fast 503s, and the process stays up', async () => {
    // An "issuer" whose metadata answers but whose JWKS endpoint never does.
    let issuer = '';
    const hung: Server = createHttpServer((req, res) => {
      if (req.url === '/.well-known/oauth-authorization-server') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
        return;
      }
      // /jwks: never answer.
    });
    hung.listen(0, '127.0.0.1');
    await once(hung, 'listening');
    issuer = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
    const slow = await (async () => {
      const authorization = auth.createResourceServer({ ...serverModule.authorization, issuers: [issuer], timeoutMs: 1500, retryAfterMs: 10_000, logger });
      return runtime.serveHttp(serverModule.createServer({ authorization, logger, stateSecret: 'auth-test-secret-0123456789abcdef0123' }), { port: 0, handleSignals: false });
    })();
    try {
      const now = Math.floor(Date.now() / 1000);
      const t = await new SignJWT({ iss: issuer, aud: slow.url, exp: now + 60, scope: 'notes:read' }).setProtectedHeader({ alg: 'RS256', kid: 'k' }).sign((await generateKeyPair('RS256')).privateKey);
      const started = Date.now();
      const first = await call('tools/list', {}, bearer(t), slow.url);
      const firstMs = Date.now() - started;
      expect(first.status).toBe(503);
      expect(first.challenge).toBeUndefined();
      expect(Number(first.retryAfter)).toBeGreaterThan(0);
      // It waited for the JWKS (1.5 s), but not much longer.
      expect(firstMs).toBeGreaterThanOrEqual(1400);
      expect(firstMs).toBeLessThan(6000);
      // Within retryAfterMs nobody waits again: the refusal is immediate.
      const again = Date.now();
      expect((await call('tools/list', {}, bearer(t), slow.url)).status).toBe(503);
      expect(Date.now() - again).toBeLessThan(1000);
      // An unreachable issuer (nothing listening) is the same story.
      const deadIssuer = 'http://127.0.0.1:9';
      const dead = runtime.serveHttp(serverModule.createServer({ authorization: auth.createResourceServer({ ...serverModule.authorization, issuers: [deadIssuer], timeoutMs: 400, logger }), logger, stateSecret: 'auth-test-secret-0123456789abcdef0123' }), { port: 0, handleSignals: false });
      const deadHandle = await dead;
      const d = await call('tools/list', {}, bearer(await new SignJWT({ iss: deadIssuer, aud: deadHandle.url, exp: now + 60 }).setProtectedHeader({ alg: 'RS256', kid: 'k' }).sign((await generateKeyPair('RS256')).privateKey)), deadHandle.url);
      expect(d.status).toBe(503);
      await deadHandle.close();
      // The main server never noticed.
      expect((await call('tools/call', { name: 'whoami', arguments: {} }, bearer(await token('notes:read')))).status).toBe(200);
    } finally {
      await slow.close();
      hung.closeAllConnections();
      hung.close();
    }
  });

  it('publicDiscover: server/discover answers without a token, nothing else does (session GET included)', async () => {
    const open = await serveWith({ publicDiscover: true });
    try {
      const discover = await call('server/discover', {}, undefined, open.url);
      expect(discover.status).toBe(200);
      expect(discover.json.result.capabilities.tools).toBeDefined();
      const list = await call('tools/list', {}, undefined, open.url);
      expect(list.status).toBe(401);
      expect(params(list.challenge)).toMatchObject({ scope: 'notes:read' });
      const stream = await fetch(open.url, { headers: { accept: 'text/event-stream', 'mcp-session-id': 'x' } });
      await stream.body?.cancel();
      expect(stream.status).toBe(401);
      expect(stream.headers.get('www-authenticate')).toMatch(/^Bearer resource_metadata=/);
    } finally {
      await open.close();
    }
  });

  it('no token ever reaches a log or stderr', () => {
    expect(tokensUsed.length).toBeGreaterThan(10);
    const everything = logged.join('\n');
    // Any 16 characters of a token's signature (or of an opaque token) identify it; low-entropy probes ('aaaa…') are skipped.
    const distinctive = tokensUsed.filter((t) => new Set(t).size > 10);
    expect(distinctive.length).toBeGreaterThan(10);
    for (const t of distinctive) {
      const secret = t.includes('.') ? t.split('.').pop()! : t;
      for (let i = 0; i + 16 <= secret.length; i += 8) expect(everything.includes(secret.slice(i, i + 16)), `token fragment in logs: ${everything.slice(0, 200)}`).toBe(false);
    }
  });
});
