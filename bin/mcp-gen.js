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

// dist/bundle/mcp-gen.cjs (scripts/bundle-cli.mjs) is the same code as one script, run with a V8
// code cache (dist/generator/launch/bundle-runner.js): it starts faster than the ~140 modules of
// dist/generator, which stay the fallback.
const bundle = fileURLToPath(new URL('../dist/bundle/mcp-gen.cjs', import.meta.url));
const runner = new URL('../dist/generator/launch/bundle-runner.js', import.meta.url);
const entry = new URL('../dist/generator/cli/main.js', import.meta.url);
if (existsSync(bundle) && existsSync(fileURLToPath(runner))) {
  const { runBundle } = await import(runner.href);
  // Packages the bundle imports on demand resolve from here: the same node_modules as the bundle's.
  process.exitCode = await runBundle(bundle, process.argv.slice(2), (specifier) => import(specifier));
} else if (existsSync(fileURLToPath(entry))) {
  const { main } = await import(entry.href);
  process.exitCode = await main(process.argv.slice(2));
} else {
  process.stderr.write('mcp-gen: not built yet. Run `npm run build` in the mcp-gen checkout.\n');
  process.exit(2);
}
