import type { ResourceIndex } from './resource-index.ts';
import { locationKey, type SchemaLocation } from './schema-types.ts';

/**
 * The outermost `$dynamicAnchor` of each name seen on the way to a schema: what `$dynamicRef`
 * resolves to. Sorted by name so equal scopes compare equal as text.
 */
export type DynamicBindings = readonly (readonly [string, SchemaLocation])[];

export const NO_BINDINGS: DynamicBindings = [];

/** Entering a schema resource binds the dynamic anchors it declares, unless an outer resource already did. */
export function enterResource(index: ResourceIndex, bindings: DynamicBindings, resourceUri: string): DynamicBindings {
  let result = bindings;
  for (const [name, location] of index.dynamicAnchorsOf(resourceUri)) {
    if (!index.dynamicRefNames.has(name) || result.some(([bound]) => bound === name)) continue;
    result = [...result, [name, location] as const].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
  return result;
}

export function bindingsKey(bindings: DynamicBindings): string {
  return bindings.map(([name, location]) => `${name}=${locationKey(location)}`).join(';');
}
