/**
 * OAuth 2.1 resource server for generated MCP servers (basic/authorization/). Copied into a
 * project only when its manifest has `auth:`; it is the only part of the runtime that needs jose.
 */
export { createResourceServer } from './resource-server.ts';
export type { ResourceServer, ResourceServerOptions } from './resource-server.ts';
export type { IntrospectionOptions } from './introspection.ts';
export type { ScopeRequirements } from './scopes.ts';
export { expandScopes } from './scopes.ts';
export { metadataUrlOf, PRM_WELL_KNOWN } from './protected-resource.ts';
export { resourceServerFromEnvironment } from './environment.ts';
