import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticError } from '../../generator/diagnostics/diagnostic.ts';
import type { EmittedFile } from '../../generator/emit/artifact.ts';
import { bodyHash, headerVerdict } from '../../generator/emit/header.ts';
import { formatFile, type FinalFile } from '../../generator/format/format.ts';
import { settleInterruptedCommits, STAGING_PREFIX } from '../../generator/write/commit.ts';
import { FILE_STAMPS_PATH } from '../../generator/write/file-stamps.ts';
import { LOCK_FILE } from '../../generator/write/lockfile.ts';
import { writeOutput, type WriteRequest } from '../../generator/write/write-output.ts';
import { tempDir } from '../helpers/env.ts';

const lock = { generator: { name: 'mcp-gen' as const, version: 't' }, spec: { revision: 'r', sha256: 'x' } };

function req(outDir: string, files: FinalFile[], extra: Partial<WriteRequest> = {}): WriteRequest {
  // Stat stamps on, as `mcp-gen generate` runs the writer (test/unit/write-stamps.test.ts covers them).
  return { outDir, files, deletableRoots: ['gen'], lock, mode: 'write', stamps: true, ...extra };
}
const gen = (path: string, content: string): FinalFile => ({ path, owner: 'generated', content });
const user = (path: string, content: string): FinalFile => ({ path, owner: 'user', content });

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (rel === FILE_STAMPS_PATH) continue; // a cache, no output
      if (e.isDirectory()) walk(join(d, e.name), rel);
      else out[rel] = readFileSync(join(d, e.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

describe('writer', () => {
  it('writes generated and user files and a lock ledger; a second run changes nothing', async () => {
    const dir = tempDir();
    const files = [gen('gen/a.ts', 'A\n'), gen('gen/sub/b.ts', 'B\n'), user('src/h.ts', 'stub\n')];
    const r1 = await writeOutput(req(dir, files));
    expect(r1.actions.filter((a) => a.action === 'create').map((a) => a.path).sort()).toEqual(['gen/a.ts', 'gen/sub/b.ts', LOCK_FILE, 'src/h.ts']);
    const lockJson = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'));
    expect(Object.keys(lockJson.files)).toEqual(['gen/a.ts', 'gen/sub/b.ts']);
    const before = snapshot(dir);
    const r2 = await writeOutput(req(dir, files));
    expect(r2.actions.every((a) => a.action === 'unchanged' || a.action === 'keep-user')).toBe(true);
    expect(snapshot(dir)).toEqual(before);
  });

  it('never overwrites a user-owned file', async () => {
    const dir = tempDir();
    await writeOutput(req(dir, [user('src/h.ts', 'stub\n')]));
    writeFileSync(join(dir, 'src/h.ts'), 'my code\n');
    await writeOutput(req(dir, [user('src/h.ts', 'new stub\n')]));
    expect(readFileSync(join(dir, 'src/h.ts'), 'utf8')).toBe('my code\n');
  });

  it('deletes stale generated files only when the ledger lists them and only inside deletable roots', async () => {
    const dir = tempDir();
    await writeOutput(req(dir, [gen('gen/a.ts', 'A\n'), gen('gen/old.ts', 'O\n'), gen('other/x.ts', 'X\n')]));
    writeFileSync(join(dir, 'gen/mine.ts'), 'user put this here\n');
    const r = await writeOutput(req(dir, [gen('gen/a.ts', 'A\n')]));
    expect(existsSync(join(dir, 'gen/old.ts'))).toBe(false);
    expect(existsSync(join(dir, 'gen/mine.ts'))).toBe(true);
    expect(existsSync(join(dir, 'other/x.ts'))).toBe(true);
    expect(r.actions.find((a) => a.path === 'gen/old.ts')?.action).toBe('delete');
  });

  it('warns before replacing a hand-edited generated file', async () => {
    const dir = tempDir();
    await writeOutput(req(dir, [gen('gen/a.ts', 'A\n')]));
    writeFileSync(join(dir, 'gen/a.ts'), 'A edited\n');
    const r = await writeOutput(req(dir, [gen('gen/a.ts', 'A\n')]));
    expect(r.warnings.map((w) => w.code)).toEqual(['MG5002']);
    expect(r.warnings[0]!.message).toContain('gen/a.ts');
    expect(readFileSync(join(dir, 'gen/a.ts'), 'utf8')).toBe('A\n');
  });

  it('check mode lists stale files and writes nothing', async () => {
    const dir = tempDir();
    await writeOutput(req(dir, [gen('gen/a.ts', 'A\n')]));
    const before = snapshot(dir);
    const r = await writeOutput(req(dir, [gen('gen/a.ts', 'A2\n'), gen('gen/new.ts', 'N\n')], { mode: 'check' }));
    expect(r.stale.sort()).toEqual(['gen/a.ts', 'gen/new.ts', LOCK_FILE]);
    expect(snapshot(dir)).toEqual(before);
    const clean = await writeOutput(req(dir, [gen('gen/a.ts', 'A\n')], { mode: 'check' }));
    expect(clean.stale).toEqual([]);
  });

  it('dry-run writes nothing', async () => {
    const dir = tempDir();
    await writeOutput(req(dir, [gen('gen/a.ts', 'A\n')], { mode: 'dry-run' }));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a failure in the middle of committing leaves the previous output intact', async () => {
    const dir = tempDir();
    await writeOutput(req(dir, [gen('gen/a.ts', 'A\n'), gen('gen/b.ts', 'B\n'), gen('gen/c.ts', 'C\n'), user('src/h.ts', 'stub\n')]));
    const before = snapshot(dir);
    for (const failAt of [0, 1, 2, 3, 4]) {
      const attempt = writeOutput(
        req(dir, [gen('gen/a.ts', 'A2\n'), gen('gen/b.ts', 'B2\n'), gen('gen/d.ts', 'D\n'), user('src/h2.ts', 'x\n')], {
          beforeCommitStep: (i) => {
            if (i === failAt) throw new Error('injected failure');
          },
        }),
      );
      await expect(attempt).rejects.toBeInstanceOf(DiagnosticError);
      expect(snapshot(dir)).toEqual(before);
    }
  });

  it('removes staging dirs a crashed run left behind', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.mcp-gen-staging-deadbeef', 'new'), { recursive: true });
    await writeOutput(req(dir, [gen('gen/a.ts', 'A\n')]));
    expect(readdirSync(dir).filter((n) => n.startsWith('.mcp-gen-staging-'))).toEqual([]);
  });

  it('check mode reports a lock that is stale while every file is current', async () => {
    const dir = tempDir();
    await writeOutput(req(dir, [gen('gen/a.ts', 'A\n')]));
    const r = await writeOutput(req(dir, [gen('gen/a.ts', 'A\n')], { mode: 'check', lock: { ...lock, spec: { revision: 'r2', sha256: 'y' } } }));
    expect(r.stale).toEqual([LOCK_FILE]);
    writeFileSync(join(dir, LOCK_FILE), '{ corrupt');
    expect((await writeOutput(req(dir, [gen('gen/a.ts', 'A\n')], { mode: 'check' }))).stale).toEqual([LOCK_FILE]);
  });

  it('a kill at any commit step is finished by the next run: forward after the commit point, or undone', async () => {
    const dir = tempDir();
    const oldFiles = [gen('gen/a.ts', 'A\n'), gen('gen/b.ts', 'B\n'), gen('gen/gone.ts', 'G\n'), user('src/h.ts', 'stub\n')];
    const newFiles = [gen('gen/a.ts', 'A2\n'), gen('gen/b.ts', 'B2\n'), gen('gen/sub/new.ts', 'N\n'), user('src/h.ts', 'stub\n'), user('src/h2.ts', 'stub 2\n')];
    await writeOutput(req(dir, oldFiles));
    const before = snapshot(dir);
    // The disk as a SIGKILL before each step would leave it (staging dir and journal included).
    const frozen: string[] = [];
    await writeOutput(
      req(dir, newFiles, {
        beforeCommitStep: () => {
          const copy = tempDir();
          cpSync(dir, copy, { recursive: true });
          frozen.push(copy);
        },
      }),
    );
    const after = snapshot(dir);
    expect(frozen.length).toBe(6); // 2 updates, 1 create, 1 delete, 1 user file, the lock
    for (const [step, copy] of frozen.entries()) {
      const staging = readdirSync(copy).filter((n) => n.startsWith(STAGING_PREFIX));
      expect(staging.length, `step ${step}`).toBe(1);
      // Killed while undoing a failed commit: the journal says so, and the undo is finished.
      const undoing = tempDir();
      cpSync(copy, undoing, { recursive: true });
      const journalPath = join(undoing, staging[0]!, 'journal.json');
      writeFileSync(journalPath, JSON.stringify({ ...JSON.parse(readFileSync(journalPath, 'utf8')), state: 'rollback' }));
      expect(await settleInterruptedCommits(undoing)).toMatchObject({ rolledBack: 1 });
      expect(snapshot(undoing), `undo from step ${step}`).toEqual(before);
      // Killed while applying: the next run rolls forward, then finds nothing left to do.
      const r = await writeOutput(req(copy, newFiles));
      expect(r.warnings.map((w) => w.code)).toEqual(['MG5003']);
      expect(snapshot(copy), `forward from step ${step}`).toEqual(after);
    }
  });

  it('a journal of the earlier layout (staged files under new/<path>) is still finished, forward or back', async () => {
    for (const state of ['apply', 'rollback'] as const) {
      const dir = tempDir();
      await writeOutput(req(dir, [gen('gen/a.ts', 'A\n'), gen('gen/gone.ts', 'G\n')]));
      const before = snapshot(dir);
      // As an earlier mcp-gen left it when killed after the commit point: a.ts already moved to backup/.
      const staging = join(dir, `${STAGING_PREFIX}0ld`);
      mkdirSync(join(staging, 'new', 'gen', 'sub'), { recursive: true });
      mkdirSync(join(staging, 'backup', 'gen'), { recursive: true });
      writeFileSync(join(staging, 'new', 'gen', 'a.ts'), 'A2\n');
      writeFileSync(join(staging, 'new', 'gen', 'sub', 'n.ts'), 'N\n');
      cpSync(join(dir, 'gen', 'a.ts'), join(staging, 'backup', 'gen', 'a.ts'));
      rmSync(join(dir, 'gen', 'a.ts'));
      const entries = [
        { path: 'gen/a.ts', op: 'put' },
        { path: 'gen/sub/n.ts', op: 'put' },
        { path: 'gen/gone.ts', op: 'delete' },
      ];
      writeFileSync(join(staging, 'journal.json'), JSON.stringify({ state, entries }));
      await settleInterruptedCommits(dir);
      const settled = snapshot(dir);
      if (state === 'rollback') expect(settled).toEqual(before);
      else {
        expect(settled['gen/a.ts']).toBe('A2\n');
        expect(settled['gen/sub/n.ts']).toBe('N\n');
        expect(settled['gen/gone.ts']).toBeUndefined();
      }
      expect(readdirSync(dir).filter((n) => n.startsWith(STAGING_PREFIX))).toEqual([]);
    }
  });

  it('a roll-forward never replaces a user-owned file created after the kill', async () => {
    const dir = tempDir();
    let copy = '';
    await writeOutput(
      req(dir, [gen('gen/a.ts', 'A\n'), user('src/h.ts', 'stub\n')], {
        beforeCommitStep: (i) => {
          if (i !== 0) return;
          copy = tempDir();
          cpSync(dir, copy, { recursive: true });
        },
      }),
    );
    mkdirSync(join(copy, 'src'), { recursive: true });
    writeFileSync(join(copy, 'src/h.ts'), 'written by hand meanwhile\n');
    await settleInterruptedCommits(copy);
    expect(readFileSync(join(copy, 'src/h.ts'), 'utf8')).toBe('written by hand meanwhile\n');
    expect(readFileSync(join(copy, 'gen/a.ts'), 'utf8')).toBe('A\n');
  });

  it('check mode flags an interrupted commit without touching it', async () => {
    const dir = tempDir();
    await writeOutput(req(dir, [gen('gen/a.ts', 'A\n')]));
    mkdirSync(join(dir, `${STAGING_PREFIX}0123`, 'new'), { recursive: true });
    const r = await writeOutput(req(dir, [gen('gen/a.ts', 'A\n')], { mode: 'check' }));
    expect(r.stale).toEqual([`${STAGING_PREFIX}0123/`]);
    expect(existsSync(join(dir, `${STAGING_PREFIX}0123`))).toBe(true);
  });

  it('refuses paths outside the output root', async () => {
    const dir = tempDir();
    await expect(writeOutput(req(dir, [gen('../escape.ts', 'x')]))).rejects.toThrow(/outside the output root/);
    mkdirSync(join(dir, 'gen'), { recursive: true });
    await expect(writeOutput(req(dir, [gen('/abs.ts', 'x')]))).rejects.toThrow(/outside the output root/);
  });
});

describe('writer without a usable lock', () => {
  const header = { revision: 'r', sha256: 'x'.repeat(64), command: 'mcp-gen generate' };
  const generated = async (path: string, body: string) => formatFile({ path, owner: 'generated', language: 'typescript', content: body, verbatim: true } as EmittedFile, header);

  for (const broken of ['missing', 'corrupt'] as const) {
    it(`keeps a hand-edited generated file when the lock is ${broken}, and warns`, async () => {
      const dir = tempDir();
      const v1 = [await generated('gen/a.ts', 'export const a = 1;\n'), await generated('gen/b.ts', 'export const b = 1;\n')];
      await writeOutput(req(dir, v1));
      const edited = readFileSync(join(dir, 'gen/a.ts'), 'utf8').replace('= 1', '= 42 // mine');
      writeFileSync(join(dir, 'gen/a.ts'), edited);
      if (broken === 'missing') rmSync(join(dir, LOCK_FILE));
      else writeFileSync(join(dir, LOCK_FILE), '{"lockfileVersion": 1, "files": ');
      const v2 = [await generated('gen/a.ts', 'export const a = 2;\n'), await generated('gen/b.ts', 'export const b = 2;\n')];
      const check = await writeOutput(req(dir, v2, { mode: 'check' }));
      expect(check.stale).toContain('gen/a.ts');
      const r = await writeOutput(req(dir, v2));
      // The edit survives; the untouched file is regenerated (its header proves it was not edited).
      expect(readFileSync(join(dir, 'gen/a.ts'), 'utf8')).toBe(edited);
      expect(readFileSync(join(dir, 'gen/b.ts'), 'utf8')).toBe(v2[1]!.content);
      expect(r.warnings.map((w) => `${w.code} ${w.message}`)).toEqual([expect.stringMatching(/^MG5002 gen\/a\.ts was edited by hand .*kept/)]);
      expect(r.actions.find((a) => a.path === 'gen/a.ts')?.action).toBe('keep-edited');
      // Left out of the new ledger, so the next run judges it by its header again instead of replacing it.
      const again = await writeOutput(req(dir, v2));
      expect(readFileSync(join(dir, 'gen/a.ts'), 'utf8')).toBe(edited);
      expect(again.warnings.map((w) => w.code)).toEqual(['MG5002']);
      // --force is the way to take the regenerated file.
      await writeOutput(req(dir, v2, { force: true }));
      expect(readFileSync(join(dir, 'gen/a.ts'), 'utf8')).toBe(v2[0]!.content);
    });
  }

  it('keeps a header without a body hash (an older mcp-gen) rather than guess', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'gen'), { recursive: true });
    writeFileSync(join(dir, 'gen/a.ts'), '// @generated by mcp-gen 0.0.9 from MCP r (sha256:x) via `mcp-gen generate`. Do not edit.\nexport const a = 1;\n');
    const r = await writeOutput(req(dir, [await generated('gen/a.ts', 'export const a = 2;\n')]));
    expect(r.warnings.map((w) => w.message)).toEqual([expect.stringContaining('no body hash')]);
    expect(readFileSync(join(dir, 'gen/a.ts'), 'utf8')).toContain('a = 1');
  });

  it('the header hash covers every byte below it', () => {
    const text = `// @generated by mcp-gen t from MCP r (sha256:x) via \`g\`; body sha256:${bodyHash('x\n')}. Do not edit.\nx\n`;
    expect(headerVerdict(text)).toBe('pristine');
    expect(headerVerdict(text.replace(/x\n$/, 'x \n'))).toBe('edited');
    expect(headerVerdict(`${text}\n`)).toBe('edited');
    expect(headerVerdict('x\n')).toBe('foreign');
  });
});

describe('writer safety', () => {
  it('refuses a foreign file at a generated path (MG5007) unless forced', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'gen'), { recursive: true });
    writeFileSync(join(dir, 'gen/a.ts'), '// my own work\n');
    await expect(writeOutput(req(dir, [gen('gen/a.ts', '// @generated by mcp-gen x\nA\n')]))).rejects.toThrow(/MG5007/);
    expect(readFileSync(join(dir, 'gen/a.ts'), 'utf8')).toBe('// my own work\n');
    await writeOutput(req(dir, [gen('gen/a.ts', '// @generated by mcp-gen x\nA\n')], { force: true }));
    expect(readFileSync(join(dir, 'gen/a.ts'), 'utf8')).toContain('@generated');
  });

  it('keeps a stale generated file that was edited by hand, with a warning', async () => {
    const dir = tempDir();
    await writeOutput(req(dir, [gen('gen/a.ts', 'A\n'), gen('gen/old.ts', 'O\n')]));
    writeFileSync(join(dir, 'gen/old.ts'), 'O plus my edit\n');
    const r = await writeOutput(req(dir, [gen('gen/a.ts', 'A\n')]));
    expect(readFileSync(join(dir, 'gen/old.ts'), 'utf8')).toBe('O plus my edit\n');
    expect(r.warnings.map((w) => w.code)).toEqual(['MG5002']);
  });

  it('never writes or deletes through a symbolic link out of the root', async () => {
    const dir = tempDir();
    const victim = tempDir();
    writeFileSync(join(victim, 'file.txt'), 'precious\n');
    symlinkSync(victim, join(dir, 'gen'));
    await expect(writeOutput(req(dir, [gen('gen/file.txt', 'X\n')]))).rejects.toThrow(/MG5005/);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ lockfileVersion: 1, generator: lock.generator, spec: lock.spec, files: { 'gen/file.txt': '0' } }));
    await expect(writeOutput(req(dir, []))).rejects.toThrow(/MG5005/);
    expect(readFileSync(join(victim, 'file.txt'), 'utf8')).toBe('precious\n');
  });

  it('writes into an output directory that does not exist yet, nested several levels deep', async () => {
    const dir = join(tempDir(), 'new', 'project');
    const r = await writeOutput(req(dir, [gen('gen/deep/a.ts', 'A\n'), user('src/h.ts', 'stub\n')]));
    expect(r.actions.map((a) => a.action)).toEqual(['create', 'create', 'create']);
    expect(readFileSync(join(dir, 'gen/deep/a.ts'), 'utf8')).toBe('A\n');
  });

  it('writes into a directory reached through a symlinked parent (as /tmp → /private/tmp on macOS), new or existing', async () => {
    const real = tempDir();
    const link = join(tempDir(), 'linked-parent');
    symlinkSync(real, link);
    const fresh = join(link, 'fresh');
    await writeOutput(req(fresh, [gen('gen/a.ts', 'A\n')]));
    expect(readFileSync(join(real, 'fresh/gen/a.ts'), 'utf8')).toBe('A\n');
    // Second run: the root exists now and resolves through the link; an update and a stale delete both pass.
    await writeOutput(req(fresh, [gen('gen/b.ts', 'B\n')]));
    expect(existsSync(join(real, 'fresh/gen/a.ts'))).toBe(false);
    expect(readFileSync(join(real, 'fresh/gen/b.ts'), 'utf8')).toBe('B\n');
    // A link inside the root that leads out is still refused.
    const victim = tempDir();
    symlinkSync(victim, join(fresh, 'escape'));
    await expect(writeOutput(req(fresh, [gen('escape/x.ts', 'X\n')]))).rejects.toThrow(/MG5005/);
    expect(readdirSync(victim)).toEqual([]);
  });
});
