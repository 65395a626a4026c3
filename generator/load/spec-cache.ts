/** Where downloaded spec files live (`$MCP_GEN_CACHE_DIR`, else ~/.cache/mcp-gen) and how they are hashed. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MCP_GEN_CACHE_DIR ? resolve(env.MCP_GEN_CACHE_DIR) : join(homedir(), '.cache', 'mcp-gen');
}

export function cachedSchemaPath(revision: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'spec', revision, 'schema.json');
}

export function cachedExamplesDir(revision: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'spec', revision, 'examples');
}

export { sha256Hex } from '../sha256.ts';
