/**
 * Every JSON Schema in the manifest: meta-validation where it is written, `$ref` bundling per
 * tool, then the MCP and host rules that need the bundled result.
 */
import { diag, type Diagnostic } from '../../diagnostics/diagnostic.ts';
import { noParametersSchema, type ManifestSchemaLinks } from '../manifest-definition.ts';
import { asString, isRecord } from '../paths.ts';
import { bundleSchema, type BundledSchema } from '../schema/bundle-schema.ts';
import { metaValidate } from '../schema/meta-validate.ts';
import { findRefCycles } from '../schema/ref-cycles.ts';
import { createResolveContext, manifestResource, sharedResource, type ResolveContext, type SchemaSite } from '../schema/schema-resources.ts';
import type { SchemaPath } from '../schema/walk-schema.ts';
import { positionOfOwner, positionOfValue, type JsonPath } from '../yaml-source.ts';
import { typeMismatches } from '../../emit/ts-types.ts';
import { checkElicitationSchema } from './elicitation-schema.ts';
import { entriesOf } from './entries.ts';
import type { RuleContext } from './rule-context.ts';
import { checkHeaderAnnotations } from './x-mcp-header.ts';

export interface ToolSchemas {
  input: Record<string, unknown>;
  output?: Record<string, unknown>;
  /** Bundled ask schemas by ask index. */
  asks: Map<number, Record<string, unknown>>;
  links: ManifestSchemaLinks['tools'][number];
}

export interface CheckedSchemas {
  tools: Map<number, ToolSchemas>;
  shared: ManifestSchemaLinks['shared'];
}

/**
 * Remembered results of one tool's schema checks (generator/incremental/memo-steps.ts), keyed by
 * everything they read (`toolCheckInputs`). Only a clean check is remembered — no diagnostic at all,
 * no local file reached — so a hit can only skip work whose diagnostics would be none: every
 * problem is found and positioned by this run's own checks.
 */
export interface RememberedToolChecks {
  /** A digest of a JSON value for the inputs, or undefined when it is not plain JSON (nothing is remembered then). */
  digest(value: unknown): string | undefined;
  recall(inputs: unknown): ToolSchemas | undefined;
  remember(inputs: unknown, schemas: ToolSchemas): void;
}

export function checkToolSchemas(ctx: RuleContext, sources: Map<string, string>, remembered?: RememberedToolChecks): CheckedSchemas {
  const shared = isRecord(ctx.raw.schemas) ? ctx.raw.schemas : {};
  const resolve = createResolveContext(ctx.source, shared, sources, ctx.readLocalFile);
  const out = ctx.diagnostics;
  for (const name of Object.keys(shared)) {
    const resource = sharedResource(resolve, name);
    if (resource) out.push(...metaValidate(resource, ctx.metaVerdicts));
  }
  const spec = asString(ctx.raw.spec) ?? '2026-07-28';
  // A tool's bundle reads the shared schemas it reaches; all of them enter its key, by one digest.
  const sharedDigest = remembered?.digest(shared);
  const result = new Map<number, ToolSchemas>();
  for (const { index, value: tool } of entriesOf(ctx.raw, 'tools')) {
    const inputs = sharedDigest === undefined ? undefined : toolCheckInputs(remembered!, tool, spec, sharedDigest);
    const hit = inputs === undefined ? undefined : remembered!.recall(inputs);
    if (hit) {
      result.set(index, hit);
      continue;
    }
    const before = { out: out.length, resolve: resolve.diagnostics.length, fileRefs: resolve.usage.fileRefs };
    const checked = checkTool(resolve, out, ctx, index, tool, spec);
    if (!checked) continue;
    result.set(index, checked);
    const clean = out.length === before.out && resolve.diagnostics.length === before.resolve && resolve.usage.fileRefs === before.fileRefs;
    if (inputs && clean) remembered!.remember(inputs, checked);
  }
  // Each entry is emitted once under its own name (src/generated/schemas.ts), so it is bundled on its
  // own too, after the tools: a `$ref` problem in it is reported where a tool uses it (never once
  // more per entry), and an entry with one is not emitted.
  const bundledShared: CheckedSchemas['shared'] = {};
  for (const name of Object.keys(shared)) {
    const resource = sharedResource(resolve, name);
    if (!resource || !isRecord(resource.value)) continue;
    const quiet = { ...resolve, diagnostics: [] };
    const bundled = bundleSchema(quiet, resource);
    const cycles: Diagnostic[] = [];
    reportRefCycles(cycles, bundled);
    out.push(...cycles);
    if (quiet.diagnostics.length === 0 && cycles.length === 0) bundledShared[name] = { schema: bundled.schema, links: bundled.links };
  }
  for (const file of resolve.files.values()) if (typeof file !== 'string') out.push(...metaValidate(file, ctx.metaVerdicts));
  out.push(...resolve.diagnostics);
  return { tools: result, shared: bundledShared };
}

/** Everything one tool's checks read (the shared schemas and the tool's parts by digest); undefined when not plain JSON. */
function toolCheckInputs(remembered: RememberedToolChecks, tool: Record<string, unknown>, spec: string, sharedDigest: string): unknown {
  const parts = {
    input: 'input' in tool ? [tool.input] : [],
    output: 'output' in tool ? [tool.output] : [],
    asks: entriesOf(tool, 'asks').flatMap((ask) => ('schema' in ask.value && ask.value.kind === 'elicitation' ? [[ask.index, ask.value.schema]] : [])),
  };
  const digest = remembered.digest(parts);
  return digest === undefined ? undefined : { spec, shared: sharedDigest, tool: digest };
}

/** One tool's schemas bundled and checked; undefined when its input cannot be bundled. */
function checkTool(resolve: ResolveContext, out: Diagnostic[], ctx: RuleContext, index: number, tool: Record<string, unknown>, spec: string): ToolSchemas | undefined {
  const label = asString(tool.name) ?? `#${index}`;
  const at: JsonPath = ['tools', index];
  const input = 'input' in tool ? bundleChecked(resolve, out, ctx, [...at, 'input'], tool.input) : { schema: noParametersSchema(), origins: new WeakMap(), links: { defs: {} } };
  if (input) checkInputSchema(out, input, label);
  if (input) checkExactTypes(out, input, label, 'input');
  const output = 'output' in tool ? bundleChecked(resolve, out, ctx, [...at, 'output'], tool.output) : undefined;
  if (output) checkOutputSchema(out, output, label, spec);
  if (output) checkExactTypes(out, output, label, 'output');
  const asks = new Map<number, Record<string, unknown>>();
  const askLinks: Record<number, BundledSchema['links']> = {};
  for (const ask of entriesOf(tool, 'asks')) {
    if (!('schema' in ask.value) || ask.value.kind !== 'elicitation') continue;
    const bundled = bundleChecked(resolve, out, ctx, [...at, 'asks', ask.index, 'schema'], ask.value.schema);
    if (!bundled) continue;
    for (const problem of checkElicitationSchema(bundled.schema)) out.push(diag('MG3011', problem.message, { at: siteAt(bundled, problem.schemaPath) }));
    asks.set(ask.index, bundled.schema);
    askLinks[ask.index] = bundled.links;
  }
  if (!input) return undefined;
  return { input: input.schema, output: output?.schema, asks, links: { input: input.links, output: output?.links, asks: askLinks } };
}

function bundleChecked(resolve: ResolveContext, out: Diagnostic[], ctx: Pick<RuleContext, 'metaVerdicts'>, path: JsonPath, value: unknown): BundledSchema | undefined {
  if (!isRecord(value)) return undefined;
  const resource = manifestResource(resolve, path, value, 'Schema');
  out.push(...metaValidate(resource, ctx.metaVerdicts));
  const bundled = bundleSchema(resolve, resource);
  reportRefCycles(out, bundled);
  return bundled;
}

/** A cycle of references that never moves to a child value cannot be validated or typed (./schema/ref-cycles.ts). */
function reportRefCycles(out: Diagnostic[], bundled: BundledSchema): void {
  for (const cycle of findRefCycles(bundled.schema)) {
    // A root that is only a reference into a cycle was already reported while bundling (followRootRef).
    if (cycle.throughRoot && typeof bundled.schema.$ref === 'string') continue;
    out.push(
      diag('MG4002', '`$ref` cycle that never reaches a schema: every step stays on the same value (a `$ref`, `anyOf`, `allOf`…), so validation would never end', {
        at: siteAt(bundled, cycle.path),
        help: 'recurse through a child instead (`properties`, `items`), or drop one reference of the cycle',
      }),
    );
  }
}

/** Position of `schemaPath` in the bundled schema, mapped back to where it was written. */
function siteAt(bundled: BundledSchema, schemaPath: SchemaPath, onKey = false) {
  const site = siteOf(bundled, schemaPath);
  // A problem with a whole schema is best shown on the key that introduces it (`input:`).
  if (schemaPath.length === 0 || onKey) return positionOfOwner(site.source, site.path);
  return positionOfValue(site.source, site.path);
}

function siteOf(bundled: BundledSchema, schemaPath: SchemaPath): SchemaSite {
  let node: unknown = bundled.schema;
  let site = bundled.origins.get(bundled.schema);
  let rest: (string | number)[] = [];
  for (const step of schemaPath) {
    node = isRecord(node) || Array.isArray(node) ? (node as Record<string, unknown>)[step] : undefined;
    const origin = isRecord(node) ? bundled.origins.get(node) : undefined;
    if (origin) {
      site = origin;
      rest = [];
    } else rest.push(step);
  }
  if (!site) throw new Error('bundled schema without origin');
  return { source: site.source, path: [...site.path, ...rest] };
}

function checkInputSchema(out: Diagnostic[], input: BundledSchema, tool: string): void {
  const schema = input.schema;
  if (input.origins.get(schema) === undefined) return; // the built-in no-parameters default
  const warn = (message: string, schemaPath: SchemaPath, help?: string) =>
    out.push(diag('MG4003', message, { severity: 'warning', at: siteAt(input, schemaPath, true), help }));
  // tools.mdx: inputSchema "MUST be a valid JSON Schema object" and schema.json pins `type: "object"`.
  if (schema.type !== 'object' && !isMisspelledType(schema.type)) {
    out.push(
      diag('MG3010', `the input schema of tool \`${tool}\` must have \`type: object\` at its root${schema.type === undefined ? '' : `, not ${JSON.stringify(schema.type)}`}`, {
        at: siteAt(input, schema.type === undefined ? [] : ['type']),
      }),
    );
  }
  for (const keyword of ['anyOf', 'oneOf', 'allOf']) {
    if (keyword in schema) warn(`a root \`${keyword}\` in the input of tool \`${tool}\` is rejected by some hosts`, [keyword], 'Describe the arguments as one object with optional properties instead.');
  }
  // `{type: object, additionalProperties: false}` is the recommended "no parameters" form.
  if (schema.type === 'object' && !('properties' in schema) && schema.additionalProperties !== false) {
    warn(`the input of tool \`${tool}\` has no \`properties\`; some hosts require them`, [], 'List the parameters under `properties:` (or add `additionalProperties: false` for a tool without parameters).');
  }
  for (const problem of checkHeaderAnnotations(schema)) {
    out.push(diag('MG3007', problem.message, { at: siteAt(input, [...problem.schemaPath, problem.keyword]) }));
  }
}

/** Where the type and the validator of a tool schema cannot agree (generator/emit/ts-types.ts typeMismatches). */
function checkExactTypes(out: Diagnostic[], bundled: BundledSchema, tool: string, part: 'input' | 'output'): void {
  for (const m of typeMismatches(bundled.schema)) {
    out.push(
      diag('MG4005', `\`${m.keyword}\` in the ${part} of tool \`${tool}\` cannot be typed exactly like its validator checks it (positions are optional to the validator, required to the type); the validator is cast to the type`, {
        severity: 'warning',
        at: siteAt(bundled, [...m.path, m.keyword], true),
        help: 'Use an object with named properties instead of a positional tuple, or accept that tsc does not check this part.',
      }),
    );
  }
}

function checkOutputSchema(out: Diagnostic[], output: BundledSchema, tool: string, spec: string): void {
  const schema = output.schema;
  if (schema.type === 'object') return;
  const at = siteAt(output, schema.type === undefined ? [] : ['type']);
  // 2025-11-25 pins `type: "object"` on outputSchema; 2026-07-28 allows any JSON value.
  if (spec === '2025-11-25') {
    out.push(diag('MG3010', `the output schema of tool \`${tool}\` must have \`type: object\` at its root under spec 2025-11-25`, { at }));
  } else {
    out.push(
      diag('MG4003', `the output of tool \`${tool}\` is not \`type: object\`; hosts still on 2025-11-25 reject it`, {
        severity: 'warning',
        at,
        help: 'Wrap the value in an object property if older hosts must see structured output.',
      }),
    );
  }
}

const JSON_TYPES = ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'];

/** Meta-validation already reports (with a suggestion) a `type` that is no JSON type at all. */
export function isMisspelledType(type: unknown): boolean {
  return typeof type === 'string' && !JSON_TYPES.includes(type);
}
