/** Ordered artifact registry: adding an artifact is one module plus one line here (DESIGN.md §8). */
import type { Artifact, EmitContext, EmittedFile } from './artifact.ts';
import { protocolMethods } from './artifacts/protocol-methods.ts';
import { protocolSchemas } from './artifacts/protocol-schemas.ts';
import { protocolTypes } from './artifacts/protocol-types.ts';

export const PROTOCOL_ARTIFACTS: readonly Artifact[] = [protocolTypes, protocolSchemas, protocolMethods];

export async function emitArtifacts(artifacts: readonly Artifact[], ctx: EmitContext): Promise<EmittedFile[]> {
  const out: EmittedFile[] = [];
  const seen = new Set<string>();
  for (const artifact of artifacts) {
    for (const file of await artifact.emit(ctx)) {
      if (seen.has(file.path)) throw new Error(`mcp-gen bug: two artifacts emit ${file.path}`);
      seen.add(file.path);
      out.push(file);
    }
  }
  return out;
}
