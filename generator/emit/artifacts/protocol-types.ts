/**
 * protocol/types.ts: one exported TS type per $def, through json-schema-to-typescript.
 * Every def keeps its own name: `$ref`s become `tsType` references before compiling, so the
 * compiler never dereferences (which would rename shared targets `Result1`, `RequestId2`…).
 */
import { compile } from 'json-schema-to-typescript';
import type { Artifact, EmitContext } from '../artifact.ts';
import { escapeCommentText } from '../text.ts';

type Json = unknown;

const ROOT_NAME = 'McpGenProtocolRoot__';

function isEmptySchema(s: Record<string, Json>): boolean {
  return Object.keys(s).every((k) => k === 'description' || k === '$comment' || k === 'title');
}

function defNameOfRef(ref: string): string {
  const m = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(ref);
  if (!m) throw new Error(`protocol schema has a non-local $ref ${ref}; mcp-gen never fetches network refs`);
  return m[1]!;
}

/** Replace `$ref` by `tsType` and `{}` by `unknown` (json-schema-to-typescript renders `{}` as an object). */
function normalize(schema: Json, keyIsMap = false): Json {
  if (Array.isArray(schema)) return schema.map((s) => normalize(s));
  if (schema === null || typeof schema !== 'object') return schema;
  const s = schema as Record<string, Json>;
  if (keyIsMap) return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, normalize(v)]));
  if (typeof s.$ref === 'string') {
    const { $ref, ...rest } = s;
    return { ...(normalize(rest) as object), tsType: defNameOfRef($ref) };
  }
  if (isEmptySchema(s)) return { ...s, tsType: 'unknown' };
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'description' && typeof v === 'string') out[k] = escapeCommentText(v);
    else out[k] = normalize(v, k === 'properties' || k === '$defs' || k === 'definitions' || k === 'patternProperties');
  }
  return out;
}

export async function compileProtocolTypes(defs: Record<string, Json>): Promise<string> {
  const root = {
    title: ROOT_NAME,
    type: 'object',
    additionalProperties: false,
    properties: {},
    $defs: Object.fromEntries(
      Object.keys(defs)
        .sort()
        .map((name) => {
          const def = defs[name];
          const normalized = typeof def === 'boolean' ? { tsType: def ? 'unknown' : 'never' } : (normalize(def) as object);
          return [name, { ...normalized, title: name }];
        }),
    ),
  };
  const ts = await compile(root as never, ROOT_NAME, {
    bannerComment: '',
    format: false,
    additionalProperties: true,
    unreachableDefinitions: true,
    declareExternallyReferenced: true,
    strictIndexSignatures: false,
    enableConstEnums: false,
  });
  return stripRoot(ts);
}

/** Drops the synthetic root interface and the "referenced by the root" notes it leaves in comments. */
function stripRoot(ts: string): string {
  let out = ts;
  const start = out.indexOf(`export interface ${ROOT_NAME} {`);
  if (start >= 0) out = out.slice(0, start) + out.slice(out.indexOf('\n}\n', start) + 3);
  const note = String.raw` \* This interface was referenced by \`` + ROOT_NAME + String.raw`\`'s JSON-Schema\n \* via the \`definition\` "[^"]+"\.\n`;
  out = out.replace(new RegExp(String.raw`/\*\*\n` + note + String.raw` \*/\n`, 'g'), '');
  out = out.replace(new RegExp(String.raw` \* ?\n` + note, 'g'), '');
  return out;
}

export const protocolTypes: Artifact = {
  id: 'protocol-types',
  async emit(ctx: EmitContext) {
    const content = await compileProtocolTypes(ctx.spec.document.$defs);
    return [{ path: `${ctx.protocolDir}/types.ts`, owner: 'generated', language: 'typescript', content }];
  },
};
