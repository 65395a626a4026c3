/**
 * The manifest (and the schema files it `$ref`s) as committed at a git ref, built into an
 * AppModel without touching the working tree: every read is `git show <ref>:<path>`.
 */
import { execFileSync } from 'node:child_process';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { buildAppModel } from '../app/build.ts';
import type { AppModel } from '../app/model.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { parseManifest } from '../manifest/load-manifest.ts';

/** A problem with the ref or the repository: the CLI prints it on one line and exits 2. */
export class RefError extends Error {}

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}

export function loadAppAtRef(manifestPath: string, ref: string): AppModel {
  const abs = resolve(manifestPath);
  const dir = resolve(abs, '..');
  const top = git(dir, ['rev-parse', '--show-toplevel'])?.trim();
  if (!top) throw new RefError(`${dir} is not inside a git repository, so there is no ref to compare with`);
  if (ref.startsWith('-') || git(top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]) === undefined) {
    throw new RefError(`git ref "${ref}" does not exist`);
  }
  const inRepo = (p: string) => {
    const rel = relative(top, p);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : undefined;
  };
  const manifestRel = inRepo(abs);
  if (!manifestRel) throw new RefError(`${abs} is not inside the git repository ${top}`);
  const text = git(top, ['show', `${ref}:${manifestRel}`]);
  if (text === undefined) throw new RefError(`${manifestRel} does not exist at ${ref}`);
  const loaded = parseManifest(text, abs, (p) => {
    const rel = inRepo(isAbsolute(p) ? p : resolve(dir, p));
    return rel ? git(top, ['show', `${ref}:${rel}`]) : undefined;
  });
  if (!loaded.manifest || hasErrors(loaded.diagnostics)) {
    const first = loaded.diagnostics.find((d) => d.severity === 'error');
    throw new RefError(`the manifest at ${ref}:${manifestRel} does not load (${first ? `${first.code} ${first.message}` : 'invalid'})`);
  }
  const built = buildAppModel(loaded.manifest);
  if (!built.model || hasErrors(built.diagnostics)) {
    const first = built.diagnostics.find((d) => d.severity === 'error');
    throw new RefError(`the manifest at ${ref}:${manifestRel} does not build (${first ? `${first.code} ${first.message}` : 'invalid'})`);
  }
  return built.model;
}
