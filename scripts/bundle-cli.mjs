// Bundles the compiled CLI (dist/generator/cli/main.js, from `tsc`) into a few ES module chunks under
// dist/bundle/, which bin/mcp-gen.js prefers. Why: Node 20 has no module compile cache, and loading the
// ~140 compiled modules plus zod/yaml/handlebars/commander file by file cost ~200 ms of every
// generate's start-up (MCP_GEN_TIMINGS=1 shows it as `startup`). Code splitting keeps the lazy
// imports lazy (`--help` and `spec list` still load only the CLI chunk). Packages that mcp-gen loads
// only on demand and that are big (prettier, Ajv, json-schema-to-typescript, chokidar, oauth4webapi,
// randexp) stay external: resolved from node_modules at run time, exactly as from dist/generator.
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
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
rmSync(outdir, { recursive: true, force: true });
const { metafile } = await build({
  absWorkingDir: root,
  entryPoints: { main: 'dist/generator/cli/main.js' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['prettier', 'ajv', 'json-schema-to-typescript', 'chokidar', 'oauth4webapi', 'randexp'],
  // CommonJS packages inside an ES module bundle need a `require`.
  banner: { js: "import { createRequire as __mcpGenCreateRequire } from 'node:module'; const require = __mcpGenCreateRequire(import.meta.url);" },
  // Templates run precompiled (dist/templates.precompiled.json): the bundle carries Handlebars'
  // runtime only, not its parser and code generator (with source-map, about 400 kB of every
  // generate's start-up). generator/emit/templates.ts loads the full package in the rare case a
  // template has no precompiled entry for its exact source.
  alias: { handlebars: 'handlebars/dist/cjs/handlebars.runtime.js' },
  plugins: [zodEnglishOnly],
  chunkNames: 'chunk-[hash]',
  logLevel: 'warning',
  metafile: true,
});
// Which packages each chunk holds, so a test can still tell which packages a command loaded
// (test/unit/cli-startup.test.ts: `--help` must not load zod, yaml, handlebars, ...).
const packagesOf = {};
for (const [file, output] of Object.entries(metafile.outputs).sort(([a], [b]) => (a < b ? -1 : 1))) {
  const packages = new Set();
  for (const input of Object.keys(output.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    if (m) packages.add(m[1]);
  }
  packagesOf[relative(outdir, `${root}${file}`)] = [...packages].sort();
}
writeFileSync(`${outdir}/packages.json`, `${JSON.stringify(packagesOf, null, 2)}\n`);
