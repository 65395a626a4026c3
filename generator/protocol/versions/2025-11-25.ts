/**
 * Adapter for the session structure of 2025-11-25: `ClientRequest`/`ServerRequest` unions,
 * results paired to requests only by name (`ServerResult`/`ClientResult` are flat unions),
 * the initialize lifecycle, and `_meta` declared inline on `RequestParams`.
 */
import { collectMethods } from '../collect-methods.ts';
import type { RevisionAdapter } from '../adapter.ts';
import { metaKeysOf, resultByNamingConvention } from '../rules.ts';
import { defOf, properties } from '../schema-access.ts';

export const session2025: RevisionAdapter = {
  structure: 'session',
  recognizes: (doc) => Boolean(defOf(doc, 'ServerRequest')) && Boolean(defOf(doc, 'InitializeRequest')),
  build(doc) {
    const methods = collectMethods(
      doc,
      [
        { union: 'ClientRequest', direction: 'client->server', transport: 'jsonrpc' },
        { union: 'ServerRequest', direction: 'server->client', transport: 'jsonrpc' },
        { union: 'ClientNotification', direction: 'client->server', transport: 'jsonrpc' },
        { union: 'ServerNotification', direction: 'server->client', transport: 'jsonrpc' },
      ],
      (requestDef) => ({ resultDefs: resultByNamingConvention(doc, requestDef) }),
    );
    const has = (m: string) => methods.some((x) => x.method === m);
    const resultMeta = properties(defOf(doc, 'Result'))._meta;
    const notificationMeta = properties(defOf(doc, 'NotificationParams'))._meta;
    return {
      methods,
      meta: {
        request: metaKeysOf(doc, properties(defOf(doc, 'RequestParams'))._meta),
        result: metaKeysOf(doc, resultMeta),
        notification: metaKeysOf(doc, notificationMeta),
      },
      features: {
        discover: has('server/discover'),
        initialize: has('initialize'),
        multiRoundTrip: false,
        subscriptionsListen: has('subscriptions/listen'),
        perRequestMeta: false,
        resultType: 'resultType' in properties(defOf(doc, 'Result')),
        cacheableLists: 'ttlMs' in properties(defOf(doc, 'ListToolsResult')),
      },
    };
  },
};
