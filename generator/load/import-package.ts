/**
 * `import()` of an installed package (prettier, json-schema-to-typescript), through the launcher's
 * own `import()` when it gave one. Why: bin/mcp-gen.js runs the bundle (dist/bundle/mcp-gen.cjs)
 * through `vm.Script` with V8 cached data (generator/launch/bundle-runner.ts), and Node 20 drops a
 * script's dynamic-import callback when its code comes from cached data: a plain `import()` in the
 * bundle then throws "A dynamic import callback was not specified".
 */
type Importer = (specifier: string) => Promise<unknown>;

let launcherImport: Importer | undefined;

/** Called once by the launcher, before the CLI runs. */
export function useImporter(importer: Importer): void {
  launcherImport = importer;
}

export function importPackage<T>(specifier: 'prettier' | 'json-schema-to-typescript'): Promise<T> {
  return (launcherImport ? launcherImport(specifier) : import(specifier)) as Promise<T>;
}
