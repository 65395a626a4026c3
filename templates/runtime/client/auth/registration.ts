import * as oauth from 'oauth4webapi';
import { McpAuthError } from './errors.ts';
import type { OAuthRequestOptions } from './request-options.ts';
import type { StoredClient, TokenStore } from './token-store.ts';

/**
 * Which client identity to use at an authorization server, in the spec's priority order
 * (../shared/spec/2026-07-28/docs/basic/authorization/client-registration.mdx): a pre-registered
 * client for that issuer, a Client ID Metadata Document URL when the server supports them, a
 * client registered earlier with this very issuer, Dynamic Client Registration (with
 * `application_type`), and finally the application's own prompt. Registrations are stored under
 * the issuer and never offered to another one.
 */
export interface PreRegisteredClient {
  clientId: string;
  clientSecret?: string;
  /** Default: `client_secret_basic` with a secret (or `client_secret_post` when only that is supported), else `none`. */
  tokenEndpointAuthMethod?: string;
}

export interface RegistrationOptions {
  /** Pre-registered clients, keyed by authorization-server issuer (exact string). */
  clients?: Record<string, PreRegisteredClient> | ((issuer: string) => PreRegisteredClient | undefined);
  /** An https URL hosting this client's metadata document (`client_id` equal to the URL). */
  clientMetadataUrl?: string;
  clientName?: string;
  /** DCR `application_type`: `native` for CLIs, desktop and localhost apps (default), `web` for hosted apps. */
  applicationType?: 'native' | 'web';
  /** Last resort: ask the user for a client registered out of band. */
  askForClient?: (issuer: string, as: oauth.AuthorizationServer) => Promise<PreRegisteredClient | undefined>;
}

export interface RegistrationContext {
  store: TokenStore;
  redirectUri: string | undefined;
  requestOptions: OAuthRequestOptions;
}

/** RFC 8414 §2 default when the server lists nothing is `client_secret_basic`. */
function supportedMethods(as: oauth.AuthorizationServer): string[] {
  return as.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
}

export function defaultAuthMethod(as: oauth.AuthorizationServer, hasSecret: boolean): string {
  if (!hasSecret) return 'none';
  const methods = supportedMethods(as);
  return methods.includes('client_secret_basic') || !methods.includes('client_secret_post') ? 'client_secret_basic' : 'client_secret_post';
}

function fromPreRegistered(client: PreRegisteredClient, as: oauth.AuthorizationServer): StoredClient {
  return {
    clientId: client.clientId,
    ...(client.clientSecret !== undefined && { clientSecret: client.clientSecret }),
    tokenEndpointAuthMethod: client.tokenEndpointAuthMethod ?? defaultAuthMethod(as, client.clientSecret !== undefined),
  };
}

function preRegistered(options: RegistrationOptions, issuer: string): PreRegisteredClient | undefined {
  const { clients } = options;
  if (!clients) return undefined;
  return typeof clients === 'function' ? clients(issuer) : Object.hasOwn(clients, issuer) ? clients[issuer] : undefined;
}

/**
 * RFC 7591 §3.2.1 requires `client_secret_expires_at` beside a secret, and oauth4webapi enforces
 * it; servers that omit it mean "does not expire" (the value 0), so that is what is read.
 */
async function processRegistration(response: Response): Promise<oauth.OmitSymbolProperties<oauth.Client>> {
  const text = await response.clone().text();
  try {
    return await oauth.processDynamicClientRegistrationResponse(response);
  } catch (error) {
    const body = (() => {
      try {
        return JSON.parse(text) as Record<string, unknown>;
      } catch {
        return undefined;
      }
    })();
    if (!body || typeof body.client_secret !== 'string' || body.client_secret_expires_at !== undefined) throw error;
    const patched = new Response(JSON.stringify({ ...body, client_secret_expires_at: 0 }), { status: response.status, headers: { 'content-type': 'application/json' } });
    return oauth.processDynamicClientRegistrationResponse(patched);
  }
}

export async function resolveClient(as: oauth.AuthorizationServer, options: RegistrationOptions, ctx: RegistrationContext): Promise<StoredClient> {
  const issuer = as.issuer;
  const pre = preRegistered(options, issuer);
  if (pre) return fromPreRegistered(pre, as);

  if (options.clientMetadataUrl && as.client_id_metadata_document_supported === true) return { clientId: options.clientMetadataUrl, tokenEndpointAuthMethod: 'none' };

  const stored = await ctx.store.getClient(issuer);
  // A loopback redirect URI on a new port is a new registration; the old one would be refused.
  if (stored && (ctx.redirectUri === undefined || stored.redirectUri === undefined || stored.redirectUri === ctx.redirectUri)) return stored;

  if (as.registration_endpoint) {
    const methods = supportedMethods(as);
    const method = ['none', 'client_secret_basic', 'client_secret_post'].find((m) => methods.includes(m)) ?? 'client_secret_basic';
    const metadata: Partial<oauth.OmitSymbolProperties<oauth.Client>> = {
      client_name: options.clientName ?? 'MCP client',
      application_type: options.applicationType ?? 'native',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: method,
      ...(ctx.redirectUri !== undefined && { redirect_uris: [ctx.redirectUri] }),
    };
    let registered: oauth.OmitSymbolProperties<oauth.Client>;
    try {
      registered = await processRegistration(await oauth.dynamicClientRegistrationRequest(as, metadata, ctx.requestOptions));
    } catch (cause) {
      throw new McpAuthError('registration_required', `dynamic client registration at ${issuer} failed: ${(cause as Error).message}`, { cause });
    }
    const secret = typeof registered.client_secret === 'string' ? registered.client_secret : undefined;
    const client: StoredClient = {
      clientId: registered.client_id,
      ...(secret !== undefined && { clientSecret: secret }),
      tokenEndpointAuthMethod: typeof registered.token_endpoint_auth_method === 'string' ? registered.token_endpoint_auth_method : defaultAuthMethod(as, secret !== undefined),
      ...(ctx.redirectUri !== undefined && { redirectUri: ctx.redirectUri }),
    };
    await ctx.store.setClient(issuer, client);
    return client;
  }

  const asked = await options.askForClient?.(issuer, as);
  if (asked) return fromPreRegistered(asked, as);
  throw new McpAuthError(
    'registration_required',
    `no client registration for authorization server ${issuer}: it supports neither client ID metadata documents${options.clientMetadataUrl ? '' : ' (none configured)'} nor dynamic registration; configure a pre-registered client for this issuer`,
  );
}

/**
 * `client_secret_basic` with RFC 6749 §2.3.1's encoding, application/x-www-form-urlencoded
 * (Appendix B), which leaves `-`, `.`, `_` and `*` alone. oauth4webapi's own percent-encodes them
 * too, which servers that skip the decoding step (several do) then reject.
 */
export function clientSecretBasic(clientSecret: string): oauth.ClientAuth {
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  return (_as, client, _body, headers) => {
    headers.set('authorization', `Basic ${Buffer.from(`${encode(client.client_id)}:${encode(clientSecret)}`).toString('base64')}`);
  };
}

/** oauth4webapi's client authentication for a stored client. */
export function clientAuthentication(client: StoredClient): oauth.ClientAuth {
  switch (client.tokenEndpointAuthMethod) {
    case 'client_secret_basic':
      return clientSecretBasic(client.clientSecret ?? '');
    case 'client_secret_post':
      return oauth.ClientSecretPost(client.clientSecret ?? '');
    case 'none':
      return oauth.None();
    default:
      throw new McpAuthError('registration_required', `token endpoint authentication method ${client.tokenEndpointAuthMethod} is not supported by this client`);
  }
}
