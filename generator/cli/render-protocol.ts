/** Human-readable renderings of the protocol model and spec diffs. */
import type { ProtocolModel } from '../protocol/model.ts';
import type { SpecDiff } from '../protocol/diff.ts';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export function renderProtocolSummary(m: ProtocolModel): string {
  const out: string[] = [];
  out.push(`MCP ${m.revision} (${m.era}, sha256:${m.sha256.slice(0, 12)})`);
  out.push(`features: ${Object.entries(m.features).filter(([, v]) => v).map(([k]) => k).join(', ') || 'none'}`);
  out.push('', 'methods:');
  out.push(
    table([
      ['method', 'kind', 'direction', 'via', 'params', 'results', 'capability'],
      ...m.methods.map((x) => [
        x.method,
        x.kind,
        x.direction,
        x.transport,
        x.paramsDef ?? (x.paramsRequired ? '(inline)' : '-'),
        x.resultDefs.join(' | ') || '-',
        x.capability ? `${x.capability.side}:${x.capability.path}` : '-',
      ]),
    ]).replace(/^/gm, '  '),
  );
  out.push('', 'error codes:');
  out.push(table(m.errorCodes.map((e) => [String(e.code), e.name, e.source, e.dataRequired.length ? `data: ${e.dataRequired.join(', ')}` : ''])).replace(/^/gm, '  '));
  for (const kind of ['request', 'result', 'notification'] as const) {
    out.push('', `_meta keys (${kind}):`);
    if (!m.meta[kind].length) out.push('  (none declared)');
    for (const k of m.meta[kind]) out.push(`  ${k.key}${k.required ? ' (required)' : ''}${k.type ? `: ${k.type}` : ''}`);
  }
  out.push('', `capabilities: client {${m.capabilities.client.join(', ')}}  server {${m.capabilities.server.join(', ')}}`);
  out.push(`${m.defs.length} defs`);
  return out.join('\n');
}

export function renderDiff(d: SpecDiff): string {
  const out: string[] = [`spec diff ${d.from} → ${d.to}`];
  const section = (title: string, lines: string[]) => {
    if (!lines.length) return;
    out.push('', `${title} (${lines.length}):`, ...lines.map((l) => `  ${l}`));
  };
  section('methods added', d.methods.added);
  section('methods removed', d.methods.removed);
  section('methods changed', d.methods.changed.map((c) => `${c.method}: ${c.what} ${c.from} → ${c.to}`));
  section('defs added', d.defs.added);
  section('defs removed', d.defs.removed);
  section('fields added', d.fields.added.map((f) => `${f.def}.${f.field}: ${f.to}`));
  section('fields removed', d.fields.removed.map((f) => `${f.def}.${f.field}: ${f.from}`));
  section('fields changed', d.fields.changed.map((f) => `${f.def}.${f.field}: ${f.from} → ${f.to}`));
  section('newly required', d.fields.newlyRequired.map((f) => `${f.def}.${f.field}`));
  section('no longer required', d.fields.noLongerRequired.map((f) => `${f.def}.${f.field}`));
  section('error codes added', d.errorCodes.added.map(String));
  section('error codes removed', d.errorCodes.removed.map(String));
  out.push('', d.breaking.length ? `BREAKING: ${d.breaking.length} change(s) — see above` : 'no breaking changes');
  return out.join('\n');
}
