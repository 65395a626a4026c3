import type { RequestContext } from './context.ts';

/** Context a completer gets: already-resolved sibling arguments (server/utilities/completion.mdx). */
export interface CompletionContext {
  arguments: Record<string, string>;
  ctx: RequestContext;
}

export type CompletionValues = string[] | { values: string[]; total?: number; hasMore?: boolean };

export type Completer = (value: string, context: CompletionContext) => Promise<CompletionValues> | CompletionValues;

const MAX_VALUES = 100;

/** Shapes `completion` of a CompleteResult: at most 100 values (server/utilities/completion.mdx). */
export function toCompletion(result: CompletionValues | undefined): { values: string[]; total?: number; hasMore: boolean } {
  const values = Array.isArray(result) ? result : (result?.values ?? []);
  const total = Array.isArray(result) ? values.length : (result?.total ?? values.length);
  const hasMore = (!Array.isArray(result) && result?.hasMore) || values.length > MAX_VALUES;
  return { values: values.slice(0, MAX_VALUES), total, hasMore: Boolean(hasMore) };
}
