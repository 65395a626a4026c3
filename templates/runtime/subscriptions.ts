import { isPlainObject } from './json.ts';
import { invalidParams } from './errors.ts';
import { META, type JsonObject, type JsonRpcNotification, type RequestId, type ServerCapabilities, type SubscriptionFilter } from './wire.ts';

/**
 * Change events, published by whichever replica observed the change and delivered to the
 * `subscriptions/listen` streams every replica holds (basic/patterns/subscriptions.mdx).
 * Events are plain JSON so a networked bus can carry them unchanged.
 */
export type ServerEvent =
  | { type: 'tools/list_changed' }
  | { type: 'prompts/list_changed' }
  | { type: 'resources/list_changed' }
  | { type: 'resources/updated'; uri: string }
  /** A task changed (tasks/runner.ts); `task` is the DetailedTask sent as `notifications/tasks` params. */
  | { type: 'tasks/status'; task: JsonObject };

export type Unsubscribe = () => void | Promise<void>;

/**
 * Pub/sub seam. The in-memory bus serves one process; a Redis implementation would `PUBLISH`
 * `JSON.stringify(event)` on one channel and, in `subscribe`, fan one `SUBSCRIBE` connection out
 * to local listeners. `subscribe` may be async so the listen stream is acknowledged only once
 * the subscription is live.
 */
export interface EventBus {
  publish(event: ServerEvent): Promise<void>;
  subscribe(listener: (event: ServerEvent) => void): Unsubscribe | Promise<Unsubscribe>;
  close?(): Promise<void>;
}

export class InMemoryEventBus implements EventBus {
  private readonly listeners = new Set<(event: ServerEvent) => void>();

  async publish(event: ServerEvent): Promise<void> {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // One broken stream must not stop delivery to the others.
      }
    }
  }

  subscribe(listener: (event: ServerEvent) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}

/** Publishing side of the bus, as the server (`server.notify`) and handlers (`ctx.changes`) see it. */
export interface ChangeNotifier {
  toolsListChanged(): Promise<void>;
  promptsListChanged(): Promise<void>;
  resourcesListChanged(): Promise<void>;
  resourceUpdated(uri: string): Promise<void>;
}

export function changeNotifier(bus: EventBus): ChangeNotifier {
  return {
    toolsListChanged: () => bus.publish({ type: 'tools/list_changed' }),
    promptsListChanged: () => bus.publish({ type: 'prompts/list_changed' }),
    resourcesListChanged: () => bus.publish({ type: 'resources/list_changed' }),
    resourceUpdated: (uri) => bus.publish({ type: 'resources/updated', uri }),
  };
}

/** Reads the listen filter; `notifications` is required (schema SubscriptionsListenRequestParams). */
export function readSubscriptionFilter(params: JsonObject | undefined): SubscriptionFilter {
  const filter = params?.notifications;
  if (!isPlainObject(filter)) throw invalidParams('Invalid params: subscriptions/listen requires a notifications filter');
  const flag = (key: string) => filter[key] === true;
  const uris = filter.resourceSubscriptions;
  if (uris !== undefined && !(Array.isArray(uris) && uris.every((u) => typeof u === 'string')))
    throw invalidParams('Invalid params: resourceSubscriptions must be an array of URIs');
  const taskIds = filter.taskIds;
  if (taskIds !== undefined && !(Array.isArray(taskIds) && taskIds.every((t) => typeof t === 'string')))
    throw invalidParams('Invalid params: taskIds must be an array of task ids');
  return {
    toolsListChanged: flag('toolsListChanged'),
    promptsListChanged: flag('promptsListChanged'),
    resourcesListChanged: flag('resourcesListChanged'),
    resourceSubscriptions: uris as string[] | undefined,
    ...(taskIds !== undefined ? { taskIds: taskIds as string[] } : {}),
  };
}

/**
 * The subset the server honours: only types backed by an advertised capability; the others are
 * omitted from the acknowledgement (basic/patterns/subscriptions.mdx "Acknowledgment").
 */
export function honouredFilter(requested: SubscriptionFilter, capabilities: ServerCapabilities): SubscriptionFilter {
  const honoured: SubscriptionFilter = {};
  if (requested.toolsListChanged && capabilities.tools?.listChanged) honoured.toolsListChanged = true;
  if (requested.promptsListChanged && capabilities.prompts?.listChanged) honoured.promptsListChanged = true;
  if (requested.resourcesListChanged && capabilities.resources?.listChanged) honoured.resourcesListChanged = true;
  if (requested.resourceSubscriptions && capabilities.resources?.subscribe) honoured.resourceSubscriptions = [...requested.resourceSubscriptions];
  if (requested.taskIds && capabilities.extensions?.['io.modelcontextprotocol/tasks']) honoured.taskIds = [...requested.taskIds];
  return honoured;
}

/** The notification an event becomes on one stream, or undefined when that stream did not opt in. */
export function notificationFor(event: ServerEvent, filter: SubscriptionFilter, subscriptionId: RequestId): JsonRpcNotification | undefined {
  const meta = { [META.subscriptionId]: subscriptionId };
  switch (event.type) {
    case 'tools/list_changed':
      return filter.toolsListChanged ? { jsonrpc: '2.0', method: 'notifications/tools/list_changed', params: { _meta: meta } } : undefined;
    case 'prompts/list_changed':
      return filter.promptsListChanged ? { jsonrpc: '2.0', method: 'notifications/prompts/list_changed', params: { _meta: meta } } : undefined;
    case 'resources/list_changed':
      return filter.resourcesListChanged ? { jsonrpc: '2.0', method: 'notifications/resources/list_changed', params: { _meta: meta } } : undefined;
    case 'resources/updated':
      return filter.resourceSubscriptions?.includes(event.uri)
        ? { jsonrpc: '2.0', method: 'notifications/resources/updated', params: { _meta: meta, uri: event.uri } }
        : undefined;
    case 'tasks/status':
      // extensions/tasks.md "Task Status Notifications": params are the full DetailedTask.
      return typeof event.task.taskId === 'string' && filter.taskIds?.includes(event.task.taskId)
        ? { jsonrpc: '2.0', method: 'notifications/tasks', params: { ...event.task, _meta: meta } }
        : undefined;
    default:
      return undefined;
  }
}

export interface ListenOptions {
  subscriptionId: RequestId;
  filter: SubscriptionFilter;
  bus: EventBus;
  notify: (notification: JsonRpcNotification) => void;
  /** Client went away (HTTP stream closed, stdio notifications/cancelled). */
  cancelled: AbortSignal;
  /** Server is shutting down: end gracefully with a result. */
  closing: AbortSignal;
}

/**
 * Holds one listen stream open. Resolves 'closed' when the server ends it (the caller then sends
 * the SubscriptionsListenResult) or 'cancelled' when the client did (nothing more is sent).
 */
export async function runListen(options: ListenOptions): Promise<'closed' | 'cancelled'> {
  const { subscriptionId, filter, notify } = options;
  let acknowledged = false;
  const early: JsonRpcNotification[] = [];
  const unsubscribe = await options.bus.subscribe((event) => {
    if (options.cancelled.aborted) return;
    const notification = notificationFor(event, filter, subscriptionId);
    if (!notification) return;
    if (acknowledged) notify(notification);
    else early.push(notification);
  });
  try {
    // The acknowledgement is the stream's first message (basic/patterns/subscriptions.mdx).
    notify({
      jsonrpc: '2.0',
      method: 'notifications/subscriptions/acknowledged',
      params: { _meta: { [META.subscriptionId]: subscriptionId }, notifications: filter as JsonObject },
    });
    acknowledged = true;
    for (const notification of early.splice(0)) notify(notification);
    let detach = () => {};
    try {
      return await new Promise<'closed' | 'cancelled'>((resolve) => {
        if (options.cancelled.aborted) return resolve('cancelled');
        if (options.closing.aborted) return resolve('closed');
        const onCancelled = () => resolve('cancelled');
        const onClosing = () => resolve('closed');
        options.cancelled.addEventListener('abort', onCancelled, { once: true });
        options.closing.addEventListener('abort', onClosing, { once: true });
        // `closing` is server-wide and long-lived: a stream that ends must take its listener with it.
        detach = () => {
          options.cancelled.removeEventListener('abort', onCancelled);
          options.closing.removeEventListener('abort', onClosing);
        };
      });
    } finally {
      detach();
    }
  } finally {
    await unsubscribe();
  }
}
