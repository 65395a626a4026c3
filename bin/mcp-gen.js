#!/usr/bin/env node
// Thin launcher. The CLI is compiled to dist/: the published package ships it (built by `prepack`);
// in a checkout, `npm run build` makes it.
import { existsSync, statSync } from 'node:fs';
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
const args = process.argv.slice(2);
if (existsSync(bundle) && existsSync(fileURLToPath(runner))) {
  // `generate` and `generate --check` (a project's npm scripts) with nothing changed are answered by
  // the no-op stamp before the bundle is even read (dist/generator/launch/launcher-noop.js).
  if (!(args[0] === 'generate' && args.length <= 2 && stampNewerThanManifest() && (await answeredByLauncher(bundle, args)))) {
    const { runBundle } = await import(runner.href);
    // Packages the bundle imports on demand resolve from here: the same node_modules as the bundle's.
    process.exitCode = await runBundle(bundle, args, (specifier) => import(specifier));
  }
} else if (existsSync(fileURLToPath(entry))) {
  const { main } = await import(entry.href);
  process.exitCode = await main(args);
} else {
  process.stderr.write('mcp-gen: not built yet. Run `npm run build` in the mcp-gen checkout.\n');
  process.exit(2);
}

/**
 * Two stats that rule the shortcut out before anything is loaded for it: no stamp yet (a first
 * run), or a manifest saved since the stamp was (the usual edit). Only a pre-filter: the stamp
 * itself decides. Paths: NOOP_STAMP_PATH (generator/incremental/noop-stamp.ts) and the default
 * manifest; test/unit/cli-startup.test.ts fails if the launcher stops answering.
 */
function stampNewerThanManifest() {
  try {
    return statSync('.mcp-gen/cache/noop.json').mtimeMs >= statSync('mcp-gen.yaml').mtimeMs;
  } catch {
    return false;
  }
}

/** Whether the launcher's no-op shortcut answered; anything unexpected leaves the run to the CLI. */
async function answeredByLauncher(bundle, args) {
  try {
    const { launcherNoop } = await import(new URL('../dist/generator/launch/launcher-noop.js', import.meta.url).href);
    return await launcherNoop(bundle, args);
  } catch {
    return false;
  }
}
