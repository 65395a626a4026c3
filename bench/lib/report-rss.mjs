// `node --import ./report-rss.mjs …`: at exit, writes the process's peak RSS (KiB, from
// process.resourceUsage().maxRSS) to the file named by MCP_GEN_BENCH_RSS, for bench:generate.
import { writeFileSync } from 'node:fs';

const out = process.env.MCP_GEN_BENCH_RSS;
if (out) process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
