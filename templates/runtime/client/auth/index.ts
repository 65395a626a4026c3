/**
 * OAuth 2.1 for generated MCP clients (../shared/spec/2026-07-28/docs/basic/authorization/):
 * `createOAuth(options)` gives the `auth` a client is created with. See docs/client.md "Authorization".
 */
export { createOAuth, OAuthClientAuth } from './oauth-client.ts';
export type { ClientCredentialsGrant, EnterpriseGrant, OAuthClientOptions, WorkloadIdentityGrant } from './oauth-client.ts';
export { loopbackLogin, openInBrowser } from './login.ts';
export type { LoginHandler, LoopbackLoginOptions } from './login.ts';
export { FileTokenStore, MemoryTokenStore } from './token-store.ts';
export type { StoredClient, StoredTokens, TokenStore } from './token-store.ts';
export type { PreRegisteredClient, RegistrationOptions } from './registration.ts';
export type { InsecurePolicy } from './endpoint-policy.ts';
export { McpAuthError } from './errors.ts';
export { bearerChallenge, parseChallenges } from './challenge.ts';
export type { BearerChallenge } from './challenge.ts';
