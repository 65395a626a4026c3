import { isPlainObject } from '../json.ts';
import type { JsonObject, JsonRpcErrorObject, JsonRpcNotification, JsonRpcRequest, JsonValue, RequestId } from '../wire.ts';
import { McpProtocolError } from './errors.ts';

/**
 * Reading what a server sends: one JSON-RPC response or notification per message
 * (basic/index.mdx "Messages"). Servers never send requests in 2026-07-28
 * (basic/patterns/index.mdx), so a request-shaped message is `request` and only the 2025-11-25 wire
 * answers it (../shared/spec/2025-11-25/docs/basic/index.mdx); everywhere else it is a protocol error.
 */
export type ServerMessage =
  | { kind: 'request'; request: JsonRpcRequest }
  | { kind: 'result'; id: RequestId; result: JsonObject }
  | { kind: 'error'; id: RequestId | undefined; error: JsonRpcErrorObject }
  | { kind: 'notification'; notification: JsonRpcNotification }
  | { kind: 'unexpected'; reason: string };

const isId = (value: unknown): value is RequestId => typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));

export function classifyMessage(value: unknown): ServerMessage {
  if (!isPlainObject(value)) return { kind: 'unexpected', reason: 'message is not a JSON object' };
  if (value.jsonrpc !== '2.0') return { kind: 'unexpected', reason: 'message lacks jsonrpc "2.0"' };
  if (typeof value.method === 'string') {
    if ('id' in value) {
      if (!isId(value.id)) return { kind: 'unexpected', reason: `server request ${value.method} has no valid id` };
      if (value.params !== undefined && !isPlainObject(value.params)) return { kind: 'unexpected', reason: 'request params is not an object' };
      return { kind: 'request', request: value as unknown as JsonRpcRequest };
    }
    if (value.params !== undefined && !isPlainObject(value.params)) return { kind: 'unexpected', reason: 'notification params is not an object' };
    return { kind: 'notification', notification: value as unknown as JsonRpcNotification };
  }
  if ('error' in value) {
    const error = value.error;
    if (!isPlainObject(error) || !Number.isInteger(error.code) || typeof error.message !== 'string')
      return { kind: 'unexpected', reason: 'error response lacks an integer code and a string message' };
    const id = isId(value.id) ? value.id : undefined;
    return { kind: 'error', id, error: { code: error.code as number, message: error.message, ...(error.data !== undefined ? { data: error.data as JsonValue } : {}) } };
  }
  if (!isId(value.id)) return { kind: 'unexpected', reason: 'response has no valid id' };
  if (!('result' in value)) return { kind: 'unexpected', reason: 'response has neither result nor error' };
  if (!isPlainObject(value.result)) return { kind: 'unexpected', reason: 'result is not an object' };
  return { kind: 'result', id: value.id, result: value.result };
}

export function parseJsonMessage(text: string): ServerMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'unexpected', reason: `not JSON: ${JSON.stringify(text.slice(0, 80))}` };
  }
  return classifyMessage(value);
}

/** A response message for request `id`; anything else is a protocol error. */
export type ResponseMessage = Extract<ServerMessage, { kind: 'result' | 'error' }>;

export function expectResponse(message: ServerMessage, id: RequestId, method: string): ResponseMessage {
  if (message.kind === 'unexpected') throw new McpProtocolError(`Malformed response to ${method}: ${message.reason}`);
  if (message.kind === 'request')
    throw new McpProtocolError(`Malformed response to ${method}: server sent a request (${message.request.method}); servers must not initiate requests`);
  if (message.kind === 'notification') throw new McpProtocolError(`Expected a response to ${method}, got notification ${message.notification.method}`);
  // An error without an id answers a request too malformed to read (basic/index.mdx); accept it for ours.
  if (message.kind === 'error' && message.id === undefined) return message;
  if (message.id !== id) throw new McpProtocolError(`Response id ${JSON.stringify(message.id)} does not match request id ${JSON.stringify(id)} (${method})`, { kind: 'wrong_id' });
  return message;
}

export function buildRequest(id: RequestId, method: string, params: JsonObject): JsonRpcRequest {
  return { jsonrpc: '2.0', id, method, params };
}
