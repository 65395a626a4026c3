/**
 * MCP Apps end to end, in a real browser. examples/apps is generated, built the way `npm run build`
 * builds it (tsc, then the apps step that bundles the view with ext-apps into one HTML file) and
 * started as a process. A minimal host page (test/apps/host/) on one 127.0.0.1 origin talks to it
 * with the official client, prefetches the ui:// template, renders it through a sandbox proxy on a
 * second origin, calls the tool and hands the view the input and result. Debian Chromium, driven
 * over CDP by playwright-core, checks the rendered DOM and that the view's CSP blocks an origin the
 * manifest does not declare. A screenshot lands in test/tmp/.
 *
 * Needs /usr/bin/chromium (`apt-get install -y chromium`), playwright-core and
 * @modelcontextprotocol/ext-apps; skipped without them unless CI is set.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/env.ts';
import { waitForStderr } from '../helpers/process.ts';
import { officialClient } from '../helpers/official-client.ts';
import { generateExample } from '../helpers/project.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const SCREENSHOT = join(REPO_ROOT, 'test', 'tmp', 'apps-weather-card.png');
const UI_CAPS = { extensions: { 'io.modelcontextprotocol/ui': { mimeTypes: ['text/html;profile=mcp-app'] } } };

const requireFromRepo = createRequire(join(REPO_ROOT, 'package.json'));
const installed = (name: string) => {
  try {
    requireFromRepo.resolve(name);
    return true;
  } catch {
    return false;
  }
};
const missing = [
  ...(existsSync(CHROMIUM) ? [] : [`${CHROMIUM} (apt-get install -y chromium)`]),
  ...['playwright-core', '@modelcontextprotocol/ext-apps'].filter((p) => !installed(p)),
];

function run(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}

/** Spawns a process and resolves with the first match of `pattern` on its stderr. */
function startProcess(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv }, pattern: RegExp): Promise<{ child: ChildProcess; match: string }> {
  // Own process group: Chromium forks helpers (zygote, renderers) that must die with it.
  const child = spawn(cmd, args, { ...opts, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  return waitForStderr(child, pattern, cmd, 30_000).then((match) => ({ child, match }));
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

async function bundle(entry: string): Promise<string> {
  const r = await esbuild.build({ entryPoints: [entry], bundle: true, write: false, format: 'esm', platform: 'browser', target: 'es2022', absWorkingDir: REPO_ROOT, logLevel: 'error' });
  return r.outputFiles[0]!.text;
}

function page(title: string, script: string, body = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}<script type="module">${script.replace(/<\/script/gi, '<\\/script')}</script></body></html>`;
}

/** A raw 2026-07-28 request, so the test sees exactly what the server puts on the wire. */
async function wire(mcpUrl: string, method: string, params: Record<string, unknown>, capabilities: object = {}, name?: string): Promise<Record<string, any>> {
  const res = await fetch(mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      ...(name ? { 'mcp-name': name } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method,
      params: { ...params, _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': capabilities } },
    }),
  });
  const body = (await res.json()) as { result?: Record<string, any>; error?: unknown };
  if (!body.result) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

describe.skipIf(missing.length > 0 && !process.env.CI)('MCP Apps in Chromium', () => {
  let projectDir = '';
  let userDataDir = '';
  let mcp: ChildProcess | undefined;
  let chromium: ChildProcess | undefined;
  let browser: Browser | undefined;
  let host: Page;
  let mcpUrl = '';
  const servers: Server[] = [];
  const proxied: string[] = [];
  let forbiddenHits = 0;
  let hostOrigin = '';
  let sandboxOrigin = '';
  let forbiddenOrigin = '';
  const args = { city: 'Lisbon', units: 'metric' };

  beforeAll(async () => {
    if (missing.length > 0) throw new Error(`missing: ${missing.join(', ')}`);
    projectDir = (await generateExample('apps')).dir;
    run(process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], projectDir);
    run(process.execPath, ['dist/generated/apps-build.js'], projectDir);
    const started = await startProcess(process.execPath, ['dist/main.js'], { cwd: projectDir, env: { ...process.env, PORT: '0', MCP_STATE_SECRET: 'apps-test-secret-apps-test-secret!!' } }, /listening on (http:\/\/\S+)/);
    mcp = started.child;
    mcpUrl = started.match;

    const forbidden = await listen((req, res) => {
      forbiddenHits++;
      res.writeHead(200, { 'access-control-allow-origin': '*', 'content-type': 'text/plain' }).end('reachable');
    });
    const [hostJs, sandboxJs] = await Promise.all([bundle('test/apps/host/host.ts'), bundle('test/apps/host/sandbox.ts')]);
    const sandbox = await listen((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page('sandbox', sandboxJs, '<style>body{margin:0}iframe{display:block;border:0;width:100%;height:100vh}</style>'));
    });
    const target = new URL(mcpUrl);
    const hostServer = await listen((req, res) => {
      if (req.url?.startsWith('/mcp')) {
        // Same-origin /mcp for the page, relayed to the generated server.
        if (req.headers['mcp-method']) proxied.push(String(req.headers['mcp-method']));
        const upstream = request({ host: target.hostname, port: target.port, path: target.pathname, method: req.method, headers: { ...req.headers, host: target.host } }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        upstream.on('error', (e) => res.writeHead(502).end(String(e)));
        req.pipe(upstream);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page('MCP Apps test host', hostJs, '<h1 style="font:16px sans-serif">Test host</h1><div id="view"></div>'));
    });
    servers.push(forbidden.server, sandbox.server, hostServer.server);
    [hostOrigin, sandboxOrigin, forbiddenOrigin] = [hostServer.origin, sandbox.origin, forbidden.origin];

    userDataDir = mkdtempSync(join(tmpdir(), 'mcp-gen-chromium-'));
    const browserStarted = await startProcess(CHROMIUM, [...CHROMIUM_ARGS, `--user-data-dir=${userDataDir}`, '--remote-debugging-port=0', 'about:blank'], {}, /DevTools listening on (ws:\/\/\S+)/);
    chromium = browserStarted.child;
    const pw = (await import(pathToFileURL(requireFromRepo.resolve('playwright-core')).href)) as typeof import('playwright-core');
    browser = await pw.chromium.connectOverCDP(browserStarted.match);
    const context = browser.contexts()[0] ?? (await browser.newContext());
    host = await context.newPage();
    host.on('console', (m) => {
      if (m.type() === 'error') console.error(`[browser] ${m.text()}`);
    });
    await host.setViewportSize({ width: 640, height: 420 });
  }, 240_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    for (const child of [chromium, mcp]) {
      if (!child?.pid || child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        process.kill(-child.pid, 'SIGKILL'); // the whole group, helpers included
      } catch {
        child.kill('SIGKILL');
      }
      await exited;
    }
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    if (projectDir) rmSync(projectDir, { recursive: true, force: true });
  });

  it('puts the template, the tool link and the extension on the wire', async () => {
    const discover = await wire(mcpUrl, 'server/discover', {});
    expect(discover.capabilities.extensions).toEqual({ 'io.modelcontextprotocol/ui': {} });
    const { tools } = await wire(mcpUrl, 'tools/list', {});
    expect(tools[0]._meta).toEqual({ ui: { resourceUri: 'ui://weather-card' } });
    const { resources } = await wire(mcpUrl, 'resources/list', {});
    const ui = { csp: { connectDomains: ['https://api.open-meteo.com'] }, prefersBorder: true };
    expect(resources).toContainEqual(expect.objectContaining({ uri: 'ui://weather-card', mimeType: 'text/html;profile=mcp-app', _meta: { ui } }));
    const read = await wire(mcpUrl, 'resources/read', { uri: 'ui://weather-card' }, {}, 'ui://weather-card');
    expect(read).toMatchObject({ ttlMs: 3_600_000, cacheScope: 'public' });
    expect(read.contents).toHaveLength(1);
    const [content] = read.contents;
    expect(content).toMatchObject({ uri: 'ui://weather-card', mimeType: 'text/html;profile=mcp-app', _meta: { ui } });
    expect(content.text).toMatch(/^<!doctype html>/i);
    // One self-contained file: the view script is bundled in, nothing is loaded from elsewhere.
    expect(content.text).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(content.text).toContain('ui/initialize');
  });

  it('gives a client without the Apps extension a complete text answer', async () => {
    const { client, http } = await officialClient({});
    await client.connect(http(mcpUrl));
    const plain = await client.callTool({ name: 'get_weather', arguments: args });
    await client.close();
    expect(plain.isError).toBeFalsy();
    expect(plain.content[0]!.text).toMatch(/^Lisbon: -?\d+ °C, \w+\. Outlook: Today /);
    const withUi = await wire(mcpUrl, 'tools/call', { name: 'get_weather', arguments: args }, UI_CAPS, 'get_weather');
    expect(withUi.content[0].text).toMatch(/^Lisbon: -?\d+ °C, \w+\.$/);
    expect(withUi.structuredContent).toEqual(plain.structuredContent);
  });

  async function viewFrame(): Promise<Frame> {
    const sandbox = await (await host.waitForSelector('#sandbox')).contentFrame();
    const view = await (await sandbox!.waitForSelector('#view', { state: 'attached' })).contentFrame();
    return view!;
  }

  it('prefetches the template, renders it in a sandbox on another origin and shows the tool result', async () => {
    await host.goto(`${hostOrigin}/?sandbox=${encodeURIComponent(`${sandboxOrigin}/sandbox.html`)}&args=${encodeURIComponent(JSON.stringify(args))}`);
    await host.waitForFunction(() => {
      const s = (window as any).__host;
      return s.error || s.steps.includes('result-sent');
    });
    const state = await host.evaluate(() => (window as any).__host);
    expect(state.error).toBeUndefined();
    // The template was read before the tool ran.
    expect(state.steps.indexOf('prefetched')).toBeLessThan(state.steps.indexOf('tool-called'));
    expect(state.prefetch).toMatchObject({ uri: 'ui://weather-card', mimeType: 'text/html;profile=mcp-app', ttlMs: 3_600_000, cacheScope: 'public', ui: { csp: { connectDomains: ['https://api.open-meteo.com'] }, prefersBorder: true } });
    expect(proxied.indexOf('resources/read')).toBeLessThan(proxied.indexOf('tools/call'));

    const view = await viewFrame();
    await view.waitForSelector('#card[data-state="done"]');
    const weather = state.result.structuredContent;
    expect(await view.textContent('#city')).toBe('Lisbon');
    expect(await view.textContent('#temperature')).toBe(`${weather.temperature} °C`);
    expect(await view.textContent('#conditions')).toContain(weather.conditions);
    const outlook = await view.$$eval('#outlook li', (items) => items.map((li) => li.textContent ?? ''));
    expect(outlook).toHaveLength(weather.outlook.length);
    weather.outlook.forEach((d: { day: string; low: number; high: number }, i: number) => {
      expect(outlook[i]).toContain(`${d.day}: `);
      expect(outlook[i]).toContain(`${d.low}–${d.high} °C`);
    });
    // The proxy is on another origin than the host, and the view is opaque inside it.
    const sandboxFrame = await (await host.$('#sandbox'))!.contentFrame();
    expect(new URL(sandboxFrame!.url()).origin).toBe(sandboxOrigin);
    expect(sandboxOrigin).not.toBe(hostOrigin);
    expect(await view.evaluate(() => window.origin)).toBe('null');
    mkdirSync(join(REPO_ROOT, 'test', 'tmp'), { recursive: true });
    await host.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
  });

  it('lets the view call the tool again through the host', async () => {
    const view = await viewFrame();
    const calls = proxied.filter((m) => m === 'tools/call').length;
    await view.click('#refresh');
    await view.waitForFunction(() => document.getElementById('card')!.dataset.state === 'done' && !(document.getElementById('refresh') as HTMLButtonElement).disabled);
    expect(proxied.filter((m) => m === 'tools/call').length).toBe(calls + 1);
    expect(await view.textContent('#city')).toBe('Lisbon');
  });

  it("enforces the declared CSP: a fetch to an origin the manifest does not list is blocked", async () => {
    const view = await viewFrame();
    const policy = await view.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'));
    expect(policy).toContain("connect-src https://api.open-meteo.com;");
    const attempt = await view.evaluate(async (url) => {
      const violations: { directive: string; blocked: string }[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI }));
      let outcome: string;
      try {
        outcome = `allowed: ${await (await fetch(url)).text()}`;
      } catch (error) {
        outcome = `blocked: ${(error as Error).name}`;
      }
      await new Promise((r) => setTimeout(r, 200));
      return { outcome, violations };
    }, `${forbiddenOrigin}/secret`);
    expect(attempt.outcome).toBe('blocked: TypeError');
    expect(attempt.violations).toContainEqual({ directive: 'connect-src', blocked: `${forbiddenOrigin}/secret` });
    expect(forbiddenHits).toBe(0);
    // Control: the same URL answers a page without that policy, so only the CSP stopped the view.
    const control = await host.evaluate(async (url) => (await fetch(url)).text(), `${forbiddenOrigin}/secret`);
    expect(control).toBe('reachable');
    expect(forbiddenHits).toBe(1);
  });
});
