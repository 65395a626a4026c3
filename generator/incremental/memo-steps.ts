/**
 * The steps the render cache (render-memo.ts) remembers, each with the JSON of everything it reads:
 *  - a protocol-layer artifact (types, validators, method tables of the spec): the spec's
 *    revision and sha256 (of every served revision too) and the protocol directory;
 *  - a schema module (json-schema-to-typescript + the zod printer over one tool's or the shared
 *    schemas' parts): the parts, links, planned names, and what the caller says decides its
 *    `shared` answers (the importing file and the planned shared names). The `shared` names the
 *    render asked for are recorded and asked again on a hit, so the caller's imports are the same;
 *  - the plan's nested type names of a schema group (combinedTypeNames over partsToPrint);
 *  - the manifest's meta-schema verdict of a schema (Ajv against 2020-12), by the schema's JSON:
 *    only "valid" is believed, so diagnostics always come from this run's Ajv;
 *  - one tool's bundled, checked schemas (manifest/rules/tool-schemas.ts), by its schemas' JSON,
 *    the spec and a digest of the shared schemas: remembered only when the check was clean;
 *  - the manifest's own JSON Schema file (.mcp-gen/manifest.schema.json), by nothing but the build;
 *  - a tool's own file, rendered and laid out, by its template's view (memoizedTemplateFile);
 *  - the layout of a module rebuilt from every tool, by its text (memoizedLaidOut).
 * Aggregate files (barrels, registries, client, mock server) are not remembered: they are string
 * assembly over the per-tool names and cost less to render than to look up.
 */
import type { Artifact, EmitContext, EmittedFile } from '../emit/artifact.ts';
import type { SchemaModule, SchemaModuleOptions } from '../emit/schema-module.ts';
import { jsonSafe } from '../fixtures/json-safe.ts';
import { sha256Hex } from '../sha256.ts';
import type { RememberedToolChecks, ToolSchemas } from '../manifest/rules/tool-schemas.ts';
import type { MetaVerdicts } from '../manifest/schema/meta-validate.ts';
import type { YamlPieceMemo } from '../manifest/yaml-chunks.ts';
import { isRecord, isString, type RenderMemo } from './render-memo.ts';

const LANGUAGES = new Set(['typescript', 'json', 'markdown', 'yaml', 'html', 'text']);

function isEmittedFiles(v: unknown): v is EmittedFile[] {
  return (
    Array.isArray(v) &&
    v.every(
      (f) =>
        isRecord(f) &&
        isString(f.path) &&
        (f.owner === 'generated' || f.owner === 'user') &&
        LANGUAGES.has(f.language as string) &&
        isString(f.content) &&
        (f.verbatim === undefined || typeof f.verbatim === 'boolean') &&
        (f.preformatted === undefined || typeof f.preformatted === 'boolean') &&
        (f.prettierShaped === undefined || typeof f.prettierShaped === 'boolean'),
    )
  );
}

/** What a protocol-layer artifact reads: the spec(s) by hash, and where the layer goes. */
export function protocolInputs(ctx: EmitContext): unknown {
  return {
    protocolDir: ctx.protocolDir,
    spec: [ctx.spec.revision, ctx.spec.sha256],
    served: ctx.served?.map((s) => [s.spec.revision, s.spec.sha256]) ?? null,
  };
}

/**
 * A protocol-layer artifact whose files come from the cache when the spec(s) did not change;
 * `behind`: a second memo asked when `memo` misses (the machine-level cache, machine-cache.ts).
 */
export function memoizedProtocolArtifact<C extends EmitContext>(artifact: Artifact, memo: RenderMemo, behind?: RenderMemo): { id: string; emit(ctx: C): Promise<EmittedFile[]> } {
  const step = `artifact:${artifact.id}`;
  return {
    id: artifact.id,
    emit: (ctx) => {
      const inputs = protocolInputs(ctx);
      return memo.get(step, inputs, isEmittedFiles, () => (behind ? behind.get(step, inputs, isEmittedFiles, () => artifact.emit(ctx)) : artifact.emit(ctx)));
    },
  };
}

interface RecordedModule {
  module: SchemaModule;
  /** The `shared` names the render asked for, in order. */
  shared: string[];
}

function isRecordedModule(v: unknown): v is RecordedModule {
  if (!isRecord(v) || !Array.isArray(v.shared) || !v.shared.every(isString) || !isRecord(v.module)) return false;
  const m = v.module;
  return isString(m.types) && isString(m.validators) && Array.isArray(m.fallbacks) && m.fallbacks.every((f) => isRecord(f) && isString(f.keyword) && isString(f.pointer) && isString(f.note));
}

export type RenderSchemaModule = (parts: Record<string, Record<string, unknown>>, options?: SchemaModuleOptions) => Promise<SchemaModule>;

/**
 * `render` remembered. `sharedContext` must decide what `options.shared` answers for any name
 * (for a tool module: its path, declared names and the planned shared schema symbols).
 */
export async function memoizedSchemaModule(
  memo: RenderMemo,
  render: RenderSchemaModule,
  parts: Record<string, Record<string, unknown>>,
  options: SchemaModuleOptions,
  sharedContext: unknown,
): Promise<SchemaModule> {
  const inputs = {
    parts,
    links: options.links ?? null,
    validatorNames: options.validatorNames ?? null,
    typeNames: options.typeNames ? [...options.typeNames] : null,
    unchecked: options.unchecked ? [...options.unchecked].sort() : null,
    sharedContext,
  };
  const asked: string[] = [];
  const recorded = await memo.get('schema-module', inputs, isRecordedModule, async () => {
    const shared = options.shared;
    const module = await render(parts, { ...options, shared: shared && ((name) => (asked.push(name), shared(name))) });
    return { module, shared: asked };
  });
  // A hit: ask the same names again, so the caller's side effects (its imports) are the same.
  if (recorded.shared !== asked) for (const name of recorded.shared) options.shared?.(name);
  return recorded.module;
}

/**
 * A generated module's prettier layout (format/ts-tool-layout.ts's layoutToolFile), remembered by
 * its text, as EmittedFile fields: laid out and preformatted, or as emitted when the layout is
 * unsure (`null` stored; prettier formats it). For the modules rebuilt from every tool (tools.ts,
 * schemas.ts, prompts.ts, resources.ts), so an edit that leaves their text alone does not lay them
 * out (or load the layout) again.
 */
export function memoizedLaidOut(
  memo: RenderMemo | undefined,
  layout: (text: string) => string | undefined,
  content: string,
): { content: string; preformatted: boolean } {
  const isLayout = (v: unknown): v is { t: string | null } => isRecord(v) && Object.keys(v).length === 1 && (typeof v.t === 'string' || v.t === null);
  const laidOut = memo ? (memo.getSync('module-layout', content, isLayout, () => ({ t: layout(content) ?? null })).t ?? undefined) : layout(content);
  return laidOut === undefined ? { content, preformatted: false } : { content: laidOut, preformatted: true };
}

/**
 * A tool's own file, rendered from `template` and laid out, remembered by the template's view: the
 * view is all the template reads (the templates are part of the build every key names), so a
 * one-tool edit renders and lays out that tool's file only, and the others are neither rendered nor
 * hashed as text. Keyed by the view's JSON, where a property set to undefined is one left out,
 * which is how Handlebars reads it too.
 */
export function memoizedTemplateFile(
  memo: RenderMemo | undefined,
  template: string,
  view: object,
  render: () => { content: string; preformatted: boolean },
): { content: string; preformatted: boolean } {
  if (!memo) return render();
  const isFile = (v: unknown): v is { content: string; preformatted: boolean } =>
    isRecord(v) && Object.keys(v).length === 2 && typeof v.content === 'string' && typeof v.preformatted === 'boolean';
  return memo.getSync('tool-file', `${template}\0${JSON.stringify(view)}`, isFile, render);
}

/** Manifest piece values (manifest/yaml-chunks.ts), keyed by the piece's exact text. */
export function memoizedYamlPieces(memo: RenderMemo): YamlPieceMemo {
  return { get: (text, fits) => memo.peek('yaml-piece', text, (v): v is unknown => fits(v)), set: (text, value) => memo.remember('yaml-piece', text, value) };
}

/**
 * Meta-schema verdicts by the schema's JSON: only `true` is believed when read back (a remembered
 * "invalid" is checked again, so its diagnostics are Ajv's own from this run).
 */
export function memoizedMetaVerdicts(memo: RenderMemo): MetaVerdicts {
  return (schema, check) => memo.getSync('meta-schema-valid', schema, (v): v is true => v === true, check);
}

/** Shape check of the plan's [JSON pointer, type name] list. */
export function isNamePairs(v: unknown): v is [string, string][] {
  return Array.isArray(v) && v.every((e) => Array.isArray(e) && e.length === 2 && isString(e[0]) && isString(e[1]));
}

type Links = ToolSchemas['links']['input'];

/** A tool's checked schemas as JSON: ask maps as [index, schema] pairs, absent parts left out. */
interface StoredToolSchemas {
  input: Record<string, unknown>;
  output?: Record<string, unknown>;
  asks: [number, Record<string, unknown>][];
  links: { input: Links; output?: Links; asks: Record<string, Links> };
}

const isLinks = (v: unknown): v is Links =>
  isRecord(v) && isRecord(v.defs) && Object.values(v.defs).every(isString) && (v.root === undefined || isString(v.root)) && Object.keys(v).every((k) => k === 'defs' || k === 'root');

function isStoredToolSchemas(v: unknown): v is StoredToolSchemas {
  if (!isRecord(v) || !isRecord(v.input) || (v.output !== undefined && !isRecord(v.output)) || !isRecord(v.links)) return false;
  const { links } = v;
  return (
    Array.isArray(v.asks) &&
    v.asks.every((a) => Array.isArray(a) && a.length === 2 && Number.isSafeInteger(a[0]) && isRecord(a[1])) &&
    isLinks(links.input) &&
    (links.output === undefined || isLinks(links.output)) &&
    isRecord(links.asks) &&
    Object.values(links.asks).every(isLinks) &&
    (links.output === undefined) === (v.output === undefined)
  );
}

/** Clean tool-schema checks (manifest/rules/tool-schemas.ts RememberedToolChecks) through the render memo. */
export function memoizedToolChecks(memo: RenderMemo): RememberedToolChecks {
  const step = 'tool-schemas-clean';
  return {
    digest: (value) => (jsonSafe(value) ? sha256Hex(JSON.stringify(value)) : undefined),
    recall(inputs) {
      const stored = memo.peek(step, inputs, isStoredToolSchemas)?.value;
      if (!stored) return undefined;
      // The same shape checkToolSchemas builds, `output` keys included when absent.
      return {
        input: stored.input,
        output: stored.output,
        asks: new Map(stored.asks),
        links: { input: stored.links.input, output: stored.links.output, asks: stored.links.asks },
      };
    },
    remember(inputs, schemas) {
      const stored: StoredToolSchemas = {
        input: schemas.input,
        ...(schemas.output ? { output: schemas.output } : {}),
        asks: [...schemas.asks],
        links: { input: schemas.links.input, ...(schemas.links.output ? { output: schemas.links.output } : {}), asks: schemas.links.asks },
      };
      memo.remember(step, inputs, stored);
    },
  };
}

/** A text that depends on the generator build alone (every key holds the build): made once per build. */
export function memoizedBuildText(memo: RenderMemo, step: string, make: () => string): string {
  return memo.getSync(step, null, isString, make);
}
