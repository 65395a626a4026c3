/**
 * protocol/revisions/: one method table per served revision (what the runtime's dispatcher reads)
 * and an index listing them newest first; protocol/<rev>/schemas.ts holds the validators of a
 * served revision other than the project's own (whose validators are protocol/schemas.ts).
 */
import type { Artifact, EmitContext, EmittedFile, ServedRevision } from '../artifact.ts';
import type { MethodInfo } from '../../protocol/model.ts';
import { renderTemplate } from '../templates.ts';
import { prettierKey, prettierString } from '../../format/preformatted.ts';
import { renderProtocolSchemas } from './protocol-schemas.ts';
import { laidOutTypeScript } from '../../format/ts-tool-layout.ts';

/** The name each table is exported under: `MCP_2026_07_28`. */
export function revisionExportName(revision: string): string {
  return `MCP_${revision.replace(/[^A-Za-z0-9]/g, '_')}`;
}

/** Served revisions of a context, newest first; the context's own revision when none are listed. */
export function servedRevisions(ctx: EmitContext): ServedRevision[] {
  const served = ctx.served ?? [{ spec: ctx.spec, protocol: ctx.protocol }];
  return [...served].sort((a, b) => (a.spec.revision < b.spec.revision ? 1 : -1));
}

const isPrimary = (ctx: EmitContext, served: ServedRevision) => served.spec.revision === ctx.spec.revision;

/** Where a served revision's validators live, relative to the output root. */
export function revisionSchemasPath(ctx: EmitContext, served: ServedRevision): string {
  return isPrimary(ctx, served) ? `${ctx.protocolDir}/schemas.ts` : `${ctx.protocolDir}/${served.spec.revision}/schemas.ts`;
}

export const revisionTablePath = (protocolDir: string, revision: string) => `${protocolDir}/revisions/${revision}.ts`;
export const revisionsIndexPath = (protocolDir: string) => `${protocolDir}/revisions/index.ts`;

/** A method may answer InputRequiredResult when the schema lists it among the method's results. */
const mayRequireInput = (m: MethodInfo) => m.resultDefs.includes('InputRequiredResult');

function tableView(ctx: EmitContext, served: ServedRevision) {
  const model = served.protocol;
  return {
    revision: model.revision,
    era: model.era,
    exportName: revisionExportName(model.revision),
    revisionLiteral: prettierString(model.revision),
    eraLiteral: prettierString(model.era),
    schemasModule: isPrimary(ctx, served) ? '../schemas.ts' : `../${model.revision}/schemas.ts`,
    errorCodes: model.errorCodes.map((e) => ({ name: e.name, code: String(e.code) })),
    methods: model.methods.map((m) => ({
      // A method name that is both a request and a notification is not in any revision; the
      // request wins should one ever be (it is the one the dispatcher answers).
      key: prettierKey(m.method),
      kind: prettierString(m.kind),
      direction: prettierString(m.direction),
      paramsSchema: m.paramsDef ? `S.${m.paramsDef}` : 'undefined',
      paramsRequired: String(m.paramsRequired),
      results: m.resultDefs.map((r) => `S.${r}`).join(', '),
      capability: m.capability ? `{ side: ${prettierString(m.capability.side)}, path: ${prettierString(m.capability.path)} }` : 'undefined',
      inputRequired: String(mayRequireInput(m)),
    })),
  };
}

export const protocolRevisions: Artifact = {
  id: 'protocol-revisions',
  emit(ctx: EmitContext) {
    const served = servedRevisions(ctx);
    const files: EmittedFile[] = [];
    for (const rev of served) {
      if (!isPrimary(ctx, rev)) {
        // No types module beside it: a cyclic validator is typed z.ZodType<unknown> there.
        files.push({ path: revisionSchemasPath(ctx, rev), owner: 'generated', language: 'typescript', ...laidOutTypeScript(renderProtocolSchemas(rev.spec.document, { withTypes: false })) });
      }
      files.push({
        path: revisionTablePath(ctx.protocolDir, rev.spec.revision),
        owner: 'generated',
        language: 'typescript',
        prettierShaped: true,
        content: renderTemplate('protocol/revision.ts.hbs', tableView(ctx, rev)),
      });
    }
    const index = {
      revisions: served.map((rev) => ({
        exportName: revisionExportName(rev.spec.revision),
        module: `./${rev.spec.revision}.ts`,
        versionLiteral: prettierString(rev.spec.revision),
      })),
    };
    const lists = {
      servedList: index.revisions.map((r) => r.exportName).join(', '),
      versionList: index.revisions.map((r) => r.versionLiteral).join(', '),
    };
    // Both in prettier's layout: spec-derived names and strings printed as prettier prints them (format/preformatted.ts checks the widths).
    files.push({ path: revisionsIndexPath(ctx.protocolDir), owner: 'generated', language: 'typescript', prettierShaped: true, content: renderTemplate('protocol/revisions-index.ts.hbs', { ...index, ...lists }) });
    return files;
  },
};
