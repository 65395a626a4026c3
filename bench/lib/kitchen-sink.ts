/**
 * The kitchen-sink example (examples/kitchen-sink: real handlers) generated twice for bench:server:
 * as written (`spec: 2026-07-28`, so it serves both eras: the 2025-11-25 session adapter sits
 * beside the stateless wire) and with `serve: [2026-07-28]` (modern-only, no legacy adapter).
 * Same handlers, same runtime; the only difference is the served revisions (docs/manifest.md `serve`).
 * Generated into test/tmp (inside the repo, so `zod` resolves); removed by `remove()`.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateProject } from '../../generator/project.ts';
import { hermeticEnv, REPO_ROOT } from '../../test/helpers/env.ts';

export type KitchenSinkVariant = 'dual-era' | 'modern-only';

export async function generateKitchenSink(variant: KitchenSinkVariant): Promise<{ dir: string; remove(): void }> {
  const source = join(REPO_ROOT, 'examples/kitchen-sink');
  const dir = join(REPO_ROOT, 'test/tmp', `bench-kitchen-sink-${variant}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  cpSync(source, dir, { recursive: true, filter: (src) => !/[\\/](src[\\/]generated|node_modules|dist|\.mcp-gen)([\\/]|$)/.test(src.slice(source.length)) });
  if (variant === 'modern-only') {
    const manifest = join(dir, 'mcp-gen.yaml');
    const text = readFileSync(manifest, 'utf8');
    if (!/^spec: 2026-07-28$/m.test(text) || /^serve:/m.test(text)) throw new Error('examples/kitchen-sink/mcp-gen.yaml changed: expected `spec: 2026-07-28` and no `serve:`');
    writeFileSync(manifest, text.replace(/^spec: 2026-07-28$/m, 'spec: 2026-07-28\nserve: [2026-07-28]'));
  }
  await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env: hermeticEnv() } });
  const served = readFileSync(join(dir, 'src/generated/protocol/revisions/index.ts'), 'utf8');
  if ((variant === 'modern-only') === served.includes('2025-11-25')) throw new Error(`kitchen-sink ${variant}: unexpected served revisions in src/generated/protocol/revisions/index.ts`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
