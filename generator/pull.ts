/**
 * `mcp-gen pull`: write a manifest from a live server (server/discover + the four lists), so
 * `mcp-gen generate --client-only` gives a typed client for any server, third-party included.
 * Uses the same client runtime the generated SDKs use, so it reaches 2025-11-25 servers too (the
 * runtime detects the era and falls back to `initialize`); the manifest then still says
 * `spec: 2026-07-28`, the revision the generated client is built from, since that client speaks
 * both eras. Entries the manifest rules reject (an invalid name, a network $ref…) are left out with
 * a warning naming the rule.
 */
import { Document } from 'yaml';
import { createClient, type ClientOptions, type OAuthClientAuth } from '../templates/runtime/client/index.ts';
import { PROTOCOL_VERSION } from '../templates/runtime/wire.ts';
import { buildAppModel } from './app/build.ts';
import { DiagnosticError, diag, type Diagnostic } from './diagnostics/diagnostic.ts';
import { parseManifest } from './manifest/load-manifest.ts';
import { SCHEMA_MODELINE } from './init.ts';

type Json = Record<string, unknown>;

export interface PullOptions {
  url?: string;
  /** A command line, split on whitespace (quote-free), e.g. "node server.js --stdio". */
  stdio?: string;
  timeoutMs?: number;
  /** OAuth for a protected HTTP server (a pre-issued token, client credentials or a loopback login). */
  auth?: OAuthClientAuth;
}

export interface PullResult {
  yaml: string;
  /** The revision the server spoke (`2025-11-25` for a legacy server). */
  serverRevision: string;
  warnings: Diagnostic[];
  counts: { tools: number; prompts: number; resources: number; resourceTemplates: number };
}

const pick = (o: Json, keys: string[]): Json => Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));

/** A list the server does not serve (-32601) is simply empty. */
async function optional<T>(list: () => Promise<T[]>): Promise<T[]> {
  try {
    return await list();
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (code === -32601) return [];
    throw error;
  }
}

export async function pullManifest(opts: PullOptions): Promise<PullResult> {
  const clientOptions: ClientOptions = {
    clientInfo: { name: 'mcp-gen-pull', version: '1' },
    timeoutMs: opts.timeoutMs ?? 30_000,
    logger: { error() {}, warn() {}, info() {} },
    // Declared so that servers which offer tools only to capable clients (a 2025 server decides at
    // initialize) show their whole surface; nothing is elicited or sampled while pulling.
    capabilities: { elicitation: { form: {} }, sampling: {}, roots: {} },
    handlers: { elicit: () => ({ action: 'decline' }), listRoots: () => [] },
    ...(opts.auth && { auth: opts.auth }),
    ...(opts.url ? { url: opts.url } : { stdio: { command: opts.stdio!.split(/\s+/)[0]!, args: opts.stdio!.split(/\s+/).slice(1) } }),
  };
  const client = createClient(clientOptions);
  try {
    const discovered = await client.discover();
    const info = (discovered._meta?.['io.modelcontextprotocol/serverInfo'] ?? {}) as Json;
    const caps = discovered.capabilities as Json;
    const [tools, prompts, resources, templates] = await Promise.all([
      caps.tools ? optional(() => client.listTools()) : [],
      caps.prompts ? optional(() => client.listPrompts()) : [],
      caps.resources ? optional(() => client.listResources()) : [],
      caps.resources ? optional(() => client.listResourceTemplates()) : [],
    ]);
    const serverRevision = client.protocolVersion;
    const manifest: Json = {
      spec: client.era === 'legacy' ? PROTOCOL_VERSION : serverRevision,
      server: {
        name: String(info.name ?? 'pulled-server'),
        version: String(info.version ?? '0.0.0'),
        ...pick(info, ['title', 'description', 'websiteUrl']),
        ...(discovered.instructions ? { instructions: discovered.instructions } : {}),
      },
      tools: (tools as unknown as Json[]).map((t) => ({
        ...pick(t, ['name', 'title', 'description']),
        input: t.inputSchema,
        ...(t.outputSchema ? { output: t.outputSchema } : {}),
        ...(t.annotations ? { annotations: pick(t.annotations as Json, ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']) } : {}),
      })),
      resources: (resources as unknown as Json[]).map((r) => pick(r, ['uri', 'name', 'title', 'description', 'mimeType', 'size'])),
      resourceTemplates: (templates as unknown as Json[]).map((r) => pick(r, ['uriTemplate', 'name', 'title', 'description', 'mimeType'])),
      prompts: (prompts as unknown as Json[]).map((p) => ({
        ...pick(p, ['name', 'title', 'description']),
        ...(Array.isArray(p.arguments) && p.arguments.length
          ? { arguments: (p.arguments as Json[]).map((a) => pick(a, ['name', 'title', 'description', 'required'])) }
          : {}),
      })),
    };
    return { ...dropRejectedEntries(manifest, client.era === 'legacy' ? serverRevision : undefined), serverRevision };
  } finally {
    await client.close();
  }
}

const render = (manifest: Json, legacyRevision?: string) =>
  `${SCHEMA_MODELINE}\n# Pulled from a live server by \`mcp-gen pull\`; edit freely.\n` +
  (legacyRevision ? `# The server speaks ${legacyRevision} (initialize-based); the generated client detects that and speaks it.\n` : '') +
  new Document(manifest).toString({ lineWidth: 0 });

/** Validates the pulled manifest and removes each entry an error points into, until it is clean. */
function dropRejectedEntries(manifest: Json, legacyRevision: string | undefined): Omit<PullResult, 'serverRevision'> {
  const warnings: Diagnostic[] = [];
  for (let round = 0; round < 50; round++) {
    const text = render(manifest, legacyRevision);
    const loaded = parseManifest(text, 'pulled.yaml');
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    // The generator's own checks too (names that collide once camel-cased, …), not just the format's.
    if (errors.length === 0 && loaded.manifest) errors.push(...buildAppModel(loaded.manifest).diagnostics.filter((d) => d.severity === 'error'));
    if (errors.length === 0) {
      const count = (k: string) => (manifest[k] as unknown[]).length;
      return { yaml: text, warnings, counts: { tools: count('tools'), prompts: count('prompts'), resources: count('resources'), resourceTemplates: count('resourceTemplates') } };
    }
    const line = errors[0]!.at?.line ?? 0;
    const hit = locateEntry(text, line);
    // Outside the four lists (server info, say) nothing can be left out: report it as it is.
    if (!hit) throw new DiagnosticError(errors.map((e) => ({ ...e, message: `the pulled manifest is not valid: ${e.message}`, at: undefined })));
    const list = manifest[hit.key] as Json[];
    const [removed] = list.splice(hit.index, 1);
    warnings.push(diag(errors[0]!.code, `left out ${hit.key.replace(/s$/, '')} \`${String(removed?.name ?? removed?.uri ?? hit.index)}\`: ${errors[0]!.message}`, { severity: 'warning' }));
  }
  throw new Error('pulled manifest could not be made valid');
}

/** Which top-level list entry a 1-based line of the rendered YAML belongs to. */
function locateEntry(text: string, line: number): { key: string; index: number } | undefined {
  const lines = text.split('\n');
  let key: string | undefined;
  let index = -1;
  for (let i = 0; i < Math.min(line, lines.length); i++) {
    const l = lines[i]!;
    const top = /^([A-Za-z]+):/.exec(l);
    if (top) {
      key = top[1];
      index = -1;
    } else if (/^ {2}- /.test(l) || /^- /.test(l)) index++;
  }
  return key && index >= 0 && ['tools', 'prompts', 'resources', 'resourceTemplates'].includes(key) ? { key, index } : undefined;
}
