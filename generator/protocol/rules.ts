/**
 * Derivation rules shared by the revision adapters, each named as the sentence it implements.
 * Revision-specific knowledge lives in versions/<rev>.ts.
 */
import type { SpecDocument } from '../load/load-spec.ts';
import type { CapabilityRef, ErrorCodeInfo, MetaKey } from './model.ts';
import { defOf, errorCodeOf, properties, requiredOf, typeLabel, type Schema } from './schema-access.ts';

/** The JSON-RPC 2.0 reserved codes every revision relies on, whether or not its schema names them. */
export const jsonRpcReservedCodes: readonly ErrorCodeInfo[] = [
  { code: -32700, name: 'ParseError', source: 'json-rpc', dataRequired: [] },
  { code: -32600, name: 'InvalidRequestError', source: 'json-rpc', dataRequired: [] },
  { code: -32601, name: 'MethodNotFoundError', source: 'json-rpc', dataRequired: [] },
  { code: -32602, name: 'InvalidParamsError', source: 'json-rpc', dataRequired: [] },
  { code: -32603, name: 'InternalError', source: 'json-rpc', dataRequired: [] },
];

/** An error code is every `code` const a def pins; the def name (minus `Error`) names it. */
export function errorCodesDefinedBySchema(doc: SpecDocument): ErrorCodeInfo[] {
  const out = new Map<number, ErrorCodeInfo>();
  for (const name of Object.keys(doc.$defs).sort()) {
    const def = defOf(doc, name);
    if (!def || !/Error$/.test(name)) continue;
    const found = errorCodeOf(doc, def);
    if (!found) continue;
    out.set(found.code, { code: found.code, name, def: name, source: 'schema', dataRequired: found.dataRequired.sort() });
  }
  // Reserved codes the schema does not describe still exist on the wire.
  for (const reserved of jsonRpcReservedCodes) if (!out.has(reserved.code)) out.set(reserved.code, reserved);
  return [...out.values()].sort((a, b) => b.code - a.code);
}

/** A request's result is `<Base>Result`, or `EmptyResult` when the revision names none. */
export function resultByNamingConvention(doc: SpecDocument, requestDef: string): string[] {
  const base = requestDef.replace(/Request$/, '');
  if (defOf(doc, `${base}Result`)) return [`${base}Result`];
  if (defOf(doc, 'EmptyResult')) return ['EmptyResult'];
  return ['Result'];
}

/**
 * A method is gated by the receiver's capability named after its first path segment
 * (`tools/call` → server `tools`), with the exceptions the spec spells out in prose.
 * A capability the revision's schema does not have gates nothing.
 */
const gatingOverrides: Record<string, CapabilityRef | null> = {
  'completion/complete': { side: 'server', path: 'completions' },
  'logging/setLevel': { side: 'server', path: 'logging' },
  'notifications/message': { side: 'server', path: 'logging' },
  'resources/subscribe': { side: 'server', path: 'resources.subscribe' },
  'resources/unsubscribe': { side: 'server', path: 'resources.subscribe' },
  'notifications/resources/updated': { side: 'server', path: 'resources.subscribe' },
  'notifications/tools/list_changed': { side: 'server', path: 'tools.listChanged' },
  'notifications/prompts/list_changed': { side: 'server', path: 'prompts.listChanged' },
  'notifications/resources/list_changed': { side: 'server', path: 'resources.listChanged' },
  'notifications/roots/list_changed': { side: 'client', path: 'roots.listChanged' },
  'sampling/createMessage': { side: 'client', path: 'sampling' },
  'elicitation/create': { side: 'client', path: 'elicitation' },
  'roots/list': { side: 'client', path: 'roots' },
  'tasks/get': { side: 'server', path: 'tasks' },
  'tasks/result': { side: 'server', path: 'tasks' },
  'tasks/list': { side: 'server', path: 'tasks.list' },
  'tasks/cancel': { side: 'server', path: 'tasks.cancel' },
};

export function gatingCapability(doc: SpecDocument, method: string): CapabilityRef | undefined {
  const override = gatingOverrides[method];
  const candidate =
    override === null ? undefined : override ?? { side: 'server' as const, path: method.split('/')[0]! };
  if (!candidate) return undefined;
  const capsDef = defOf(doc, candidate.side === 'server' ? 'ServerCapabilities' : 'ClientCapabilities');
  const [head, ...rest] = candidate.path.split('.');
  let node: Schema | undefined = properties(capsDef)[head!];
  if (node && defOf(doc, typeLabel(node) ?? '')) node = defOf(doc, typeLabel(node)!);
  for (const seg of rest) node = node ? properties(node)[seg] : undefined;
  return node ? candidate : undefined;
}

export function capabilityNames(doc: SpecDocument, def: 'ClientCapabilities' | 'ServerCapabilities'): string[] {
  return Object.keys(properties(defOf(doc, def))).sort();
}

/** `_meta` keys are the declared properties of a meta object schema. */
export function metaKeysOf(doc: SpecDocument, metaSchema: Schema | undefined): MetaKey[] {
  const target = typeLabel(metaSchema);
  const resolved = target && defOf(doc, target) ? defOf(doc, target) : metaSchema;
  const req = new Set(requiredOf(resolved));
  return Object.entries(properties(resolved))
    .map(([key, s]) => ({ key, def: defOf(doc, typeLabel(s) ?? '') ? typeLabel(s) : undefined, type: typeLabel(s), required: req.has(key) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
