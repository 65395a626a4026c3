/**
 * The fixture side of what tools declare about the client: capabilities per call, answers to
 * declared asks that the ask's own schema accepts, and spec examples that cannot satisfy a tool's
 * needs left out.
 */
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { buildAppModel } from '../../generator/app/build.ts';
import { askAnswer, toolClientCapabilities } from '../../generator/fixtures/asks.ts';
import { buildFixtures } from '../../generator/fixtures/build-fixtures.ts';
import { specExampleCases } from '../../generator/fixtures/spec-examples.ts';
import { parseManifest } from '../../generator/manifest/load-manifest.ts';

function app(yaml: string) {
  const loaded = parseManifest(yaml, 'mcp-gen.yaml');
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return buildAppModel(loaded.manifest!).model!;
}

const FORMS = `spec: 2026-07-28
server: { name: forms, version: "1.0.0" }
tools:
  - name: book_room
    description: Books a room after a form.
    requires: [sampling]
    asks:
      - id: details
        kind: elicitation
        message: Which room?
        schema:
          type: object
          properties:
            room: { type: string, oneOf: [{ const: r1, title: Blue }, { const: r2, title: Red }] }
            day: { type: string, format: date }
            contact: { type: string, format: email }
            nights: { type: integer, minimum: 2, maximum: 9 }
            budget: { type: number, maximum: 0.5 }
            note: { type: string, minLength: 20, maxLength: 25 }
            extras: { type: array, items: { type: string, enum: [breakfast, parking, late-checkout] }, minItems: 2 }
            smoking: { type: boolean, default: false }
            agree: { type: boolean }
          required: [room, day, nights, extras, agree]
      - { id: ctx, kind: roots }
  - name: get_weather
    description: Weather.
    input: { type: object, properties: { location: { type: string } } }
  - name: plain
    description: Needs nothing.
`;

describe('fixtures for tools that need the client', () => {
  const model = app(FORMS);
  const [bookRoom, getWeather, plain] = model.tools;

  it('capabilities: requires ∪ what the asks need, sorted; none for a plain tool', () => {
    expect(toolClientCapabilities(bookRoom!)).toEqual({ elicitation: {}, roots: {}, sampling: {} });
    expect(Object.keys(toolClientCapabilities(bookRoom!)!)).toEqual(['elicitation', 'roots', 'sampling']);
    expect(toolClientCapabilities(plain!)).toBeUndefined();
  });

  it('the elicitation answer is accepted by the ask schema (Ajv) and confirms', () => {
    const answer = askAnswer(bookRoom!.asks[0]!) as { action: string; content: Record<string, unknown> };
    expect(answer.action).toBe('accept');
    const ajv = new Ajv2020.default({ strict: false, validateFormats: false });
    const validate = ajv.compile(bookRoom!.asks[0]!.schema!);
    expect(validate(answer.content), JSON.stringify(validate.errors)).toBe(true);
    expect(answer.content).toMatchObject({ room: 'r1', nights: 2, agree: true, smoking: false, extras: ['breakfast', 'parking'] });
    expect(answer.content).toMatchObject({ day: '2026-07-28', contact: 'user@example.com' }); // formats checked by sight: no format validator is installed
    expect(askAnswer(bookRoom!.asks[1]!)).toEqual({ roots: [{ uri: 'file:///mcp-gen-fixture/workspace', name: 'fixture workspace' }] });
  });

  it('every tools/call case of the tool carries its capabilities; valid ones carry answers and expect the round trip', () => {
    const { files, mock } = buildFixtures(model);
    const tools = files.find((f) => f.kind === 'tools')!.cases;
    const ofTool = tools.filter((c) => c.id.startsWith('tools/book_room/') && !c.id.endsWith('/missing-capability'));
    expect(ofTool.length).toBeGreaterThan(2);
    for (const c of ofTool) expect(c.clientCapabilities).toEqual({ elicitation: {}, roots: {}, sampling: {} });
    const valid = ofTool.filter((c) => c.id.includes('/valid/'));
    for (const c of valid) {
      expect(Object.keys(c.inputResponses!)).toEqual(['details', 'ctx']);
      expect(c.expect.inputRequired).toEqual(['details', 'ctx']);
    }
    expect(tools.find((c) => c.id === 'tools/book_room/missing-capability')).toMatchObject({ clientCapabilities: {}, expect: { status: 400, error: { code: -32021 } } });
    expect(tools.filter((c) => c.id.startsWith('tools/plain/')).every((c) => c.clientCapabilities === undefined && c.inputResponses === undefined)).toBe(true);
    expect(Object.keys(mock.asks)).toEqual(['book_room']);
    expect(mock.asks.book_room!.details).toMatchObject({ kind: 'elicitation', message: 'Which room?' });
  });

  it('a spec example calling a tool whose needs it does not declare is left out', () => {
    const example = (caps: Record<string, unknown>, name: string) => ({
      def: 'CallToolRequest',
      file: `${name}-${Object.keys(caps).length}.json`,
      value: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { _meta: { 'io.modelcontextprotocol/clientCapabilities': caps }, name, arguments: {} } },
    });
    const ids = specExampleCases(model, [
      example({}, 'get_weather'),
      example({}, 'book_room'),
      example({ elicitation: {}, sampling: {} }, 'book_room'),
      example({ elicitation: {}, sampling: {}, roots: {} }, 'book_room'),
    ]).map((c) => c.id);
    expect(ids).toEqual(['spec-examples/CallToolRequest/book_room-3.json', 'spec-examples/CallToolRequest/get_weather-0.json']);
    expect(getWeather!.asks).toEqual([]);
  });
});
