/**
 * The MCP Apps artifact: examples/apps generates, compiles, matches its goldens and regenerates
 * idempotently; the view bindings are typed from the tool's schemas; starter views are scaffolded
 * once and only where mcp-gen owns the convention; projects without apps get none of it.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildAppModel } from '../../generator/app/build.ts';
import type { ProjectEmitContext } from '../../generator/emit/artifact.ts';
import { appsArtifact } from '../../generator/emit/artifacts/project/apps.ts';
import { planProject } from '../../generator/plan/plan.ts';
import type { ProtocolModel } from '../../generator/protocol/model.ts';
import { cspOriginProblem } from '../../generator/manifest/rules/app-rules.ts';
import { parseManifest } from '../../generator/manifest/load-manifest.ts';
import { generateProject } from '../../generator/project.ts';
import { hermeticEnv } from '../helpers/env.ts';
import { generateExample } from '../helpers/project.ts';
import { tscProject } from '../helpers/tsc-project.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const isAppsOutput = (path: string) =>
  /^src\/generated\/apps(\.ts|-build\.ts|\/)|^src\/apps\//.test(path) || ['src/generated/server.ts', 'package.json', 'README.md'].includes(path);

describe('example apps', async () => {
  const { dir, result } = await generateExample('apps');
  dirs.push(dir);

  it('emits the declarations, the view bindings and the build step', () => {
    const paths = result.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['src/generated/apps.ts', 'src/generated/apps/weather-card.ts', 'src/generated/apps-build.ts', 'src/apps/weather-card.html', 'src/apps/weather-card.ts']));
    const owner = (p: string) => result.files.find((f) => f.path === p)!.owner;
    expect([owner('src/apps/weather-card.html'), owner('src/apps/weather-card.ts')]).toEqual(['user', 'user']);
    const pkg = JSON.parse(result.files.find((f) => f.path === 'package.json')!.content);
    expect(pkg.scripts.build).toBe('tsc -p tsconfig.json && node dist/generated/apps-build.js');
    expect(Object.keys(pkg.devDependencies)).toEqual(expect.arrayContaining(['@modelcontextprotocol/ext-apps', '@modelcontextprotocol/client', 'esbuild']));
    // The example's own view and handler were copied in, not replaced by the starter.
    expect(readFileSync(join(dir, 'src/apps/weather-card.ts'), 'utf8')).toContain("view.callTool('get_weather'");
  });

  it('compiles under tsc --strict, views included', () => {
    const r = tscProject(dir);
    expect(r.output).toBe('');
    expect(r.ok).toBe(true);
  });

  it('types the view from the tool schemas', () => {
    const probe = join(dir, 'src/apps/type-probe.ts');
    writeFileSync(
      probe,
      `import { createWeatherCardView } from '../generated/apps/weather-card.ts';
const view = createWeatherCardView();
view.onToolResult((weather, result) => {
  const temperature: number = weather.temperature;
  const conditions: 'sunny' | 'cloudy' | 'rain' | 'snow' = weather.outlook[0]!.conditions;
  // @ts-expect-error a misspelt field is not a number
  const typo: number = weather.temprature;
  void [temperature, conditions, typo, result.content];
});
view.onToolInput((input) => {
  const city: string = input.city;
  // @ts-expect-error units is an enum
  const units: 'kelvin' = input.units;
  void [city, units];
});
// @ts-expect-error arguments follow the input schema
void view.callTool('get_weather', { city: 3 });
// @ts-expect-error only tools that render this app
void view.callTool('delete_everything', {});
`,
    );
    // The starter view mcp-gen scaffolds for a new app compiles against the same bindings.
    const starter = join(dir, 'src/apps/starter.ts');
    writeFileSync(starter, result.files.find((f) => f.path === 'src/apps/weather-card.ts')!.content);
    const r = tscProject(dir);
    rmSync(probe);
    rmSync(starter);
    expect(r.output).toBe('');
  });

  it('matches the goldens', async () => {
    // What the apps artifact and the files it touches produce; the rest is test/project's business.
    for (const f of result.files.filter((file) => isAppsOutput(file.path))) {
      await expect(f.content).toMatchFileSnapshot(join(import.meta.dirname, 'golden', 'apps', `${f.path}.snap`));
    }
  });

  it('regenerates byte-identically and leaves the view alone', async () => {
    const view = join(dir, 'src/apps/weather-card.ts');
    writeFileSync(view, `${readFileSync(view, 'utf8')}\n// my edit\n`);
    const again = await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env: hermeticEnv() } });
    expect(again.report.actions.every((a) => a.action === 'unchanged' || a.action === 'keep-user')).toBe(true);
    expect(readFileSync(view, 'utf8')).toContain('// my edit');
  });
});

/** The artifact alone, on a manifest, with chosen template contents (undefined = file absent). */
function emitApps(manifest: string, appTemplates: Record<string, string>) {
  const loaded = parseManifest(manifest, 'mcp-gen.yaml', () => '<!doctype html>');
  const { model } = buildAppModel(loaded.manifest!);
  // The artifact renders what the plan decided (names, paths, which starter files exist).
  const plan = planProject(model!, { defs: [], revision: '2026-07-28' } as unknown as ProtocolModel, { manifestPath: 'mcp-gen.yaml', appTemplates });
  const ctx = { app: model!, manifestPath: 'mcp-gen.yaml', appTemplates, plan } as unknown as ProjectEmitContext;
  return appsArtifact.emit(ctx) as ReturnType<typeof appsArtifact.emit> & { path: string; owner: string; content: string }[];
}

const MANIFEST = (template: string) => `server: { name: s, version: "1" }
tools:
  - name: show_board
    description: Shows the board.
    output: { type: object, properties: { n: { type: integer } }, required: [n] }
    ui: board
apps:
  - { id: board, template: ${template}, csp: { connectDomains: ["https://api.example.com"] }, permissions: [camera], prefersBorder: false }
`;

describe('apps artifact', () => {
  it('has a starter src/apps/<id>.html and .ts for an absent conventional template (the loader still requires it: MG2007)', () => {
    const files = emitApps(MANIFEST('src/apps/board.html'), {});
    const user = files.filter((f) => f.owner === 'user').map((f) => f.path);
    expect(user).toEqual(['src/apps/board.html', 'src/apps/board.ts']);
    const html = files.find((f) => f.path === 'src/apps/board.html')!.content;
    expect(html).toContain('<script type="module" src="./board.ts"></script>');
    expect(files.find((f) => f.path === 'src/apps/board.ts')!.content).toContain("from '../generated/apps/board.ts'");
  });

  it('scaffolds no script for an existing template that does not load one, and nothing for a custom path', () => {
    expect(emitApps(MANIFEST('src/apps/board.html'), { board: '<!doctype html><script>/* inline */</script>' }).filter((f) => f.owner === 'user').map((f) => f.path)).toEqual(['src/apps/board.html']);
    expect(emitApps(MANIFEST('views/board.html'), { board: '<!doctype html>' }).filter((f) => f.owner === 'user')).toEqual([]);
  });

  it('declares the template with its _meta.ui and the tools that use it', () => {
    const apps = emitApps(MANIFEST('views/board.html'), { board: '' }).find((f) => f.path === 'src/generated/apps.ts')!.content;
    const declaration = JSON.parse(/export const boardApp = (\{[\s\S]*?\n\}) as const/.exec(apps)![1]!);
    expect(declaration).toEqual({
      id: 'board',
      uri: 'ui://board',
      name: 'board',
      mimeType: 'text/html;profile=mcp-app',
      source: 'views/board.html',
      ui: { csp: { connectDomains: ['https://api.example.com'] }, permissions: { camera: {} }, prefersBorder: false },
      tools: ['show_board'],
    });
  });

  it('emits nothing for a project without apps', () => {
    expect(emitApps('server: { name: s, version: "1" }\n', {})).toEqual([]);
  });
});

describe('CSP origins', () => {
  it.each(['https://api.example.com', 'https://*.example.com', 'wss://live.example.com:8443', 'http://127.0.0.1:3000', 'https://[::1]', 'https://a.example/'])('accepts %s', (origin) => {
    expect(cspOriginProblem(origin)).toBeUndefined();
  });
  it.each(['example.com', 'https://a.com/path', 'https://a.com?q', "'self'", 'https://a.com https://b.com', 'data:', '*', 'https://*', 'https://user@a.com', 'javascript://x', 'https://a.com:99999'])('rejects %s', (origin) => {
    expect(cspOriginProblem(origin)).toBeDefined();
  });
});
