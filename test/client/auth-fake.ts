/**
 * A small authorization server and protected MCP endpoint on 127.0.0.1 for the client's OAuth
 * tests, each behaviour switchable so a test can make it lie: a foreign PRM `resource`, an
 * `issuer` that differs by a trailing slash, a wrong `iss` in the redirect, no PKCE methods,
 * operations that need more scope than was granted. It records every request it receives, so a
 * test can assert what was (and was not) sent where.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeOptions {
  prmResource?: (serverUrl: string) => string;
  /** The issuer the PRM names (default this fake's). */
  prmIssuer?: (issuer: string) => string;
  metadataIssuer?: (issuer: string) => string;
  issInRedirect?: 'correct' | 'wrong' | 'omit';
  issSupported?: boolean;
  pkce?: boolean;
  /** Scopes a method needs (default none). */
  scopeFor?: (method: string) => string[];
  scopesSupported?: string[];
  /** Scopes the AS will ever grant (default: whatever is asked). */
  grantable?: string[];
  expiresIn?: number;
  refresh?: boolean;
}

export interface Seen {
  path: string;
  method: string;
  authorization?: string;
  query: Record<string, string>;
  form: Record<string, string>;
}

export interface Fake {
  url: string;
  issuer: string;
  seen: Seen[];
  tokens: Map<string, string[]>;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => resolve(body));
  });

export async function startFake(options: FakeOptions = {}): Promise<Fake> {
  const seen: Seen[] = [];
  const tokens = new Map<string, string[]>();
  const refreshTokens = new Map<string, string[]>();
  const codes = new Map<string, { challenge: string; scopes: string[] }>();
  let base = '';
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', base);
    const text = await readBody(req);
    const form = req.headers['content-type']?.includes('x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(text)) : {};
    seen.push({ path: url.pathname, method: req.method ?? '', ...(req.headers.authorization && { authorization: req.headers.authorization }), query: Object.fromEntries(url.searchParams), form });
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    const issuer = `${base}/as`;
    const prmUrl = `${base}/.well-known/oauth-protected-resource/mcp`;

    if (url.pathname === '/.well-known/oauth-protected-resource/mcp')
      return json(200, { resource: options.prmResource?.(`${base}/mcp`) ?? `${base}/mcp`, authorization_servers: [options.prmIssuer?.(issuer) ?? issuer], ...(options.scopesSupported && { scopes_supported: options.scopesSupported }) });
    if (url.pathname === '/.well-known/oauth-authorization-server/as')
      return json(200, {
        issuer: options.metadataIssuer?.(issuer) ?? issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        registration_endpoint: `${issuer}/register`,
        response_types_supported: ['code'],
        ...(options.pkce !== false && { code_challenge_methods_supported: ['S256'] }),
        ...(options.issSupported !== undefined && { authorization_response_iss_parameter_supported: options.issSupported }),
        token_endpoint_auth_methods_supported: ['none'],
      });
    if (url.pathname === '/as/register') return json(201, { client_id: `client-${randomUUID()}`, token_endpoint_auth_method: 'none' });
    if (url.pathname === '/as/authorize') {
      const code = randomUUID();
      const asked = (url.searchParams.get('scope') ?? '').split(' ').filter(Boolean);
      codes.set(code, { challenge: url.searchParams.get('code_challenge') ?? '', scopes: options.grantable ? asked.filter((s) => options.grantable!.includes(s)) : asked });
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      if (options.issInRedirect !== 'omit') back.searchParams.set('iss', options.issInRedirect === 'wrong' ? `${issuer}/` : issuer);
      return res.writeHead(302, { location: back.href }).end();
    }
    if (url.pathname === '/as/token') {
      let scopes: string[];
      if (form.grant_type === 'authorization_code') {
        const grant = codes.get(form.code ?? '');
        codes.delete(form.code ?? '');
        if (!grant || createHash('sha256').update(form.code_verifier ?? '').digest('base64url') !== grant.challenge) return json(400, { error: 'invalid_grant' });
        scopes = grant.scopes;
      } else if (form.grant_type === 'refresh_token') {
        const granted = refreshTokens.get(form.refresh_token ?? '');
        // Rotation: a refresh token works once.
        refreshTokens.delete(form.refresh_token ?? '');
        if (!granted) return json(400, { error: 'invalid_grant' });
        scopes = granted;
      } else return json(400, { error: 'unsupported_grant_type' });
      const access = `at-${randomUUID()}`;
      tokens.set(access, scopes);
      const refresh = options.refresh ? `rt-${randomUUID()}` : undefined;
      if (refresh) refreshTokens.set(refresh, scopes);
      return json(200, { access_token: access, token_type: 'Bearer', expires_in: options.expiresIn ?? 3600, ...(refresh && { refresh_token: refresh }), scope: scopes.join(' ') });
    }
    if (url.pathname === '/mcp') {
      const message = JSON.parse(text || '{}') as { id?: unknown; method?: string };
      const token = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : undefined;
      const granted = token ? tokens.get(token) : undefined;
      if (!granted) return json(401, { error: 'invalid_token' }, { 'www-authenticate': `Bearer resource_metadata="${prmUrl}"` });
      const needed = options.scopeFor?.(message.method ?? '') ?? [];
      if (!needed.every((s) => granted.includes(s)))
        return json(403, { error: 'insufficient_scope' }, { 'www-authenticate': `Bearer error="insufficient_scope", scope="${needed.join(' ')}", resource_metadata="${prmUrl}"` });
      const result = message.method === 'tools/list' ? { tools: [{ name: 'echo', inputSchema: { type: 'object' } }] } : { content: [{ type: 'text', text: 'ok' }] };
      return json(200, { jsonrpc: '2.0', id: message.id, result: { resultType: 'complete', ...result } });
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/mcp`,
    issuer: `${base}/as`,
    seen,
    tokens,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Follows the authorization redirect without a browser (the fake approves at once). */
export const redirectLogin = {
  redirectUri: async () => 'http://127.0.0.1:9/callback',
  async authorize(url: URL) {
    const response = await fetch(url, { redirect: 'manual' });
    await response.body?.cancel();
    return new URL(response.headers.get('location')!);
  },
};
