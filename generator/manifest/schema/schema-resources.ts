/**
 * Schema resources (an inline schema, a `schemas:` entry, a local file) and `$ref` resolution
 * between them. Network `$ref`s are never fetched (basic/index.mdx, "$ref Resolution"): they are
 * reported as unresolvable.
 */
import { posix } from 'node:path';
import { diag, type Diagnostic } from '../../diagnostics/diagnostic.ts';
import { didYouMean } from '../did-you-mean.ts';
import { isRecord } from '../paths.ts';
import { lazyYamlSource, positionOfValue, type JsonPath, type YamlSource } from '../yaml-source.ts';
import { parseYamlSubset } from '../yaml-subset.ts';

/** Where a schema node was written. */
export interface SchemaSite {
  source: YamlSource;
  path: JsonPath;
}

export interface SchemaResource {
  /** Stable identity: `manifest:/tools/0/input`, `manifest:/schemas/Name`, `file:schemas/x.json`. */
  id: string;
  value: unknown;
  site: SchemaSite;
  /** `#/schemas/Name` means a shared schema only inside the manifest. */
  inManifest: boolean;
  /** Directory that relative file `$ref`s start from (as shown to the user). */
  baseDir: string;
  /** Preferred key under `$defs` when bundled. */
  defName: string;
}

/** Reads a local file by the path shown to the user; undefined when it does not exist. */
export type ReadLocalFile = (path: string) => string | undefined;

export interface ResolveContext {
  manifest: YamlSource;
  sharedSchemas: Record<string, unknown>;
  readLocalFile?: ReadLocalFile;
  /** Every file read, for rendering code frames. */
  sources: Map<string, string>;
  diagnostics: Diagnostic[];
  /** Loaded files; a string is the reason a file could not be used. */
  files: Map<string, SchemaResource | string>;
  shared: Map<string, SchemaResource>;
  /**
   * References to local files resolved so far (shared by the context's copies): a check that reached
   * none is a function of the manifest's JSON alone (rules/tool-schemas.ts RememberedToolChecks).
   */
  usage: { fileRefs: number };
}

export interface RefTarget {
  resource: SchemaResource;
  /** JSON pointer inside the resource ('' for its root), or an anchor fragment such as `#name`. */
  fragment: string;
}

export function createResolveContext(
  manifest: YamlSource,
  sharedSchemas: Record<string, unknown>,
  sources: Map<string, string>,
  readLocalFile?: ReadLocalFile,
): ResolveContext {
  return { manifest, sharedSchemas, readLocalFile, sources, diagnostics: [], files: new Map(), shared: new Map(), usage: { fileRefs: 0 } };
}

export function manifestResource(ctx: ResolveContext, path: JsonPath, value: unknown, defName: string): SchemaResource {
  return {
    id: `manifest:/${path.join('/')}`,
    value,
    site: { source: ctx.manifest, path },
    inManifest: true,
    baseDir: posix.dirname(toPosix(ctx.manifest.file)),
    defName,
  };
}

export function sharedResource(ctx: ResolveContext, name: string): SchemaResource | undefined {
  if (!Object.hasOwn(ctx.sharedSchemas, name)) return undefined;
  let resource = ctx.shared.get(name);
  if (!resource) {
    resource = manifestResource(ctx, ['schemas', name], ctx.sharedSchemas[name], name);
    ctx.shared.set(name, resource);
  }
  return resource;
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** Resolves `ref` written at `site` inside `from`; reports MG4002 and returns undefined on failure. */
export function resolveRef(ctx: ResolveContext, ref: string, from: SchemaResource, site: SchemaSite): RefTarget | undefined {
  const fail = (message: string, help?: string) => {
    ctx.diagnostics.push(diag('MG4002', message, { at: positionOfValue(site.source, site.path), help }));
    return undefined;
  };
  if (/^https?:/i.test(ref)) {
    return fail(`\`$ref: ${ref}\` points to the network; mcp-gen never fetches remote schemas`, 'Copy the schema into a local file or under `schemas:` and reference that.');
  }
  if (SCHEME.test(ref)) return fail(`\`$ref: ${ref}\` is an absolute URI that mcp-gen cannot resolve locally`);
  const hash = ref.indexOf('#');
  const filePart = hash === -1 ? ref : ref.slice(0, hash);
  const fragment = hash === -1 ? '' : ref.slice(hash + 1);
  let target: SchemaResource | undefined = from;
  let pointer = fragment;
  if (filePart !== '') {
    ctx.usage.fileRefs++;
    target = fileResource(ctx, posix.normalize(posix.join(from.baseDir, safeDecode(filePart))), ref, site);
    if (!target) return undefined;
  } else if (from.inManifest && (fragment === '/schemas' || fragment.startsWith('/schemas/'))) {
    const [name = '', ...rest] = fragment.slice('/schemas/'.length).split('/');
    const decoded = unescapePointerToken(name);
    target = sharedResource(ctx, decoded);
    if (!target) {
      return fail(`\`$ref: ${ref}\` names no schema under \`schemas:\`${didYouMean(decoded, Object.keys(ctx.sharedSchemas))}`, 'Declare it under `schemas:` or fix the name.');
    }
    pointer = rest.length ? `/${rest.join('/')}` : '';
  }
  if (pointer === '' || pointer.startsWith('/')) {
    if (resolvePointer(target.value, pointer) === NOT_FOUND) {
      return fail(`\`$ref: ${ref}\` points to nothing: \`${pointer}\` does not exist in ${describeResource(target)}`);
    }
  }
  return { resource: target, fragment: pointer };
}

function describeResource(resource: SchemaResource): string {
  return resource.id.startsWith('file:') ? resource.id.slice('file:'.length) : 'this schema';
}

function fileResource(ctx: ResolveContext, path: string, ref: string, site: SchemaSite): SchemaResource | undefined {
  const fail = (message: string) => {
    ctx.files.set(path, message);
    ctx.diagnostics.push(diag('MG4002', message, { at: positionOfValue(site.source, site.path) }));
    return undefined;
  };
  const cached = ctx.files.get(path);
  if (typeof cached === 'string') return fail(cached);
  // Schema files are part of the project: a $ref never reads from outside the manifest's folder.
  const projectDir = posix.dirname(ctx.manifest.file.replace(/\\/g, '/'));
  const fromProject = posix.relative(projectDir, path);
  if (fromProject.startsWith('..') || posix.isAbsolute(fromProject)) {
    return fail(`\`$ref: ${ref}\` points outside the project folder (\`${path}\`); mcp-gen only reads schema files next to the manifest`);
  }
  if (cached !== undefined) return cached;
  if (!ctx.readLocalFile) return fail(`\`$ref: ${ref}\` needs to read \`${path}\`, but no files can be read here`);
  let text: string | undefined;
  try {
    text = ctx.readLocalFile(path);
  } catch {
    text = undefined;
  }
  if (text === undefined) return fail(`\`$ref: ${ref}\`: file \`${path}\` not found`);
  // Parsed by yaml only when a position inside the file is asked for, or when the subset reader
  // (../yaml-subset.ts) is not sure of the YAML.
  const source = lazyYamlSource(text, path);
  let value: unknown;
  if (/\.json$/i.test(path)) {
    try {
      value = JSON.parse(text);
    } catch (error) {
      return fail(`\`$ref: ${ref}\`: \`${path}\` is not valid JSON (${jsonErrorWhere(text, error)})`);
    }
  } else {
    value = parseYamlSubset(text); // exactly yaml's value, when yaml has nothing to say about the text
    if (value === undefined) {
      if (source.doc.errors.length > 0) return fail(`\`$ref: ${ref}\`: \`${path}\` is not valid YAML (${source.doc.errors[0].message.split('\n')[0]})`);
      value = safeToJS(source);
    }
  }
  if (!isRecord(value)) return fail(`\`$ref: ${ref}\`: \`${path}\` does not contain a JSON Schema object`);
  ctx.sources.set(path, text);
  const resource: SchemaResource = {
    id: `file:${path}`,
    value,
    site: { source, path: [] },
    inManifest: false,
    baseDir: posix.dirname(path),
    defName: posix.basename(path).replace(/\.(schema\.)?(json|ya?ml)$/i, ''),
  };
  ctx.files.set(path, resource);
  return resource;
}

function safeToJS(source: YamlSource): unknown {
  try {
    return source.doc.toJS({ maxAliasCount: 1000 });
  } catch {
    return undefined;
  }
}

export const NOT_FOUND: unique symbol = Symbol('not found');

export function resolvePointer(value: unknown, pointer: string): unknown {
  if (pointer === '') return value;
  let current = value;
  for (const raw of pointer.slice(1).split('/')) {
    const token = unescapePointerToken(raw);
    if (Array.isArray(current) && /^\d+$/.test(token)) current = current[Number(token)];
    else if (isRecord(current) && Object.hasOwn(current, token)) current = current[token];
    else return NOT_FOUND;
    if (current === undefined) return NOT_FOUND;
  }
  return current;
}

export function unescapePointerToken(token: string): string {
  return safeDecode(token).replace(/~1/g, '/').replace(/~0/g, '~');
}

/** A stray `%` is not an escape; such text is kept as written. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointerToPath(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map(unescapePointerToken);
}

function toPosix(path: string): string {
  return path.replace(/\\/g, '/');
}

/** "line L column C" for a JSON.parse failure, computed here: engines word their messages differently. */
function jsonErrorWhere(text: string, error: unknown): string {
  const m = /position (\d+)/.exec((error as Error).message ?? '');
  if (!m) return 'unexpected end or token';
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `syntax error at line ${line} column ${column}`;
}
