/**
 * The `Bearer` challenge of a 401/403 `WWW-Authenticate` header (RFC 6750 §3, RFC 9728 §5.1):
 * the fields an MCP client acts on — `resource_metadata` (where the PRM lives), `scope` (what the
 * operation needs) and `error` (`insufficient_scope` means step-up, see
 * ../shared/spec/2026-07-28/docs/basic/authorization/index.mdx "Scope Challenge Handling").
 */
export interface BearerChallenge {
  error?: string;
  /** Space-separated scopes, split; `undefined` when the challenge names none. */
  scopes?: string[];
  resourceMetadata?: string;
}

const TOKEN = "[A-Za-z0-9!#$%&'*+.^_`|~-]+";
const PARAM = new RegExp(`^[\\s,]*(${TOKEN})\\s*=\\s*(?:"((?:[^"\\\\]|\\\\[\\s\\S])*)"|(${TOKEN}))`);
const SCHEME = new RegExp(`^[\\s,]*(${TOKEN})(?=\\s|,|$)`);

/** Every challenge of a header value, auth-params lower-cased by name (RFC 9110 §11.2). */
export function parseChallenges(header: string): { scheme: string; params: Record<string, string> }[] {
  const challenges: { scheme: string; params: Record<string, string> }[] = [];
  let rest = header;
  for (let guard = 0; rest.trim() !== '' && guard < 64; guard += 1) {
    const scheme = SCHEME.exec(rest);
    if (!scheme) break;
    rest = rest.slice(scheme[0].length);
    const params: Record<string, string> = {};
    for (let p = PARAM.exec(rest); p; p = PARAM.exec(rest)) {
      // A name followed by `=` that begins the next challenge cannot happen: schemes have no `=`.
      params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\([\s\S])/g, '$1') : p[3]!;
      rest = rest.slice(p[0].length);
    }
    challenges.push({ scheme: scheme[1]!.toLowerCase(), params });
  }
  return challenges;
}

/** The Bearer challenge of a response, or undefined when it carries none. */
export function bearerChallenge(response: Response): BearerChallenge | undefined {
  const header = response.headers.get('www-authenticate');
  if (!header) return undefined;
  const bearer = parseChallenges(header).find((c) => c.scheme === 'bearer' || c.scheme === 'dpop');
  if (!bearer) return undefined;
  const scope = bearer.params.scope?.split(' ').filter(Boolean);
  return {
    ...(bearer.params.error !== undefined && { error: bearer.params.error }),
    ...(scope !== undefined && scope.length > 0 && { scopes: scope }),
    ...(bearer.params.resource_metadata !== undefined && { resourceMetadata: bearer.params.resource_metadata }),
  };
}
