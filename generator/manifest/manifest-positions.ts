/**
 * Side table from a loaded Manifest to its YAML, so later stages (AppModel build) can still
 * point at the line a problem comes from without the Manifest carrying positions itself.
 */
import type { SourcePosition } from '../diagnostics/diagnostic.ts';
import type { Manifest } from './manifest-definition.ts';
import { positionOfOwner, positionOfValue, type JsonPath, type YamlSource } from './yaml-source.ts';

const sources = new WeakMap<Manifest, YamlSource>();

export function rememberSource(manifest: Manifest, source: YamlSource): void {
  sources.set(manifest, source);
}

/** Position of `path` (as written in the manifest, e.g. ['tools', 2, 'name']), if known. */
export function manifestPosition(manifest: Manifest, path: JsonPath): SourcePosition | undefined {
  const source = sources.get(manifest);
  return source ? positionOfValue(source, path) : undefined;
}

/** Position of the key that introduces `path` (`Order:` under `schemas:`), if known. */
export function manifestKeyPosition(manifest: Manifest, path: JsonPath): SourcePosition | undefined {
  const source = sources.get(manifest);
  return source ? positionOfOwner(source, path) : undefined;
}
