import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../generator/load/load-spec.ts';
import { buildProtocolModel } from '../../generator/protocol/build.ts';
import { diffSpecs } from '../../generator/protocol/diff.ts';
import { hermeticEnv } from '../helpers/env.ts';

const env = hermeticEnv();
const spec2026 = await loadSpec('2026-07-28', { env });
const spec2025 = await loadSpec('2025-11-25', { env });
const m2026 = buildProtocolModel(spec2026);
const m2025 = buildProtocolModel(spec2025);

const names = (m: typeof m2026, pred: (x: (typeof m2026)['methods'][number]) => boolean) =>
  m.methods.filter(pred).map((x) => x.method);

describe('ProtocolModel 2026-07-28', () => {
  it('is the stateless era with its features', () => {
    expect(m2026.era).toBe('stateless');
    expect(m2026.features).toEqual({
      discover: true, initialize: false, multiRoundTrip: true, subscriptionsListen: true,
      perRequestMeta: true, resultType: true, cacheableLists: true,
    });
  });
  it('lists the client→server requests', () => {
    expect(names(m2026, (x) => x.kind === 'request' && x.direction === 'client->server').sort()).toEqual(
      ['completion/complete', 'prompts/get', 'prompts/list', 'resources/list', 'resources/read', 'resources/templates/list',
        'server/discover', 'subscriptions/listen', 'tools/call', 'tools/list'].sort(),
    );
  });
  it('lists the InputRequest members as server→client requests carried in results', () => {
    expect(names(m2026, (x) => x.transport === 'input-request').sort()).toEqual(['elicitation/create', 'roots/list', 'sampling/createMessage']);
  });
  it('lists the notifications', () => {
    const n = names(m2026, (x) => x.kind === 'notification');
    for (const want of ['notifications/progress', 'notifications/message', 'notifications/cancelled', 'notifications/tools/list_changed',
      'notifications/prompts/list_changed', 'notifications/resources/list_changed', 'notifications/resources/updated',
      'notifications/subscriptions/acknowledged']) expect(n).toContain(want);
    expect(m2026.methods.find((x) => x.method === 'notifications/cancelled')!.direction).toBe('both');
  });
  it('pairs requests with the result union of their response envelope', () => {
    const call = m2026.methods.find((x) => x.method === 'tools/call')!;
    expect(call).toMatchObject({ paramsDef: 'CallToolRequestParams', responseDef: 'CallToolResultResponse', capability: { side: 'server', path: 'tools' } });
    expect(call.resultDefs).toEqual(['InputRequiredResult', 'CallToolResult']);
    expect(m2026.methods.find((x) => x.method === 'elicitation/create')!.capability).toEqual({ side: 'client', path: 'elicitation' });
  });
  it('has the error codes', () => {
    expect(m2026.errorCodes.map((e) => e.code).sort((a, b) => a - b)).toEqual([-32700, -32603, -32602, -32601, -32600, -32022, -32021, -32020]);
    expect(m2026.errorCodes.find((e) => e.code === -32022)!.dataRequired).toEqual(['requested', 'supported']);
  });
  it('has the _meta keys', () => {
    expect(m2026.meta.request.filter((k) => k.required).map((k) => k.key)).toEqual([
      'io.modelcontextprotocol/clientCapabilities', 'io.modelcontextprotocol/protocolVersion',
    ]);
    expect(m2026.meta.result.map((k) => k.key)).toContain('io.modelcontextprotocol/serverInfo');
    expect(m2026.meta.notification.map((k) => k.key)).toContain('io.modelcontextprotocol/subscriptionId');
  });
  it('is deterministic', () => {
    expect(JSON.stringify(buildProtocolModel(spec2026))).toBe(JSON.stringify(m2026));
  });
});

describe('ProtocolModel 2025-11-25', () => {
  it('is the session era with the initialize lifecycle', () => {
    expect(m2025.era).toBe('session');
    const all = m2025.methods.map((x) => x.method);
    for (const want of ['initialize', 'ping', 'logging/setLevel', 'resources/subscribe', 'resources/unsubscribe', 'notifications/initialized', 'tasks/get'])
      expect(all).toContain(want);
    expect(m2025.methods.find((x) => x.method === 'ping')!).toMatchObject({ direction: 'both', resultDefs: ['EmptyResult'] });
    expect(m2025.methods.find((x) => x.method === 'sampling/createMessage')!).toMatchObject({ direction: 'server->client', transport: 'jsonrpc' });
    expect(m2025.features.discover).toBe(false);
  });
});

describe('spec diff', () => {
  const d = diffSpecs({ model: m2025, document: spec2025.document }, { model: m2026, document: spec2026.document });
  it('reports added and removed methods', () => {
    expect(d.methods.added).toEqual(expect.arrayContaining(['server/discover', 'subscriptions/listen']));
    expect(d.methods.removed).toEqual(expect.arrayContaining(['initialize', 'ping', 'logging/setLevel']));
  });
  it('reports newly required fields and transport changes as breaking', () => {
    expect(d.fields.newlyRequired).toContainEqual({ def: 'CallToolResult', field: 'resultType' });
    expect(d.methods.changed).toContainEqual(expect.objectContaining({ method: 'elicitation/create', what: 'transport', to: 'input-request' }));
    expect(d.breaking).toContain('method initialize removed');
  });
  it('a revision against itself has no changes', () => {
    const same = diffSpecs({ model: m2026, document: spec2026.document }, { model: m2026, document: spec2026.document });
    expect(same.breaking).toEqual([]);
    expect(same.fields.added).toEqual([]);
  });
});
