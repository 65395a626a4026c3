/** Builds the ProtocolModel of a loaded spec by picking the adapter that recognizes its structure. */
import { DiagnosticError, diag } from '../diagnostics/diagnostic.ts';
import type { LoadedSpec } from '../load/load-spec.ts';
import type { RevisionAdapter } from './adapter.ts';
import type { ProtocolModel } from './model.ts';
import { capabilityNames, errorCodesDefinedBySchema } from './rules.ts';
import { session2025 } from './versions/2025-11-25.ts';
import { stateless2026 } from './versions/2026-07-28.ts';

/** Newest structure first: a future revision that keeps the newest structure needs no new adapter. */
const adapters: readonly RevisionAdapter[] = [stateless2026, session2025];

export function buildProtocolModel(spec: Pick<LoadedSpec, 'revision' | 'sha256' | 'document'>): ProtocolModel {
  const adapter = adapters.find((a) => a.recognizes(spec.document));
  if (!adapter) {
    throw new DiagnosticError(
      diag('MG1008', `the schema for ${spec.revision} matches no known MCP schema structure (neither InputRequest nor ServerRequest+InitializeRequest)`),
    );
  }
  const built = adapter.build(spec.document);
  return {
    revision: spec.revision,
    sha256: spec.sha256,
    era: adapter.structure,
    features: built.features,
    methods: built.methods,
    errorCodes: errorCodesDefinedBySchema(spec.document),
    meta: built.meta,
    capabilities: {
      client: capabilityNames(spec.document, 'ClientCapabilities'),
      server: capabilityNames(spec.document, 'ServerCapabilities'),
    },
    defs: Object.keys(spec.document.$defs).sort(),
  };
}
