import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../generator/cli/main.ts';
import type { Command } from 'commander';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/env.ts';

function allCommands(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands.flatMap((c) => [[...prefix, c.name()], ...allCommands(c, [...prefix, c.name()])]);
}

describe('cli', () => {
  it('every command\'s --help shows an example and exits 0', async () => {
    const program = buildProgram({ out() {}, err() {}, env: {}, cwd: '.' }, () => {});
    const paths = [[], ...allCommands(program)];
    expect(paths.length).toBeGreaterThan(6);
    for (const path of paths) {
      const r = await runCli([...path, '--help']);
      expect(r.code, path.join(' ')).toBe(0);
      expect(r.stdout, path.join(' ')).toMatch(/Example/);
    }
  });

  it('usage errors exit 2', async () => {
    expect((await runCli(['no-such-command'])).code).toBe(2);
    expect((await runCli([])).code).toBe(2);
    expect((await runCli(['spec'])).code).toBe(2);
    expect((await runCli(['spec', 'show'])).code).toBe(2);
    expect((await runCli(['generate', '--protocol-only', '--spec', '2026-07-28'])).code).toBe(2);
  });

  it('bad input exits 1 with a one-line error and a hint', async () => {
    const r = await runCli(['spec', 'show', '1999-01-01']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error MG1001 unknown spec revision "1999-01-01"\n  help: known revisions: 2026-07-28, 2025-11-25/);
  });

  it('spec list / show / diff', async () => {
    const list = await runCli(['spec', 'list', '--json']);
    expect(JSON.parse(list.stdout).map((r: { revision: string }) => r.revision)).toEqual(['2026-07-28', '2025-11-25']);
    const show = await runCli(['spec', 'show', '2026-07-28']);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/tools\/call\s+request\s+client->server\s+jsonrpc\s+CallToolRequestParams\s+InputRequiredResult \| CallToolResult\s+server:tools/);
    expect(show.stdout).toContain('-32022  UnsupportedProtocolVersionError');
    const json = JSON.parse((await runCli(['inspect', 'protocol', '--spec', '2025-11-25', '--json'])).stdout);
    expect(json.era).toBe('session');
    const diff = await runCli(['spec', 'diff', '2025-11-25', '2026-07-28', '--json']);
    expect(JSON.parse(diff.stdout).methods.added).toContain('server/discover');
  });

  it('generate --check exits 1 when stale and 0 when fresh', async () => {
    const out = tempDir();
    const args = ['generate', '--protocol-only', '--spec', '2026-07-28', '--out', out];
    expect((await runCli([...args, '--check'])).code).toBe(1);
    const first = await runCli(args);
    expect(first.code).toBe(0);
    const check = await runCli([...args, '--check']);
    expect(check.stdout).toContain('up to date');
    expect(check.code).toBe(0);
    const dry = await runCli([...args, '--dry-run']);
    expect(dry.stdout).toContain('nothing written');
  });
});
