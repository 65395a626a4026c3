/** protocol/methods.ts: the typed method map, rendered from a view precomputed off the ProtocolModel. */
import type { Artifact, EmitContext } from '../artifact.ts';
import type { MethodInfo, ProtocolModel } from '../../protocol/model.ts';
import { renderTemplate } from '../templates.ts';
import { arrayMember, fits, prettierKey, prettierString } from '../../format/preformatted.ts';

function paramsType(m: MethodInfo): string {
  if (m.paramsDef) return m.paramsRequired ? `T.${m.paramsDef}` : `T.${m.paramsDef} | undefined`;
  return `T.${m.messageDef}['params']`;
}

function resultType(m: MethodInfo): string {
  return m.resultDefs.length ? m.resultDefs.map((r) => `T.${r}`).join(' | ') : 'never';
}

/** `key: { a; b };` in an interface as prettier lays it out: one line, else one member a line. */
function row(key: string, members: string[]): string {
  const one = `  ${key}: { ${members.join('; ')} };`;
  if (fits(one) !== false) return one;
  return `  ${key}: {\n${members.map((m) => `    ${m};`).join('\n')}\n  };`;
}

function interfaceOf(name: string, rows: string[]): string {
  return rows.length === 0 ? `export interface ${name} {}` : `export interface ${name} {\n${rows.join('\n')}\n}`;
}

const requestRow = (m: MethodInfo) => row(prettierKey(m.method), [`params: ${paramsType(m)}`, `result: ${resultType(m)}`]);
const notificationRow = (m: MethodInfo) => row(prettierKey(m.method), [`params: ${paramsType(m)}`]);

const sends = (side: 'client' | 'server') => (m: MethodInfo) =>
  m.direction === 'both' || m.direction === (side === 'client' ? 'client->server' : 'server->client');

export function methodsView(model: ProtocolModel) {
  const requests = model.methods.filter((m) => m.kind === 'request');
  const notifications = model.methods.filter((m) => m.kind === 'notification');
  return {
    revision: model.revision,
    revisionLiteral: prettierString(model.revision),
    eraLiteral: prettierString(model.era),
    multiRoundTrip: model.features.multiRoundTrip,
    features: Object.entries(model.features)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, value]) => ({ name, value: String(value) })),
    clientRequestMap: interfaceOf('ClientRequestMap', requests.filter(sends('client')).map(requestRow)),
    serverRequestMap: interfaceOf('ServerRequestMap', requests.filter(sends('server')).map(requestRow)),
    clientNotificationMap: interfaceOf('ClientNotificationMap', notifications.filter(sends('client')).map(notificationRow)),
    serverNotificationMap: interfaceOf('ServerNotificationMap', notifications.filter(sends('server')).map(notificationRow)),
    methods: model.methods.map((m) => ({
      key: prettierKey(m.method),
      kind: prettierString(m.kind),
      direction: prettierString(m.direction),
      transport: prettierString(m.transport),
      messageDef: m.messageDef,
      paramsSchema: m.paramsDef ? `S.${m.paramsDef}` : 'undefined',
      paramsRequired: String(m.paramsRequired),
      results: m.resultDefs.map((r) => `S.${r}`).join(', '),
      capability: m.capability ? `{ side: ${prettierString(m.capability.side)}, path: ${prettierString(m.capability.path)} }` : 'undefined',
    })),
    errorCodes: model.errorCodes.map((e) => ({ name: e.name, code: String(e.code) })),
    metaRequest: arrayMember('  ', 'request', model.meta.request.map((k) => prettierString(k.key))),
    metaResult: arrayMember('  ', 'result', model.meta.result.map((k) => prettierString(k.key))),
    metaNotification: arrayMember('  ', 'notification', model.meta.notification.map((k) => prettierString(k.key))),
  };
}

export const protocolMethods: Artifact = {
  id: 'protocol-methods',
  emit(ctx: EmitContext) {
    const content = renderTemplate('protocol/methods.ts.hbs', methodsView(ctx.protocol));
    // In prettier's layout: spec-derived names printed as prettier prints them, rows broken by width (format/preformatted.ts checks).
    return [{ path: `${ctx.protocolDir}/methods.ts`, owner: 'generated', language: 'typescript', prettierShaped: true, content }];
  },
};
