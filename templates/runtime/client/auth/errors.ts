import { McpClientError } from '../errors.ts';

/**
 * Why an OAuth step refused to continue. `kind` is stable for programs:
 * - `resource_mismatch`: the protected-resource metadata names another resource than the server;
 * - `issuer_mismatch`: authorization-server metadata whose `issuer` differs from the one asked for;
 * - `iss_mismatch`: the authorization response's RFC 9207 `iss` is absent where required or differs;
 * - `insecure_endpoint`, `pkce_unsupported`, `discovery_failed`, `registration_required`,
 *   `authorization_failed` (the login did not produce a token), `token_rejected` (a fresh token
 *   was refused again), `insufficient_scope` (step-up attempts exhausted).
 * Each is raised before any token is sent to the party that caused it.
 */
export class McpAuthError extends McpClientError {
  constructor(kind: string, message: string, options?: { cause?: unknown }) {
    super(kind, message, options);
    this.name = 'McpAuthError';
  }
}
