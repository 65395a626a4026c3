/**
 * MCP Apps entries (extensions/apps-2026-01-26.mdx): the HTML template they name must exist next to
 * the manifest, their CSP lists hold origins, `ui://` belongs to them alone, and a tool that renders
 * one has an output schema its view bindings can be typed from.
 */
import { posix } from 'node:path';
import { asList, asString, isRecord } from '../paths.ts';
import { entriesOf } from './entries.ts';
import type { RuleContext } from './rule-context.ts';

export function checkApps(ctx: RuleContext): void {
  checkTemplates(ctx);
  checkCspOrigins(ctx);
  checkReservedScheme(ctx);
  checkTypedViews(ctx);
}

function checkTemplates(ctx: RuleContext): void {
  const read = ctx.readLocalFile;
  if (!read) return;
  const dir = posix.dirname(ctx.source.file.replace(/\\/g, '/'));
  for (const { index, value } of entriesOf(ctx.raw, 'apps')) {
    const template = asString(value.template);
    if (template === undefined || template === '') continue;
    // Templates are served to hosts: never from outside the project folder.
    if (posix.isAbsolute(template) || posix.normalize(template).startsWith('..')) {
      ctx.report('MG2007', `app template \`${template}\` is outside the project folder`, ['apps', index, 'template'], { help: 'Put the template under the manifest\'s folder, e.g. `src/apps/<id>.html`.' });
      continue;
    }
    // The conventional place is scaffolded by generate (a user-owned starter view), so it may be absent.
    if (posix.normalize(template) === `src/apps/${asString(value.id) ?? ''}.html`) continue;
    const path = posix.normalize(posix.join(dir, template));
    let found = false;
    try {
      found = read(path) !== undefined;
    } catch {
      found = false;
    }
    if (!found) ctx.report('MG2007', `app template \`${path}\` not found`, ['apps', index, 'template'], { help: 'Create the file or fix the path (relative to the manifest).' });
  }
}

const CSP_LISTS = ['connectDomains', 'resourceDomains', 'frameDomains', 'baseUriDomains'] as const;
const CSP_SCHEMES = ['http', 'https', 'ws', 'wss'];
/** host: `*.` wildcard subdomain (spec: "Wildcard subdomains supported"), a DNS name, IPv4 or [IPv6]. */
const HOST = /^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$|^\[[0-9a-f:.]+\]$/i;

/** Why `value` is not `scheme://host[:port]`, or undefined when it is one. */
export function cspOriginProblem(value: string): string | undefined {
  if (value.trim() === '') return 'it is empty';
  const bad = [...new Set([...value].filter((c) => /[\s;,'"]/.test(c)))];
  // A host joins these lists into a CSP header: `;` or a quote would smuggle in directives or keywords.
  if (bad.length > 0) return `it contains ${bad.map((c) => JSON.stringify(c)).join(', ')}, which would change the policy a host builds`;
  if (value === '*' || /^[a-z][a-z0-9+.-]*:\*?$/i.test(value)) return 'it allows every origin; list each origin the view needs';
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/i.exec(value);
  if (!m) return `it has no scheme; write \`https://${value.replace(/^\/+/, '')}\``;
  const [, scheme, authority, rest] = m as unknown as [string, string, string, string];
  if (!CSP_SCHEMES.includes(scheme.toLowerCase())) return `scheme \`${scheme}:\` is not one of ${CSP_SCHEMES.map((s) => `${s}:`).join(', ')}`;
  if (authority.includes('@')) return 'it has user info; an origin is `scheme://host[:port]`';
  if (rest !== '' && rest !== '/') return `it has a path, query or fragment (\`${rest}\`); an origin is \`scheme://host[:port]\``;
  const hostPort = /^(.*?)(?::(\d{1,5}|\*))?$/.exec(authority)!;
  const host = hostPort[1]!;
  const port = hostPort[2];
  if (port !== undefined && port !== '*' && Number(port) > 65535) return `port ${port} is out of range`;
  if (!HOST.test(host)) return host.includes('*') ? 'a wildcard is only allowed as `*.` before the host' : `\`${host}\` is not a host name`;
  return undefined;
}

function checkCspOrigins(ctx: RuleContext): void {
  for (const { index, value } of entriesOf(ctx.raw, 'apps')) {
    if (!isRecord(value.csp)) continue;
    for (const list of CSP_LISTS) {
      asList(value.csp[list]).forEach((entry, i) => {
        if (typeof entry !== 'string') return; // shape errors come from the manifest definition
        const problem = cspOriginProblem(entry);
        if (problem) ctx.report('MG3014', `CSP origin \`${entry}\` in \`${list}\` is invalid: ${problem}`, ['apps', index, 'csp', list, i]);
      });
    }
  }
}

const UI_SCHEME = /^ui:/i;

function checkReservedScheme(ctx: RuleContext): void {
  const help = 'Declare the view under `apps:` (mcp-gen serves it as ui://<id>), or use another scheme.';
  for (const { index, value } of entriesOf(ctx.raw, 'resources')) {
    const uri = asString(value.uri);
    if (uri !== undefined && UI_SCHEME.test(uri)) ctx.report('MG3015', `resource URI \`${uri}\` uses the ui:// scheme, which is reserved for MCP App templates`, ['resources', index, 'uri'], { help });
  }
  for (const { index, value } of entriesOf(ctx.raw, 'resourceTemplates')) {
    const uri = asString(value.uriTemplate);
    if (uri !== undefined && UI_SCHEME.test(uri)) ctx.report('MG3015', `URI template \`${uri}\` uses the ui:// scheme, which is reserved for MCP App templates`, ['resourceTemplates', index, 'uriTemplate'], { help });
  }
}

/** Keywords that give a schema a shape the view bindings can type; annotations alone do not. */
const SHAPING_KEYWORDS = ['type', 'properties', '$ref', 'anyOf', 'oneOf', 'allOf', 'enum', 'const', 'items', 'prefixItems', 'additionalProperties', 'patternProperties', 'if', 'not'];

function checkTypedViews(ctx: RuleContext): void {
  const appIds = new Set(entriesOf(ctx.raw, 'apps').flatMap((app) => (typeof app.value.id === 'string' ? [app.value.id] : [])));
  for (const { index, value: tool } of entriesOf(ctx.raw, 'tools')) {
    const ui = asString(tool.ui);
    if (ui === undefined || !appIds.has(ui)) continue; // an unknown app is MG3005
    const name = asString(tool.name) ?? String(index);
    if (!('output' in tool)) {
      ctx.report('MG3013', `tool \`${name}\` renders app \`${ui}\` but has no \`output\` schema: its view's onToolResult gets no typed structuredContent`, ['tools', index, 'ui'], {
        severity: 'warning',
        help: 'Add `output:` with the JSON Schema of the structuredContent the view renders.',
      });
    } else if (tool.output === true || (isRecord(tool.output) && !SHAPING_KEYWORDS.some((k) => k in (tool.output as Record<string, unknown>)))) {
      ctx.report('MG3013', `the output schema of tool \`${name}\` constrains nothing, so its view (app \`${ui}\`) gets an untyped result`, ['tools', index, 'output'], {
        severity: 'warning',
        help: 'Give `output:` a shape: `type: object` with `properties:`.',
      });
    }
  }
}
