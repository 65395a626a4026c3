/**
 * The symbol table: every exported name of the generated project is allocated here, once.
 * Generated modules are re-exported through barrels (tools.ts) and imported side by side by
 * user code, so a name is checked against the whole project, not one file. Two entries that
 * want the same name are a positioned diagnostic naming both (DESIGN.md §5: never a silent `_2`).
 */
import { diag, type Diagnostic, type SourcePosition } from '../diagnostics/diagnostic.ts';

/** The manifest entry a name is derived from, so a clash can point at both entries. */
export interface SymbolOrigin {
  kind: 'tool' | 'prompt' | 'resource' | 'resource template' | 'app' | 'schema' | 'server';
  /** The entry's manifest name (tool name, schema name, URI, …). */
  name: string;
}

export interface PlannedSymbol {
  /** The identifier, exactly as emitted. */
  name: string;
  /** `type` symbols are imported with `import type`. */
  kind: 'type' | 'value';
  /** Output-root-relative path of the module that declares it. */
  file: string;
  origin: SymbolOrigin;
  /** What the symbol is, for inspect and messages: `input type`, `input validator`, … */
  role: string;
}

/** Finds where an origin is written in the manifest; undefined when unknown (tests on in-memory models). */
export type LocateOrigin = (origin: SymbolOrigin) => SourcePosition | undefined;

export class SymbolTable {
  readonly diagnostics: Diagnostic[] = [];
  private readonly byName = new Map<string, PlannedSymbol>();
  /** One diagnostic per pair of entries, however many of their names meet. */
  private readonly reported = new Set<string>();

  constructor(readonly locate: LocateOrigin = () => undefined) {}

  /** Allocates `name`; a name already taken by another entry is reported, and the first owner keeps it. */
  define(symbol: PlannedSymbol): PlannedSymbol {
    const taken = this.byName.get(symbol.name);
    if (!taken) {
      this.byName.set(symbol.name, symbol);
      return symbol;
    }
    const pair = [describe(symbol.origin), describe(taken.origin)].sort().join('\u0000');
    if (this.reported.has(pair)) return symbol;
    this.reported.add(pair);
    const at = this.locate(symbol.origin);
    const other = this.locate(taken.origin);
    const where = other ? ` (${other.file}:${other.line}:${other.column})` : '';
    this.diagnostics.push(
      diag(
        'MG3008',
        `the ${symbol.role} of ${describe(symbol.origin)} and the ${taken.role} of ${describe(taken.origin)}${where} both become \`${symbol.name}\``,
        { at: at ?? other, help: 'Rename one of the two entries in the manifest so their generated names differ.' },
      ),
    );
    return symbol;
  }

  /** Every allocated symbol, sorted by name. */
  all(): PlannedSymbol[] {
    return [...this.byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

function describe(origin: SymbolOrigin): string {
  return `${origin.kind} \`${origin.name}\``;
}
