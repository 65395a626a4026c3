/** Generates the protocol layer once per revision into test/tmp (inside the repo so `zod` resolves). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSpec, type LoadedSpec } from '../../generator/load/load-spec.ts';
import { renderProtocolLayer } from '../../generator/pipeline.ts';
import type { ProtocolModel } from '../../generator/protocol/model.ts';
import { hermeticEnv, REPO_ROOT } from './env.ts';

export interface GeneratedLayer {
  dir: string;
  spec: LoadedSpec;
  protocol: ProtocolModel;
}

export async function generateLayer(revision: string, label: string): Promise<GeneratedLayer> {
  const spec = await loadSpec(revision, { env: hermeticEnv() });
  const { protocol, files } = await renderProtocolLayer(spec);
  const dir = join(REPO_ROOT, 'test', 'tmp', `${label}-${revision}-${process.pid}`);
  for (const f of files) {
    mkdirSync(join(dir, f.path, '..'), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  return { dir, spec, protocol };
}
