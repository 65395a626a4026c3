/** What every manifest rule gets: the raw value (rules are defensive), positions and a sink. */
import { diag, type Diagnostic, type Severity } from '../../diagnostics/diagnostic.ts';
import type { DiagnosticCode } from '../../diagnostics/codes.ts';
import type { MetaVerdicts } from '../schema/meta-validate.ts';
import type { ReadLocalFile } from '../schema/schema-resources.ts';
import { positionOfKey, positionOfValue, type JsonPath, type YamlSource } from '../yaml-source.ts';

export interface RuleContext {
  source: YamlSource;
  /** The manifest as parsed from YAML, before (and whatever the result of) shape validation. */
  raw: Record<string, unknown>;
  readLocalFile?: ReadLocalFile;
  /** Remembered meta-schema verdicts (speed only; absent: every schema is checked). */
  metaVerdicts?: MetaVerdicts;
  report(code: DiagnosticCode, message: string, path: JsonPath, extra?: { help?: string; severity?: Severity; onKey?: boolean }): void;
  diagnostics: Diagnostic[];
}

export function createRuleContext(source: YamlSource, raw: Record<string, unknown>, readLocalFile?: ReadLocalFile, metaVerdicts?: MetaVerdicts): RuleContext {
  const diagnostics: Diagnostic[] = [];
  return {
    source,
    raw,
    readLocalFile,
    metaVerdicts,
    diagnostics,
    report(code, message, path, extra = {}) {
      const at = extra.onKey ? positionOfKey(source, path) : positionOfValue(source, path);
      diagnostics.push(diag(code, message, { at, help: extra.help, severity: extra.severity }));
    },
  };
}
