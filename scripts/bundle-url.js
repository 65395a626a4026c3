// Injected into dist/bundle/mcp-gen.cjs by scripts/bundle-cli.mjs: what `import.meta.url` stands for
// in the bundle (a CommonJS script), the bundle's own file URL. `require` and `__filename` are the
// CommonJS wrapper's (generator/launch/bundle-runner.ts).
export const __mcpGenBundleUrl = require('node:url').pathToFileURL(__filename).href;
