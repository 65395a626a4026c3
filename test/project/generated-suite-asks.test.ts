/**
 * A project whose manifest declares what tools need from the client — `requires: [elicitation]`,
 * a confirmation (an elicitation ask), and a tool asking for sampling and roots — passes its own
 * generated suite with `npm test` (mock server) and `npm run test:live` (the handlers below), and
 * the live handlers really get the answers: each records what the suite answered.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../generator/project.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';

const dir = join(REPO_ROOT, 'test', 'tmp', `suite-asks-${process.pid}`);
const journal = join(dir, 'answers.log');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MANIFEST = `spec: 2026-07-28
server: { name: notes-desk, version: "0.3.0" }
tools:
  - name: draft_reply
    description: Drafts a reply to a note; only clients that can show forms may call it.
    requires: [elicitation]
    input:
      type: object
      properties: { noteId: { type: string, minLength: 3, maxLength: 12 }, tone: { type: string, enum: [warm, dry] } }
      required: [noteId]
    output: { type: object, properties: { draft: { type: string } }, required: [draft] }
  - name: delete_note
    description: Deletes a note once the user confirms.
    annotations: { destructiveHint: true }
    input: { type: object, properties: { noteId: { type: string, minLength: 3 } }, required: [noteId] }
    output: { type: object, properties: { deleted: { type: boolean }, why: { type: string } }, required: [deleted] }
    asks:
      - id: confirm
        kind: elicitation
        message: Delete this note for good?
        schema:
          type: object
          properties:
            confirm: { type: boolean, title: Delete it }
            why: { type: string, enum: [outdated, duplicate, wrong] }
            copies: { type: integer, minimum: 2, maximum: 5 }
          required: [confirm, why]
  - name: tidy_workspace
    description: Summarizes what a tidy-up would do in the client's folders.
    asks:
      - { id: folders, kind: roots }
      - { id: plan, kind: sampling }
`;

const DRAFT_REPLY = `import type { DraftReplyHandler } from '../../generated/tools.ts';

export const draftReply: DraftReplyHandler = async (input) => ({ structured: { draft: \`Dear reader of \${input.noteId}: noted.\` } });
`;

const DELETE_NOTE = `import { appendFileSync } from 'node:fs';
import { z } from 'zod';
import type { DeleteNoteHandler } from '../../generated/tools.ts';

const confirmation = z.object({ confirm: z.boolean(), why: z.enum(['outdated', 'duplicate', 'wrong']), copies: z.number().int().min(2).max(5).optional() });

export const deleteNote: DeleteNoteHandler = async (input, ctx) => {
  const answer = await ctx.elicit('confirm', { message: 'Delete this note for good?', schema: confirmation });
  if (answer.action !== 'accept' || !answer.content.confirm) return ctx.error(\`\${input.noteId} was kept\`);
  appendFileSync(${JSON.stringify(journal)}, \`delete_note \${input.noteId} \${answer.content.why}\\n\`);
  return { structured: { deleted: true, why: answer.content.why } };
};
`;

const TIDY_WORKSPACE = `import { appendFileSync } from 'node:fs';
import type { TidyWorkspaceHandler } from '../../generated/tools.ts';

export const tidyWorkspace: TidyWorkspaceHandler = async (_input, ctx) => {
  const [folders, plan] = await Promise.all([
    ctx.roots('folders'),
    ctx.sample('plan', { messages: [{ role: 'user', content: { type: 'text', text: 'Plan a tidy-up' } }], maxTokens: 50 }),
  ]);
  const text = Array.isArray(plan.content) ? 'several blocks' : String(plan.content.text);
  appendFileSync(${JSON.stringify(journal)}, \`tidy_workspace \${folders.length} \${text}\\n\`);
  return { content: [{ type: 'text', text: \`\${folders.map((f) => f.uri).join(', ')}: \${text}\` }] };
};
`;

function npm(script: string): { status: number | null; out: string; tests: number } {
  const r = spawnSync('npm', ['run', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: '1' }, timeout: 240_000 });
  const out = `${r.stdout}\n${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
  return { status: r.status, out, tests: Number(/Tests\s+.*\((\d+)\)/.exec(out)?.[1] ?? 0) };
}

function cases(file: string): { id: string; clientCapabilities?: Record<string, unknown>; inputResponses?: Record<string, unknown>; expect: Record<string, unknown> }[] {
  return JSON.parse(readFileSync(join(dir, 'test/conformance/fixtures', file), 'utf8')).cases;
}

describe('generated suite of a manifest whose tools need client capabilities and ask', () => {
  it('fixtures carry the declared capabilities and answers', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'mcp-gen.yaml'), MANIFEST);
    await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env: hermeticEnv() } });
    const tools = cases('tools.json');
    const of = (name: string) => tools.filter((c) => c.id.startsWith(`tools/${name}/`));
    // Every call of a tool carries what it requires or asks for; the others carry nothing extra.
    expect(of('draft_reply').filter((c) => c.id.includes('/valid/')).every((c) => JSON.stringify(c.clientCapabilities) === '{"elicitation":{}}')).toBe(true);
    expect(of('delete_note').every((c) => JSON.stringify(c.clientCapabilities) === '{"elicitation":{}}')).toBe(true);
    expect(of('tidy_workspace').every((c) => JSON.stringify(c.clientCapabilities) === '{"roots":{},"sampling":{}}')).toBe(true);
    // requires: one probe without the capability, expected to be refused before the handler.
    const probe = tools.find((c) => c.id === 'tools/draft_reply/missing-capability')!;
    expect(probe.clientCapabilities).toEqual({});
    expect(probe.expect).toMatchObject({ status: 400, error: { code: -32021 } });
    expect(tools.some((c) => c.id === 'tools/delete_note/missing-capability')).toBe(false); // asks alone do not refuse up front
    // The confirmation answer satisfies the ask's schema: the user accepts and confirms.
    const valid = of('delete_note').find((c) => c.id.includes('/valid/'))!;
    expect(valid.inputResponses).toEqual({ confirm: { action: 'accept', content: { confirm: true, copies: 2, why: 'outdated' } } });
    expect(valid.expect.inputRequired).toEqual(['confirm']);
    expect(of('tidy_workspace').find((c) => c.id.includes('/valid/'))!.expect.inputRequired).toEqual(['folders', 'plan']);
  }, 180_000);

  it('passes with npm test (mock) and npm run test:live (handlers), answering every ask', () => {
    const mock = npm('test');
    console.log(`mock: ${mock.tests} tests, exit ${mock.status}`);
    expect(mock.status, mock.out).toBe(0);
    expect(mock.tests).toBeGreaterThan(40);

    writeFileSync(join(dir, 'src/handlers/tools/draft-reply.ts'), DRAFT_REPLY);
    writeFileSync(join(dir, 'src/handlers/tools/delete-note.ts'), DELETE_NOTE);
    writeFileSync(join(dir, 'src/handlers/tools/tidy-workspace.ts'), TIDY_WORKSPACE);
    const live = npm('test:live');
    console.log(`live: ${live.tests} tests, exit ${live.status}`);
    expect(live.status, live.out).toBe(0);
    expect(live.tests).toBe(mock.tests);

    // Each valid call of a tool that asks completed its round trip on both transports.
    const validCalls = (name: string) => cases('tools.json').filter((c) => c.id.startsWith(`tools/${name}/valid/`)).length;
    const lines = readFileSync(journal, 'utf8').trim().split('\n');
    console.log(`round trips completed by live handlers: ${lines.length} (${readdirSync(dir).length} entries in the project)`);
    expect(lines.filter((l) => l.startsWith('delete_note ')).length).toBe(validCalls('delete_note') * 2);
    expect(lines.filter((l) => l.startsWith('delete_note ')).every((l) => l.endsWith(' outdated'))).toBe(true);
    expect(lines.filter((l) => l.startsWith('tidy_workspace ')).length).toBe(validCalls('tidy_workspace') * 2);
    expect(lines.filter((l) => l.startsWith('tidy_workspace ')).every((l) => l === 'tidy_workspace 1 mcp-gen fixture completion')).toBe(true);
  }, 600_000);
});
