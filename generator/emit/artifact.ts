/** What every artifact module produces; the writer decides what happens to each file by its owner. */
import type { LoadedSpec } from '../load/load-spec.ts';
import type { ProtocolModel } from '../protocol/model.ts';

export type FileOwner = 'generated' | 'user';
export type FileLanguage = 'typescript' | 'json' | 'markdown' | 'yaml' | 'html' | 'text';

export interface EmittedFile {
  /** POSIX path relative to the output root. */
  path: string;
  owner: FileOwner;
  language: FileLanguage;
  /** Unformatted text without header; format + header are applied by the format stage. */
  content: string;
}

export interface EmitContext {
  spec: Pick<LoadedSpec, 'revision' | 'sha256' | 'document'>;
  protocol: ProtocolModel;
  /** Directory (relative to the output root) the protocol layer goes in, e.g. `protocol` or `src/generated/protocol`. */
  protocolDir: string;
}

export interface Artifact {
  id: string;
  emit(ctx: EmitContext): Promise<EmittedFile[]> | EmittedFile[];
}
