/**
 * A parsed YAML (or JSON) text that can answer "where is the value at this path?". Every
 * diagnostic about user-authored input goes through here so that it carries file:line:column.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { SourcePosition } from '../diagnostics/diagnostic.ts';

export type JsonPath = readonly (string | number)[];

export interface YamlSource {
  /** File name as shown to the user. */
  file: string;
  text: string;
  doc: Document.Parsed;
  /** Offsets where each line starts. Computed from the text: yaml's LineCounter stops early on some syntax errors. */
  lineStarts: number[];
}

export function parseYamlSource(text: string, file: string): YamlSource {
  return { file, text, doc: parseWhole(text), lineStarts: lineStartsOf(text) };
}

/**
 * The same source with the document parsed only when something asks for it: a position for a
 * diagnostic. For a manifest whose value came from its pieces (yaml-chunks.ts) and that has
 * nothing to report, the whole file is never parsed.
 */
export function lazyYamlSource(text: string, file: string): YamlSource {
  let doc: Document.Parsed | undefined;
  let lineStarts: number[] | undefined;
  return {
    file,
    text,
    get doc() {
      return (doc ??= parseWhole(text));
    },
    get lineStarts() {
      return (lineStarts ??= lineStartsOf(text));
    },
  };
}

// uniqueKeys keeps YAML's own duplicate-key error.
const parseWhole = (text: string) => parseDocument(text, { prettyErrors: false, uniqueKeys: true });

function lineStartsOf(text: string): number[] {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  return lineStarts;
}

/** 1-based line and column of a character offset. */
export function linePos(source: YamlSource, offset: number): { line: number; col: number } {
  const clamped = Math.max(0, Math.min(offset, source.text.length));
  let low = 0;
  let high = source.lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (source.lineStarts[mid] <= clamped) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, col: clamped - source.lineStarts[low] + 1 };
}

interface Located {
  value?: Node;
  key?: Node;
}

function resolveAlias(source: YamlSource, node: unknown): unknown {
  let current = node;
  for (let hops = 0; hops < 20 && isAlias(current); hops++) {
    try {
      current = current.resolve(source.doc);
    } catch {
      return undefined;
    }
  }
  return current;
}

function locate(source: YamlSource, path: JsonPath): Located | undefined {
  let node: unknown = source.doc.contents;
  let key: Node | undefined;
  for (const segment of path) {
    node = resolveAlias(source, node);
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && keyText(item.key) === String(segment));
      if (!pair) return undefined;
      key = (pair.key ?? undefined) as Node | undefined;
      node = pair.value ?? undefined;
    } else if (isSeq(node) && typeof segment === 'number') {
      key = undefined;
      node = node.items[segment];
    } else {
      return undefined;
    }
  }
  return { value: (node ?? undefined) as Node | undefined, key };
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function spanAt(source: YamlSource, start: number, end: number): SourcePosition {
  const { line, col } = linePos(source, start);
  const endPos = linePos(source, Math.max(start, end));
  const length = endPos.line === line ? Math.max(1, endPos.col - col) : lineLengthFrom(source.text, start);
  return { file: source.file, line, column: col, length };
}

function lineLengthFrom(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  const end = newline === -1 ? text.length : newline;
  return Math.max(1, end - offset - (text[end - 1] === '\r' ? 1 : 0));
}

function nodeRange(node: unknown): [number, number] | undefined {
  const range = (node as { range?: [number, number, number] } | undefined)?.range;
  return range ? [range[0], range[1]] : undefined;
}

/**
 * Position of the value at `path`; falls back to the nearest ancestor that exists so that a
 * diagnostic is never without a position inside the file.
 */
export function positionOfValue(source: YamlSource, path: JsonPath): SourcePosition {
  for (let depth = path.length; depth >= 0; depth--) {
    const found = locate(source, path.slice(0, depth));
    const target = depth === path.length ? found?.value ?? found?.key : found?.key ?? found?.value;
    const range = nodeRange(target);
    if (range) return spanAt(source, range[0], range[1]);
  }
  return startOfFile(source);
}

/** Position of the key of `path` (for unknown keys and misspellings). */
export function positionOfKey(source: YamlSource, path: JsonPath): SourcePosition {
  const found = locate(source, path);
  const range = nodeRange(found?.key);
  return range ? spanAt(source, range[0], range[1]) : positionOfValue(source, path);
}

/** Where to report a key that is missing from the mapping at `path`: the mapping's own key. */
export function positionOfOwner(source: YamlSource, path: JsonPath): SourcePosition {
  if (path.length === 0) return startOfFile(source);
  const found = locate(source, path);
  const range = nodeRange(found?.key) ?? nodeRange(found?.value);
  return range ? spanAt(source, range[0], range[1]) : positionOfValue(source, path);
}

export function startOfFile(source: YamlSource): SourcePosition {
  return { file: source.file, line: 1, column: 1, length: 1 };
}

/** Original text of the scalar at `path` (YAML turns `1.0` into 1; messages quote what was typed). */
export function sourceTextOf(source: YamlSource, path: JsonPath): string | undefined {
  const range = nodeRange(locate(source, path)?.value);
  return range ? source.text.slice(range[0], range[1]) : undefined;
}

export function offsetPosition(source: YamlSource, offset: number): SourcePosition {
  const { line, col } = linePos(source, offset);
  return { file: source.file, line, column: col, length: 1 };
}

/**
 * Position of characters [offset, offset+length) inside the string scalar at `path`, when the
 * scalar is written verbatim (plain or quoted without escapes); otherwise the whole scalar.
 */
export function positionInString(source: YamlSource, path: JsonPath, value: string, offset: number, length: number): SourcePosition {
  const whole = positionOfValue(source, path);
  const range = nodeRange(locate(source, path)?.value);
  if (!range) return whole;
  const written = source.text.slice(range[0], range[1]);
  const quoted = written === `"${value}"` || written === `'${value}'`;
  if (written !== value && !quoted) return whole;
  const start = range[0] + (quoted ? 1 : 0) + offset;
  return { ...offsetPosition(source, start), length: Math.max(1, length) };
}
