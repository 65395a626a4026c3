/** Loads a manifest file the way the CLI will, with paths shown relative to the manifest's folder. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAppModel } from '../../generator/app/build.ts';
import type { AppModel } from '../../generator/app/model.ts';
import { renderDiagnostics, type Diagnostic } from '../../generator/diagnostics/diagnostic.ts';
import type { Manifest } from '../../generator/manifest/manifest-definition.ts';
import { parseManifest } from '../../generator/manifest/load-manifest.ts';

export interface Loaded {
  manifest?: Manifest;
  model?: AppModel;
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
  rendered: string;
}

export function readerFor(dir: string): (path: string) => string | undefined {
  return (path) => {
    try {
      return readFileSync(join(dir, path), 'utf8');
    } catch {
      return undefined;
    }
  };
}

/** Manifest + AppModel diagnostics together, as `mcp-gen generate` would print them. */
export function loadForTest(dir: string, file: string, text = readFileSync(join(dir, file), 'utf8')): Loaded {
  const loaded = parseManifest(text, file, readerFor(dir));
  const built = loaded.manifest ? buildAppModel(loaded.manifest) : undefined;
  const diagnostics = [...loaded.diagnostics, ...(built?.diagnostics ?? [])];
  return {
    manifest: loaded.manifest,
    model: built?.model,
    diagnostics,
    sources: loaded.sources,
    rendered: renderDiagnostics(diagnostics, loaded.sources),
  };
}
