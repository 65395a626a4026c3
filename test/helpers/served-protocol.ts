/**
 * The generated method tables of both revisions (protocol/revisions/*.ts), emitted into test/tmp
 * (inside the repo so `zod` resolves) and imported, so runtime tests dispatch with the very tables
 * a generated project passes to createMcpServer. Unformatted: prettier changes no behaviour.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { emitArtifacts, PROTOCOL_ARTIFACTS } from '../../generator/emit/registry.ts';
import { loadSpec } from '../../generator/load/load-spec.ts';
import { buildProtocolModel } from '../../generator/protocol/build.ts';
import type { ProtocolRevision } from '../../templates/runtime/protocol-table.ts';
import { hermeticEnv, REPO_ROOT } from './env.ts';

export const SERVED = ['2026-07-28', '2025-11-25'] as const;

async function generateTables(): Promise<readonly ProtocolRevision[]> {
  const env = hermeticEnv();
  const served = await Promise.all(SERVED.map(async (revision) => {
    const spec = await loadSpec(revision, { env });
    return { spec, protocol: buildProtocolModel(spec) };
  }));
  const [own] = served;
  const files = await emitArtifacts(PROTOCOL_ARTIFACTS, { spec: own!.spec, protocol: own!.protocol, protocolDir: 'protocol', served });
  const dir = join(REPO_ROOT, 'test', 'tmp', `served-protocol-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  for (const file of files) {
    const path = join(dir, file.path);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(`${path}.tmp`, file.content);
    renameSync(`${path}.tmp`, path);
  }
  const index = (await import(pathToFileURL(join(dir, 'protocol', 'revisions', 'index.ts')).href)) as { SERVED_REVISIONS: readonly ProtocolRevision[] };
  return index.SERVED_REVISIONS;
}

/** Both revisions' tables, newest first (what a default `spec: 2026-07-28` project serves). */
export const SERVED_REVISIONS: readonly ProtocolRevision[] = await generateTables();
