/** What every artifact module produces; the writer decides what happens to each file by its owner. */
import type { LoadedSpec } from '../load/load-spec.ts';
import type { AppModel } from '../app/model.ts';
import type { ProtocolModel } from '../protocol/model.ts';
import type { OutputPlan } from '../plan/plan.ts';
import type { Synthesize } from '../fixtures/synthesis-memo.ts';
import type { RenderMemo } from '../incremental/render-memo.ts';

export type FileOwner = 'generated' | 'user';
/** Who runs a file: a client-only project keeps `client` and `shared` files only. */
export type FileSide = 'server' | 'client' | 'shared';
export type FileLanguage = 'typescript' | 'json' | 'markdown' | 'yaml' | 'html' | 'text';

export interface EmittedFile {
  /** POSIX path relative to the output root. */
  path: string;
  owner: FileOwner;
  language: FileLanguage;
  /** Unformatted text without header; format + header are applied by the format stage. */
  content: string;
  /** Copy as-is (runtime sources): header only, no prettier. */
  verbatim?: boolean;
  /** Laid out exactly as prettier would by its emitter (format/ts-tool-layout.ts): header only, no prettier. */
  preformatted?: boolean;
  /**
   * Written in prettier's layout by a template-based emitter, except where a width decides: prettier
   * is skipped when format/preformatted.ts finds nothing width-dependent in it (every code line
   * fits), else it formats the file as usual.
   */
  prettierShaped?: boolean;
}

/** A revision the output serves: its schema and model (the method table is derived from both). */
export interface ServedRevision {
  spec: Pick<LoadedSpec, 'revision' | 'sha256' | 'document'>;
  protocol: ProtocolModel;
}

export interface EmitContext {
  spec: Pick<LoadedSpec, 'revision' | 'sha256' | 'document'>;
  protocol: ProtocolModel;
  /** Every revision served, the context's own included; absent: only the context's own. */
  served?: ServedRevision[];
  /** Directory (relative to the output root) the protocol layer goes in, e.g. `protocol` or `src/generated/protocol`. */
  protocolDir: string;
}

export interface Artifact {
  id: string;
  emit(ctx: EmitContext): Promise<EmittedFile[]> | EmittedFile[];
}

/** A project generated from a manifest. */
export interface ProjectEmitContext extends EmitContext {
  app: AppModel;
  /** Every file, owner, side and exported name of the project, decided before emission. */
  plan: OutputPlan;
  /** Manifest path relative to the output root (POSIX), e.g. `mcp-gen.yaml`. */
  manifestPath: string;
  /** Contents of each app's HTML template, by app id, read by the load stage. */
  appTemplates: Record<string, string>;
  /**
   * The spec's examples matching the revision's pin (generator/load/spec-examples.ts); empty when
   * no source had them (absent: none). Never the previous run's output: fixtures derive from inputs only.
   */
  specExamples?: { def: string; file: string; value: unknown }[];
  /** Fixture synthesis, memoized across runs by the driver (fixtures/synthesis-memo.ts); absent: computed. */
  synthesize?: Synthesize;
  /** The incremental render cache (incremental/render-memo.ts), given by the driver; absent: everything is rendered. */
  memo?: RenderMemo;
  /** The machine-level cache of the protocol layer (incremental/machine-cache.ts), asked when `memo` misses. */
  protocolMemo?: RenderMemo;
}

export interface ProjectArtifact {
  id: string;
  emit(ctx: ProjectEmitContext): Promise<EmittedFile[]> | EmittedFile[];
}
