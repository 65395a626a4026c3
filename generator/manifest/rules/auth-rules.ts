/**
 * `auth:` and per-entry `scopes:` (basic/authorization/index.mdx, wire-checklist §23.1): issuers
 * and the resource are URLs a token can be checked against, every scope named is a valid token
 * and (when `scopesSupported` is given) one the server advertises, and lists filtered by scope
 * are not declared shareable across users (server/utilities/caching.mdx).
 */
import { SCOPE_TOKEN } from '../manifest-definition.ts';
import { didYouMean } from '../did-you-mean.ts';
import { asList, asRecord, asString, isRecord } from '../paths.ts';
import { entriesOf } from './entries.ts';
import type { RuleContext } from './rule-context.ts';

const ENTRY_KINDS = [
  ['tools', 'tools', 'name'],
  ['prompts', 'prompts', 'name'],
  ['resources', 'resources', 'uri'],
  ['resourceTemplates', 'resourceTemplates', 'uriTemplate'],
] as const;

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/** An absolute https URL (http only on loopback, for development), without query or fragment. */
function urlProblem(value: string, what: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${what} \`${value}\` is not an absolute URL`;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) return `${what} \`${value}\` must use https (http only for localhost)`;
  if (url.search || url.hash || value.includes('#')) return `${what} \`${value}\` must not have a query or fragment`;
  return undefined;
}

export function checkAuth(ctx: RuleContext): void {
  const auth = asRecord(ctx.raw.auth);
  const withScopes = ENTRY_KINDS.flatMap(([key]) => entriesOf(ctx.raw, key).filter((e) => 'scopes' in e.value).map((e) => ({ key, entry: e })));
  if (!auth) {
    for (const { key, entry } of withScopes)
      ctx.report('MG3044', '`scopes:` has no effect without an `auth:` section', [key, entry.index, 'scopes'], { onKey: true, help: 'Add `auth:` with the issuer(s) of your tokens (docs/auth.md), or remove `scopes:`.' });
    return;
  }

  asList(auth.issuers).forEach((issuer, i) => {
    const text = asString(issuer);
    const problem = text === undefined ? undefined : urlProblem(text, 'issuer');
    if (problem) ctx.report('MG3040', problem, ['auth', 'issuers', i], { help: 'Write the issuer exactly as the `issuer` of its metadata (e.g. https://login.example.com/realms/shop); tokens are matched against it character for character.' });
  });
  const resource = asString(auth.resource);
  if (resource !== undefined) {
    const problem = urlProblem(resource, 'resource');
    if (problem) ctx.report('MG3041', problem, ['auth', 'resource'], { help: 'Use the URL clients connect to, e.g. https://mcp.example.com/mcp (RFC 8707 canonical form: no fragment, no trailing slash).' });
    else if (resource.endsWith('/') && new URL(resource).pathname !== '/')
      ctx.report('MG3041', `resource \`${resource}\` ends with a slash; clients send the canonical URI without it, so tokens would name another audience`, ['auth', 'resource'], { severity: 'warning' });
  }

  const supported = Array.isArray(auth.scopesSupported) ? auth.scopesSupported.filter((s): s is string => typeof s === 'string') : undefined;
  const checkScope = (scope: unknown, path: (string | number)[], onKey = false) => {
    if (typeof scope !== 'string') return;
    if (!SCOPE_TOKEN.test(scope)) {
      ctx.report('MG3043', `scope \`${scope}\` is not a valid OAuth scope token (printable ASCII without space, \`"\` or \`\\\`)`, path, { onKey });
      return;
    }
    if (supported && !supported.includes(scope))
      ctx.report('MG3042', `scope \`${scope}\` is not listed in \`auth.scopesSupported\`${didYouMean(scope, supported)}`, path, { help: 'Add it to auth.scopesSupported, or fix the spelling.', onKey });
  };

  (supported ?? []).forEach((scope, i) => {
    if (!SCOPE_TOKEN.test(scope)) ctx.report('MG3043', `scope \`${scope}\` is not a valid OAuth scope token (printable ASCII without space, \`"\` or \`\\\`)`, ['auth', 'scopesSupported', i]);
    if (scope === 'offline_access')
      ctx.report('MG3045', '`offline_access` should not be advertised by a resource server; clients add it themselves when the authorization server lists it', ['auth', 'scopesSupported', i], { severity: 'warning' });
  });
  asList(auth.defaultScopes).forEach((scope, i) => checkScope(scope, ['auth', 'defaultScopes', i]));
  const implies = asRecord(auth.implies) ?? {};
  for (const [broad, narrower] of Object.entries(implies)) {
    checkScope(broad, ['auth', 'implies', broad], true);
    asList(narrower).forEach((scope, i) => checkScope(scope, ['auth', 'implies', broad, i]));
  }
  for (const { key, entry } of withScopes) asList(entry.value.scopes).forEach((scope, i) => checkScope(scope, [key, entry.index, 'scopes', i]));

  // A list some caller sees only part of differs per caller: it must not be shared across tokens.
  const defaults = asList(auth.defaultScopes).length > 0;
  const caching = asRecord(ctx.raw.caching) ?? {};
  for (const [key, , label] of ENTRY_KINDS) {
    const filtered = defaults || entriesOf(ctx.raw, key).some((e) => asList(e.value.scopes).length > 0);
    const policy = caching[key];
    if (filtered && isRecord(policy) && policy.cacheScope === 'public')
      ctx.report('MG3046', `${key}/list is filtered by scope (an entry's \`scopes:\` or \`auth.defaultScopes\`), so it is answered \`cacheScope: private\` whatever this says`, ['caching', key, 'cacheScope'], {
        severity: 'warning',
        help: `Write \`cacheScope: private\`, or drop the scopes that make ${key} differ per caller (by ${label}).`,
      });
  }
}
