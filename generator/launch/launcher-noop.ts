/**
 * The launcher's own no-op shortcut, for exactly the two invocations a generated project's npm
 * scripts make: `mcp-gen generate` and `mcp-gen generate --check`. When the no-op stamp proves that
 * nothing changed, they are answered here, before the bundle is read and hashed, its code cache
 * deserialized and commander started. Any other argument list, and any run the stamp does not prove,
 * goes through the CLI as before, whose parser owns every option.
 */
import { processIO } from '../cli/io.ts';
import { answerNoop, stampKeyFor } from '../cli/noop-shortcut.ts';
import { assumeBundledCode } from '../incremental/noop-stamp.ts';

export function launcherNoopMode(args: readonly string[]): 'write' | 'check' | undefined {
  if (args[0] !== 'generate') return undefined;
  if (args.length === 1) return 'write';
  return args.length === 2 && args[1] === '--check' ? 'check' : undefined;
}

/** True when the run was answered here; `bundle`: the script the CLI would run, whose build the stamp names. */
export async function launcherNoop(bundle: string, args: readonly string[]): Promise<boolean> {
  const mode = launcherNoopMode(args);
  if (!mode) return false;
  assumeBundledCode(bundle);
  return answerNoop(processIO, stampKeyFor(processIO.cwd, {}), mode);
}
