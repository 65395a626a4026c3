/**
 * A helper thread of emit/parallel/tool-files.ts: renders the tool modules the main thread hands it,
 * one at a time, each exactly as the main thread would without a render cache.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { layoutToolFile } from '../../format/ts-tool-layout.ts';
import { recordSchemaModule, type RecordedModule } from '../../incremental/memo-steps.ts';
import { toolFile } from '../artifacts/project/tool-contracts.ts';
import { renderSchemaModule } from '../schema-module.ts';
import type { ToMain, ToolFileWorkerData, ToWorker } from './tool-files.ts';

const port = parentPort!;
const { plan, tools } = workerData as ToolFileWorkerData;
const byIndex = new Map(tools);
const send = (m: ToMain) => port.postMessage(m);

async function render(index: number): Promise<void> {
  const tool = byIndex.get(index);
  if (!tool) return send({ type: 'failed', index });
  try {
    let recorded: RecordedModule | undefined;
    const source = async (parts: Parameters<typeof renderSchemaModule>[0], options: Parameters<typeof renderSchemaModule>[1]) => (recorded = await recordSchemaModule(renderSchemaModule, parts, options ?? {})).module;
    const { content, laidOut } = await toolFile(tool, plan, source, layoutToolFile);
    send(recorded ? { type: 'result', index, file: { recorded, content, laidOut } } : { type: 'failed', index });
  } catch {
    send({ type: 'failed', index }); // the main thread renders it, and reports whatever went wrong
  }
}

// One job at a time, one asked ahead so the thread never waits for the main thread's answer.
let chain = Promise.resolve();
port.on('message', (m: ToWorker) => {
  if (m.type === 'none') {
    chain = chain.then(() => port.close()); // after the job in hand is sent
    return;
  }
  chain = chain.then(() => render(m.index)).then(() => send({ type: 'next' }));
});
send({ type: 'next' });
send({ type: 'next' });
