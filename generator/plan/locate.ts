/** Where a manifest entry (by kind and name) is written, so plan diagnostics can point at it. */
import type { SourcePosition } from '../diagnostics/diagnostic.ts';
import type { Manifest } from '../manifest/manifest-definition.ts';
import { manifestKeyPosition, manifestPosition } from '../manifest/manifest-positions.ts';
import type { SymbolOrigin } from './symbols.ts';

export function locateOrigin(manifest: Manifest, origin: SymbolOrigin): SourcePosition | undefined {
  const at = (list: readonly unknown[], key: string, path: string, field: string) => {
    const index = list.findIndex((entry) => (entry as Record<string, unknown>)[key] === origin.name);
    return index < 0 ? undefined : manifestPosition(manifest, [path, index, field]);
  };
  switch (origin.kind) {
    case 'tool':
      return at(manifest.tools, 'name', 'tools', 'name');
    case 'prompt':
      return at(manifest.prompts, 'name', 'prompts', 'name');
    case 'resource':
      return at(manifest.resources, 'name', 'resources', 'name');
    case 'resource template':
      return at(manifest.resourceTemplates, 'name', 'resourceTemplates', 'name');
    case 'app':
      return at(manifest.apps, 'id', 'apps', 'id');
    case 'schema':
      return manifestKeyPosition(manifest, ['schemas', origin.name]);
    case 'server':
      return manifestPosition(manifest, ['server', 'name']);
  }
}
