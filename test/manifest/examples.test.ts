/** The example manifests load cleanly, and the published manifest JSON Schema accepts them. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { manifestJsonSchema } from '../../generator/manifest/validate-manifest.ts';
import { loadManifest } from '../../generator/manifest/load-manifest.ts';
import { loadForTest } from './load-for-test.ts';

const examples = ['weather', 'kitchen-sink'].map((name) => ({
  name,
  dir: fileURLToPath(new URL(`../../examples/${name}/`, import.meta.url)),
}));

describe('example manifests', () => {
  for (const { name, dir } of examples) {
    it(`${name} loads with no diagnostics but the deprecation warnings it shows on purpose`, () => {
      const loaded = loadForTest(dir, 'mcp-gen.yaml');
      // kitchen-sink demonstrates every feature, the deprecated sampling and roots asks included (MG3020)
      expect(loaded.diagnostics.filter((d) => !(d.code === 'MG3020' && d.severity === 'warning'))).toEqual([]);
      expect(loaded.diagnostics.length).toBe(name === 'kitchen-sink' ? 2 : 0);
      expect(loaded.manifest).toBeDefined();
      expect(loaded.model).toBeDefined();
    });

    it(`${name} is valid against manifestJsonSchema()`, () => {
      const ajv = new Ajv2020({ strict: false, allErrors: true });
      const validate = ajv.compile(manifestJsonSchema());
      const ok = validate(parse(readFileSync(`${dir}mcp-gen.yaml`, 'utf8')));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    });

    it(`${name}: every bundled tool schema compiles on its own`, () => {
      const { manifest } = loadForTest(dir, 'mcp-gen.yaml');
      const ajv = new Ajv2020({ strict: false });
      for (const tool of manifest!.tools) {
        expect(() => ajv.compile(tool.input), tool.name).not.toThrow();
        if (tool.output) expect(() => ajv.compile(tool.output!), tool.name).not.toThrow();
        expect(JSON.stringify(tool.input)).not.toContain('#/schemas/');
        expect(JSON.stringify(tool.input)).not.toContain('.json');
      }
    });
  }

  it('loadManifest reads files relative to the manifest', async () => {
    const path = fileURLToPath(new URL('../../examples/kitchen-sink/mcp-gen.yaml', import.meta.url));
    const loaded = await loadManifest(path);
    expect(loaded.diagnostics.map((d) => d.code)).toEqual(['MG3020', 'MG3020']);
    expect([...loaded.sources.keys()].some((file) => file.endsWith('schemas/address.json'))).toBe(true);
  });

  it('loadManifest reports a missing file without a position', async () => {
    const loaded = await loadManifest('does/not/exist/mcp-gen.yaml');
    expect(loaded.manifest).toBeUndefined();
    expect(loaded.diagnostics.map((d) => d.code)).toEqual(['MG2001']);
  });

  it('the JSON Schema is valid 2020-12 and rejects an unknown key', () => {
    const ajv = new Ajv2020({ strict: false });
    const schema = manifestJsonSchema();
    expect(ajv.validateSchema(schema)).toBe(true);
    const validate = ajv.compile(schema);
    expect(validate({ server: { name: 'a', version: '1' } })).toBe(true);
    expect(validate({ server: { name: 'a', version: '1' }, toolz: [] })).toBe(false);
  });
});

describe('kitchen-sink normalization', () => {
  const { manifest, model } = loadForTest(examples[1].dir, 'mcp-gen.yaml');

  it('resolves a root $ref into the schema itself', () => {
    const cancel = manifest!.tools.find((t) => t.name === 'cancel_order')!;
    expect(cancel.input.type).toBe('object');
    expect(cancel.input.$ref).toBeUndefined();
  });

  it('bundles shared and file schemas under $defs, keeping recursion', () => {
    const search = manifest!.tools.find((t) => t.name === 'search_orders')!;
    const defs = search.output!.$defs as Record<string, Record<string, unknown>>;
    expect(Object.keys(defs).sort()).toEqual(['Order', 'OrderStatus', 'address']);
    expect(JSON.stringify(defs.Order)).toContain('"#/$defs/Order"');
    expect(defs.address.$schema).toBeUndefined();
    expect(JSON.stringify(defs.address)).toContain('"#/$defs/address/$defs/countryCode"');
  });

  it('fills defaults', () => {
    expect(model!.caching.discover).toEqual({ ttlMs: 0, cacheScope: 'private' });
    expect(model!.caching.tools).toEqual({ ttlMs: 300000, cacheScope: 'public' });
    expect(model!.caching.resourceTemplates).toEqual({ ttlMs: 60000, cacheScope: 'private' });
    expect(model!.tools.find((t) => t.name === 'ping')!.inputSchema).toEqual({ type: 'object', additionalProperties: false });
    expect(model!.tools.find((t) => t.name === 'ping')!.task).toBe('forbidden');
  });

  it('derives header params, template variables and app links', () => {
    const search = model!.tools.find((t) => t.name === 'search_orders')!;
    expect(search.headerParams).toEqual([{ header: 'Mcp-Param-Tenant', name: 'Tenant', propertyPath: ['tenant'], type: 'string', required: true }]);
    expect(search.ui).toEqual({ appId: 'order-board', resourceUri: 'ui://order-board' });
    const report = model!.resourceTemplates.find((t) => t.name === 'monthly-report')!;
    expect(report.variables.map((v) => `${v.operator}${v.name}`)).toEqual(['year', 'month', '?format']);
    expect(model!.apps[0].usedBy).toEqual(['search_orders']);
    expect(model!.apps[0].permissions).toEqual({ clipboardWrite: {} });
    expect(model!.capabilities).toEqual({ tools: true, resources: true, prompts: true, completions: true, apps: true, tasks: true });
  });
});
