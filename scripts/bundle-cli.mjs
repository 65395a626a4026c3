// Bundles the compiled CLI (dist/generator/cli/main.js, from `tsc`) into one CommonJS script,
// dist/bundle/mcp-gen.cjs, which bin/mcp-gen.js prefers. Why: Node 20 has no module compile cache,
// and loading the ~140 compiled modules plus zod/yaml/handlebars/commander file by file cost ~200 ms
// of every generate's start-up; one script can be run with V8's cached data instead
// (generator/launch/bundle-runner.ts), which skips compiling it again in every process. Modules the
// CLI imports lazily stay lazy: esbuild wraps them in init functions that run on first import, so
// `--help` and `spec list` still evaluate only the CLI. Packages that mcp-gen loads only on demand
// and that are big (prettier, Ajv, json-schema-to-typescript, chokidar, oauth4webapi, randexp) stay
// external: resolved from node_modules at run time, exactly as from dist/generator.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * zod's namespace re-exports all of its ~60 locales (about 360 kB, a third of the zod/yaml chunk
 * every generate loads), which esbuild cannot shake out of `z`. mcp-gen reads zod's English
 * messages only (zod installs `en` itself): the locales index becomes one that holds `en` alone.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/]/.test(args.importer) ? { path: 'zod-locales-en', namespace: 'zod-english-only', pluginData: args.resolveDir } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: "export { default as en } from '../locales/en.js';",
      resolveDir: args.pluginData,
      loader: 'js',
    }));
  },
};

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;
const outfile = `${outdir}/mcp-gen.cjs`;
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['dist/generator/cli/main.js'],
  outfile,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // ASCII (esbuild escapes the rest in strings, templates and regular expressions): see below.
  charset: 'ascii',
  external: ['prettier', 'ajv', 'json-schema-to-typescript', 'chokidar', 'oauth4webapi', 'randexp'],
  // The modules find the package root and their data from their own URL: in the bundle, the bundle's.
  // (Injected, not a banner: a statement before the bundle's "use strict" would turn strict mode off.)
  define: { 'import.meta.url': '__mcpGenBundleUrl' },
  inject: ['scripts/bundle-url.js'],
  // Templates run precompiled (dist/templates.precompiled.json): the bundle carries Handlebars'
  // runtime only, not its parser and code generator (with source-map, about 400 kB of every
  // generate's start-up). generator/emit/templates.ts loads the full package in the rare case a
  // template has no precompiled entry for its exact source.
  alias: { handlebars: 'handlebars/dist/cjs/handlebars.runtime.js' },
  plugins: [zodEnglishOnly],
  logLevel: 'warning',
});
// esbuild cannot escape comments, and a few keep typographic characters (—, →, …). Replaced by '?':
// an ASCII script is read as latin1 and held by V8 as one-byte text, half the memory of UTF-16 and
// no UTF-8 decoding on every start (generator/launch/bundle-runner.ts).
writeFileSync(outfile, readFileSync(outfile, 'utf8').replace(/[^\x00-\x7f]/g, '?'));
