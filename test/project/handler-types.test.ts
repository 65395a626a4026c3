/** The handler contract is enforced by tsc: a wrong output shape must not compile. */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateExample } from '../helpers/project.ts';
import { tscProject } from '../helpers/tsc-project.ts';

describe('typed tool contracts', async () => {
  const { dir } = await generateExample('weather');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const handler = join(dir, 'src/handlers/tools/get-weather.ts');
  const write = (body: string) =>
    writeFileSync(handler, `import type { GetWeatherHandler } from '../../generated/tools.ts';\nexport const getWeather: GetWeatherHandler = async (input, ctx) => {\n${body}\n};\n`);

  it('accepts a handler returning the declared output', () => {
    write(`  const city: string = input.city;\n  return { structured: { temperature: city.length, conditions: 'sunny' } };`);
    expect(tscProject(dir)).toEqual({ ok: true, output: '' });
  });

  it('rejects a wrong output type', () => {
    write(`  return { structured: { temperature: 'hot', conditions: 'sunny' } };`);
    const r = tscProject(dir);
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/get-weather\.ts.*error TS2322/);
  });

  it('rejects a missing required output field', () => {
    write(`  return { structured: { temperature: 21 } };`);
    expect(tscProject(dir).ok).toBe(false);
  });

  it('requires structured output when an output schema is declared', () => {
    write(`  return { content: [{ type: 'text', text: 'hi' }] };`);
    expect(tscProject(dir).ok).toBe(false);
  });

  it('types the input from the input schema', () => {
    write(`  const n: number = input.city;\n  return ctx.error(String(n));`);
    expect(tscProject(dir).ok).toBe(false);
  });

  it('allows ctx.error(...)', () => {
    write(`  return ctx.error('nope');`);
    expect(tscProject(dir).ok).toBe(true);
  });

  it('types the client arguments and result exactly (z.input/z.output of the validators) and output types are closed', () => {
    write(`  return ctx.error('nope');`);
    const probe = join(dir, 'src/client-probe.ts');
    const lines = [
      `import { createWeatherClient } from './generated/client.ts';`,
      `const client = createWeatherClient({ url: 'http://127.0.0.1:1/mcp' });`,
      `export async function probes() {`,
      `  await client.tools.getWeather({ city: 'Lisbon', units: 'metric' });`,
      `  const r = await client.tools.getWeather({ city: 'Lisbon' }); const t: number | undefined = r.structured?.temperature; void t;`,
      `  await client.tools.getWeather({ town: 42 });`, // line 6: unknown field
      `  await client.tools.getWeather({ city: 42 });`, // line 7: wrong type
      `  await client.tools.getWeather({ units: 'metric' });`, // line 8: missing required
      `  await client.tools.getWeather({ city: 'x', units: 'kelvin' });`, // line 9: not in enum
      `  const s = (await client.tools.getWeather({ city: 'x' })).structured; void s?.temp;`, // line 10: renamed output field
      `}`,
    ];
    writeFileSync(probe, lines.join('\n') + '\n');
    try {
      const r = tscProject(dir);
      const failing = [...r.output.matchAll(/client-probe\.ts\((\d+),\d+\): error/g)].map((m) => Number(m[1]));
      expect([...new Set(failing)]).toEqual([6, 7, 8, 9, 10]);
    } finally {
      rmSync(probe);
    }
  });
});
