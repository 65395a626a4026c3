/**
 * Features the spec has deprecated, flagged where a manifest uses them: the feature, the revision
 * that deprecated it, the replacement and the earliest removal. Facts from the registry of
 * deprecated features (../shared/spec/2026-07-28/docs/deprecated.mdx), the lifecycle policy of
 * SEP-2596 it implements, and ../shared/spec/seps/2577-deprecate-roots-sampling-and-logging.md.
 * Deprecated features still work on the wire, so these are warnings, never errors.
 */
import { asList, asString } from '../paths.ts';
import { entriesOf } from './entries.ts';
import type { RuleContext } from './rule-context.ts';

interface Deprecation {
  feature: string;
  since: string;
  sep: string;
  replacement: string;
  earliestRemoval: string;
}

const DEPRECATED: Record<string, Deprecation> = {
  sampling: {
    feature: 'Sampling (sampling/createMessage)',
    since: '2026-07-28',
    sep: 'SEP-2577',
    replacement: 'call an LLM provider API from the handler instead of asking the client to sample',
    earliestRemoval: 'the first revision released on or after 2027-07-28',
  },
  roots: {
    feature: 'Roots (roots/list)',
    since: '2026-07-28',
    sep: 'SEP-2577',
    replacement: 'take directories or files as tool input fields, resource URIs or server configuration',
    earliestRemoval: 'the first revision released on or after 2027-07-28',
  },
};

export function checkDeprecations(ctx: RuleContext): void {
  const spec = asString(ctx.raw.spec);
  // Revisions are dates: a feature is deprecated from its revision on.
  const applies = (d: Deprecation) => spec === undefined || spec >= d.since;
  const warn = (kind: string, where: string, path: (string | number)[]) => {
    const d = DEPRECATED[kind];
    if (!d || !applies(d)) return;
    ctx.report('MG3020', `${where} uses ${d.feature}, deprecated since MCP ${d.since} (${d.sep}); earliest removal: ${d.earliestRemoval}`, path, {
      severity: 'warning',
      help: `Replacement: ${d.replacement}. See the spec's deprecated-features registry (docs/deprecated.mdx, lifecycle of SEP-2596).`,
    });
  };
  for (const { index, value: tool } of entriesOf(ctx.raw, 'tools')) {
    const name = asString(tool.name) ?? `#${index + 1}`;
    for (const ask of entriesOf(tool, 'asks')) {
      const kind = asString(ask.value.kind);
      if (kind) warn(kind, `tool \`${name}\` ask \`${asString(ask.value.id) ?? ask.index}\``, ['tools', index, 'asks', ask.index, 'kind']);
    }
    asList(tool.requires).forEach((cap, i) => {
      if (typeof cap === 'string') warn(cap, `tool \`${name}\` \`requires\``, ['tools', index, 'requires', i]);
    });
  }
}
