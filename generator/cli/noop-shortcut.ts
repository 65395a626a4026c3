/**
 * The no-op shortcut's answer (generator/incremental/noop-stamp.ts: nothing changed since a settled
 * run → that run's report): shared by `generate` (project-generate.ts) and the launcher, which
 * answers a project's npm scripts before it reads the bundle (generator/launch/launcher-noop.ts).
 * Imports nothing heavy: the launcher loads it on every `generate`.
 */
import { dirname, resolve } from 'node:path';
import { provenNoop, type StampKeyInput } from '../incremental/noop-stamp.ts';
import type { CliIO } from './io.ts';

/** The `generate` options the stamp's key is made of. */
export interface NoopKeyFlags {
  manifest?: string;
  out?: string;
  spec?: string;
  schema?: string;
  clientOnly?: boolean;
}

export function stampKeyFor(cwd: string, flags: NoopKeyFlags): StampKeyInput {
  const manifestPath = resolve(cwd, flags.manifest ?? 'mcp-gen.yaml');
  return {
    manifestPath,
    outDir: flags.out ? resolve(cwd, flags.out) : dirname(manifestPath),
    revision: flags.spec,
    schemaFile: flags.schema ? resolve(cwd, flags.schema) : undefined,
    clientOnly: flags.clientOnly,
  };
}

/** Prints the settled run's report when the stamp proves nothing changed; false: there is work to do (or no proof). */
export async function answerNoop(io: CliIO, key: StampKeyInput, mode: 'write' | 'check'): Promise<boolean> {
  const noop = await provenNoop(key);
  if (!noop) return false;
  if (noop.warnings) io.err(noop.warnings);
  io.out(mode === 'check' ? 'generated files are up to date' : `0 file(s) changed, ${noop.actions} unchanged or user-owned`);
  return true;
}
