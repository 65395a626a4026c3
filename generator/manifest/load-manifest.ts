/**
 * mcp-gen.yaml → positioned diagnostics → normalized Manifest.
 *
 * Every check runs on the same parsed document and reports everything it finds; the manifest is
 * returned only when no error was found. Only `loadManifest` touches the filesystem.
 */
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { diag, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Manifest } from './manifest-definition.ts';
import { rememberSource } from './manifest-positions.ts';
import { isRecord } from './paths.ts';
import { checkApps } from './rules/app-rules.ts';
import { checkDeprecations } from './rules/deprecations.ts';
import { checkServe } from './rules/serve.ts';
import { createRuleContext } from './rules/rule-context.ts';
import { checkState } from './rules/state-rules.ts';
import { checkToolSchemas, type CheckedSchemas, type RememberedToolChecks, type ToolSchemas } from './rules/tool-schemas.ts';
import { checkAuth } from './rules/auth-rules.ts';
import { checkTools } from './rules/tool-rules.ts';
import { checkUniqueNames } from './rules/unique-names.ts';
import { checkUris, checkUriTemplates } from './rules/uri-rules.ts';
import type { MetaVerdicts } from './schema/meta-validate.ts';
import type { ReadLocalFile } from './schema/schema-resources.ts';
import { validateManifest } from './validate-manifest.ts';
import { valueByPieces, type YamlPieceMemo } from './yaml-chunks.ts';
import { parseYamlSubset } from './yaml-subset.ts';
import { lazyYamlSource, offsetPosition, parseYamlSource, startOfFile, type YamlSource } from './yaml-source.ts';

export type { ReadLocalFile };

export interface LoadedManifest {
  manifest?: Manifest;
  diagnostics: Diagnostic[];
  /** Text of the manifest and of every schema file it references, by the name diagnostics use. */
  sources: Map<string, string>;
  /**
   * Every file this load read or probed (absolute path → text, undefined when absent): what the
   * result depends on, for the no-op shortcut (generator/incremental/noop-stamp.ts).
   */
  reads?: Map<string, string | undefined>;
}

/** What speeds a load up without changing its result. */
export interface ManifestLoadOptions {
  /** Remembered meta-schema verdicts (generator/incremental/render-memo.ts). */
  metaVerdicts?: MetaVerdicts;
  /** Remembered values of manifest pieces (yaml-chunks.ts). */
  yamlPieces?: YamlPieceMemo;
  /** Remembered clean schema checks of tools (rules/tool-schemas.ts). */
  toolChecks?: RememberedToolChecks;
}

export async function loadManifest(path: string, options: ManifestLoadOptions = {}): Promise<LoadedManifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { diagnostics: [diag('MG2001', `no manifest at \`${path}\``)], sources: new Map() };
  }
  const reads = new Map<string, string | undefined>([[resolve(path), text]]);
  const recordingRead = (file: string) => {
    const content = readLocalFileSync(file);
    reads.set(resolve(file), content);
    return content;
  };
  return { ...parseManifest(text, path, recordingRead, options), reads };
}

function readLocalFileSync(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Pure core of the loader. `readLocalFile` resolves `$ref: ./file.json` and app templates,
 * with paths joined to the manifest's directory as the user would type them.
 */
export function parseManifest(text: string, fileName: string, readLocalFile?: ReadLocalFile, options: ManifestLoadOptions = {}): LoadedManifest {
  const sources = new Map([[fileName, text]]);
  // Piece by piece when remembered pieces make that cheaper (yaml-chunks.ts); else the whole text
  // by the subset reader (yaml-subset.ts), which is sure only of texts yaml reads without a word;
  // else, and whenever a piece has anything to say, the whole file by yaml, which also positions
  // what it reports. Without yaml's parse, positions are parsed only if a diagnostic needs one.
  const pieces = options.yamlPieces ? valueByPieces(text, options.yamlPieces) : undefined;
  const quick = pieces ?? valueBySubset(text);
  const source = quick ? lazyYamlSource(text, fileName) : parseYamlSource(text, fileName);
  let raw: unknown = quick?.value;
  if (!quick) {
    const syntax = yamlProblems(source);
    if (syntax.length > 0) return done(undefined, syntax, sources);
    try {
      raw = source.doc.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      return done(undefined, [diag('MG2002', `the YAML cannot be read: ${(error as Error).message}`, { at: startOfFile(source) })], sources);
    }
  }
  if (!isRecord(raw)) {
    const message = raw === null || raw === undefined ? 'the manifest is empty' : 'the manifest must be a mapping of keys (spec, server, tools, …)';
    return done(undefined, [diag('MG2005', message, { at: startOfFile(source), help: 'Start from `mcp-gen init` or docs/manifest.md.' })], sources);
  }

  const shape = validateManifest(raw, source);
  const ctx = createRuleContext(source, raw, readLocalFile, options.metaVerdicts);
  checkUniqueNames(ctx);
  checkTools(ctx);
  checkUris(ctx);
  checkUriTemplates(ctx);
  checkApps(ctx);
  checkDeprecations(ctx);
  checkAuth(ctx);
  checkState(ctx);
  checkServe(ctx);
  const schemas = checkToolSchemas(ctx, sources, options.toolChecks);
  const diagnostics = [...shape.diagnostics, ...ctx.diagnostics];
  if (!shape.manifest || hasErrors(diagnostics)) return done(undefined, diagnostics, sources);
  const manifest = withBundledSchemas(shape.manifest, schemas);
  rememberSource(manifest, source);
  return done(manifest, diagnostics, sources);
}

function valueBySubset(text: string): { value: unknown } | undefined {
  const value = parseYamlSubset(text);
  return value === undefined ? undefined : { value };
}

function done(manifest: Manifest | undefined, diagnostics: Diagnostic[], sources: Map<string, string>): LoadedManifest {
  return { manifest, diagnostics: sortDiagnostics(dedupe(diagnostics)), sources };
}

function yamlProblems(source: YamlSource): Diagnostic[] {
  const toDiagnostic = (error: { message: string; pos: [number, number] }, severity: 'error' | 'warning') => {
    const firstLine = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    // An error at the very end (an unclosed quote) is shown on the last written character.
    const lastWritten = Math.max(0, source.text.trimEnd().length - 1);
    const at = offsetPosition(source, Math.min(error.pos[0], lastWritten));
    const length = Math.max(1, Math.min(error.pos[1] - error.pos[0], 80));
    return diag('MG2002', firstLine, { at: { ...at, length }, severity });
  };
  return [...source.doc.errors.map((e) => toDiagnostic(e, 'error')), ...source.doc.warnings.map((e) => toDiagnostic(e, 'warning'))];
}

/** Shared schemas reached from several tools report the same problem once. */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = JSON.stringify([d.code, d.severity, d.message, d.at]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A copy of `manifest` whose tool schemas are the self-contained, bundled ones. */
function withBundledSchemas(manifest: Manifest, schemas: CheckedSchemas): Manifest {
  // Copied without the schemas replaced below (a copy of each would be thrown away); a `null`
  // keeps each replaced key where it was.
  const copy = structuredClone({ ...manifest, tools: manifest.tools.map((tool, index) => withoutReplaced(tool, schemas.tools.get(index))) });
  copy.schemaLinks = { shared: schemas.shared, tools: {} };
  copy.tools.forEach((tool, index) => {
    const bundled = schemas.tools.get(index);
    if (!bundled) return;
    tool.input = bundled.input;
    if (bundled.output) tool.output = bundled.output;
    copy.schemaLinks!.tools[index] = bundled.links;
    tool.asks.forEach((ask, askIndex) => {
      const schema = bundled.asks.get(askIndex);
      if (schema) ask.schema = schema;
    });
  });
  return copy;
}

function withoutReplaced(tool: Manifest['tools'][number], bundled: ToolSchemas | undefined): Manifest['tools'][number] {
  if (!bundled) return tool;
  const asks = tool.asks.map((ask, askIndex) => (bundled.asks.has(askIndex) ? { ...ask, schema: null } : ask));
  return { ...tool, input: null, ...(bundled.output ? { output: null } : {}), asks } as unknown as Manifest['tools'][number];
}
