/** URIs and URI templates: resources are identified by absolute URIs (server/resources.mdx). */
import { didYouMean } from '../did-you-mean.ts';
import { asList, asString, isRecord } from '../paths.ts';
import { positionInString } from '../yaml-source.ts';
import { diag } from '../../diagnostics/diagnostic.ts';
import { entriesOf } from './entries.ts';
import type { RuleContext } from './rule-context.ts';
import { parseUriTemplate } from './uri-template.ts';

const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/;

export function checkUris(ctx: RuleContext): void {
  for (const { index, value } of entriesOf(ctx.raw, 'resources')) {
    const uri = asString(value.uri);
    if (uri !== undefined && !ABSOLUTE_URI.test(uri)) {
      ctx.report('MG3009', `resource URI \`${uri}\` is not an absolute URI`, ['resources', index, 'uri']);
    }
  }
  const server = isRecord(ctx.raw.server) ? ctx.raw.server : {};
  const websiteUrl = asString(server.websiteUrl);
  if (websiteUrl !== undefined && !/^https?:\/\/\S+$/i.test(websiteUrl)) {
    ctx.report('MG3009', `websiteUrl \`${websiteUrl}\` is not an http(s) URL`, ['server', 'websiteUrl'], { help: 'Use a full URL such as https://example.com.' });
  }
  checkIcons(ctx, server.icons, ['server', 'icons']);
  for (const list of ['tools', 'resources', 'resourceTemplates', 'prompts']) {
    for (const { index, value } of entriesOf(ctx.raw, list)) checkIcons(ctx, value.icons, [list, index, 'icons']);
  }
}

function checkIcons(ctx: RuleContext, icons: unknown, path: (string | number)[]): void {
  asList(icons).forEach((icon, i) => {
    const src = isRecord(icon) ? asString(icon.src) : undefined;
    if (src !== undefined && !ABSOLUTE_URI.test(src)) {
      ctx.report('MG3009', `icon src \`${src}\` is not an absolute URI`, [...path, i, 'src'], { help: 'Use an https: URL or a data: URI.' });
    }
  });
}

export function checkUriTemplates(ctx: RuleContext): void {
  for (const { index, value } of entriesOf(ctx.raw, 'resourceTemplates')) {
    const template = asString(value.uriTemplate);
    if (template === undefined) continue;
    const path = ['resourceTemplates', index, 'uriTemplate'];
    const parsed = parseUriTemplate(template);
    for (const error of parsed.errors) {
      ctx.diagnostics.push(diag('MG3006', `invalid URI template: ${error.message}`, { at: positionInString(ctx.source, path, template, error.offset, error.length) }));
    }
    if (parsed.errors.length === 0 && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(template)) {
      ctx.report('MG3006', `URI template \`${template}\` does not start with a URI scheme`, path, { help: 'Start it with a scheme, e.g. `file:///{path}`.' });
    }
    if (parsed.errors.length > 0 || !isRecord(value.completions)) continue;
    const names = parsed.variables.map((v) => v.name);
    for (const key of Object.keys(value.completions)) {
      if (!names.includes(key)) {
        ctx.report('MG3012', `completions for \`${key}\`, but \`${template}\` has no variable \`${key}\`${didYouMean(key, names)}`, ['resourceTemplates', index, 'completions', key], { onKey: true });
      }
    }
  }
}
