/** Hermetic test environment: the spec mirror beside the repo and a throwaway cache. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const SHARED_SPEC = process.env.MCP_GEN_SPEC_MIRROR
  ? resolve(process.env.MCP_GEN_SPEC_MIRROR)
  : resolve(REPO_ROOT, '..', 'shared', 'spec');

export function tempDir(prefix = 'mcp-gen-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function hermeticEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { MCP_GEN_SPEC_MIRROR: SHARED_SPEC, MCP_GEN_CACHE_DIR: tempDir('mcp-gen-cache-'), ...extra };
}
