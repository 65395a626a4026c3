/** A few raw MCP-over-HTTP calls for the scale tests: no client library between the test and the wire. */
export const VERSION = '2026-07-28';

export type JsonRpcMessage = { id?: string | number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: { code: number; message: string; data?: unknown } };

let seq = 0;

export function sseMessages(text: string): JsonRpcMessage[] {
  return text
    .split('\n')
    // Skips the 2025-11-25 priming event (an id and empty data).
    .filter((line) => line.startsWith('data: ') && line.length > 6)
    .map((line) => JSON.parse(line.slice(6)) as JsonRpcMessage);
}

function envelope(method: string, params: Record<string, unknown>, capabilities: Record<string, unknown>) {
  const id = `r${++seq}`;
  const body = { jsonrpc: '2.0', id, method, params: { ...params, _meta: { 'io.modelcontextprotocol/protocolVersion': VERSION, 'io.modelcontextprotocol/clientCapabilities': capabilities } } };
  const name =
    method === 'tools/call' || method === 'prompts/get'
      ? String(params.name)
      : method === 'resources/read'
        ? String(params.uri)
        : method.startsWith('tasks/') // the Tasks extension routes on the task id (extensions/tasks.md)
          ? String(params.taskId)
          : undefined;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': VERSION,
    'mcp-method': method,
    ...(name !== undefined ? { 'mcp-name': name } : {}),
  };
  return { id, body: JSON.stringify(body), headers };
}

/** One request; resolves with its response and the replica nginx chose (X-Upstream), if any. */
export async function rpc(url: string, method: string, params: Record<string, unknown> = {}, capabilities: Record<string, unknown> = {}): Promise<{ response: JsonRpcMessage; upstream?: string }> {
  const { id, body, headers } = envelope(method, params, capabilities);
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  const messages = (res.headers.get('content-type') ?? '').includes('text/event-stream') ? sseMessages(text) : text ? [JSON.parse(text) as JsonRpcMessage] : [];
  const response = messages.find((m) => m.id === id);
  if (!response) throw new Error(`no response to ${method} (HTTP ${res.status}): ${text.slice(0, 300)}`);
  return { response, upstream: res.headers.get('x-upstream') ?? undefined };
}

export interface ListenStream {
  readonly messages: JsonRpcMessage[];
  /** Resolves when `predicate` holds for the messages received so far; rejects after timeoutMs. */
  waitFor(predicate: (messages: JsonRpcMessage[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): void;
}

/** Opens a subscriptions/listen stream and resolves once it is acknowledged. */
export async function openListen(url: string, notifications: Record<string, unknown>): Promise<ListenStream> {
  const { body, headers } = envelope('subscriptions/listen', { notifications }, {});
  const controller = new AbortController();
  const res = await fetch(url, { method: 'POST', headers, body, signal: controller.signal });
  const messages: JsonRpcMessage[] = [];
  const waiters = new Set<() => void>();
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        const cut = buffer.lastIndexOf('\n\n');
        if (cut < 0) continue;
        messages.push(...sseMessages(buffer.slice(0, cut + 2)));
        buffer = buffer.slice(cut + 2);
        for (const wake of [...waiters]) wake();
      }
    } catch {
      // aborted by close()
    }
  })();
  const stream: ListenStream = {
    messages,
    waitFor(predicate, what, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(messages)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(messages)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
  await stream.waitFor((m) => m.some((x) => x.method === 'notifications/subscriptions/acknowledged'), 'the listen acknowledgement');
  return stream;
}
