import type { ResourceServerOptions } from './resource-server.ts';

const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/**
 * Deployment overrides of the manifest's `auth:`: the issuer and the public URL usually differ
 * between a laptop, staging and production, and introspection credentials never belong in a
 * manifest. MCP_AUTH_ISSUERS and MCP_AUTH_AUDIENCES are comma-separated.
 */
export function resourceServerFromEnvironment(
  options: ResourceServerOptions,
  env: Record<string, string | undefined> = process.env,
  introspection?: { endpoint: string | null },
): ResourceServerOptions {
  const issuers = list(env.MCP_AUTH_ISSUERS);
  const audiences = list(env.MCP_AUTH_AUDIENCES);
  const resource = env.MCP_AUTH_RESOURCE?.trim();
  const clientId = env.MCP_AUTH_INTROSPECTION_CLIENT_ID;
  const clientSecret = env.MCP_AUTH_INTROSPECTION_CLIENT_SECRET;
  if (introspection && (!clientId || !clientSecret)) throw new Error('auth.introspection needs MCP_AUTH_INTROSPECTION_CLIENT_ID and MCP_AUTH_INTROSPECTION_CLIENT_SECRET in the environment');
  return {
    ...options,
    ...(issuers && issuers.length > 0 ? { issuers } : {}),
    ...(audiences && audiences.length > 0 ? { audiences } : {}),
    ...(resource ? { resource } : {}),
    ...(introspection && clientId && clientSecret ? { introspection: { clientId, clientSecret, ...(introspection.endpoint ? { endpoint: introspection.endpoint } : {}) } } : {}),
  };
}
