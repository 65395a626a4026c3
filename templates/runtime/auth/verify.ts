import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { AuthInfo } from '../context.ts';
import { IssuerUnavailableError } from './fetch-json.ts';
import type { IssuerKeys } from './issuer-keys.ts';

/** A token that must be refused with 401 invalid_token; `reason` is safe to show (never the token). */
export class InvalidTokenError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidTokenError';
  }
}

export interface JwtPolicy {
  issuers: ReadonlyMap<string, IssuerKeys>;
  /** Accepted `aud` values: this server's resource identifier (RFC 8707), plus configured aliases. */
  audiences: readonly string[];
  algorithms: readonly string[];
  clockToleranceSec: number;
  /** e.g. `at+jwt` (RFC 9068); undefined accepts any `typ` (Auth0, Keycloak and Entra send `JWT`). */
  typ?: string;
}

/** Asymmetric JWS algorithms only: `none` and HMAC (a shared secret with the AS) are never accepted. */
export const DEFAULT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;

export function looksLikeJwt(token: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  try {
    decodeProtectedHeader(token);
    return true;
  } catch {
    return false;
  }
}

/** `scope` (RFC 9068, space-separated) or Entra's `scp` (string or array). */
export function scopesOf(claims: Record<string, unknown>): string[] {
  const raw = claims.scope ?? claims.scp;
  if (typeof raw === 'string') return raw.split(' ').filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string');
  return [];
}

export function principalOf(claims: Record<string, unknown>, issuer: string): AuthInfo {
  const clientId = typeof claims.client_id === 'string' ? claims.client_id : typeof claims.azp === 'string' ? claims.azp : undefined;
  return {
    ...(typeof claims.sub === 'string' ? { subject: claims.sub } : {}),
    scopes: scopesOf(claims),
    claims,
    issuer,
    ...(clientId ? { clientId } : {}),
    ...(typeof claims.exp === 'number' ? { expiresAt: claims.exp } : {}),
  };
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' || error.claim === 'iat') return 'token not yet valid';
    if (error.claim === 'aud') return 'token audience is not this resource';
    if (error.claim === 'iss') return 'token issuer is not trusted';
    if (error.claim === 'typ') return 'token type is not accepted';
    return `token claim ${error.claim} is invalid`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'token signing algorithm is not accepted';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature is invalid';
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return 'token signing key is not one of the issuer\'s keys';
  return 'token is malformed';
}

/** Verifies a JWT access token (RFC 9068 / OAuth 2.1 §5.2): signature by the issuer's JWKS, iss exact, aud, exp, nbf, algorithm. */
export async function verifyJwt(token: string, policy: JwtPolicy): Promise<AuthInfo> {
  let iss: unknown;
  try {
    iss = decodeJwt(token).iss;
  } catch {
    throw new InvalidTokenError('token is malformed');
  }
  // The unverified `iss` only picks which trusted issuer's keys to try; jwtVerify checks it again.
  const keys = typeof iss === 'string' ? policy.issuers.get(iss) : undefined;
  if (!keys) throw new InvalidTokenError('token issuer is not trusted');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys.getKey, {
      issuer: keys.issuer,
      audience: [...policy.audiences],
      algorithms: [...policy.algorithms],
      clockTolerance: policy.clockToleranceSec,
      requiredClaims: ['exp'],
      ...(policy.typ ? { typ: policy.typ } : {}),
    }));
  } catch (error) {
    if (error instanceof IssuerUnavailableError) throw error;
    throw new InvalidTokenError(reasonOf(error));
  }
  return principalOf(payload as Record<string, unknown>, keys.issuer);
}
