/**
 * The one catalogue of diagnostic codes. Every code used anywhere must be listed here with a
 * title, its cause and the fix; a test checks docs/diagnostics.md documents each one.
 *
 * Ranges: MG1xxx spec source · MG2xxx manifest shape · MG3xxx manifest MCP rules ·
 * MG4xxx JSON Schema in the manifest · MG5xxx output/ownership · MG9xxx CLI usage.
 */
export interface CodeInfo {
  title: string;
  cause: string;
  fix: string;
}

export const CODES = {
  // ── spec source ───────────────────────────────────────────────────────────
  MG1001: { title: 'unknown spec revision', cause: 'The revision is not listed in spec/versions.json.', fix: 'Run `mcp-gen spec list` to see the known revisions.' },
  MG1002: { title: 'spec file unreadable', cause: 'The schema file given with --schema (or in the mirror) does not exist or cannot be read.', fix: 'Check the path, or unset MCP_GEN_SPEC_MIRROR to fall back to the pinned upstream URL.' },
  MG1003: { title: 'spec is not JSON', cause: 'The schema text does not parse as JSON.', fix: 'Re-download it with `mcp-gen spec pull <rev>`.' },
  MG1004: { title: 'spec has no $defs', cause: 'The document parsed but has no `$defs` (or `definitions`) object, so it is not an MCP schema.', fix: 'Point --schema at an MCP schema.json.' },
  MG1005: { title: 'spec hash mismatch', cause: 'The schema bytes do not match the sha256 pinned for this revision in spec/versions.json.', fix: 'Delete the cached file (`mcp-gen spec pull <rev> --force`) or check the mirror; pass --schema to use an unpinned file deliberately.' },
  MG1006: { title: 'spec download failed', cause: 'The mirror or upstream URL could not be fetched.', fix: 'Check the network, or set MCP_GEN_SPEC_MIRROR to a local copy of the spec (a directory laid out like <rev>/schema.json).' },
  MG1007: { title: 'corrupted cache file', cause: 'The cached schema failed its sha256 check or is not JSON.', fix: 'Run `mcp-gen spec pull <rev> --force` to replace it.' },
  MG1008: { title: 'no adapter for revision', cause: 'mcp-gen has no protocol adapter for this revision structure.', fix: 'Use a revision listed by `mcp-gen spec list`.' },
  MG1009: { title: 'spec examples unusable', cause: 'The spec examples found (beside the schema, in the cache, the mirror or upstream) do not match the `examplesSha256` pinned for this revision, or could not be downloaded; they are not used, so the spec-examples fixture has no cases from that source.', fix: 'Run `mcp-gen spec pull <rev> --force` with a mirror or network access, or check the mirror\'s `<rev>/examples/` directory.' },

  // ── manifest shape ────────────────────────────────────────────────────────
  MG2001: { title: 'manifest not found', cause: 'No manifest file at the given path.', fix: 'Run `mcp-gen init <dir>` or pass --manifest <file>.' },
  MG2002: { title: 'YAML syntax error', cause: 'The manifest is not valid YAML.', fix: 'Fix the YAML syntax at the marked position.' },
  MG2003: { title: 'unknown key', cause: 'The manifest contains a key that mcp-gen does not know.', fix: 'Remove the key or correct its spelling.' },
  MG2004: { title: 'missing required key', cause: 'A required key is absent.', fix: 'Add the key.' },
  MG2005: { title: 'wrong value type', cause: 'The value has the wrong type for this key.', fix: 'Use a value of the expected type.' },
  MG2006: { title: 'invalid value', cause: 'The value is not one of the allowed values or does not match the expected format.', fix: 'Use one of the allowed values.' },
  MG2007: { title: 'referenced file not found', cause: 'A file the manifest names (an app `template:`) does not exist.', fix: 'Create the file or fix the path; it is relative to the manifest.' },

  // ── manifest MCP rules ────────────────────────────────────────────────────
  MG3001: { title: 'duplicate name', cause: 'Two entries share a name that must be unique.', fix: 'Rename one of them.' },
  MG3002: { title: 'invalid tool name', cause: 'Tool names must match ^[A-Za-z0-9_.-]{1,128}$.', fix: 'Use only letters, digits, `_`, `-` and `.`, at most 128 characters.' },
  MG3003: { title: 'long tool name', cause: 'Tool names above 64 characters are rejected by some hosts.', fix: 'Shorten the name to 64 characters or fewer.' },
  MG3004: { title: 'missing description', cause: 'Models choose tools by their description; an empty one makes the tool unusable.', fix: 'Add a `description:` saying what the tool does and when to use it.' },
  MG3005: { title: 'unknown app id', cause: 'The `ui:` of a tool names an app not declared under `apps:`.', fix: 'Declare the app under `apps:` or fix the id.' },
  MG3006: { title: 'invalid URI template', cause: 'The uriTemplate is not a valid RFC 6570 template.', fix: 'Use `{var}` expressions with valid variable names, e.g. `file:///{path}`.' },
  MG3007: { title: 'invalid x-mcp-header', cause: 'The x-mcp-header annotation breaks a rule of the Streamable HTTP transport (Schema Extension).', fix: 'See docs/manifest.md#x-mcp-header.' },
  MG3008: { title: 'name collision in generated code', cause: 'Two manifest names map to the same generated identifier or handler file.', fix: 'Rename one of them so their camelCase forms differ.' },
  MG3009: { title: 'invalid URI', cause: 'A resource URI is not an absolute URI.', fix: 'Use an absolute URI with a scheme, e.g. `file:///notes.txt`.' },
  MG3010: { title: 'schema root is not an object', cause: 'MCP requires `type: object` at the root of a tool inputSchema (and of outputSchema under 2025-11-25).', fix: 'Put the parameters in an object: `type: object` with `properties:`.' },
  MG3011: { title: 'invalid elicitation schema', cause: 'Form elicitation accepts only a flat object of string, number, integer, boolean and enum properties.', fix: 'Flatten the form: one property per field, no nested objects, arrays only as multi-select enums.' },
  MG3012: { title: 'completion for an unknown variable', cause: '`completions:` names a variable that the uriTemplate does not have.', fix: 'Use the name of a `{variable}` in the uriTemplate.' },
  MG3013: { title: 'app view cannot be typed', cause: 'A tool renders an MCP App but declares no `output` schema (or one that constrains nothing), so the view bindings cannot type `structuredContent` in `onToolResult`.', fix: 'Add `output:` to the tool: the JSON Schema of the structuredContent its view renders.' },
  MG3014: { title: 'invalid CSP origin', cause: 'An MCP App `csp:` entry is not an origin (`scheme://host[:port]`, optionally `*.` before the host); hosts build the view\'s Content-Security-Policy from these lists.', fix: 'Write an origin such as `https://api.example.com` or `https://*.example.com` (schemes http, https, ws, wss), without path, quotes, spaces or `;`.' },
  MG3015: { title: 'reserved ui:// URI', cause: 'The `ui://` scheme is reserved for MCP App templates, which mcp-gen declares from `apps:`.', fix: 'Declare the view under `apps:` (it is served as `ui://<id>`), or use another scheme for the resource.' },

  MG3020: { title: 'deprecated MCP feature', cause: 'The manifest uses a feature the spec has deprecated (e.g. `asks: [sampling]`, `requires: [roots]`; SEP-2577, lifecycle per SEP-2596). It still works, but may be removed from the first revision released a year after its deprecation.', fix: 'Migrate as the warning says (sampling: call an LLM API from the handler; roots: take paths as tool input or configuration).' },
  MG3021: { title: 'invalid Redis URL', cause: '`state.url` is not a `redis://` or `rediss://` URL.', fix: 'Write a URL such as `redis://127.0.0.1:6379`, or leave it out and set MCP_REDIS_URL where the server runs.' },
  MG3022: { title: 'password in the manifest', cause: '`state.url` carries a password; the manifest is committed and copied into the generated server.', fix: 'Remove the password from the manifest and set MCP_REDIS_URL (which wins over `state.url`) in the deployment instead.' },
  MG3023: { title: 'Redis URL without Redis', cause: '`state.url` is set while `state.backend` is `memory`, so it has no effect (MCP_REDIS_URL still selects Redis at run time).', fix: 'Set `backend: redis`, or remove `url`.' },
  MG3024: { title: 'revision not servable', cause: 'A `serve:` entry is newer than the manifest\'s `spec:`: handlers are typed against `spec`, so they cannot answer a newer revision\'s requests.', fix: 'Raise `spec:` (`mcp-gen upgrade --to <rev>`) or remove the newer revision from `serve:`.' },
  MG3025: { title: 'inconsistent serve list', cause: '`serve:` omits the `spec:` revision or lists a revision twice.', fix: 'List each revision once, `spec:` included (or remove `serve:` for the default: `spec` and every older revision).' },
  MG3030: { title: 'task setting cannot apply', cause: 'A task setting (`taskTtlMs`, `taskPollIntervalMs`, `taskRetry`) is on a tool that never runs as a task (`task: forbidden`), or the polling interval suggested to clients is longer than the task lives (extensions/tasks.md `ttlMs`, `pollIntervalMs`).', fix: 'Set `task: optional|required` on the tool, or remove the key; keep `pollIntervalMs` below `ttlMs`.' },

  MG3040: { title: 'invalid issuer', cause: '`auth.issuers` must hold issuer identifiers: absolute https URLs (http only on localhost) without query or fragment, compared character for character with a token\'s `iss` and the issuer\'s metadata (RFC 8414 §3.3).', fix: 'Copy the `issuer` value from the authorization server\'s /.well-known/openid-configuration (or oauth-authorization-server) document.' },
  MG3041: { title: 'invalid resource identifier', cause: '`auth.resource` is the canonical URI of this server, which tokens must name as their audience (RFC 8707): an absolute https URL (http only on localhost), no query or fragment, no trailing slash.', fix: 'Use the URL clients connect to, e.g. https://mcp.example.com/mcp; or omit it to use the served URL.' },
  MG3042: { title: 'unknown scope', cause: 'A `scopes:` entry, `auth.defaultScopes` or `auth.implies` names a scope that `auth.scopesSupported` does not list, so no client would ever ask for it.', fix: 'Add the scope to `auth.scopesSupported`, or fix its spelling.' },
  MG3043: { title: 'invalid scope token', cause: 'OAuth scope tokens are printable ASCII without spaces, `"` or `\\` (RFC 6749 §3.3); a space would split it into two scopes on the wire.', fix: 'Write one scope per list item, e.g. `[orders:read, orders:write]`.' },
  MG3044: { title: 'scopes without auth', cause: 'An entry declares `scopes:` but the manifest has no `auth:` section, so nothing would check them.', fix: 'Add `auth:` (docs/auth.md) or remove `scopes:`.' },
  MG3045: { title: 'offline_access advertised', cause: 'A resource server should not put `offline_access` in `scopes_supported` or in its challenges (basic/authorization/index.mdx); refresh tokens are between the client and the authorization server.', fix: 'Remove `offline_access` from `auth.scopesSupported`.' },
  MG3046: { title: 'public cache for a per-caller list', cause: 'A list is filtered by the caller\'s scopes, so it differs per token and must be answered `cacheScope: private` (server/utilities/caching.mdx); mcp-gen overrides the `public` written here.', fix: 'Write `cacheScope: private` for that list, or remove the scopes that filter it.' },

  // ── JSON Schema in the manifest ───────────────────────────────────────────
  MG4001: { title: 'invalid JSON Schema', cause: 'The schema does not validate against the JSON Schema 2020-12 meta-schema.', fix: 'Fix the schema at the marked position.' },
  MG4002: { title: 'unresolvable $ref', cause: 'A $ref points to nothing mcp-gen can resolve locally (network $refs are never fetched), or it closes a cycle of references that never reaches a schema (every step a `$ref` or an in-place applicator such as `anyOf`), which no validator can evaluate. Recursion through `properties` or `items` is fine.', fix: 'Point the $ref at `#/schemas/<Name>` in the manifest or a local file.' },
  MG4003: { title: 'host-compatibility', cause: 'Some MCP hosts reject this schema shape.', fix: 'Prefer a plain object schema with `properties` and JSON Schema 2020-12.' },
  MG4004: { title: 'unsupported JSON Schema keyword', cause: 'The zod printer cannot express this keyword exactly; validation falls back as documented.', fix: 'See docs/zod-printer.md for the fallback.' },
  MG4005: { title: 'type and validator differ', cause: 'The TypeScript type and the zod validator of this schema cannot be rendered identically (e.g. `prefixItems`: tuple positions are optional to the validator, required to the type); the validator stays exact and is cast to the declared type, so tsc no longer checks that the two agree.', fix: 'Prefer a shape both render alike (an object instead of a positional tuple); see docs/manifest.md "How schemas become types".' },
  MG4006: { title: 'unknown JSON Schema keyword', cause: 'A key in a schema is not a JSON Schema 2020-12 keyword, so it validates nothing (often a typo such as `requird`).', fix: 'Fix the spelling, or prefix an intended extension key with `x-`.' },

  // ── output and ownership ──────────────────────────────────────────────────
  MG5001: { title: 'stale generated file', cause: '`--check` found a generated file that differs from what generate would write.', fix: 'Run `mcp-gen generate` and commit the result.' },
  MG5002: { title: 'hand-edited generated file', cause: 'A file under src/generated was changed since mcp-gen wrote it. With the lock\'s ledger it is replaced (this warns first); without a usable mcp-gen.lock.json the header\'s body hash shows the edit and the file is kept, not regenerated.', fix: 'Move your change into a user-owned file (src/handlers/**); generated files are rewritten on every run.' },
  MG5003: { title: 'output write failed', cause: 'Writing the generated files failed, and the previous output was left as it was; or (a warning) a previous run was killed mid-write and this run first finished or undid its commit.', fix: 'Check permissions and free space, then run again.' },
  MG5004: { title: 'orphaned handler', cause: 'A user-owned handler file belongs to a tool no longer in the manifest. It is kept.', fix: 'Delete the file yourself if you no longer need it.' },
  MG5006: { title: 'project already exists', cause: '`mcp-gen init` found a manifest in the target directory; init never overwrites user files.', fix: 'Choose an empty directory, or run `mcp-gen generate` in the existing project.' },
  MG5007: { title: 'foreign file at a generated path', cause: 'A file mcp-gen did not write (no ledger entry, no generated header) sits where a generated file goes.', fix: 'Move the file elsewhere, or pass --force to replace it.' },
  MG5010: { title: 'generator version mismatch', cause: 'mcp-gen.lock.json records another mcp-gen version than the one running: `--check` would call every generated file stale, and an older generator would undo a newer one\'s output.', fix: 'Run the project\'s own generator (`npm install`, then `npx --no-install mcp-gen …`), or regenerate with this version and update the `mcp-gen` devDependency to match.' },
  MG5011: { title: 'dependency missing from package.json', cause: 'package.json is user-owned, so mcp-gen never rewrites it; the manifest now needs a package it does not list (e.g. `auth:` needs jose, `state.backend: redis` needs redis, `apps:` needs esbuild), and the project would fail to build or start.', fix: 'Run the `npm install` command the warning prints (exact versions mcp-gen was tested with).' },
  MG5005: { title: 'refusing to write outside the output root', cause: 'A planned path escapes the output directory.', fix: 'Report this as a bug in mcp-gen.' },

  // ── CLI usage ─────────────────────────────────────────────────────────────
  MG9001: { title: 'usage error', cause: 'The command line is not valid.', fix: 'Run `mcp-gen <command> --help`.' },
  MG9002: { title: 'internal error', cause: 'mcp-gen hit a bug.', fix: 'Re-run with MCP_GEN_DEBUG=1 for a stack trace and report it.' },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof CODES;

export function codeInfo(code: DiagnosticCode): CodeInfo {
  return CODES[code];
}
