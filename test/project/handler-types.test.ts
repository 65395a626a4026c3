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
});
