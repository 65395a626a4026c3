/** Names that clients use as keys must be unique (tools.mdx: tool names SHOULD be unique; URIs identify resources). */
import { asString } from '../paths.ts';
import { positionOfValue, type JsonPath } from '../yaml-source.ts';
import { entriesOf, type Entry } from './entries.ts';
import type { RuleContext } from './rule-context.ts';

interface UniqueGroup {
  list: string;
  key: string;
  what: string;
}

const TOP_LEVEL: UniqueGroup[] = [
  { list: 'tools', key: 'name', what: 'tool name' },
  { list: 'prompts', key: 'name', what: 'prompt name' },
  { list: 'resources', key: 'uri', what: 'resource URI' },
  // The spec keys resources by URI only, but each name becomes a handler file and identifiers.
  { list: 'resources', key: 'name', what: 'resource name' },
  { list: 'resourceTemplates', key: 'name', what: 'resource template name' },
  { list: 'resourceTemplates', key: 'uriTemplate', what: 'URI template' },
  { list: 'apps', key: 'id', what: 'app id' },
];

export function checkUniqueNames(ctx: RuleContext): void {
  for (const group of TOP_LEVEL) checkUnique(ctx, entriesOf(ctx.raw, group.list), [group.list], group.key, group.what);
  for (const tool of entriesOf(ctx.raw, 'tools')) {
    checkUnique(ctx, entriesOf(tool.value, 'asks'), ['tools', tool.index, 'asks'], 'id', 'ask id');
  }
  for (const prompt of entriesOf(ctx.raw, 'prompts')) {
    checkUnique(ctx, entriesOf(prompt.value, 'arguments'), ['prompts', prompt.index, 'arguments'], 'name', 'argument name');
  }
}

function checkUnique(ctx: RuleContext, entries: Entry[], listPath: JsonPath, key: string, what: string): void {
  const first = new Map<string, number>();
  for (const entry of entries) {
    const value = asString(entry.value[key]);
    if (value === undefined) continue;
    const earlier = first.get(value);
    if (earlier === undefined) {
      first.set(value, entry.index);
      continue;
    }
    const firstLine = positionOfValue(ctx.source, [...listPath, earlier, key]).line;
    ctx.report('MG3001', `duplicate ${what} \`${value}\` (first declared on line ${firstLine})`, [...listPath, entry.index, key]);
  }
}
