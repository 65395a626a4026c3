import { appendPointer, isSchema, resolvePointer } from './json-pointer.ts';
import {
  ARRAY_SUBSCHEMA_KEYWORDS,
  MAP_SUBSCHEMA_KEYWORDS,
  SINGLE_SUBSCHEMA_KEYWORDS,
  locationKey,
  type JsonSchema,
  type SchemaLocation,
} from './schema-types.ts';

/** Base URI for a document without `$id`: a scheme that can never be fetched, yet supports relative resolution. */
export const DEFAULT_DOCUMENT_URI = 'mcp-gen:/document.json';

export interface ResolvedRef {
  location: SchemaLocation;
  /** The fragment when it named an anchor (not a JSON pointer); $dynamicRef needs it. */
  anchor?: string;
}

function withoutFragment(uri: string): string {
  const hash = uri.indexOf('#');
  return hash === -1 ? uri : uri.slice(0, hash);
}

/** Resolved URIs by base and reference: a schema set uses a few distinct `$ref`s many times, and URL parsing was a tenth of printing. */
const resolvedUris = new Map<string, string>();

function absoluteUri(reference: string, base: string): string {
  const key = `${base}\0${reference}`;
  const known = resolvedUris.get(key);
  if (known !== undefined) return known;
  let href: string;
  try {
    href = new URL(reference, base).href;
  } catch {
    throw new Error(`Cannot resolve "${reference}" against base URI "${base}"`);
  }
  if (resolvedUris.size >= 10_000) resolvedUris.clear(); // a long --watch session must not grow it forever
  resolvedUris.set(key, href);
  return href;
}

/**
 * Every schema resource (`$id`), anchor and dynamic anchor of the main document and the remotes,
 * plus the base URI in effect at each schema position: what `$ref` resolution needs.
 */
export class ResourceIndex {
  readonly mainDocumentUri: string;
  private readonly documents = new Map<string, JsonSchema>();
  private readonly resources = new Map<string, SchemaLocation>();
  private readonly anchors = new Map<string, SchemaLocation>();
  private readonly dynamicAnchors = new Map<string, Map<string, SchemaLocation>>();
  private readonly baseUris = new Map<string, string>();
  /** Anchor names that some `$dynamicRef` may rebind; only these matter for the dynamic scope. */
  readonly dynamicRefNames = new Set<string>();
  /** schemaAt and vocabulariesOf answers, by position and by resource: printing asks for the same ones again and again. */
  private readonly schemas = new Map<string, JsonSchema>();
  private readonly vocabularies = new Map<string, string[] | undefined>();

  constructor(document: JsonSchema, remotes: Record<string, JsonSchema> = {}) {
    this.mainDocumentUri = DEFAULT_DOCUMENT_URI;
    this.addDocument(DEFAULT_DOCUMENT_URI, document);
    for (const uri of Object.keys(remotes).sort()) {
      this.addDocument(withoutFragment(absoluteUri(uri, DEFAULT_DOCUMENT_URI)), remotes[uri]);
    }
  }

  schemaAt(location: SchemaLocation): JsonSchema {
    const key = locationKey(location);
    const known = this.schemas.get(key);
    if (known !== undefined) return known;
    const value = resolvePointer(this.documents.get(location.documentUri), location.pointer);
    if (!isSchema(value)) throw new Error(`No schema at ${key}`);
    this.schemas.set(key, value);
    return value;
  }

  /** The base URI (= the enclosing schema resource) of a schema position. */
  baseUriOf(location: SchemaLocation): string {
    let pointer = location.pointer;
    for (;;) {
      const found = this.baseUris.get(locationKey({ documentUri: location.documentUri, pointer }));
      if (found !== undefined) return found;
      if (pointer === '') return location.documentUri;
      pointer = pointer.slice(0, pointer.lastIndexOf('/'));
    }
  }

  /** Dynamic anchors declared by a schema resource, sorted by name. */
  dynamicAnchorsOf(resourceUri: string): [string, SchemaLocation][] {
    const anchors = this.dynamicAnchors.get(resourceUri);
    return anchors ? [...anchors].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : [];
  }

  /**
   * The vocabularies a schema position is written in, from its resource's `$schema` when that
   * metaschema is available and declares `$vocabulary`; undefined means "all of 2020-12".
   */
  vocabulariesOf(location: SchemaLocation): string[] | undefined {
    const base = this.baseUriOf(location);
    if (this.vocabularies.has(base)) return this.vocabularies.get(base);
    const found = this.vocabulariesOfResource(base);
    this.vocabularies.set(base, found);
    return found;
  }

  private vocabulariesOfResource(base: string): string[] | undefined {
    const resource = this.resources.get(base);
    const root = resource && resolvePointer(this.documents.get(resource.documentUri), resource.pointer);
    const dialect = isSchema(root) && typeof root === 'object' ? root.$schema : undefined;
    if (typeof dialect !== 'string') return undefined;
    const metaschema = this.resources.get(withoutFragment(absoluteUri(dialect, base)));
    const declared = metaschema && resolvePointer(this.documents.get(metaschema.documentUri), metaschema.pointer);
    const vocabulary = isSchema(declared) && typeof declared === 'object' ? declared.$vocabulary : undefined;
    return vocabulary !== null && typeof vocabulary === 'object' ? Object.keys(vocabulary) : undefined;
  }

  resolve(reference: string, baseUri: string): ResolvedRef {
    const absolute = absoluteUri(reference, baseUri);
    const resourceUri = withoutFragment(absolute);
    const hash = absolute.indexOf('#');
    const fragment = hash === -1 ? '' : decodeURIComponent(absolute.slice(hash + 1));
    const resource = this.resources.get(resourceUri);
    if (!resource) {
      throw new Error(
        `Unresolvable $ref "${reference}" (${absolute}): not in the document nor in remotes; network refs are never fetched`,
      );
    }
    if (fragment === '') return { location: resource };
    if (fragment.startsWith('/')) {
      const location = { documentUri: resource.documentUri, pointer: resource.pointer + fragment };
      if (!isSchema(resolvePointer(this.documents.get(location.documentUri), location.pointer))) {
        throw new Error(`Unresolvable $ref "${reference}": no schema at ${absolute}`);
      }
      return { location };
    }
    const anchored = this.anchors.get(`${resourceUri}#${fragment}`);
    if (!anchored) throw new Error(`Unresolvable $ref "${reference}": no anchor "${fragment}" in ${resourceUri}`);
    return { location: anchored, anchor: fragment };
  }

  private addDocument(documentUri: string, document: JsonSchema): void {
    if (this.documents.has(documentUri)) return;
    this.documents.set(documentUri, document);
    this.register(this.resources, documentUri, { documentUri, pointer: '' });
    this.visit(document, { documentUri, pointer: '' }, documentUri);
  }

  private register(map: Map<string, SchemaLocation>, key: string, location: SchemaLocation): void {
    if (!map.has(key)) map.set(key, location);
  }

  private visit(schema: JsonSchema, location: SchemaLocation, parentBase: string): void {
    if (typeof schema === 'boolean') {
      this.baseUris.set(locationKey(location), parentBase);
      return;
    }
    let base = parentBase;
    if (typeof schema.$id === 'string') {
      base = withoutFragment(absoluteUri(schema.$id, parentBase));
      this.register(this.resources, base, location);
    }
    this.baseUris.set(locationKey(location), base);
    if (typeof schema.$dynamicRef === 'string') {
      const hash = schema.$dynamicRef.indexOf('#');
      const fragment = hash === -1 ? '' : schema.$dynamicRef.slice(hash + 1);
      if (fragment !== '' && !fragment.startsWith('/')) this.dynamicRefNames.add(decodeURIComponent(fragment));
    }
    if (typeof schema.$anchor === 'string') this.register(this.anchors, `${base}#${schema.$anchor}`, location);
    if (typeof schema.$dynamicAnchor === 'string') {
      this.register(this.anchors, `${base}#${schema.$dynamicAnchor}`, location);
      let declared = this.dynamicAnchors.get(base);
      if (!declared) this.dynamicAnchors.set(base, (declared = new Map()));
      if (!declared.has(schema.$dynamicAnchor)) declared.set(schema.$dynamicAnchor, location);
    }
    const child = (...segments: (string | number)[]) => ({
      documentUri: location.documentUri,
      pointer: appendPointer(location.pointer, ...segments),
    });
    for (const keyword of SINGLE_SUBSCHEMA_KEYWORDS) {
      const value = schema[keyword];
      if (isSchema(value)) this.visit(value, child(keyword), base);
    }
    for (const keyword of ARRAY_SUBSCHEMA_KEYWORDS) {
      const value = schema[keyword];
      if (Array.isArray(value)) value.forEach((item, i) => isSchema(item) && this.visit(item, child(keyword, i), base));
    }
    for (const keyword of MAP_SUBSCHEMA_KEYWORDS) {
      const value = schema[keyword];
      if (isSchema(value) && typeof value === 'object') {
        for (const [name, item] of Object.entries(value)) if (isSchema(item)) this.visit(item, child(keyword, name), base);
      }
    }
  }
}
