/**
 * A manifest's value read piece by piece, so a one-tool edit re-parses one tool, not the file.
 * YAML parsing was the largest single cost of a one-tool edit (~14 % of a 100-tool regenerate;
 * more at 1 000 tools, where the manifest is ~2 MB). The text is cut at its top-level keys and
 * between the items of `tools:`; each piece is parsed alone (or its value taken from the render
 * cache, keyed by the piece's exact text) and the values are put back together.
 *
 * This is only a shortcut to the value: whenever a piece parses with any error or warning, does
 * not have the shape its place needs (a one-key mapping at the top, a one-item sequence in
 * `tools:`), or two pieces name the same top-level key, the caller parses the whole file as
 * before, which also reports the problem at its position. Why that is enough: a piece boundary is a
 * line at column 0 (a top-level key) or a `- ` line at the tools items' indentation, and YAML
 * lets nothing continue across such a line except a quoted scalar or a flow collection, which then
 * leaves an unclosed piece (an error); an alias whose anchor is in another piece is an error too.
 * Documents with directives or markers (`%`, `---`, `...`) are never cut.
 * test/manifest/yaml-chunks.test.ts compares the result with the whole-file parse on real,
 * random and adversarial manifests.
 */
import { parseDocument } from 'yaml';
import { jsonSafe } from '../fixtures/json-safe.ts';
import { parseYamlSubset } from './yaml-subset.ts';

/** Remembered piece values (generator/incremental/memo-steps.ts backs it with the render cache). */
export interface YamlPieceMemo {
  /** A remembered value, only if `fits` it (a damaged or foreign entry is a miss). */
  get(text: string, fits: (v: unknown) => boolean): { value: unknown } | undefined;
  set(text: string, value: unknown): void;
}

interface Piece {
  text: string;
  /** A tools item (a one-item sequence), or the top-level key the piece starts with. */
  item: boolean;
  key?: string;
}

/** A top-level key the pieces are cut at: plain, as manifest keys are (anything else is not cut). */
const PLAIN_KEY = /^([A-Za-z_$][A-Za-z0-9_$-]*)[ \t]*:([ \t]|\r?$)/;

const TOOLS_HEADER = /^tools:[ \t]*(#[^\r]*)?\r?$/;

/** The pieces of `text` (their texts concatenated are `text`), or undefined when it is not cut. */
export function splitManifest(text: string): Piece[] | undefined {
  const lines = text.split('\n');
  if (lines.some((l) => /^(%|---|\.\.\.)/.test(l))) return undefined;
  const offsets: number[] = [];
  for (let i = 0, at = 0; i < lines.length; at += lines[i]!.length + 1, i++) offsets.push(at);
  // Each piece ends where the next begins, line breaks included: a block scalar's last line break is part of its value.
  const cut = (from: number, to: number) => text.slice(offsets[from], to < lines.length ? offsets[to] : text.length);
  // Top-level pieces start at a line whose first character begins a key.
  const starts: number[] = [];
  const keys: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const c = line[0];
    if (c === undefined || c === ' ' || c === '\t' || c === '#' || c === '-' || c === '\r') continue;
    // Only a plain key starts a piece; `?`, `:`, quotes, flow, anchors, tags… at column 0: not cut.
    const key = PLAIN_KEY.exec(i === 0 ? line.replace(/^\ufeff/, '') : line)?.[1];
    if (key === undefined) return undefined;
    starts.push(i);
    keys.push(key);
  }
  if (starts.length === 0) return undefined;
  starts[0] = 0; // leading comments and blank lines go with the first key
  const pieces: Piece[] = [];
  for (let s = 0; s < starts.length; s++) {
    const from = starts[s]!;
    const to = starts[s + 1] ?? lines.length;
    const header = lines.slice(from, to).findIndex((l) => !isBlankOrComment(l));
    if (header !== -1 && TOOLS_HEADER.test(lines[from + header]!)) pieces.push(...toolsPieces(lines, from + header, to, cut, from));
    else pieces.push({ text: cut(from, to), item: false, key: keys[s] });
  }
  return pieces;
}

const isBlankOrComment = (l: string) => /^\s*(#.*)?\r?$/.test(l);

/** `tools:` as its header piece (with any comments before the first item) and one piece per item. */
function toolsPieces(lines: string[], headerAt: number, to: number, cut: (from: number, to: number) => string, from: number): Piece[] {
  let first = headerAt + 1;
  while (first < to && isBlankOrComment(lines[first]!)) first++;
  const indent = first < to ? /^( *)-( |\r?$)/.exec(lines[first]!)?.[1] : undefined;
  if (indent === undefined) return [{ text: cut(from, to), item: false, key: 'tools' }];
  const isItemStart = (l: string) => l.startsWith(`${indent}-`) && /^-( |\r?$)/.test(l.slice(indent.length));
  const pieces: Piece[] = [{ text: cut(from, first), item: false, key: 'tools' }];
  let start = first;
  for (let i = first + 1; i <= to; i++) {
    if (i === to || isItemStart(lines[i]!)) {
      pieces.push({ text: cut(start, i), item: true });
      start = i;
    }
  }
  return pieces;
}

function parsePiece(text: string): { value: unknown } | undefined {
  // Most pieces are in the subset yaml-subset.ts reads exactly, ~10× faster than yaml; the rest go to yaml.
  const fast = parseYamlSubset(text);
  if (fast !== undefined) return { value: fast };
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0 || doc.warnings.length > 0) return undefined;
  try {
    return { value: doc.toJS({ maxAliasCount: 1000 }) };
  } catch {
    return undefined;
  }
}

const isPlainMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a piece's value must look like: a one-item sequence, or a mapping of exactly the key the piece starts with. */
const fitsPiece = (piece: Piece) => (v: unknown) => (piece.item ? Array.isArray(v) && v.length === 1 : isPlainMap(v) && Object.keys(v).length === 1 && Object.hasOwn(v, piece.key!));

/**
 * The manifest's value from its pieces, or undefined when the whole file must be parsed. Piece
 * values come from `memo` when remembered; fresh ones are remembered when JSON holds them exactly.
 */
export function valueByPieces(text: string, memo: YamlPieceMemo): { value: unknown } | undefined {
  const pieces = splitManifest(text);
  if (!pieces) return undefined;
  const root: Record<string, unknown> = {};
  let tools: unknown[] | undefined;
  for (const piece of pieces) {
    const fits = fitsPiece(piece);
    let got = memo.get(piece.text, fits);
    if (!got) {
      got = parsePiece(piece.text);
      if (!got || !fits(got.value)) return undefined;
      if (!jsonSafe(got.value)) return undefined; // a value JSON cannot hold exactly (.inf, a non-plain object): parse whole
      memo.set(piece.text, got.value);
    }
    const v = got.value as unknown[] | Record<string, unknown>;
    if (Array.isArray(v)) {
      if (!tools) return undefined;
      tools.push(v[0]);
      root.tools = tools;
      continue;
    }
    const [k, x] = Object.entries(v)[0]!;
    if (Object.hasOwn(root, k)) return undefined; // a duplicate key: the whole parse reports it
    root[k] = x;
    // Items follow a `tools:` header piece (with no value of its own).
    tools = k === 'tools' && x === null ? [] : undefined;
  }
  return { value: root };
}
