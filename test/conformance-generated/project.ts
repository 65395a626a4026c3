/**
 * Shared steps for the generated conformance project: copy test/fixtures/conformance (manifest +
 * user-owned handlers + data) into test/tmp/conformance-<pid> (inside the repo, so `zod` and
 * `typescript` resolve from the repo's node_modules), generate it with `generateProject`,
 * type-check it with the repo's tsc, and start its server in a child process.
 *
 * Used by run.ts (the official conformance suite) and generated-project.test.ts (vitest).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderDiagnostics, type Diagnostic } from '../../generator/diagnostics/diagnostic.ts';
import { generateProject } from '../../generator/project.ts';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const fixtureDir = join(repoRoot, 'test/fixtures/conformance');

export interface GeneratedProject {
  dir: string;
  /** Manifest warnings, rendered (e.g. MG4003 for the root `allOf` of json_schema_2020_12_tool). */
  warnings: string;
  warningList: Diagnostic[];
  remove(): void;
}

/** Copies the fixture to `test/tmp/<name>` (default `conformance-<pid>`) and generates the project there. */
export async function prepareGeneratedProject(name = `conformance-${process.pid}`): Promise<GeneratedProject> {
  const dir = join(repoRoot, 'test/tmp', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  // The fixture holds only sources; anything generated that strays into it is not copied.
  cpSync(fixtureDir, dir, {
    recursive: true,
    filter: (src) => !/[\\/](src[\\/]generated|node_modules|dist|\.mcp-gen)([\\/]|$)/.test(src.slice(fixtureDir.length)),
  });
  const env = { ...process.env, MCP_GEN_SPEC_MIRROR: process.env.MCP_GEN_SPEC_MIRROR ?? resolve(repoRoot, '../shared/spec') };
  const result = await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env } });
  const notStubbed = result.report.actions.filter((a) => a.path.startsWith('src/handlers/') && a.action !== 'keep-user');
  if (notStubbed.length > 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `the fixture lacks handler files the manifest needs (the generator wrote stubs): ${notStubbed.map((a) => a.path).join(', ')}`,
    );
  }
  return {
    dir,
    warnings: result.warnings.length ? renderDiagnostics(result.warnings, result.sources) : '',
    warningList: result.warnings,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface TypecheckResult {
  ok: boolean;
  output: string;
}

/** `node node_modules/typescript/bin/tsc -p <dir>/tsconfig.json --noEmit` with the repo's TypeScript. */
export function typecheck(dir: string): Promise<TypecheckResult> {
  const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
  return new Promise((resolveResult, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--noEmit'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolveResult({ ok: code === 0, output: output.trim() }));
  });
}

export interface RunningServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `node --import tsx test/conformance-generated/serve.ts <dir>` (the generated project's
 * `createServer()` on 127.0.0.1, port 0) and resolves with the URL it announces on stdout.
 */
export function startGeneratedServer(dir: string, env: NodeJS.ProcessEnv = {}): Promise<RunningServer> {
  const serve = join(repoRoot, 'test/conformance-generated/serve.ts');
  if (!existsSync(join(dir, 'src/generated/server.ts'))) throw new Error(`${dir} has no src/generated/server.ts`);
  const child = spawn(process.execPath, ['--import', 'tsx', serve, dir], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (process.env.MCP_CONFORMANCE_SERVER_LOG) process.stderr.write(chunk);
  });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };
  return new Promise((resolveServer, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`generated server did not start within 30 s\n${stderr}`));
    }, 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^listening (\S+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolveServer({ url: match[1], child, stop });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`generated server exited early (${signal ?? code})\n${stderr}`));
    });
  });
}
