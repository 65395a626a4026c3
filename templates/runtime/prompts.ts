import type { RequestContext } from './context.ts';
import type { Completer } from './completion.ts';
import { invalidParams } from './errors.ts';
import { compact, isPlainObject } from './json.ts';
import type { Icon, JsonObject, PromptArgument, PromptMessage } from './wire.ts';

type RequiredNames<A extends readonly PromptArgument[]> = Extract<A[number], { required: true }>['name'];
type OptionalNames<A extends readonly PromptArgument[]> = Exclude<A[number]['name'], RequiredNames<A>>;

/** `{ arg1: string; arg2?: string }` from the declared arguments. */
export type PromptArgs<A extends readonly PromptArgument[]> = { [K in RequiredNames<A>]: string } & { [K in OptionalNames<A>]?: string };

export type PromptReturn = PromptMessage[] | { description?: string; messages: PromptMessage[]; _meta?: JsonObject };

export interface PromptDefinition<A extends readonly PromptArgument[] = readonly PromptArgument[]> {
  name: string;
  title?: string;
  description: string;
  arguments?: A;
  icons?: Icon[];
  _meta?: JsonObject;
  /** Completions per argument for `completion/complete` with `ref/prompt`. */
  complete?: { [K in A[number]['name']]?: Completer };
  // Method syntax keeps registries of differently-typed prompts assignable (bivariant params).
  get(args: PromptArgs<A>, ctx: RequestContext): Promise<PromptReturn> | PromptReturn;
}

export type AnyPromptDefinition = PromptDefinition<readonly PromptArgument[]>;

/** Identity function that types `get`'s arguments from the declared argument list. */
export function definePrompt<const A extends readonly PromptArgument[] = []>(definition: PromptDefinition<A>): PromptDefinition<A> {
  return definition;
}

export function promptListEntry(prompt: AnyPromptDefinition): JsonObject {
  return compact({
    name: prompt.name,
    title: prompt.title,
    description: prompt.description,
    arguments: prompt.arguments?.map((a) => compact({ ...a })),
    icons: prompt.icons,
    _meta: prompt._meta,
  }) as unknown as JsonObject;
}

/** Arguments are a string map and required ones must be present: -32602 otherwise (server/prompts.mdx "Error Handling"). */
export function readPromptArguments(prompt: AnyPromptDefinition, value: unknown): Record<string, string> {
  if (value === undefined) value = {};
  if (!isPlainObject(value) || Object.values(value).some((v) => typeof v !== 'string'))
    throw invalidParams('Invalid params: prompt arguments must be an object of strings');
  const args = value as Record<string, string>;
  const missing = (prompt.arguments ?? []).filter((a) => a.required && !(Object.hasOwn(args, a.name) && args[a.name] !== undefined)).map((a) => a.name);
  if (missing.length > 0) throw invalidParams(`Invalid params: missing required argument(s) for prompt ${prompt.name}: ${missing.join(', ')}`);
  return args;
}

export function toPromptResult(returned: PromptReturn): JsonObject {
  const result: Exclude<PromptReturn, PromptMessage[]> = Array.isArray(returned) ? { messages: returned } : returned;
  return compact({ description: result.description, messages: result.messages, _meta: result._meta }) as unknown as JsonObject;
}
