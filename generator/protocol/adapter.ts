import type { SpecDocument } from '../load/load-spec.ts';
import type { MethodInfo, MetaKey, ProtocolFeatures } from './model.ts';

/** One per schema *structure*; answers only what differs between revisions (DESIGN.md §8). */
export interface RevisionAdapter {
  structure: 'stateless' | 'session';
  /** Structural detection, so an unpinned --schema file still finds its adapter. */
  recognizes(doc: SpecDocument): boolean;
  build(doc: SpecDocument): {
    methods: MethodInfo[];
    meta: { request: MetaKey[]; result: MetaKey[]; notification: MetaKey[] };
    features: ProtocolFeatures;
  };
}
