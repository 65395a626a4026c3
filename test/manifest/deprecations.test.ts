/** Deprecated MCP features used by a manifest: a positioned warning naming feature, revision, replacement. */
import { describe, expect, it } from 'vitest';
import { loadForTest } from './load-for-test.ts';

const manifest = (spec: string, tool: string) => `spec: ${spec}
server: { name: s, version: "1.0.0" }
tools:
  - name: t
    description: A tool.
${tool}`;

describe('deprecations (SEP-2577, lifecycle of SEP-2596)', () => {
  it('asks: sampling and roots, requires: roots each get MG3020 at their own line, as warnings', () => {
    const r = loadForTest('.', 'm.yaml', manifest('2026-07-28', '    asks:\n      - id: s\n        kind: sampling\n      - id: r\n        kind: roots\n    requires: [roots]\n'));
    const warnings = r.diagnostics.filter((d) => d.code === 'MG3020');
    expect(warnings.map((d) => [d.severity, d.at?.line])).toEqual([
      ['warning', 8],
      ['warning', 10],
      ['warning', 11],
    ]);
    expect(warnings[0]!.message).toBe('tool `t` ask `s` uses Sampling (sampling/createMessage), deprecated since MCP 2026-07-28 (SEP-2577); earliest removal: the first revision released on or after 2027-07-28');
    expect(warnings[0]!.help).toMatch(/^Replacement: call an LLM provider API/);
    expect(warnings[2]!.message).toContain('`requires` uses Roots (roots/list)');
    expect(r.model).toBeDefined();
    expect(r.rendered).toMatch(/^m\.yaml:8:15 warning MG3020 /m);
  });

  it('elicitation is not deprecated; a revision before the deprecation gets no warning', () => {
    expect(loadForTest('.', 'm.yaml', manifest('2026-07-28', '    asks:\n      - id: e\n        kind: elicitation\n        schema: { type: object, properties: { ok: { type: boolean } } }\n')).diagnostics.filter((d) => d.code === 'MG3020')).toEqual([]);
    expect(loadForTest('.', 'm.yaml', manifest('2025-11-25', '    requires: [sampling]\n')).diagnostics.filter((d) => d.code === 'MG3020')).toEqual([]);
  });
});
