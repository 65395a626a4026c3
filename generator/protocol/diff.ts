/**
 * `mcp-gen spec diff`: a breaking-change report between two revisions, computed from their
 * ProtocolModels (methods) and raw $defs (fields). Field types are compared by a short
 * structural label, so a description-only change is not a change.
 */
import type { SpecDocument } from '../load/load-spec.ts';
import type { MethodInfo, ProtocolModel } from './model.ts';
import { properties, requiredOf, type Schema } from './schema-access.ts';

export interface FieldChange {
  def: string;
  field: string;
  from?: string;
  to?: string;
}

export interface MethodChange {
  method: string;
  kind: MethodInfo['kind'];
  what: string;
  from: string;
  to: string;
}

export interface SpecDiff {
  from: string;
  to: string;
  methods: { added: string[]; removed: string[]; changed: MethodChange[] };
  defs: { added: string[]; removed: string[] };
  fields: { added: FieldChange[]; removed: FieldChange[]; changed: FieldChange[]; newlyRequired: FieldChange[]; noLongerRequired: FieldChange[] };
  errorCodes: { added: number[]; removed: number[] };
  breaking: string[];
}

/** Canonical, description-free shape label of a schema. */
export function shapeLabel(schema: unknown): string {
  if (schema === true || schema === undefined) return 'any';
  if (schema === false) return 'never';
  const s = schema as Schema;
  if (typeof s.$ref === 'string') return s.$ref.replace(/^#\/(\$defs|definitions)\//, '');
  if ('const' in s) return `const ${JSON.stringify(s.const)}`;
  if (Array.isArray(s.enum)) return `enum ${JSON.stringify([...s.enum].sort())}`;
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (Array.isArray(s[k])) return `${k}(${(s[k] as unknown[]).map(shapeLabel).sort().join(', ')})`;
  }
  const type = Array.isArray(s.type) ? [...s.type].sort().join('|') : typeof s.type === 'string' ? s.type : 'any';
  if (type === 'array') return `array<${shapeLabel(s.items)}>`;
  if (type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object' && !s.properties) {
    return `record<${shapeLabel(s.additionalProperties)}>`;
  }
  return type;
}

const key = (m: MethodInfo) => (m.kind === 'notification' ? m.method : m.method);

function compareMethods(a: ProtocolModel, b: ProtocolModel): SpecDiff['methods'] {
  const am = new Map(a.methods.map((m) => [key(m), m]));
  const bm = new Map(b.methods.map((m) => [key(m), m]));
  const added = [...bm.keys()].filter((k) => !am.has(k)).sort();
  const removed = [...am.keys()].filter((k) => !bm.has(k)).sort();
  const changed: MethodChange[] = [];
  for (const [k, before] of am) {
    const after = bm.get(k);
    if (!after) continue;
    const facets: [string, string, string][] = [
      ['direction', before.direction, after.direction],
      ['transport', before.transport, after.transport],
      ['params', before.paramsDef ?? '-', after.paramsDef ?? '-'],
      ['results', before.resultDefs.join('|'), after.resultDefs.join('|')],
      ['capability', before.capability ? `${before.capability.side}:${before.capability.path}` : '-', after.capability ? `${after.capability.side}:${after.capability.path}` : '-'],
    ];
    for (const [what, from, to] of facets) if (from !== to) changed.push({ method: k, kind: after.kind, what, from, to });
  }
  return { added, removed, changed };
}

function compareFields(a: SpecDocument, b: SpecDocument): SpecDiff['fields'] {
  const out: SpecDiff['fields'] = { added: [], removed: [], changed: [], newlyRequired: [], noLongerRequired: [] };
  for (const def of Object.keys(a.$defs).filter((d) => d in b.$defs).sort()) {
    const da = a.$defs[def] as Schema, db = b.$defs[def] as Schema;
    const pa = properties(da), pb = properties(db);
    const ra = new Set(requiredOf(da)), rb = new Set(requiredOf(db));
    for (const f of Object.keys(pb).sort()) {
      if (!(f in pa)) out.added.push({ def, field: f, to: shapeLabel(pb[f]) });
      else if (shapeLabel(pa[f]) !== shapeLabel(pb[f])) out.changed.push({ def, field: f, from: shapeLabel(pa[f]), to: shapeLabel(pb[f]) });
    }
    for (const f of Object.keys(pa).sort()) if (!(f in pb)) out.removed.push({ def, field: f, from: shapeLabel(pa[f]) });
    for (const f of [...rb].sort()) if (!ra.has(f)) out.newlyRequired.push({ def, field: f });
    for (const f of [...ra].sort()) if (!rb.has(f) && f in pb) out.noLongerRequired.push({ def, field: f });
  }
  return out;
}

export function diffSpecs(
  a: { model: ProtocolModel; document: SpecDocument },
  b: { model: ProtocolModel; document: SpecDocument },
): SpecDiff {
  const methods = compareMethods(a.model, b.model);
  const defsA = new Set(a.model.defs), defsB = new Set(b.model.defs);
  const defs = { added: b.model.defs.filter((d) => !defsA.has(d)), removed: a.model.defs.filter((d) => !defsB.has(d)) };
  const fields = compareFields(a.document, b.document);
  const codesA = new Set(a.model.errorCodes.map((e) => e.code)), codesB = new Set(b.model.errorCodes.map((e) => e.code));
  const errorCodes = {
    added: [...codesB].filter((c) => !codesA.has(c)).sort((x, y) => y - x),
    removed: [...codesA].filter((c) => !codesB.has(c)).sort((x, y) => y - x),
  };
  const breaking = [
    ...methods.removed.map((m) => `method ${m} removed`),
    ...methods.changed.filter((c) => c.what !== 'capability').map((c) => `method ${c.method}: ${c.what} ${c.from} → ${c.to}`),
    ...defs.removed.map((d) => `def ${d} removed`),
    ...fields.removed.map((f) => `field ${f.def}.${f.field} removed`),
    ...fields.changed.map((f) => `field ${f.def}.${f.field} changed ${f.from} → ${f.to}`),
    ...fields.newlyRequired.map((f) => `field ${f.def}.${f.field} is now required`),
  ];
  return { from: a.model.revision, to: b.model.revision, methods, defs, fields, errorCodes, breaking };
}
