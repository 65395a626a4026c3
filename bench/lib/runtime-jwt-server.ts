/**
 * (a') The runtime of (a) behind the OAuth resource server (templates/runtime/auth): every request
 * carries a JWT verified against an issuer's JWKS (RS256, warm cache). The issuer is a tiny
 * in-process metadata + JWKS endpoint so the bench needs no authorization server; the key cache is
 * warmed before `ready`, so the numbers are the steady-state cost of verification. Prints
 * `ready <url> <token>`.
 */
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { z } from 'zod';
import { createMcpServer, defineTool, serveHttp } from '../../templates/runtime/index.ts';
import { createResourceServer } from '../../templates/runtime/auth/index.ts';

const { publicKey, privateKey } = await generateKeyPair('RS256');
const jwk = { ...(await exportJWK(publicKey)), kid: 'bench-1', alg: 'RS256', use: 'sig' };
let issuer = '';
const as = createServer((req, res) => {
  if (req.url === '/.well-known/oauth-authorization-server') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
  else if (req.url === '/jwks') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  else res.writeHead(404).end();
});
as.listen(0, '127.0.0.1');
await once(as, 'listening');
issuer = `http://127.0.0.1:${(as.address() as AddressInfo).port}`;

const echo = defineTool({
  name: 'echo',
  description: 'Echoes its text',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  input: z.object({ text: z.string() }),
  handler: ({ text }) => ({ content: [{ type: 'text', text }] }),
});

const quiet = { error() {}, warn() {}, info() {} };
// BENCH_JWT_CACHE=0: every request pays the full signature check (no verified-token cache).
const verifiedTokenCacheMs = process.env.BENCH_JWT_CACHE === '0' ? 0 : undefined;
const authorization = createResourceServer({ issuers: [issuer], scopesSupported: ['bench'], defaultScopes: ['bench'], logger: quiet, verifiedTokenCacheMs });
await authorization.warm();
const server = createMcpServer({ info: { name: 'bench-runtime-jwt', version: '1.0.0' }, tools: [echo], stateSecret: 'bench-secret-bench-secret-bench-secret-00', authorization });
const handle = await serveHttp(server, { port: Number(process.env.PORT ?? 0) });
const token = await new SignJWT({ iss: issuer, aud: handle.url, sub: 'bench', scope: 'bench', client_id: 'bench' })
  .setProtectedHeader({ alg: 'RS256', kid: 'bench-1', typ: 'at+jwt' })
  .setIssuedAt()
  .setExpirationTime('2h')
  .sign(privateKey);
process.stdout.write(`ready ${handle.url} ${token}\n`);
