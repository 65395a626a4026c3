/**
 * The shape of a generated method table (src/generated/protocol/revisions/<rev>.ts, emitted from
 * the revision's schema.json by mcp-gen). The dispatcher takes the protocol facts it acts on from
 * these tables: the versions it answers, which methods exist for whom and behind which capability,
 * how their params are validated, which may answer InputRequiredResult, and the error codes.
 * Declared structurally so the runtime never imports generated files (it is copied verbatim).
 */
import { isPlainObject } from './json.ts';
import { ErrorCode, type JsonObject } from './wire.ts';

/** What the dispatcher needs of a validator; every generated zod schema has it. */
export interface ParamsValidator {
  safeParse(input: unknown): { success: boolean; error?: unknown };
}

export interface ProtocolMethod {
  readonly kind: 'request' | 'notification';
  readonly direction: 'client->server' | 'server->client' | 'both';
  readonly params: ParamsValidator | undefined;
  readonly paramsRequired: boolean;
  readonly results: readonly ParamsValidator[];
  readonly capability: { readonly side: 'client' | 'server'; readonly path: string } | undefined;
  readonly inputRequired: boolean;
}

export interface ProtocolRevision {
  readonly version: string;
  /** `stateless`: per-request `_meta` (2026-07-28 on); `session`: initialize + sessions (2025-11-25). */
  readonly era: 'stateless' | 'session';
  readonly errorCodes: Readonly<Record<string, number>>;
  readonly methods: Readonly<Record<string, ProtocolMethod>>;
}

/**
 * The codes this runtime puts on the wire, by the name the schema gives them (basic/index.mdx
 * "Error Codes"). The names are the generated tables' keys; a revision that renumbers one of them
 * is refused at startup rather than answered with the old number.
 */
const SENT_CODES: Readonly<Record<string, number>> = {
  ParseError: ErrorCode.ParseError,
  InvalidRequestError: ErrorCode.InvalidRequest,
  MethodNotFoundError: ErrorCode.MethodNotFound,
  InvalidParamsError: ErrorCode.InvalidParams,
  InternalError: ErrorCode.InternalError,
  HeaderMismatchError: ErrorCode.HeaderMismatch,
  MissingRequiredClientCapabilityError: ErrorCode.MissingRequiredClientCapability,
  UnsupportedProtocolVersionError: ErrorCode.UnsupportedProtocolVersion,
};

/** The served revisions, newest first, checked against what this runtime can speak. */
export interface ServedProtocol {
  /** Every version answered, newest first. */
  readonly versions: readonly string[];
  /** Versions answered on the stateless (`_meta`) wire, newest first. */
  readonly statelessVersions: readonly string[];
  /** Versions answered on the initialize/session wire, newest first. */
  readonly sessionVersions: readonly string[];
  tableFor(version: string): ProtocolRevision | undefined;
}

/**
 * Resolves `protocol` (the tables) and `protocolVersions` (the narrowing, newest first). With
 * tables, a version runs on the wire of its table's era, so a future revision that keeps an era's
 * structure is served by regenerating; without, only the versions this runtime was written
 * against (`implemented`) are known.
 */
export function resolveServedProtocol(
  tables: readonly ProtocolRevision[] | undefined,
  versions: readonly string[] | undefined,
  implemented: { stateless: readonly string[]; session: readonly string[] },
): ServedProtocol {
  if (!tables) {
    const known = [...implemented.stateless, ...implemented.session];
    const list = [...(versions ?? known)];
    for (const version of list)
      if (!known.includes(version)) throw new Error(`protocolVersions: ${version} is not implemented by this runtime (implemented: ${known.join(', ')})`);
    if (list.length === 0) throw new Error('protocolVersions: serve at least one version');
    return {
      versions: list,
      statelessVersions: implemented.stateless.filter((v) => list.includes(v)),
      sessionVersions: implemented.session.filter((v) => list.includes(v)),
      tableFor: () => undefined,
    };
  }
  const byVersion = new Map(tables.map((t) => [t.version, t]));
  const list = [...(versions ?? [...byVersion.keys()].sort().reverse())];
  if (list.length === 0) throw new Error('protocolVersions: serve at least one version');
  for (const version of list) {
    const table = byVersion.get(version);
    if (!table) throw new Error(`protocolVersions: ${version} is not implemented: no method table for it was given (protocol: ${[...byVersion.keys()].join(', ')})`);
    for (const [name, code] of Object.entries(SENT_CODES)) {
      const defined = table.errorCodes[name];
      if (defined !== undefined && defined !== code)
        throw new Error(`MCP ${version} defines ${name} as ${defined}, this runtime sends ${code}: regenerate the project with an mcp-gen that speaks ${version}`);
    }
  }
  return {
    versions: list,
    statelessVersions: list.filter((v) => byVersion.get(v)!.era === 'stateless'),
    sessionVersions: list.filter((v) => byVersion.get(v)!.era === 'session'),
    tableFor: (version) => (list.includes(version) ? byVersion.get(version) : undefined),
  };
}

/** The capability path (`resources.subscribe`) is declared in `declared`. */
export function declaresCapability(declared: JsonObject, path: string): boolean {
  let node: unknown = declared;
  for (const segment of path.split('.')) {
    if (!isPlainObject(node)) return false;
    node = node[segment];
  }
  // `{ subscribe: true }` declares a flag; `{ tools: {} }` a feature.
  return isPlainObject(node) || node === true;
}

/** One line naming the first problems zod (or any validator) reported, without echoing values. */
export function describeInvalidParams(error: unknown): string {
  const issues = isPlainObject(error) || error instanceof Error ? (error as { issues?: unknown }).issues : undefined;
  if (!Array.isArray(issues) || issues.length === 0) return 'Invalid params';
  const parts = issues.slice(0, 3).map((issue) => {
    const path = Array.isArray(issue?.path) && issue.path.length > 0 ? issue.path.join('.') : 'params';
    return `${path}: ${typeof issue?.message === 'string' ? issue.message : 'invalid'}`;
  });
  return `Invalid params: ${parts.join('; ')}${issues.length > 3 ? ` (+${issues.length - 3} more)` : ''}`;
}
