import { describe, expect, it } from 'vitest';
import { generatedNames, splitWords } from '../../generator/app/names.ts';
import { closestMatch, editDistance } from '../../generator/manifest/did-you-mean.ts';
import { parseUriTemplate } from '../../generator/manifest/rules/uri-template.ts';
import { checkHeaderAnnotations, propertyChain } from '../../generator/manifest/rules/x-mcp-header.ts';

describe('generatedNames', () => {
  it.each([
    ['get_weather', 'getWeather', 'GetWeather', 'get-weather'],
    ['getWeather', 'getWeather', 'GetWeather', 'get-weather'],
    ['HTTPServer', 'httpServer', 'HttpServer', 'http-server'],
    ['DATA_EXPORT_v2', 'dataExportV2', 'DataExportV2', 'data-export-v2'],
    ['admin.tools.list', 'adminToolsList', 'AdminToolsList', 'admin-tools-list'],
    ['delete', 'delete_', 'Delete', 'delete'],
    ['3d-print', '_3dPrint', '_3dPrint', '3d-print'],
    ['object', 'object_', 'Object_', 'object'],
  ])('%s → %s / %s / %s', (name, camel, pascal, file) => {
    expect(generatedNames(name)).toEqual({ camel, pascal, file });
  });

  it('has nothing to offer for names without letters or digits', () => {
    expect(generatedNames('___')).toBeUndefined();
    expect(splitWords('-.-')).toEqual([]);
  });
});

describe('did you mean', () => {
  it('counts a transposition as one edit', () => expect(editDistance('titel', 'title')).toBe(1));
  it('suggests close words only', () => {
    expect(closestMatch('descripton', ['description', 'name'])).toBe('description');
    expect(closestMatch('zzz', ['description', 'name'])).toBeUndefined();
    expect(closestMatch('NAME', ['name'])).toBe('name');
  });
});

describe('parseUriTemplate', () => {
  it('lists variables of every operator', () => {
    const parsed = parseUriTemplate('file:///{+path}/{name:3}{?q,lang}{#frag}{/list*}');
    expect(parsed.errors).toEqual([]);
    expect(parsed.variables).toEqual([
      { name: 'path', operator: '+', explode: false },
      { name: 'name', operator: '', explode: false, maxLength: 3 },
      { name: 'q', operator: '?', explode: false },
      { name: 'lang', operator: '?', explode: false },
      { name: 'frag', operator: '#', explode: false },
      { name: 'list', operator: '/', explode: true },
    ]);
  });

  it.each(['{', '}', '{}', '{a b}', '{|x}', '{x:10000}', 'a b', '%zz', '{a..b}'])('rejects %j', (template) => {
    expect(parseUriTemplate(template).errors.length).toBeGreaterThan(0);
  });
});

describe('x-mcp-header', () => {
  it('accepts a nested property chain', () => {
    const schema = { type: 'object', properties: { a: { type: 'object', properties: { b: { type: 'integer', 'x-mcp-header': 'B' } } } } };
    expect(checkHeaderAnnotations(schema)).toEqual([]);
  });
  it('does not read a property *named* x-mcp-header as the annotation', () => {
    const schema = { type: 'object', properties: { 'x-mcp-header': { type: 'number' } } };
    expect(checkHeaderAnnotations(schema)).toEqual([]);
  });
  it('knows what a properties chain is', () => {
    expect(propertyChain(['properties', 'a', 'properties', 'b'])).toEqual(['a', 'b']);
    expect(propertyChain(['properties', 'a', 'items'])).toBeUndefined();
    expect(propertyChain(['$defs', 'a'])).toBeUndefined();
  });
});
