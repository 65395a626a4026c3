/**
 * The OAuth side of the conformance client (../shared/conformance.md §6.3): what a real
 * application would configure, per scenario. The referee's mock authorization server approves
 * every request at once, so the "login" follows the authorization URL's redirect without a
 * browser and hands the `Location` back, exactly as a user's browser would deliver it.
 */
import { createOAuth, type LoginHandler, type OAuthClientAuth } from '../../templates/runtime/client/index.ts';

/** The URL the referee expects as a client ID metadata document (auth/basic-cimd). */
const CLIENT_METADATA_URL = 'https://conformance-test.local/client-metadata.json';

export const followRedirectLogin: LoginHandler = {
  redirectUri: async () => 'http://localhost:3000/callback',
  async authorize(url, signal) {
    const response = await fetch(url, { redirect: 'manual', ...(signal && { signal }) });
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (!location) throw new Error(`authorization endpoint answered ${response.status} without a redirect`);
    return new URL(location, url);
  },
};

export function conformanceAuth(scenario: string, context: Record<string, unknown>): OAuthClientAuth {
  const str = (key: string) => (typeof context[key] === 'string' ? (context[key] as string) : undefined);
  if (scenario === 'auth/client-credentials-basic' || scenario === 'auth/client-credentials-jwt')
    return createOAuth({
      clientCredentials: {
        clientId: str('client_id')!,
        ...(str('client_secret') !== undefined && { clientSecret: str('client_secret')! }),
        ...(str('private_key_pem') !== undefined && { privateKey: str('private_key_pem')!, algorithm: str('signing_algorithm') ?? 'ES256' }),
      },
    });
  if (scenario === 'auth/enterprise-managed-authorization')
    return createOAuth({
      enterprise: {
        idpTokenEndpoint: str('idp_token_endpoint')!,
        idpIssuer: str('idp_issuer')!,
        idpClientId: str('idp_client_id')!,
        idToken: str('idp_id_token')!,
        clientId: str('client_id')!,
        clientSecret: str('client_secret')!,
      },
    });
  if (scenario === 'auth/wif-jwt-bearer') return createOAuth({ workloadIdentity: { clientId: str('client_id')!, assertion: str('valid_jwt')! } });
  const issuer = str('issuer');
  return createOAuth({
    login: followRedirectLogin,
    clientName: 'mcp-gen-conformance-client',
    clientMetadataUrl: CLIENT_METADATA_URL,
    ...(str('client_id') !== undefined && issuer !== undefined && { clients: { [issuer]: { clientId: str('client_id')!, ...(str('client_secret') !== undefined && { clientSecret: str('client_secret')! }) } } }),
  });
}
