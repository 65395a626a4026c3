/**
 * A problem found in user input (manifest, schema, CLI usage, spec source).
 * Library code returns or throws these; only the CLI turns them into text and exit codes.
 */
import { codeInfo, type DiagnosticCode } from './codes.ts';

export type Severity = 'error' | 'warning';

export interface SourcePosition {
  /** Path as the user would type it (relative to cwd when possible). */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Length of the highlighted span on that line (default 1). */
  length?: number;
}

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** Where the problem is; absent for problems without a source (network, CLI usage). */
  at?: SourcePosition;
  /** One line telling the user what to do. Falls back to the catalogue's fix. */
  help?: string;
}

/** Thrown by library code for a failure that ends the command (one or more diagnostics). */
export class DiagnosticError extends Error {
  readonly diagnostics: Diagnostic[];
  /** Source texts by file name, for code frames. */
  readonly sources: ReadonlyMap<string, string>;
  constructor(diagnostics: Diagnostic | Diagnostic[], sources: ReadonlyMap<string, string> = new Map()) {
    const list = Array.isArray(diagnostics) ? diagnostics : [diagnostics];
    super(list.map((d) => `${d.code} ${d.message}`).join('\n'));
    this.name = 'DiagnosticError';
    this.diagnostics = list;
    this.sources = sources;
  }
}

export function diag(
  code: DiagnosticCode,
  message: string,
  extra: { at?: SourcePosition; help?: string; severity?: Severity } = {},
): Diagnostic {
  return { code, severity: extra.severity ?? 'error', message, at: extra.at, help: extra.help };
}

export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === 'error');
}

/** Stable order: by file, line, column, then code — so output does not depend on discovery order. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => {
    const fa = a.at?.file ?? '', fb = b.at?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    const la = a.at?.line ?? 0, lb = b.at?.line ?? 0;
    if (la !== lb) return la - lb;
    const ca = a.at?.column ?? 0, cb = b.at?.column ?? 0;
    if (ca !== cb) return ca - cb;
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  });
}

/**
 * Renders `file:line:col severity CODE message`, a two-line code frame when the source text is
 * known, and a `help:` line.
 */
export function renderDiagnostic(d: Diagnostic, sources: ReadonlyMap<string, string> = new Map()): string {
  const where = d.at ? `${d.at.file}:${d.at.line}:${d.at.column} ` : '';
  const lines = [`${where}${d.severity} ${d.code} ${d.message}`];
  const text = d.at ? sources.get(d.at.file) : undefined;
  if (d.at && text !== undefined) {
    const srcLine = text.split(/\r?\n/)[d.at.line - 1];
    if (srcLine !== undefined) {
      const gutter = String(d.at.line);
      const pad = ' '.repeat(gutter.length);
      const len = Math.max(1, Math.min(d.at.length ?? 1, Math.max(1, srcLine.length - d.at.column + 1)));
      lines.push(`${gutter} | ${srcLine}`);
      lines.push(`${pad} | ${' '.repeat(Math.max(0, d.at.column - 1))}${'^'.repeat(len)}`);
    }
  }
  const help = d.help ?? codeInfo(d.code).fix;
  if (help) lines.push(`  help: ${help}`);
  return lines.join('\n');
}

export function renderDiagnostics(list: readonly Diagnostic[], sources?: ReadonlyMap<string, string>): string {
  return sortDiagnostics(list)
    .map((d) => renderDiagnostic(d, sources))
    .join('\n\n');
}
