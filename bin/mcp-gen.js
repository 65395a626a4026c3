#!/usr/bin/env node
// Thin launcher. The CLI is compiled to dist/: the published package ships it (built by `prepack`);
// in a checkout, `npm run build` makes it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Kept in step with "engines" in package.json: npm only warns about engines, so say it here.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`mcp-gen needs Node.js >= 20.19; this is ${process.version}. Install a newer Node (https://nodejs.org) and retry.\n`);
  process.exit(2);
}

// dist/bundle (scripts/bundle-cli.mjs) is the same code in a few chunks: it starts faster than the
// ~140 modules of dist/generator, which stay the fallback.
const bundled = new URL('../dist/bundle/main.js', import.meta.url);
const entry = existsSync(fileURLToPath(bundled)) ? bundled : new URL('../dist/generator/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('mcp-gen: not built yet. Run `npm run build` in the mcp-gen checkout.\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
