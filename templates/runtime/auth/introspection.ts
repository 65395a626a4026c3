import type { AuthInfo } from '../context.ts';
import { IssuerUnavailableError } from './fetch-json.ts';
import { principalOf, InvalidTokenError } from './verify.ts';

export interface IntrospectionOptions {
  /** RFC 7662 endpoint; default: `introspection_endpoint` from the issuer's metadata. */
  endpoint?: string;
  /** This resource server's credentials at the AS (client_secret_basic). */
  clientId: string;
  clientSecret: string;
  /** Which configured issuer answers for opaque tokens. Default: the first. */
  issuer?: string;
}

/**
 * RFC 7662 introspection for opaque access tokens. Only `active: true` with an unexpired `exp`,
 * an `aud` naming this resource and (when present) the expected `iss` is accepted: an active
 * token issued for another resource is still foreign here (RFC 8707).
 */
export async function introspect(
  token: string,
  endpoint: string,
  options: IntrospectionOptions & { issuer: string; audiences: readonly string[]; timeoutMs: number; clockToleranceSec: number; fetch?: typeof fetch },
): Promise<AuthInfo> {
  const form = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(endpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${form(options.clientId)}:${form(options.clientSecret)}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    throw new IssuerUnavailableError(`introspection unreachable: ${(error as Error).name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : (error as Error).message}`, 5);
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new IssuerUnavailableError(`introspection answered HTTP ${response.status}`, 5);
  }
  const claims = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (claims.active !== true) throw new InvalidTokenError('token is not active');
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp + options.clockToleranceSec <= now) throw new InvalidTokenError('token expired');
  if (typeof claims.nbf === 'number' && claims.nbf - options.clockToleranceSec > now) throw new InvalidTokenError('token not yet valid');
  if (claims.iss !== undefined && claims.iss !== options.issuer) throw new InvalidTokenError('token issuer is not trusted');
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.some((a) => typeof a === 'string' && options.audiences.includes(a))) throw new InvalidTokenError('token audience is not this resource');
  return principalOf(claims, options.issuer);
}
