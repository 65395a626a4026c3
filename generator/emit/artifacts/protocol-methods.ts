/** protocol/methods.ts: the typed method map, rendered from a view precomputed off the ProtocolModel. */
import type { Artifact, EmitContext } from '../artifact.ts';
import type { MethodInfo, ProtocolModel } from '../../protocol/model.ts';
import { renderTemplate } from '../templates.ts';
import { tsString } from '../text.ts';

function paramsType(m: MethodInfo): string {
  if (m.paramsDef) return m.paramsRequired ? `T.${m.paramsDef}` : `T.${m.paramsDef} | undefined`;
  return `T.${m.messageDef}['params']`;
}

function resultType(m: MethodInfo): string {
  return m.resultDefs.length ? m.resultDefs.map((r) => `T.${r}`).join(' | ') : 'never';
}

function row(m: MethodInfo) {
  return { key: tsString(m.method), paramsType: paramsType(m), resultType: resultType(m) };
}

const sends = (side: 'client' | 'server') => (m: MethodInfo) =>
  m.direction === 'both' || m.direction === (side === 'client' ? 'client->server' : 'server->client');

export function methodsView(model: ProtocolModel) {
  const requests = model.methods.filter((m) => m.kind === 'request');
  const notifications = model.methods.filter((m) => m.kind === 'notification');
  return {
    revision: model.revision,
    revisionLiteral: tsString(model.revision),
    eraLiteral: tsString(model.era),
    multiRoundTrip: model.features.multiRoundTrip,
    features: Object.entries(model.features)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, value]) => ({ name, value: String(value) })),
    clientRequests: requests.filter(sends('client')).map(row),
    serverRequests: requests.filter(sends('server')).map(row),
    clientNotifications: notifications.filter(sends('client')).map(row),
    serverNotifications: notifications.filter(sends('server')).map(row),
    methods: model.methods.map((m) => ({
      key: tsString(m.method),
      kind: tsString(m.kind),
      direction: tsString(m.direction),
      transport: tsString(m.transport),
      messageDef: m.messageDef,
      paramsSchema: m.paramsDef ? `S.${m.paramsDef}` : 'undefined',
      paramsRequired: String(m.paramsRequired),
      results: m.resultDefs.map((r) => `S.${r}`).join(', '),
      capability: m.capability ? `{ side: ${tsString(m.capability.side)}, path: ${tsString(m.capability.path)} }` : 'undefined',
    })),
    errorCodes: model.errorCodes.map((e) => ({ name: e.name, code: String(e.code) })),
    metaRequest: model.meta.request.map((k) => tsString(k.key)).join(', '),
    metaResult: model.meta.result.map((k) => tsString(k.key)).join(', '),
    metaNotification: model.meta.notification.map((k) => tsString(k.key)).join(', '),
  };
}

export const protocolMethods: Artifact = {
  id: 'protocol-methods',
  emit(ctx: EmitContext) {
    const content = renderTemplate('protocol/methods.ts.hbs', methodsView(ctx.protocol));
    return [{ path: `${ctx.protocolDir}/methods.ts`, owner: 'generated', language: 'typescript', content }];
  },
};
