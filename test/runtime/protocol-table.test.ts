/**
 * The dispatcher acts on the generated method tables (src/generated/protocol/revisions/*.ts), not
 * on copies of its own: each test hands it a table changed the way a future revision could change
 * it and checks the wire follows the table.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SERVED_REVISIONS } from '../helpers/served-protocol.ts';
import { createMcpServer, defineTool, ErrorCode, silentLoggerForTests, type ProtocolRevision } from './runtime-under-test.ts';
import { echoTool, request, roundTrip, testServer, VERSION } from './helpers.ts';

const [rev2026, rev2025] = SERVED_REVISIONS as [ProtocolRevision, ProtocolRevision];

/** A copy of the 2026 table under another version string and with `change` applied to its methods. */
function variant(version: string, change: (methods: Record<string, ProtocolRevision['methods'][string]>) => void = () => {}, errorCodes = rev2026.errorCodes): ProtocolRevision {
  const methods = { ...rev2026.methods };
  change(methods);
  return { ...rev2026, version, methods, errorCodes };
}

const asking = defineTool({
  name: 'asking',
  description: 'asks for a name',
  inputSchema: { type: 'object' },
  input: z.looseObject({}),
  handler: async (_input, ctx) => {
    const who = await ctx.elicit({ message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } });
    return { content: [{ type: 'text', text: String(who.action) }] };
  },
});

function serverWith(protocol: readonly ProtocolRevision[], protocolVersions?: readonly string[]) {
  return createMcpServer({ info: { name: 't', version: '1' }, protocol, protocolVersions, tools: [echoTool, asking], stateSecret: 'test-secret-test-secret-test-secret!!', logger: silentLoggerForTests });
}
const at = (version: string, method: string, params: Record<string, unknown> = {}) => request(method, params, { meta: { 'io.modelcontextprotocol/protocolVersion': version } });

describe('generated method tables', () => {
  it('are the tables of 2026-07-28 and 2025-11-25, with the codes this runtime sends', () => {
    expect(SERVED_REVISIONS.map((t) => [t.version, t.era])).toEqual([['2026-07-28', 'stateless'], ['2025-11-25', 'session']]);
    expect(rev2026.errorCodes).toMatchObject({ HeaderMismatchError: ErrorCode.HeaderMismatch, MissingRequiredClientCapabilityError: ErrorCode.MissingRequiredClientCapability, UnsupportedProtocolVersionError: ErrorCode.UnsupportedProtocolVersion, InvalidParamsError: ErrorCode.InvalidParams });
    expect(Object.entries(rev2026.methods).filter(([, m]) => m.inputRequired).map(([n]) => n).sort()).toEqual(['prompts/get', 'resources/read', 'tools/call']);
    expect(rev2025.methods.initialize).toMatchObject({ kind: 'request', direction: 'client->server', inputRequired: false });
    expect(rev2025.methods['elicitation/create']).toMatchObject({ direction: 'server->client', capability: { side: 'client', path: 'elicitation' } });
    expect(rev2026.methods.ping).toBeUndefined();
  });

  it('take the versions answered from the tables (discover, -32022 data)', async () => {
    const server = serverWith([variant('2027-01-01'), rev2026]);
    const discover = await roundTrip(server, at('2027-01-01', 'server/discover'));
    expect(discover.result?.supportedVersions).toEqual(['2027-01-01', '2026-07-28']);
    const old = await roundTrip(server, at('2024-11-05', 'tools/list'));
    expect(old.error).toMatchObject({ code: -32022, data: { supported: ['2027-01-01', '2026-07-28'], requested: '2024-11-05' } });
  });

  it('narrow to protocolVersions, and refuse a version without a table', async () => {
    const server = serverWith([variant('2027-01-01'), rev2026], ['2026-07-28']);
    expect((await roundTrip(server, at('2027-01-01', 'tools/list'))).error?.code).toBe(-32022);
    expect(() => serverWith([rev2026], ['2027-01-01', '2026-07-28'])).toThrow(/2027-01-01 is not implemented: no method table for it/);
  });

  it('decide which methods exist: a method the table drops answers -32601 though a handler exists', async () => {
    const server = serverWith([variant('2027-01-01', (m) => delete m['tools/list']), rev2026]);
    expect((await roundTrip(server, at('2027-01-01', 'tools/list'))).error).toMatchObject({ code: -32601 });
    expect((await roundTrip(server, at('2026-07-28', 'tools/list'))).result?.tools).toHaveLength(2);
  });

  it('gate by the capability the table names', async () => {
    const server = serverWith([variant('2027-01-01', (m) => (m['tools/list'] = { ...m['tools/list']!, capability: { side: 'server', path: 'prompts' } }))]);
    // This server has no prompts, so the tools/list of that revision does not exist for it.
    expect((await roundTrip(server, at('2027-01-01', 'tools/list'))).error?.code).toBe(-32601);
  });

  it('validate params with the table validator', async () => {
    const server = testServer();
    const bad = await roundTrip(server, request('tools/call', { name: 42 }));
    expect(bad.error).toMatchObject({ code: -32602 });
    expect(bad.error?.message).toMatch(/^Invalid params: name: /);
    const strict = serverWith([variant('2027-01-01', (m) => (m['tools/list'] = { ...m['tools/list']!, params: z.never() }))]);
    expect((await roundTrip(strict, at('2027-01-01', 'tools/list'))).error?.code).toBe(-32602);
    // inputResponses entries nobody asked for are ignored (basic/patterns/mrtr.mdx), not validated.
    const extra = await roundTrip(server, request('tools/call', { name: 'echo', arguments: { text: 'x' }, inputResponses: { stray: { nonsense: true } } }));
    expect(extra.result?.structuredContent).toEqual({ echoed: 'x' });
  });

  it('say which methods may answer InputRequiredResult', async () => {
    const server = serverWith([variant('2027-01-01', (m) => (m['tools/call'] = { ...m['tools/call']!, inputRequired: false })), rev2026]);
    const caps = { elicitation: {} };
    const refused = await roundTrip(server, request('tools/call', { name: 'asking' }, { capabilities: caps, meta: { 'io.modelcontextprotocol/protocolVersion': '2027-01-01' } }));
    expect(refused.error).toMatchObject({ code: -32603 });
    const asked = await roundTrip(server, request('tools/call', { name: 'asking' }, { capabilities: caps, meta: { 'io.modelcontextprotocol/protocolVersion': VERSION } }));
    expect(asked.result?.resultType).toBe('input_required');
  });

  it('refuse at startup a revision that renumbers a code this runtime sends', () => {
    const renumbered = variant('2027-01-01', undefined, { ...rev2026.errorCodes, UnsupportedProtocolVersionError: -32099 });
    expect(() => serverWith([renumbered])).toThrow(/defines UnsupportedProtocolVersionError as -32099, this runtime sends -32022/);
  });

  it('drive the session wire too: the 2025-11-25 table decides methods and params there', async () => {
    const legacy = { protocolVersion: '2025-11-25', clientCapabilities: {}, request: async () => ({}) };
    const send = (server: ReturnType<typeof serverWith>, method: string, params?: Record<string, unknown>) =>
      server.handle({ jsonrpc: '2.0', id: 1, method, ...(params ? { params } : {}) }, { legacy });
    const both = serverWith(SERVED_REVISIONS);
    expect((await send(both, 'tools/list')).response).toMatchObject({ result: { tools: expect.any(Array) } });
    // server/discover is not in the 2025-11-25 table: unknown on that wire.
    expect((await send(both, 'server/discover')).response).toMatchObject({ error: { code: -32601 } });
    expect((await send(both, 'tools/call', { name: 7 })).response).toMatchObject({ error: { code: -32602, message: expect.stringMatching(/^Invalid params: name: /) } });
    const dropped = serverWith([rev2026, { ...rev2025, methods: Object.fromEntries(Object.entries(rev2025.methods).filter(([n]) => n !== 'tools/list')) }]);
    expect((await send(dropped, 'tools/list')).response).toMatchObject({ error: { code: -32601 } });
  });
});
