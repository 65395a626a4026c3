import { pointerSegments } from './json-pointer.ts';
import type { SchemaLocation } from './schema-types.ts';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function assertIdentifier(name: string): void {
  if (!IDENTIFIER.test(name)) throw new Error(`Export name "${name}" is not a valid identifier`);
}

function sanitize(text: string): string {
  return text.replace(/[^A-Za-z0-9_]/g, '_');
}

function pointerSuffix(segments: readonly string[]): string {
  return segments.map((s) => `_${sanitize(s)}`).join('');
}

function isPrefix(prefix: readonly string[], of: readonly string[]): boolean {
  return prefix.length <= of.length && prefix.every((s, i) => s === of[i]);
}

/**
 * A readable, stable name for a const that is not an export: named after the export that encloses
 * it (or `Root` / the remote's URI) plus the pointer path below it, e.g. `Root__defs_foo`.
 */
export function generatedName(
  location: SchemaLocation,
  mainDocumentUri: string,
  exportsByPointer: readonly (readonly [string, string])[],
): string {
  const segments = pointerSegments(location.pointer);
  if (location.documentUri === mainDocumentUri) {
    let best: { name: string; depth: number } | undefined;
    for (const [name, pointer] of exportsByPointer) {
      const prefix = pointerSegments(pointer);
      if (isPrefix(prefix, segments) && (!best || prefix.length > best.depth)) best = { name, depth: prefix.length };
    }
    if (best) return best.name + pointerSuffix(segments.slice(best.depth));
    return 'Root' + pointerSuffix(segments);
  }
  const uri = sanitize(location.documentUri.replace(/^[a-z][a-z0-9+.-]*:\/*/i, ''));
  return `Remote_${uri}${pointerSuffix(segments)}`;
}

/** First come keeps the name; later ones get `_2`, `_3`, … (callers sort first, so this is stable). */
export function uniqueName(base: string, used: Set<string>): string {
  let name = IDENTIFIER.test(base) ? base : `_${base}`;
  for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
  used.add(name);
  return name;
}
