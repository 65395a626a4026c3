/** Ordered artifact registry: adding an artifact is one module plus one line here (DESIGN.md §8). */
import type { Artifact, EmitContext, EmittedFile, ProjectArtifact } from './artifact.ts';
import { appsArtifact } from './artifacts/project/apps.ts';
import { clientSdk } from './artifacts/project/client-sdk.ts';
import { conformanceFixtures } from './artifacts/project/conformance-fixtures.ts';
import { officialConformance } from './artifacts/project/official-conformance.ts';
import { handlerStubs } from './artifacts/project/handler-stubs.ts';
import { manifestSchemaFile } from './artifacts/project/manifest-schema-file.ts';
import { projectFiles } from './artifacts/project/project-files.ts';
import { promptContracts, resourceContracts } from './artifacts/project/registry-contracts.ts';
import { runtimeCopy } from './artifacts/project/runtime-copy.ts';
import { sharedSchemas } from './artifacts/project/shared-schemas.ts';
import { serverWiring } from './artifacts/project/server-wiring.ts';
import { toolContracts } from './artifacts/project/tool-contracts.ts';
import { protocolMethods } from './artifacts/protocol-methods.ts';
import { protocolRevisions } from './artifacts/protocol-revisions.ts';
import { protocolSchemas } from './artifacts/protocol-schemas.ts';
import { protocolTypes } from './artifacts/protocol-types.ts';

export const PROTOCOL_ARTIFACTS: readonly Artifact[] = [protocolTypes, protocolSchemas, protocolMethods, protocolRevisions];

/** Everything a project from a manifest gets, protocol layer first. */
export const PROJECT_ARTIFACTS: readonly ProjectArtifact[] = [
  ...PROTOCOL_ARTIFACTS,
  runtimeCopy,
  sharedSchemas,
  toolContracts,
  promptContracts,
  resourceContracts,
  serverWiring,
  appsArtifact,
  handlerStubs,
  projectFiles,
  manifestSchemaFile,
  conformanceFixtures,
  officialConformance,
  clientSdk,
];

export async function emitArtifacts<C extends EmitContext>(
  artifacts: readonly { id: string; emit(ctx: C): Promise<EmittedFile[]> | EmittedFile[] }[],
  ctx: C,
  /** Told how long each artifact took (MCP_GEN_TIMINGS=2). */
  timed?: (id: string, ms: number) => void,
): Promise<EmittedFile[]> {
  const out: EmittedFile[] = [];
  const seen = new Set<string>();
  for (const artifact of artifacts) {
    const start = timed ? performance.now() : 0;
    const files = await artifact.emit(ctx);
    timed?.(artifact.id, performance.now() - start);
    for (const file of files) {
      if (seen.has(file.path)) throw new Error(`mcp-gen bug: two artifacts emit ${file.path}`);
      seen.add(file.path);
      out.push(file);
    }
  }
  return out;
}
