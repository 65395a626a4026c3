/**
 * One generated module being written: it knows the names it declares itself and hands out a
 * local name for every symbol it imports. An import keeps the symbol's own name unless that
 * name is already used in this module (declared here, or imported from another module); only
 * then it gets an alias (`Order as Order$schemas`): `$` never appears in a derived name, so an
 * alias cannot clash with one.
 */
import { posix } from 'node:path';
import type { PlannedSymbol } from './symbols.ts';

interface ImportEntry {
  symbol: PlannedSymbol;
  local: string;
}

export class GeneratedFile {
  private readonly locals = new Set<string>();
  private readonly imports = new Map<string, ImportEntry>();

  constructor(
    readonly path: string,
    declared: Iterable<string> = [],
  ) {
    for (const name of declared) this.locals.add(name);
  }

  /** The local name to write for `symbol` (no import when it is declared in this very file). */
  import(symbol: PlannedSymbol): string {
    if (symbol.file === this.path) return symbol.name;
    const key = `${symbol.file}\u0000${symbol.name}`;
    const existing = this.imports.get(key);
    if (existing) return existing.local;
    let local = symbol.name;
    if (this.locals.has(local)) local = `${symbol.name}$${posix.basename(symbol.file).replace(/\.ts$/, '').replace(/[^A-Za-z0-9_]/g, '_')}`;
    if (this.locals.has(local)) throw new Error(`mcp-gen bug: no free local name for ${symbol.name} in ${this.path}`);
    this.locals.add(local);
    this.imports.set(key, { symbol, local });
    return local;
  }

  /** `import` lines for everything imported so far: one per module, sorted, type-only where possible. */
  importLines(): string {
    const byModule = new Map<string, ImportEntry[]>();
    for (const entry of this.imports.values()) {
      const list = byModule.get(entry.symbol.file) ?? [];
      list.push(entry);
      byModule.set(entry.symbol.file, list);
    }
    const lines: string[] = [];
    for (const file of [...byModule.keys()].sort()) {
      const entries = byModule.get(file)!.sort((a, b) => (a.symbol.name < b.symbol.name ? -1 : a.symbol.name > b.symbol.name ? 1 : 0));
      const allTypes = entries.every((e) => e.symbol.kind === 'type');
      const specifiers = entries.map((e) => {
        const named = e.local === e.symbol.name ? e.symbol.name : `${e.symbol.name} as ${e.local}`;
        return !allTypes && e.symbol.kind === 'type' ? `type ${named}` : named;
      });
      lines.push(`import ${allTypes ? 'type ' : ''}{ ${specifiers.join(', ')} } from '${this.specifier(file)}';`);
    }
    return lines.join('\n');
  }

  /** Relative import specifier from this file to `file`, with its `.ts` extension (the runtime runs .ts directly). */
  private specifier(file: string): string {
    return importSpecifier(this.path, file);
  }
}

/** Relative import specifier from module `from` to module `to` (output-root-relative POSIX paths). */
export function importSpecifier(from: string, to: string): string {
  const rel = posix.relative(posix.dirname(from), to);
  return rel.startsWith('.') ? rel : `./${rel}`;
}
