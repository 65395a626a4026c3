/**
 * `state:` (where state shared by replicas lives): the Redis URL must be one the `redis` client
 * accepts, must not carry a password (the manifest is committed and its URL is copied into the
 * generated server), and a URL under `backend: memory` is flagged as inert.
 */
import { asRecord, asString } from '../paths.ts';
import type { RuleContext } from './rule-context.ts';

export function checkState(ctx: RuleContext): void {
  const state = asRecord(ctx.raw.state);
  if (!state) return;
  const backend = asString(state.backend) ?? 'memory';
  const url = asString(state.url);
  if (url !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') || !parsed.hostname) {
      ctx.report('MG3021', `\`state.url\` must be a redis:// or rediss:// URL, got \`${url.length > 60 ? `${url.slice(0, 60)}…` : url}\``, ['state', 'url'], {
        help: 'e.g. `redis://127.0.0.1:6379`; or leave it out and set MCP_REDIS_URL where the server runs.',
      });
    } else if (parsed.password) {
      ctx.report('MG3022', '`state.url` contains a password, which would be committed and copied into the generated server', ['state', 'url'], {
        severity: 'warning',
        help: 'Drop the password here and set MCP_REDIS_URL (it wins over state.url) in the deployment.',
      });
    }
  }
  // keyPrefix is kept under memory: it applies when MCP_REDIS_URL selects Redis at run time.
  if (backend === 'memory' && url !== undefined) {
    ctx.report('MG3023', '`state.url` has no effect with `backend: memory`', ['state', 'url'], {
      severity: 'warning',
      onKey: true,
      help: 'Set `backend: redis`, or remove `url` (MCP_REDIS_URL selects Redis at run time without it).',
    });
  }
}
