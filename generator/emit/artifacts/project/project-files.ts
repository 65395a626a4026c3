/**
 * Files a project needs once: package.json, tsconfig.json, src/main.ts, README, git attributes.
 * All user-owned (created when absent, never overwritten), except completions.ts which is generated.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../paths.ts';
import type { EmittedFile, ProjectArtifact, ProjectEmitContext } from '../../artifact.ts';
import { renderTemplate } from '../../templates.ts';
import { CONFORMANCE_PACKAGE, CONFORMANCE_VERSION, REFEREE_NODE_PACKAGE, REFEREE_NODE_VERSION } from '../../../fixtures/expected-failures.ts';
import { appSourcePath } from './apps.ts';

interface OwnPackage {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/** The generated project uses the exact versions this generator was tested with. */
function pinnedVersions() {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as OwnPackage;
  return {
    zod: pkg.dependencies.zod!,
    // The resource server (runtime/auth/) verifies JWT access tokens with jose; only projects with `auth:` list it.
    jose: pkg.devDependencies.jose!,
    // The client runtime's OAuth 2.1 client (runtime/client/auth/), copied into every project.
    oauth4webapi: pkg.dependencies.oauth4webapi!,
    typescript: pkg.devDependencies.typescript!,
    typesNode: pkg.devDependencies['@types/node']!,
    // MCP Apps views: the ext-apps App class (and its peer, the SDK client), bundled by esbuild.
    extApps: pkg.devDependencies['@modelcontextprotocol/ext-apps']!,
    mcpClient: pkg.devDependencies['@modelcontextprotocol/client']!,
    esbuild: pkg.devDependencies.esbuild!,
    // The generated conformance suite (test/conformance) runs on vitest; vite pinned to a Node 20 line.
    vitest: pkg.devDependencies.vitest!,
    tsx: pkg.devDependencies.tsx!,
    vite: pkg.devDependencies.vite!,
    // Shared state on Redis (manifest `state.backend: redis`); the runtime imports it dynamically.
    redis: pkg.devDependencies.redis!,
  };
}

function packageName(serverName: string): string {
  const slug = serverName.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-._]+|[-._]+$/g, '');
  return slug || 'mcp-server';
}

/**
 * Text prettier's markdown printer leaves as it is, in a table cell or a paragraph (proseWrap
 * preserve): letters, digits, single spaces and punctuation without markdown meaning, starting
 * with a letter or digit (so no list, heading or quote starts), nothing to escape or re-emphasize.
 */
const PLAIN_MARKDOWN = /^[A-Za-z0-9](?:[A-Za-z0-9,.;:()'"/?!-]| (?! ))*$/;
const plainMarkdown = (text: string) => PLAIN_MARKDOWN.test(text) && !text.endsWith(' ');
/** Inline code prettier prints as written, also in a table cell: printable ASCII without blanks, backticks, pipes or backslashes. */
const plainCode = (text: string) => /^[\x21-\x5b\x5d-\x5f\x61-\x7b\x7d\x7e]+$/.test(text);

/**
 * A markdown table; `aligned`: as prettier prints it (proseWrap preserve: cells padded to their
 * column's width, at least 3, delimiter row of dashes), for cells whose width is their length.
 * Else the plain form, which prettier then aligns.
 */
function markdownTable(header: string[], rows: string[][], aligned: boolean): string {
  const all = [header, ...rows];
  if (!aligned) return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  const widths = header.map((_, i) => Math.max(3, ...all.map((r) => r[i]!.length)));
  const row = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [row(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(row)].join('\n');
}

export const projectFiles: ProjectArtifact = {
  id: 'project-files',
  emit(ctx: ProjectEmitContext) {
    const { app } = ctx;
    const tools = app.tools.map((t, i) => ({ name: t.name, description: t.description.split('\n')[0]!.replace(/\|/g, '\\|'), file: ctx.plan.handlers.tools[i]!.path }));
    const toolRows = tools.map((t) => [`\`${t.name}\``, t.description, `\`${t.file}\``]);
    const apps = app.apps.map((a) => ({ id: a.id, uri: a.resourceUri, source: appSourcePath(a, ctx.manifestPath), tools: a.usedBy }));
    const appRows = apps.map((a) => [`\`${a.id}\``, `\`${a.uri}\``, `\`${a.source}\``, a.tools.map((t) => `\`${t}\``).join(', ') || '—']);
    // The README skips prettier when every value pasted into it is text prettier prints as written
    // (the template is prettier's layout; its tables are aligned here). A client-only README holds a
    // TypeScript block prettier would format: left to prettier.
    const readmeCertain =
      !ctx.plan.clientOnly &&
      plainMarkdown(app.server.title ?? app.server.name) &&
      plainMarkdown(app.server.description ?? '') &&
      plainCode(ctx.manifestPath) &&
      tools.every((t) => plainCode(t.name) && plainMarkdown(t.description) && plainCode(t.file)) &&
      apps.every((a) => plainCode(a.id) && plainCode(a.uri) && plainCode(a.source) && a.tools.every(plainCode));
    const view = {
      packageName: JSON.stringify(packageName(app.server.name)),
      version: JSON.stringify(app.server.version),
      description: JSON.stringify(app.server.description ?? `MCP server ${app.server.name}`),
      ...Object.fromEntries(Object.entries(pinnedVersions()).map(([k, v]) => [k, JSON.stringify(v)])),
      conformancePackage: CONFORMANCE_PACKAGE,
      conformanceVersion: CONFORMANCE_VERSION,
      nodePackage: REFEREE_NODE_PACKAGE,
      nodeVersion: REFEREE_NODE_VERSION,
      serverName: app.server.name,
      title: app.server.title ?? app.server.name,
      serverDescription: app.server.description ?? '',
      spec: app.spec,
      manifestPath: ctx.manifestPath,
      toolsTable: markdownTable(['tool', 'what it does', 'handler'], toolRows, readmeCertain),
      hasTools: app.tools.length > 0,
      hasApps: app.apps.length > 0 && !ctx.plan.clientOnly,
      hasAuth: app.auth !== undefined && !ctx.plan.clientOnly,
      // A client-only project (lock file `clientOnly`) gets a client's scripts, dependencies and README.
      clientOnly: ctx.plan.clientOnly,
      serverProject: !ctx.plan.clientOnly,
      // Only a project whose manifest selects Redis lists it: the others build and run without it.
      usesRedis: app.state?.backend === 'redis' && !ctx.plan.clientOnly,
      // Tools that run as tasks: the README says what happens to them when a replica dies.
      hasTasks: app.capabilities.tasks && !ctx.plan.clientOnly,
      clientFactory: ctx.plan.client.factory,
      clientModule: `./${ctx.plan.client.path}`,
      appsTable: markdownTable(['app', 'served as', 'view', 'shown for'], appRows, readmeCertain),
    };
    const user = (path: string, template: string, language: EmittedFile['language'], prettierShaped?: true): EmittedFile => ({
      path,
      owner: 'user',
      language,
      ...(prettierShaped ? { prettierShaped } : {}),
      content: renderTemplate(`project/${template}`, view),
    });
    return [
      user('package.json', 'package.json.hbs', 'json'),
      // A fixed text in prettier's layout (test/project/preformatted.test.ts checks it): prettier is not loaded for it.
      { ...user('tsconfig.json', 'tsconfig.json.hbs', 'json'), preformatted: true },
      user('src/main.ts', 'src/main.ts.hbs', 'typescript', true), // a template without values, in prettier's layout
      { ...user('README.md', 'README.md.hbs', 'markdown'), ...(readmeCertain ? { preformatted: true } : {}) },
      user('.gitignore', 'gitignore.hbs', 'text'),
      user('.gitattributes', 'gitattributes.hbs', 'text'),
      { path: 'src/generated/completions.ts', owner: 'generated', language: 'typescript', prettierShaped: true, content: renderTemplate('project/src/generated/completions.ts.hbs', {}) },
    ];
  },
};
