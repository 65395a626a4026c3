/**
 * The `mcp-gen` devDependency `init` writes into a new project, so that the project's
 * `npx --no-install mcp-gen generate --check` runs the generator version that wrote its files.
 *
 * Order: `--generator-spec` › `MCP_GEN_GENERATOR_SPEC` › how this mcp-gen was installed:
 * - from the registry: the exact version (`"0.1.0"`);
 * - from a tarball (`npm install ./mcp-gen-0.1.0.tgz`, `npx ./mcp-gen-0.1.0.tgz`): `file:` to that
 *   tarball, read from the installing tree's lockfile;
 * - from a checkout: `file:` to the checkout (npm links it; the checkout must stay built).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { GENERATOR_VERSION, PACKAGE_ROOT } from './paths.ts';

export type GeneratorSpecOrigin = 'flag' | 'env' | 'registry' | 'tarball' | 'checkout';

export interface GeneratorSpec {
  /** The value for `devDependencies["mcp-gen"]`. */
  spec: string;
  origin: GeneratorSpecOrigin;
}

/** A local path (relative to cwd) or `file:` spec made absolute: the project lives elsewhere. */
export function absolutizeSpec(spec: string, cwd: string): string {
  const local = spec.startsWith('file:') ? spec.slice('file:'.length) : /^(\.{1,2}[\\/]|\/)|\.tgz$/.test(spec) ? spec : undefined;
  if (local === undefined) return spec;
  return `file:${isAbsolute(local) ? local : resolve(cwd, local)}`;
}

interface LockEntry {
  version?: string;
  resolved?: string;
}

/** The `resolved` of this package in the lockfile of the tree that installed it, if any. */
function installedFrom(packageRoot: string): LockEntry | undefined {
  const nodeModules = dirname(packageRoot);
  if (basename(nodeModules) !== 'node_modules') return undefined;
  const treeRoot = dirname(nodeModules);
  const key = relative(treeRoot, packageRoot).split(sep).join('/');
  for (const lockPath of [join(nodeModules, '.package-lock.json'), join(treeRoot, 'package-lock.json'), join(treeRoot, 'npm-shrinkwrap.json')]) {
    if (!existsSync(lockPath)) continue;
    try {
      const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { packages?: Record<string, LockEntry> };
      const entry = lock.packages?.[key];
      if (entry) return entry;
    } catch {
      /* an unreadable lockfile only costs the tarball path */
    }
  }
  return {};
}

export function resolveGeneratorSpec(opts: { flag?: string; env?: NodeJS.ProcessEnv; cwd: string; packageRoot?: string }): GeneratorSpec {
  if (opts.flag) return { spec: absolutizeSpec(opts.flag, opts.cwd), origin: 'flag' };
  const fromEnv = opts.env?.MCP_GEN_GENERATOR_SPEC;
  if (fromEnv) return { spec: absolutizeSpec(fromEnv, opts.cwd), origin: 'env' };
  const root = opts.packageRoot ?? PACKAGE_ROOT;
  const installed = installedFrom(root);
  if (!installed) return { spec: `file:${root}`, origin: 'checkout' };
  if (installed.resolved?.startsWith('file:')) {
    // Lockfile paths are relative to the tree that installed the package.
    const treeRoot = dirname(dirname(root));
    return { spec: absolutizeSpec(installed.resolved, treeRoot), origin: 'tarball' };
  }
  return { spec: GENERATOR_VERSION, origin: 'registry' };
}
