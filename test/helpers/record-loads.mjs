// `node --import ./record-loads.mjs …`: appends every module URL the process resolves to the file
// named by MCP_GEN_RECORD_LOADS (one per line), so a test can tell which packages a command loaded.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
import { appendFileSync } from 'node:fs';
let out;
export function initialize(data) { out = data.out; }
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(out, r.url + '\\n');
  return r;
}`),
  { data: { out: process.env.MCP_GEN_RECORD_LOADS } },
);
