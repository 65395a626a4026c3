/** MCP Apps entries: the HTML template they name must exist next to the manifest. */
import { posix } from 'node:path';
import { asString } from '../paths.ts';
import { entriesOf } from './entries.ts';
import type { RuleContext } from './rule-context.ts';

export function checkApps(ctx: RuleContext): void {
  const read = ctx.readLocalFile;
  if (!read) return;
  const dir = posix.dirname(ctx.source.file.replace(/\\/g, '/'));
  for (const { index, value } of entriesOf(ctx.raw, 'apps')) {
    const template = asString(value.template);
    if (template === undefined || template === '') continue;
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
