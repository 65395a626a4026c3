import { isPlainObject } from '../json.ts';
import type { JsonRpcNotification, SubscriptionFilter } from '../wire.ts';
import { AsyncQueue } from './async-queue.ts';
import { McpAbortError, McpSubscriptionOverflowError, McpTimeoutError } from './errors.ts';
import { NotOnLegacyWireError, type RpcSession } from './rpc-session.ts';

/**
 * `subscriptions/listen` as an async iterator (basic/patterns/subscriptions.mdx). The first
 * message is the acknowledgement with the honoured subset of the filter; afterwards each change
 * notification becomes an event. The iterator finishes when the server ends the subscription
 * gracefully (its listen result) or when the consumer stops (`break`, `close()`, or the signal),
 * which closes the HTTP stream or sends `notifications/cancelled` on stdio. A stream that drops
 * without the result makes the iterator throw, so the consumer can re-listen (stdio.mdx:
 * subscriptions must be re-sent after a restart).
 *
 * Events wait in a bounded queue until the consumer takes them. Overflow policy: when an event
 * would take it past `maxQueuedEvents` events or `maxQueuedBytes`, the subscription ends — the
 * stream is closed, the events already queued are delivered, then the iterator throws
 * `McpSubscriptionOverflowError`. A consumer that fell behind has to re-read what it tracks
 * anyway, and dropping events silently (a `resourceUpdated` among them) would leave it stale
 * without knowing. The client's cache is invalidated for every event, before the queue.
 *
 * Against a 2025-11-25 server the same API maps onto that era's notifications: list changes
 * arrive unasked when the server declared `listChanged`, resource updates after
 * `resources/subscribe` (2025-11-25 server/resources.mdx "Subscriptions"). The acknowledgement is
 * the part of the filter the server's capabilities can honour; closing unsubscribes.
 */
export type ListenEvent =
  | { kind: 'toolsListChanged' }
  | { kind: 'promptsListChanged' }
  | { kind: 'resourcesListChanged' }
  | { kind: 'resourceUpdated'; uri: string }
  | { kind: 'notification'; notification: JsonRpcNotification };

export interface Subscription extends AsyncIterableIterator<ListenEvent> {
  /** The filter the server agreed to honour; compare it with what you asked for. */
  readonly acknowledged: Promise<SubscriptionFilter>;
  close(): void;
}

export interface ListenOptions {
  signal?: AbortSignal;
  /** How long to wait for the acknowledgement. Default: the client's timeout. */
  ackTimeoutMs?: number;
  /** Events that may wait for the consumer; one more ends the subscription. Default 1000. */
  maxQueuedEvents?: number;
  /** Approximate bytes of events that may wait for the consumer. Default: the client's `maxResponseBytes`. */
  maxQueuedBytes?: number;
}

/** What a queued event costs, roughly (UTF-16 strings plus object overhead); only the bound needs it. */
function approximateBytes(event: ListenEvent): number {
  if (event.kind === 'resourceUpdated') return 64 + 2 * event.uri.length;
  if (event.kind === 'notification') return 64 + 2 * JSON.stringify(event.notification).length;
  return 64;
}

function toEvent(notification: JsonRpcNotification): ListenEvent {
  switch (notification.method) {
    case 'notifications/tools/list_changed':
      return { kind: 'toolsListChanged' };
    case 'notifications/prompts/list_changed':
      return { kind: 'promptsListChanged' };
    case 'notifications/resources/list_changed':
      return { kind: 'resourcesListChanged' };
    case 'notifications/resources/updated':
      if (typeof notification.params?.uri === 'string') return { kind: 'resourceUpdated', uri: notification.params.uri };
      return { kind: 'notification', notification };
    default:
      return { kind: 'notification', notification };
  }
}

export function openSubscription(
  session: RpcSession,
  filter: SubscriptionFilter,
  options: ListenOptions & { ackTimeoutMs: number; maxQueuedEvents: number; maxQueuedBytes: number; onEvent: (event: ListenEvent) => void },
): Subscription {
  const controller = new AbortController();
  const stop = () => controller.abort(new McpAbortError('subscriptions/listen', 'subscription closed'));
  const queue = new AsyncQueue<ListenEvent>(stop, { maxItems: options.maxQueuedEvents, maxBytes: options.maxQueuedBytes });
  let acknowledge!: (filter: SubscriptionFilter) => void;
  let refuse!: (error: unknown) => void;
  const acknowledged = new Promise<SubscriptionFilter>((resolve, reject) => ((acknowledge = resolve), (refuse = reject)));
  acknowledged.catch(() => {}); // observed through the iterator too; never an unhandled rejection
  let acked = false;

  const ackTimer = setTimeout(() => controller.abort(new McpTimeoutError('subscriptions/listen', options.ackTimeoutMs)), options.ackTimeoutMs);
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener('abort', stop, { once: true });

  const onNotification = (notification: JsonRpcNotification) => {
    if (notification.method === 'notifications/subscriptions/acknowledged') {
      clearTimeout(ackTimer);
      acked = true;
      const honoured = notification.params?.notifications;
      acknowledge(isPlainObject(honoured) ? (honoured as SubscriptionFilter) : {});
      return;
    }
    const event = toEvent(notification);
    options.onEvent(event);
    if (queue.push(event, approximateBytes(event))) return;
    const overflow = new McpSubscriptionOverflowError(options.maxQueuedEvents, options.maxQueuedBytes);
    queue.end(overflow); // first, so the abort below cannot end it as a graceful close
    controller.abort(overflow);
  };

  const legacyListen = async (): Promise<void> => {
    const legacy = session.legacy!;
    const caps = (await legacy.ensure()).capabilities;
    const has = (area: string, flag: string) => isPlainObject(caps[area]) && (caps[area] as Record<string, unknown>)[flag] === true;
    const honoured: SubscriptionFilter = {};
    if (filter.toolsListChanged && has('tools', 'listChanged')) honoured.toolsListChanged = true;
    if (filter.promptsListChanged && has('prompts', 'listChanged')) honoured.promptsListChanged = true;
    if (filter.resourcesListChanged && has('resources', 'listChanged')) honoured.resourcesListChanged = true;
    const uris: string[] = [];
    if (filter.resourceSubscriptions?.length && has('resources', 'subscribe'))
      for (const uri of filter.resourceSubscriptions) {
        await session.request('resources/subscribe', { uri }, { signal: controller.signal });
        uris.push(uri);
      }
    if (filter.resourceSubscriptions) honoured.resourceSubscriptions = uris;
    const wanted = (n: JsonRpcNotification) =>
      (n.method === 'notifications/tools/list_changed' && honoured.toolsListChanged) ||
      (n.method === 'notifications/prompts/list_changed' && honoured.promptsListChanged) ||
      (n.method === 'notifications/resources/list_changed' && honoured.resourcesListChanged) ||
      (n.method === 'notifications/resources/updated' && uris.includes(String(n.params?.uri)));
    const unsubscribe = legacy.subscribe((n) => void (wanted(n) && onNotification(n)));
    onNotification({ jsonrpc: '2.0', method: 'notifications/subscriptions/acknowledged', params: { notifications: honoured as never } });
    try {
      await new Promise<never>((_, reject) => {
        if (controller.signal.aborted) reject(controller.signal.reason);
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
      });
    } finally {
      unsubscribe();
      for (const uri of uris) void session.request('resources/unsubscribe', { uri }).catch(() => {});
    }
  };

  const modernListen = () => session.request('subscriptions/listen', { notifications: filter as never }, { timeoutMs: 0, signal: controller.signal, onNotification });
  (session.era === 'legacy' ? legacyListen() : modernListen().catch((error: unknown) => (error instanceof NotOnLegacyWireError ? legacyListen() : Promise.reject(error))))
    .then(
      () => queue.end(), // graceful closure: the listen result
      (error: unknown) => {
        const closedByUs = controller.signal.aborted && controller.signal.reason instanceof McpAbortError;
        refuse(error);
        queue.end(closedByUs ? undefined : error);
      },
    )
    .finally(() => {
      clearTimeout(ackTimer);
      options.signal?.removeEventListener('abort', stop);
      if (!acked) refuse(new McpAbortError('subscriptions/listen', 'ended before it was acknowledged'));
    });

  return Object.assign(queue, { acknowledged, close: () => void queue.return() });
}
