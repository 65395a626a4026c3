/**
 * The official clients the interop tests drive (interop-eras.test.ts against the conformance
 * registry, interop-kitchen-sink.test.ts against the generated kitchen-sink): @modelcontextprotocol/
 * client 2.4.0 (default = legacy initialize, or auto = server/discover first) and SDK v1 1.32.2, each
 * declaring elicitation, sampling and roots and answering them with the given elicitation answer.
 */
import { Client as ClientV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

export type ElicitParams = { message?: string; requestedSchema?: { properties?: Record<string, { type?: string; enum?: unknown[] }> } };
export type ElicitAnswer = (params: ElicitParams) => { action: 'accept' | 'decline' | 'cancel'; content?: Record<string, unknown> };

export const CAPABILITIES = { elicitation: {}, sampling: {}, roots: { listChanged: true } };
export const SAMPLED = { role: 'assistant' as const, content: { type: 'text' as const, text: 'hi' }, model: 'test-model', stopReason: 'endTurn' };
const ROOTS = { roots: [{ uri: 'file:///work', name: 'work' }] };

export function v2(answer: ElicitAnswer, mode?: 'auto'): ClientV2 {
  const client = new ClientV2({ name: `v2-${mode ?? 'default'}`, version: '1.0.0' }, { capabilities: CAPABILITIES, ...(mode ? { versionNegotiation: { mode } } : {}) });
  client.setRequestHandler('elicitation/create', async (request) => answer(request.params as never) as never);
  client.setRequestHandler('sampling/createMessage', async () => SAMPLED as never);
  client.setRequestHandler('roots/list', async () => ROOTS);
  return client;
}

export function v1(answer: ElicitAnswer): ClientV1 {
  const client = new ClientV1({ name: 'sdk-v1', version: '1.0.0' }, { capabilities: CAPABILITIES });
  client.setRequestHandler(ElicitRequestSchema, async (request) => answer(request.params as never) as never);
  client.setRequestHandler(CreateMessageRequestSchema, async () => SAMPLED);
  client.setRequestHandler(ListRootsRequestSchema, async () => ROOTS);
  return client;
}
