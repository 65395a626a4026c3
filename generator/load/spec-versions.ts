/** The pinned revisions in spec/versions.json: the only revisions mcp-gen verifies by hash. */
import { readFileSync } from 'node:fs';
import { SPEC_VERSIONS_FILE } from '../paths.ts';

export interface PinnedRevision {
  revision: string;
  url: string;
  sha256: string;
  era: 'stateless' | 'session';
  /** sha256 over the revision's examples (generator/load/spec-examples.ts `examplesDigest`), when pinned. */
  examplesSha256?: string;
}

interface VersionsFile {
  upstream: { repository: string; commit: string };
  latest: string;
  revisions: Record<string, Omit<PinnedRevision, 'revision'>>;
}

let cached: VersionsFile | undefined;
function versionsFile(): VersionsFile {
  cached ??= JSON.parse(readFileSync(SPEC_VERSIONS_FILE, 'utf8')) as VersionsFile;
  return cached;
}

/** Newest first. */
export function pinnedRevisions(): PinnedRevision[] {
  return Object.entries(versionsFile().revisions)
    .map(([revision, pin]) => ({ revision, ...pin }))
    .sort((a, b) => (a.revision < b.revision ? 1 : -1));
}

export function findPin(revision: string): PinnedRevision | undefined {
  return pinnedRevisions().find((p) => p.revision === revision);
}



/** The upstream repository and commit every pinned file comes from. */
export function upstreamSource(): { repository: string; commit: string } {
  return versionsFile().upstream;
}
