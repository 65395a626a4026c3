/**
 * Breaking-change check of a server's own surface (`mcp-gen diff --against <ref>`), in the spirit
 * of `buf breaking`: two AppModels in, each change classified by what it does to existing
 * clients. Inputs are what clients send (narrowing them breaks callers), outputs what they read
 * (removing or retyping a field breaks readers). Pure: no filesystem, no git.
 */
import type { AppModel, JsonSchemaObject, ToolModel } from '../app/model.ts';

export interface SurfaceChange {
  /** Stable id to list in the allow file, e.g. `tool-removed:get_forecast`. */
  id: string;
  kind: string;
  breaking: boolean;
  message: string;
}

type Schema = Record<string, unknown>;
const isObj = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Follows local `#/…` refs inside the tool's own schema (mcp-gen inlines shared schemas under $defs). */
function deref(schema: unknown, root: Schema, seen = new Set<string>()): Schema {
  let s = isObj(schema) ? schema : {};
  while (typeof s.$ref === 'string' && s.$ref.startsWith('#') && !seen.has(s.$ref)) {
    seen.add(s.$ref);
    let target: unknown = root;
    for (const raw of s.$ref.slice(1).split('/').filter(Boolean)) {
      const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      target = isObj(target) ? target[key] : undefined;
    }
    const { $ref: _ref, ...rest } = s;
    s = { ...(isObj(target) ? target : {}), ...rest };
  }
  return s;
}

/** The JSON types a schema admits; undefined when it does not say (anything). */
function typesOf(s: Schema): Set<string> | undefined {
  if (typeof s.type === 'string') return new Set([s.type]);
  if (Array.isArray(s.type)) return new Set(s.type as string[]);
  if ('const' in s) return new Set([s.const === null ? 'null' : Array.isArray(s.const) ? 'array' : typeof s.const === 'object' ? 'object' : typeof s.const]);
  if (Array.isArray(s.enum)) return new Set((s.enum as unknown[]).map((v) => (v === null ? 'null' : Number.isInteger(v) ? 'integer' : typeof v)));
  return undefined;
}

/** Whether every value of type `t` is admitted by `types` (integer ⊂ number). */
const admits = (types: Set<string> | undefined, t: string) => !types || types.has(t) || (t === 'integer' && types.has('number'));
const showTypes = (t: Set<string> | undefined) => (t ? [...t].sort().join('|') : 'any');
const enumOf = (s: Schema): unknown[] | undefined => (Array.isArray(s.enum) ? (s.enum as unknown[]) : 'const' in s ? [s.const] : undefined);
const key = (v: unknown) => JSON.stringify(v);

interface Ctx {
  out: SurfaceChange[];
  tool: string;
  side: 'input' | 'output';
  rootBefore: Schema;
  rootAfter: Schema;
  seen: Set<string>;
}

function add(ctx: Ctx, kind: string, path: string, breaking: boolean, message: string) {
  ctx.out.push({ id: `${kind}:${ctx.tool}${path ? `.${path}` : ''}`, kind, breaking, message: `tool ${ctx.tool} ${ctx.side}${path ? ` field ${path}` : ''}: ${message}` });
}

const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'];
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'];

function compareSchemas(ctx: Ctx, rawBefore: unknown, rawAfter: unknown, path: string): void {
  // A recursive schema comes back to the same pair of $refs: compare each pair once.
  const refOf = (s: unknown) => (isObj(s) && typeof s.$ref === 'string' ? s.$ref : '');
  if (refOf(rawBefore) || refOf(rawAfter)) {
    const pair = `${refOf(rawBefore)}|${refOf(rawAfter)}`;
    if (ctx.seen.has(pair)) return;
    ctx.seen.add(pair);
  }
  const b = deref(rawBefore, ctx.rootBefore);
  const a = deref(rawAfter, ctx.rootAfter);
  const input = ctx.side === 'input';

  const [tb, ta] = [typesOf(b), typesOf(a)];
  const lost = tb ? [...tb].filter((t) => !admits(ta, t)) : ta ? ['(any)'] : [];
  const gained = ta ? [...ta].filter((t) => !admits(tb, t)) : tb ? ['(any)'] : [];
  if (lost.length || gained.length) {
    if (input) {
      if (lost.length) add(ctx, 'input-type-narrowed', path, true, `type ${showTypes(tb)} → ${showTypes(ta)} (no longer accepts ${lost.join(', ')})`);
      else add(ctx, 'input-type-widened', path, false, `type ${showTypes(tb)} → ${showTypes(ta)}`);
    } else if (gained.length) add(ctx, 'output-type-changed', path, true, `type ${showTypes(tb)} → ${showTypes(ta)} (clients may now read ${gained.join(', ')})`);
    else add(ctx, 'output-type-narrowed', path, false, `type ${showTypes(tb)} → ${showTypes(ta)}`);
  }

  const [eb, ea] = [enumOf(b), enumOf(a)];
  if (eb || ea) {
    const removed = eb && ea ? eb.filter((v) => !ea.some((w) => key(w) === key(v))) : [];
    const added = eb && ea ? ea.filter((v) => !eb.some((w) => key(w) === key(v))) : [];
    if (input) {
      if (!eb && ea) add(ctx, 'input-enum-narrowed', path, true, `now limited to ${ea.map(key).join(', ')}`);
      else if (removed.length) add(ctx, 'input-enum-narrowed', path, true, `no longer accepts ${removed.map(key).join(', ')}`);
      else if (eb && !ea) add(ctx, 'input-enum-widened', path, false, 'no longer limited to a list of values');
      else if (added.length) add(ctx, 'input-enum-widened', path, false, `now also accepts ${added.map(key).join(', ')}`);
    } else {
      if (eb && !ea) add(ctx, 'output-enum-widened', path, true, 'no longer limited to a list of values');
      else if (added.length) add(ctx, 'output-enum-widened', path, true, `may now be ${added.map(key).join(', ')}`);
      else if (removed.length) add(ctx, 'output-enum-narrowed', path, false, `no longer ${removed.map(key).join(', ')}`);
    }
  }

  if (input) {
    for (const k of LOWER_BOUNDS) if (typeof a[k] === 'number' && (typeof b[k] !== 'number' || (a[k] as number) > (b[k] as number))) add(ctx, 'input-range-narrowed', path, true, `${k} ${b[k] ?? 'none'} → ${a[k]}`);
    for (const k of UPPER_BOUNDS) if (typeof a[k] === 'number' && (typeof b[k] !== 'number' || (a[k] as number) < (b[k] as number))) add(ctx, 'input-range-narrowed', path, true, `${k} ${b[k] ?? 'none'} → ${a[k]}`);
    if (typeof a.pattern === 'string' && a.pattern !== b.pattern) add(ctx, 'input-pattern-changed', path, true, `pattern ${b.pattern === undefined ? 'none' : `/${b.pattern}/`} → /${a.pattern}/`);
  }

  const hb = b['x-mcp-header'], ha = a['x-mcp-header'];
  if (input && key(hb) !== key(ha)) {
    add(ctx, 'header-changed', path, true, `x-mcp-header ${hb === undefined ? 'none' : key(hb)} → ${ha === undefined ? 'none' : key(ha)} (the Mcp-Param header clients send changes)`);
  }

  const pb = isObj(b.properties) ? b.properties : {};
  const pa = isObj(a.properties) ? a.properties : {};
  const rb = new Set(Array.isArray(b.required) ? (b.required as string[]) : []);
  const ra = new Set(Array.isArray(a.required) ? (a.required as string[]) : []);
  const closed = a.additionalProperties === false || a.unevaluatedProperties === false;
  const at = (name: string) => (path ? `${path}.${name}` : name);
  for (const name of Object.keys(pb).sort()) {
    if (!(name in pa)) {
      if (input) add(ctx, 'input-field-removed', at(name), closed, closed ? 'removed; the schema rejects unknown fields, so clients still sending it fail' : 'removed (clients still sending it are not rejected)');
      else add(ctx, 'output-field-removed', at(name), true, 'removed');
    }
  }
  for (const name of Object.keys(pa).sort()) {
    if (!(name in pb)) {
      if (input && ra.has(name)) add(ctx, 'input-field-required', at(name), true, 'new required field');
      else add(ctx, `${ctx.side}-field-added`, at(name), false, ra.has(name) || !input ? 'new field' : 'new optional field');
      continue;
    }
    if (input && ra.has(name) && !rb.has(name)) add(ctx, 'input-field-required', at(name), true, 'now required');
    if (input && !ra.has(name) && rb.has(name)) add(ctx, 'input-field-optional', at(name), false, 'now optional');
    if (!input && rb.has(name) && !ra.has(name)) add(ctx, 'output-field-optional', at(name), true, 'no longer always present');
    compareSchemas(ctx, pb[name], pa[name], at(name));
  }
  if (b.items !== undefined || a.items !== undefined) compareSchemas(ctx, b.items ?? {}, a.items ?? {}, `${path}[]`);
}

function compareTool(out: SurfaceChange[], before: ToolModel, after: ToolModel): void {
  const base = { out, tool: after.name, seen: new Set<string>() };
  compareSchemas({ ...base, side: 'input', rootBefore: before.inputSchema, rootAfter: after.inputSchema }, before.inputSchema, after.inputSchema, '');
  if (before.outputSchema && !after.outputSchema) {
    out.push({ id: `output-removed:${after.name}`, kind: 'output-removed', breaking: true, message: `tool ${after.name}: no longer declares an output schema (structuredContent)` });
  } else if (!before.outputSchema && after.outputSchema) {
    out.push({ id: `output-added:${after.name}`, kind: 'output-added', breaking: false, message: `tool ${after.name}: now declares an output schema` });
  } else if (before.outputSchema && after.outputSchema) {
    compareSchemas({ ...base, side: 'output', rootBefore: before.outputSchema as JsonSchemaObject, rootAfter: after.outputSchema }, before.outputSchema, after.outputSchema, '');
  }
}

function byKey<T>(xs: T[], k: (x: T) => string): Map<string, T> {
  return new Map(xs.map((x) => [k(x), x]));
}

function entries<T>(out: SurfaceChange[], what: string, before: Map<string, T>, after: Map<string, T>, both: (b: T, a: T, name: string) => void): void {
  for (const [name] of before) if (!after.has(name)) out.push({ id: `${what}-removed:${name}`, kind: `${what}-removed`, breaking: true, message: `${what} ${name} was removed` });
  for (const [name, a] of after) {
    const b = before.get(name);
    if (!b) out.push({ id: `${what}-added:${name}`, kind: `${what}-added`, breaking: false, message: `${what} ${name} was added` });
    else both(b, a, name);
  }
}

export function diffSurfaces(before: AppModel, after: AppModel): SurfaceChange[] {
  const out: SurfaceChange[] = [];
  entries(out, 'tool', byKey(before.tools, (t) => t.name), byKey(after.tools, (t) => t.name), (b, a) => compareTool(out, b, a));
  entries(out, 'prompt', byKey(before.prompts, (p) => p.name), byKey(after.prompts, (p) => p.name), (b, a, name) => {
    const args = byKey(b.arguments, (x) => x.name);
    for (const arg of a.arguments) {
      const was = args.get(arg.name);
      if (arg.required && !was?.required) out.push({ id: `prompt-argument-required:${name}.${arg.name}`, kind: 'prompt-argument-required', breaking: true, message: `prompt ${name} argument ${arg.name}: ${was ? 'now required' : 'new required argument'}` });
      else if (!was) out.push({ id: `prompt-argument-added:${name}.${arg.name}`, kind: 'prompt-argument-added', breaking: false, message: `prompt ${name} argument ${arg.name}: new optional argument` });
    }
    for (const arg of b.arguments) {
      if (!a.arguments.some((x) => x.name === arg.name)) out.push({ id: `prompt-argument-removed:${name}.${arg.name}`, kind: 'prompt-argument-removed', breaking: false, message: `prompt ${name} argument ${arg.name}: removed` });
    }
  });
  const resources = (m: AppModel) => byKey([...m.resources.map((r) => r.uri), ...m.apps.map((x) => x.resourceUri)], (u) => u);
  entries(out, 'resource', resources(before), resources(after), () => {});
  entries(out, 'resource-template', byKey(before.resourceTemplates, (t) => t.name), byKey(after.resourceTemplates, (t) => t.name), (b, a, name) => {
    if (b.uriTemplate !== a.uriTemplate) {
      out.push({ id: `uri-template-changed:${name}`, kind: 'uri-template-changed', breaking: true, message: `resource template ${name}: uriTemplate ${b.uriTemplate} → ${a.uriTemplate}` });
    }
  });
  return out;
}
