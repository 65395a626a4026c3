/**
 * Adapter for the stateless structure introduced by 2026-07-28:
 * per-method `<Base>ResultResponse` envelopes whose `result.anyOf` lists the possible results,
 * server→client asks as members of `InputRequest` (Multi Round-Trip Requests, seps/2322-MRTR.md),
 * request metadata in `RequestMetaObject`, and no initialize/ping.
 */
import type { SpecDocument } from '../../load/load-spec.ts';
import { collectMethods } from '../collect-methods.ts';
import type { RevisionAdapter } from '../adapter.ts';
import { metaKeysOf, resultByNamingConvention } from '../rules.ts';
import { defOf, properties, refTarget } from '../schema-access.ts';

function resultsFromResponseEnvelope(doc: SpecDocument, requestDef: string) {
  const responseDef = `${requestDef.replace(/Request$/, '')}ResultResponse`;
  const result = properties(defOf(doc, responseDef)).result;
  if (!result) return { resultDefs: resultByNamingConvention(doc, requestDef) };
  const members = (result.anyOf ?? result.oneOf) as unknown[] | undefined;
  const resultDefs = (members ?? [result]).map(refTarget).filter((x): x is string => Boolean(x));
  return { resultDefs, responseDef };
}

export const stateless2026: RevisionAdapter = {
  structure: 'stateless',
  recognizes: (doc) => Boolean(defOf(doc, 'InputRequest')) && !defOf(doc, 'InitializeRequest'),
  build(doc) {
    const methods = collectMethods(
      doc,
      [
        { union: 'ClientRequest', direction: 'client->server', transport: 'jsonrpc' },
        { union: 'ClientNotification', direction: 'client->server', transport: 'jsonrpc' },
        { union: 'ServerNotification', direction: 'server->client', transport: 'jsonrpc' },
        { union: 'InputRequest', direction: 'server->client', transport: 'input-request' },
      ],
      (requestDef) => resultsFromResponseEnvelope(doc, requestDef),
    );
    const has = (m: string) => methods.some((x) => x.method === m);
    const listResult = defOf(doc, 'ListToolsResult');
    return {
      methods,
      meta: {
        request: metaKeysOf(doc, { $ref: '#/$defs/RequestMetaObject' }),
        result: metaKeysOf(doc, { $ref: '#/$defs/ResultMetaObject' }),
        notification: metaKeysOf(doc, { $ref: '#/$defs/NotificationMetaObject' }),
      },
      features: {
        discover: has('server/discover'),
        initialize: has('initialize'),
        multiRoundTrip: Boolean(defOf(doc, 'InputRequiredResult')),
        subscriptionsListen: has('subscriptions/listen'),
        perRequestMeta: Boolean(defOf(doc, 'RequestMetaObject')),
        resultType: 'resultType' in properties(defOf(doc, 'Result')),
        cacheableLists: 'ttlMs' in properties(listResult),
      },
    };
  },
};
