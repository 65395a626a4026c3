/**
 * The driver: load → model → emit → format → write. Only load and write touch the filesystem.
 */
import { resolve } from 'node:path';
import type { EmitContext } from './emit/artifact.ts';
import { emitArtifacts, PROTOCOL_ARTIFACTS } from './emit/registry.ts';
import { formatAll, type FinalFile } from './format/format.ts';
import { loadSpec, type LoadedSpec, type SpecSourceOptions } from './load/load-spec.ts';
import { buildProtocolModel } from './protocol/build.ts';
import type { ProtocolModel } from './protocol/model.ts';
import { GENERATOR_VERSION } from './paths.ts';
import { writeOutput, type WriteMode, type WriteReport } from './write/write-output.ts';

export interface ProtocolOnlyOptions {
  revision?: string;
  source?: SpecSourceOptions;
  outDir: string;
  mode: WriteMode;
  beforeCommitStep?: (index: number, path: string) => void;
}

export interface PipelineResult {
  spec: LoadedSpec;
  protocol: ProtocolModel;
  files: FinalFile[];
  report: WriteReport;
}

/** Pure part: spec in, formatted files out. */
export async function renderProtocolLayer(
  spec: Pick<LoadedSpec, 'revision' | 'sha256' | 'document'>,
  protocolDir = 'protocol',
  command = 'mcp-gen generate --protocol-only',
): Promise<{ protocol: ProtocolModel; files: FinalFile[] }> {
  const protocol = buildProtocolModel(spec);
  const ctx: EmitContext = { spec, protocol, protocolDir };
  const emitted = await emitArtifacts(PROTOCOL_ARTIFACTS, ctx);
  const files = await formatAll(emitted, { revision: spec.revision, sha256: spec.sha256, command });
  return { protocol, files };
}

export async function generateProtocolOnly(opts: ProtocolOnlyOptions): Promise<PipelineResult> {
  const spec = await loadSpec(opts.revision, opts.source);
  const { protocol, files } = await renderProtocolLayer(spec);
  const report = await writeOutput({
    outDir: resolve(opts.outDir),
    files,
    deletableRoots: ['protocol'],
    lock: { generator: { name: 'mcp-gen', version: GENERATOR_VERSION }, spec: { revision: spec.revision, sha256: spec.sha256 } },
    mode: opts.mode,
    beforeCommitStep: opts.beforeCommitStep,
  });
  return { spec, protocol, files, report };
}
