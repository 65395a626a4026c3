/**
 * Reads Server-Sent Events (id and data) off a fetch body as they arrive, for tests that speak
 * Streamable HTTP by hand. Keep-alive comments are skipped; the priming event (an id with empty
 * data) is returned as an event, and `message()` skips it.
 */
export interface SseEvent {
  id?: string;
  data: string;
}

export function sseEvents(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const queue: SseEvent[] = [];
  const next = async (): Promise<SseEvent | undefined> => {
    for (;;) {
      if (queue.length > 0) return queue.shift();
      const chunk = await reader.read();
      if (chunk.done) return undefined;
      buffer += decoder.decode(chunk.value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith(':')) continue; // keep-alive comment
        const event: SseEvent = { data: '' };
        for (const line of block.split('\n')) {
          if (line.startsWith('id: ')) event.id = line.slice(4);
          else if (line.startsWith('data: ')) event.data = line.slice(6);
        }
        queue.push(event);
      }
    }
  };
  return {
    next,
    /** The next event that carries a JSON-RPC message, parsed; undefined when the stream ends first. */
    async nextMessage<M>(): Promise<{ id?: string; message: M } | undefined> {
      for (let e = await next(); e; e = await next()) if (e.data) return { id: e.id, message: JSON.parse(e.data) as M };
      return undefined;
    },
    cancel: () => reader.cancel(),
  };
}
