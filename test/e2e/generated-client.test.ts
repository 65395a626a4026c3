/**
 * The generated typed client (src/generated/client.ts of the kitchen-sink example) against the
 * generated kitchen-sink server over Streamable HTTP and stdio: typed calls, output validation,
 * a multi-round elicitation answered by the client's handler, progress, prompts, templates, listen.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/env.ts';
import { generateExample } from '../helpers/project.ts';

const { dir } = await generateExample('kitchen-sink');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Any = any; // the generated modules are loaded at run time; tsc checks them in generate-project.test.ts
const load = async (rel: string): Promise<Any> => import(pathToFileURL(join(dir, rel)).href);

const handlers = {
  elicit: async () => ({ action: 'accept', content: { confirm: true, reason: 'duplicate' } }),
  sample: async () => ({ role: 'assistant', model: 'test', content: { type: 'text', text: 'ok' } }),
  listRoots: async () => [{ uri: 'file:///work', name: 'work' }],
};

async function exercise(client: Any) {
  const found = await client.tools.searchOrders({ tenant: 'acme', status: 'paid' });
  expect(found.isError).toBe(false);
  expect(found.structured).toEqual({ orders: [{ id: 'A-1001', status: 'paid', total: 28.5 }] });
  const progress: number[] = [];
  const shipped = await client.tools.shipOrder({ orderId: 'A-1002', address: { city: 'Porto', country: 'PT' } }, { onProgress: (p: Any) => progress.push(p.progress) });
  expect(shipped.content[0].text).toContain('shipped');
  expect(progress).toEqual([1, 2, 3]);
  const cancelled = await client.tools.cancelOrder({ orderId: 'A-1002' });
  expect(cancelled.structured).toMatchObject({ id: 'A-1002', status: 'cancelled' });
  const prompt = await client.prompts.summarizeOrder({ orderId: 'A-1001' });
  expect(JSON.stringify(prompt.messages)).toContain('A-1001');
  const report = await client.resources.templates.monthlyReport({ year: '2026', month: '07', format: 'csv' });
  expect(JSON.stringify(report.contents)).toContain('id,total');
  await expect(client.tools.searchOrders({ tenant: 42 })).rejects.toMatchObject({ kind: expect.any(String) });
}

describe('generated client ↔ generated server', () => {
  let http: Any;
  let server: Any;
  beforeAll(async () => {
    const runtime = await load('src/generated/runtime/index.ts');
    server = (await load('src/generated/server.ts')).createServer({ stateSecret: 'generated-client-secret-0123456789abcd' });
    http = await runtime.serveHttp(server, { port: 0, handleSignals: false });
  });
  afterAll(() => http?.close());

  it('over Streamable HTTP', async () => {
    const { createKitchenSinkClient } = await load('src/generated/client.ts');
    const client = createKitchenSinkClient({ url: http.url, handlers, clientInfo: { name: 'e2e', version: '1' } });
    await exercise(client);
    const sub = client.listen({ toolsListChanged: true });
    await sub.acknowledged;
    server.notify.toolsListChanged();
    const event = await sub.next();
    expect(event.value).toEqual({ kind: 'toolsListChanged' });
    await sub.close();
    await client.close();
  });

  it('over stdio', async () => {
    const { createKitchenSinkClient } = await load('src/generated/client.ts');
    const client = createKitchenSinkClient({
      stdio: { command: process.execPath, args: ['--import', 'tsx', 'src/main.ts', '--stdio'], cwd: dir, env: { ...process.env, NODE_PATH: join(REPO_ROOT, 'node_modules') } },
      handlers,
      clientInfo: { name: 'e2e', version: '1' },
    });
    await exercise(client);
    await client.close();
  });
});
