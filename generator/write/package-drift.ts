/**
 * package.json is user-owned: written once by init, never regenerated. So a manifest that starts
 * needing a package later (`auth:` → jose, `state.backend: redis` → redis, `apps:` → esbuild and
 * the ext-apps bundle) would leave the project unable to build or start, and the first sign would
 * be a runtime or tsc error far from the cause. Instead, generate compares the package.json it
 * would write today with the user's and warns (MG5011) with the exact `npm install` to run.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { FinalFile } from '../format/format.ts';

interface PackageLists {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/**
 * devDependencies the generated build runs (the apps bundler and what it bundles, the compiler).
 * Test tooling (vitest, tsx, vite) is left out: a team may run its tests otherwise.
 */
const BUILD_DEV_DEPENDENCIES = new Set(['typescript', 'esbuild', '@modelcontextprotocol/ext-apps', '@modelcontextprotocol/client']);

function parseLists(text: string): PackageLists | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as PackageLists) : undefined;
  } catch {
    return undefined; // not ours to judge: npm will say what is wrong with it
  }
}

/** What `wanted` (this generator's package.json) needs that `have` (the user's) lists nowhere. */
export function missingPackages(wanted: PackageLists, have: PackageLists): { runtime: string[]; dev: string[] } {
  const listed = (name: string) => Boolean(have.dependencies?.[name] ?? have.devDependencies?.[name]);
  const spec = (name: string, version: string) => `${name}@${version}`;
  const runtime = Object.entries(wanted.dependencies ?? {}).filter(([n]) => !listed(n)).map(([n, v]) => spec(n, v));
  const dev = Object.entries(wanted.devDependencies ?? {}).filter(([n]) => BUILD_DEV_DEPENDENCIES.has(n) && !listed(n)).map(([n, v]) => spec(n, v));
  return { runtime: runtime.sort(), dev: dev.sort() };
}

/** MG5011 warnings for the project at `outDir`; none when it has no package.json yet or an unreadable one. */
export async function packageDrift(outDir: string, files: readonly FinalFile[]): Promise<Diagnostic[]> {
  const planned = files.find((f) => f.path === 'package.json' && f.owner === 'user');
  if (!planned) return [];
  let current: string;
  try {
    current = await readFile(join(outDir, 'package.json'), 'utf8');
  } catch {
    return []; // the run creates it (or the directory is not a project yet)
  }
  const wanted = parseLists(planned.content), have = parseLists(current);
  if (!wanted || !have) return [];
  const { runtime, dev } = missingPackages(wanted, have);
  const out: Diagnostic[] = [];
  if (runtime.length)
    out.push(diag('MG5011', `package.json does not list ${runtime.join(', ')}, which the generated server or client imports at run time`, { severity: 'warning', help: `npm install --save-exact ${runtime.join(' ')}` }));
  if (dev.length)
    out.push(diag('MG5011', `package.json does not list ${dev.join(', ')}, which \`npm run build\` needs`, { severity: 'warning', help: `npm install --save-dev --save-exact ${dev.join(' ')}` }));
  return out;
}
