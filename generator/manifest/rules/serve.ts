/**
 * `serve:` lists the MCP revisions the server answers. Handlers are typed against `spec:`, so the
 * list must include it and nothing newer (an older revision is served by the runtime's adapter for
 * that era; basic/versioning.mdx of ../shared/spec/2026-07-28/docs/ on serving older clients).
 */
import { asString } from '../paths.ts';
import type { RuleContext } from './rule-context.ts';

export const DEFAULT_SPEC = '2026-07-28';

export function checkServe(ctx: RuleContext): void {
  const serve = ctx.raw.serve;
  if (!Array.isArray(serve) || serve.length === 0) return; // shape errors are the schema's (MG2005/MG2006)
  const spec = asString(ctx.raw.spec) ?? DEFAULT_SPEC;
  const seen = new Set<string>();
  serve.forEach((entry, index) => {
    if (typeof entry !== 'string') return;
    if (seen.has(entry)) ctx.report('MG3025', `\`serve\` lists ${entry} twice`, ['serve', index]);
    seen.add(entry);
    // Revisions are dates, so string order is release order.
    if (entry > spec)
      ctx.report('MG3024', `\`serve\` lists ${entry}, newer than \`spec: ${spec}\`; handlers typed against ${spec} cannot answer it`, ['serve', index], {
        help: `run \`mcp-gen upgrade --to ${entry}\` to move the project to ${entry}, or remove ${entry} from \`serve\``,
      });
  });
  if (!seen.has(spec))
    ctx.report('MG3025', `\`serve\` does not list the project's own revision \`spec: ${spec}\``, ['serve'], { help: `add ${spec} to \`serve\`` });
}
