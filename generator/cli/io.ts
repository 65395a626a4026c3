/** Where CLI commands print; injectable so tests can run main() in-process. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const processIO: CliIO = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  env: process.env,
  cwd: process.cwd(),
};

/** Exit codes (DESIGN.md §6), documented in docs/cli.md. */
export const EXIT = { ok: 0, diagnostics: 1, usage: 2 } as const;
