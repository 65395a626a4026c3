/**
 * The spec source order, appended to the `--help` of every command that reads an MCP schema, so
 * a first run without network or mirror is not a surprise (docs/cli.md "Spec source").
 */
import type { Command } from 'commander';

export const SPEC_SOURCE_HELP = `
Spec source (the MCP schema.json of the revision; first hit wins):
  1. --schema FILE          where the command has it
  2. the cache              $MCP_GEN_CACHE_DIR/spec/<rev>/schema.json (default ~/.cache/mcp-gen)
  3. MCP_GEN_SPEC_MIRROR    a directory (or http(s) base URL) laid out like <rev>/schema.json
  4. the pinned upstream    downloaded once from GitHub, sha256-verified, then cached
Offline? Set MCP_GEN_SPEC_MIRROR to a local copy of the spec repository's schema directory, or run
\`mcp-gen spec pull <rev>\` once while online.`;

/** Commands (by path) that load a spec revision. */
const SPEC_READERS = [['init'], ['generate'], ['upgrade'], ['spec', 'pull'], ['spec', 'show'], ['spec', 'diff'], ['inspect', 'protocol']];

export function addSpecSourceHelp(program: Command): void {
  for (const path of SPEC_READERS) {
    let cmd: Command | undefined = program;
    for (const name of path) cmd = cmd?.commands.find((c) => c.name() === name);
    cmd?.addHelpText('after', SPEC_SOURCE_HELP);
  }
}
