/**
 * `mcp-gen diff --against <ref>` on a git repository holding the kitchen-sink manifest: each kind
 * of change classified breaking or compatible, the allow file, --json, and the one-line exit-2
 * errors (bad ref, no manifest at the ref, not a repository).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { REPO_ROOT, tempDir } from '../helpers/env.ts';

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

let repo: string;
let manifest: string;
const edit = (from: string, to: string) => {
  const text = readFileSync(manifest, 'utf8');
  expect(text, `manifest contains ${from}`).toContain(from);
  writeFileSync(manifest, text.replace(from, to));
};
const diff = (...extra: string[]) => runCli(['diff', '--against', 'HEAD', ...extra], { cwd: repo });
const ids = (stdout: string) => (JSON.parse(stdout) as { changes: { id: string; breaking: boolean }[] }).changes.map((c) => `${c.breaking ? 'B' : 'C'} ${c.id}`);

beforeEach(() => {
  repo = tempDir('mcp-gen-diff-');
  cpSync(join(REPO_ROOT, 'examples/kitchen-sink'), repo, { recursive: true });
  manifest = join(repo, 'mcp-gen.yaml');
  git(repo, 'init', '-q');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'base');
});

describe('mcp-gen diff --against', () => {
  it('no change: exit 0', async () => {
    const r = await diff();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no changes to tools, prompts or resources');
  });

  it('a new required input field is breaking (exit 1); a new optional one is compatible (exit 0)', async () => {
    edit('        customer:\n', '        region:\n          type: string\n        customer:\n');
    let r = await diff('--json');
    expect(r.code).toBe(0);
    expect(ids(r.stdout)).toEqual(['C input-field-added:search_orders.region']);
    edit('required: [tenant]', 'required: [tenant, region]');
    r = await diff();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^BREAKING\s+input-field-required:search_orders\.region\s+tool search_orders input field region: new required field$/m);
    expect(r.stdout).toContain('1 breaking, 0 compatible change(s) since HEAD');
  });

  it('a removed tool, prompt, resource and resource template are breaking; additions are not', async () => {
    // drops the list item starting at `marker` (up to the next item or top-level key)
    const cut = (text: string, marker: string) => {
      const start = text.indexOf(marker);
      expect(start, marker).toBeGreaterThan(-1);
      const rest = text.slice(start + marker.length);
      const end = rest.search(/\n(  - |\S)/);
      return text.slice(0, start) + rest.slice(end + 1);
    };
    let t = readFileSync(manifest, 'utf8');
    for (const m of ['  - name: search_orders\n', '  - uri: file:///policies/returns.md\n', '  - uriTemplate: shop://reports/', '  - name: summarize_order\n']) t = cut(t, m);
    t = t.replace('tools:\n', 'tools:\n  - name: new_tool\n    description: A new tool.\n');
    writeFileSync(manifest, t);
    const r = await diff('--json');
    expect(r.code).toBe(1);
    expect(ids(r.stdout).sort()).toEqual(
      ['B prompt-removed:summarize_order', 'B resource-removed:file:///policies/returns.md', 'B resource-template-removed:monthly-report', 'B tool-removed:search_orders', 'C tool-added:new_tool'].sort(),
    );
  });

  it('input narrowing (enum value removed, integer for number, tighter range), output removal/retyping, x-mcp-header and URI template changes', async () => {
    edit('    enum: [open, paid, shipped, cancelled]', '    enum: [open, paid, shipped]');
    edit('x-mcp-header: Tenant', 'x-mcp-header: TenantId');
    edit('uriTemplate: shop://orders/{orderId}', 'uriTemplate: shop://order/{orderId}');
    edit('minimum: 1', 'minimum: 5');
    const r = await diff('--json');
    expect(r.code).toBe(1);
    const got = ids(r.stdout);
    expect(got).toContain('B input-enum-narrowed:search_orders.status');
    expect(got).toContain('B header-changed:search_orders.tenant');
    expect(got).toContain('B uri-template-changed:order');
    expect(got).toContain('B input-range-narrowed:search_orders.limit');
    // the same enum is an output of other tools: narrowing what a server returns is compatible
    expect(got.filter((g) => g.startsWith('B output-'))).toEqual([]);
  });

  it('output: a removed field, a retyped field and a new enum value are breaking; a new output field is not', async () => {
    writeFileSync(manifest, readFileSync(join(REPO_ROOT, 'examples/weather/mcp-gen.yaml'), 'utf8'));
    git(repo, 'commit', '-qam', 'weather');
    edit('        temperature:\n          type: number\n', '        temperature:\n          type: string\n        humidity:\n          type: number\n');
    edit('      required: [temperature, conditions]', '      required: [temperature]');
    let r = await diff('--json');
    expect(ids(r.stdout)).toEqual(['B output-field-optional:get_weather.conditions', 'C output-field-added:get_weather.humidity', 'B output-type-changed:get_weather.temperature']);
    git(repo, 'commit', '-qam', 'next');
    edit('        conditions:\n          type: string\n', '');
    r = await diff('--json');
    expect(ids(r.stdout)).toEqual(['B output-field-removed:get_weather.conditions']);
    expect(r.code).toBe(1);
  });

  it('a breaking change listed in mcp-gen.allow.yaml passes (exit 0), shown as allowed', async () => {
    edit('required: [tenant]', 'required: [tenant, customer]');
    writeFileSync(join(repo, 'mcp-gen.allow.yaml'), 'allow:\n  - id: input-field-required:search_orders.customer\n    reason: clients updated in v3\n');
    const r = await diff();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^allowed\s+input-field-required:search_orders\.customer/m);
    expect(r.stdout).toContain('0 breaking (+1 allowed)');
  });

  it('a ref that does not exist, a ref without the manifest, no repository: one line, exit 2', async () => {
    let r = await runCli(['diff', '--against', 'no-such-branch'], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: git ref "no-such-branch" does not exist\n');
    git(repo, 'mv', 'mcp-gen.yaml', 'server.yaml');
    git(repo, 'commit', '-qm', 'rename');
    r = await runCli(['diff', '--against', 'HEAD', '--manifest', 'mcp-gen.yaml'], { cwd: repo });
    writeFileSync(manifest, readFileSync(join(repo, 'server.yaml')));
    r = await runCli(['diff', '--against', 'HEAD'], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: mcp-gen.yaml does not exist at HEAD\n');
    const plain = tempDir();
    cpSync(join(REPO_ROOT, 'examples/weather/mcp-gen.yaml'), join(plain, 'mcp-gen.yaml'));
    r = await runCli(['diff', '--against', 'HEAD'], { cwd: plain });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/is not inside a git repository/);
  });
});
