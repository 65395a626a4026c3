import type { z } from 'zod';
import type { TemplateParams } from '../uri-template.ts';
import type { JsonObject } from '../wire.ts';
import { createClient, type CallOptions, type ClientOptions, type ListOptions, type McpClient } from './create-client.ts';
import { ToolInputValidationError } from './errors.ts';
import type { Completion, GetPromptResult, ReadResourceResult, Resource, ResourceTemplate, ToolResult } from './results.ts';
import type { RequestOptions } from './rpc-session.ts';
import type { TaskHandle } from './tasks.ts';
import type { HeaderParamSpec } from './tool-header-params.ts';
import { expandUriTemplate } from './uri-template-expand.ts';

/**
 * The typed layer a generated `src/generated/client.ts` sits on. The generator emits one
 * `defineToolCall`/`definePromptCall`/`defineResourceTemplateRead` per manifest entry (names,
 * zod validators, `x-mcp-header` params) and a single `createTypedClient(options, manifest)`;
 * everything else, including the method types, is derived here.
 */
export interface ToolCallSpec<IS extends z.ZodType = z.ZodType, OS extends z.ZodType | undefined = z.ZodType | undefined> {
  readonly name: string;
  readonly input: IS;
  readonly output?: OS;
  readonly headerParams?: readonly HeaderParamSpec[];
}
export interface PromptCallSpec<AS extends z.ZodType | undefined = z.ZodType | undefined> {
  readonly name: string;
  readonly args?: AS;
}
export interface ResourceTemplateSpec<T extends string = string> {
  readonly name: string;
  readonly uriTemplate: T;
  readonly mimeType?: string;
}

export function defineToolCall<IS extends z.ZodType, OS extends z.ZodType | undefined = undefined>(spec: ToolCallSpec<IS, OS>): ToolCallSpec<IS, OS> {
  return spec;
}
export function definePromptCall<AS extends z.ZodType | undefined = undefined>(spec: PromptCallSpec<AS>): PromptCallSpec<AS> {
  return spec;
}
export function defineResourceTemplateRead<const T extends string>(spec: ResourceTemplateSpec<T>): ResourceTemplateSpec<T> {
  return spec;
}

export interface ClientManifest {
  tools?: Record<string, ToolCallSpec<any, any>>;
  prompts?: Record<string, PromptCallSpec<any>>;
  resourceTemplates?: Record<string, ResourceTemplateSpec<any>>;
}

/** Options of a typed tool call: everything but the validator, which comes from the spec. */
export type TypedCallOptions = RequestOptions;

/** Optional first argument when every field is optional (e.g. tools without parameters). */
type Args<In, Opt> = {} extends In ? [args?: In, options?: Opt] : [args: In, options?: Opt];

export type ToolInput<S> = S extends ToolCallSpec<infer IS, any> ? z.input<IS> : never;
export type ToolOutput<S> = S extends ToolCallSpec<any, infer OS> ? (OS extends z.ZodType ? z.output<OS> : unknown) : never;
export type PromptArgs<S> = S extends PromptCallSpec<infer AS> ? (AS extends z.ZodType ? z.input<AS> : Record<string, never>) : never;

export type ToolMethod<S> = ((...call: Args<ToolInput<S>, TypedCallOptions>) => Promise<ToolResult<ToolOutput<S>>>) & {
  readonly spec: S;
  /**
   * Starts the call and returns its task handle (extensions/tasks.md): `status()`, `respond()`,
   * `cancel()`, and `result()` typed like the call itself. A call the server answered without a
   * task gets a handle whose `result()` resolves at once.
   */
  start(...call: Args<ToolInput<S>, TypedCallOptions>): Promise<TaskHandle<ToolOutput<S>>>;
};
export type PromptMethod<S> = ((...call: Args<PromptArgs<S>, CallOptions>) => Promise<GetPromptResult>) & {
  readonly spec: S;
  /** `completion/complete` for one argument of this prompt. */
  complete(argument: keyof PromptArgs<S> & string, value: string, context?: Partial<Record<keyof PromptArgs<S> & string, string>>): Promise<Completion>;
};
export type TemplateMethod<S> =
  S extends ResourceTemplateSpec<infer T>
    ? ((params: TemplateParams<T>, options?: ListOptions) => Promise<ReadResourceResult>) & {
        readonly spec: S;
        /** The URI these params expand to. */
        uri(params: TemplateParams<T>): string;
        complete(variable: keyof TemplateParams<T> & string, value: string, context?: Partial<TemplateParams<T>>): Promise<Completion>;
      }
    : never;

type Section<M, K extends keyof ClientManifest> = NonNullable<M extends ClientManifest ? M[K] : never>;

export type TypedClient<M extends ClientManifest> = McpClient & {
  readonly tools: { readonly [K in keyof Section<M, 'tools'>]: ToolMethod<Section<M, 'tools'>[K]> };
  readonly prompts: { readonly [K in keyof Section<M, 'prompts'>]: PromptMethod<Section<M, 'prompts'>[K]> };
  readonly resources: {
    read(uri: string, options?: ListOptions): Promise<ReadResourceResult>;
    list(options?: ListOptions): Promise<Resource[]>;
    listTemplates(options?: ListOptions): Promise<ResourceTemplate[]>;
    readonly templates: { readonly [K in keyof Section<M, 'resourceTemplates'>]: TemplateMethod<Section<M, 'resourceTemplates'>[K]> };
  };
};

export interface TypedClientOptions extends ClientOptions {
  /** Validate arguments with the generated input validators before sending. Default true. */
  validateInput?: boolean;
}

function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
}

function toolMethod(client: McpClient, spec: ToolCallSpec, validate: boolean) {
  const checked = (args: unknown): JsonObject => {
    if (!validate) return args as JsonObject;
    const parsed = spec.input.safeParse(args);
    if (!parsed.success) throw new ToolInputValidationError(spec.name, issuesOf(parsed.error));
    return parsed.data as JsonObject;
  };
  const call = async (args: unknown = {}, options: TypedCallOptions = {}) =>
    client.callTool(spec.name, checked(args), { ...options, output: spec.output, headerParams: spec.headerParams });
  const start = async (args: unknown = {}, options: TypedCallOptions = {}) =>
    client.startTool(spec.name, checked(args), { ...options, output: spec.output, headerParams: spec.headerParams });
  return Object.assign(call, { spec, start });
}

function promptMethod(client: McpClient, spec: PromptCallSpec, validate: boolean) {
  const get = async (args: unknown = {}, options?: CallOptions) => {
    let sent = args;
    if (validate && spec.args) {
      const parsed = spec.args.safeParse(args);
      if (!parsed.success) throw new ToolInputValidationError(spec.name, issuesOf(parsed.error));
      sent = parsed.data;
    }
    return client.getPrompt(spec.name, sent as Record<string, string>, options);
  };
  const complete = (argument: string, value: string, context?: Record<string, string>) =>
    client.complete({ ref: { type: 'ref/prompt', name: spec.name }, argument: { name: argument, value }, ...(context ? { context: { arguments: context } } : {}) });
  return Object.assign(get, { spec, complete });
}

function templateMethod(client: McpClient, spec: ResourceTemplateSpec) {
  const uri = (params: Record<string, string>) => expandUriTemplate(spec.uriTemplate, params);
  const read = (params: Record<string, string>, options?: ListOptions) => client.readResource(uri(params), options);
  const complete = (variable: string, value: string, context?: Record<string, string>) =>
    client.complete({ ref: { type: 'ref/resource', uri: spec.uriTemplate }, argument: { name: variable, value }, ...(context ? { context: { arguments: context } } : {}) });
  return Object.assign(read, { spec, uri, complete });
}

const mapValues = <T, R>(record: Record<string, T> | undefined, f: (value: T) => R): Record<string, R> =>
  Object.fromEntries(Object.entries(record ?? {}).map(([key, value]) => [key, f(value)]));

export function createTypedClient<const M extends ClientManifest>(options: TypedClientOptions, manifest: M): TypedClient<M> {
  const client = createClient(options);
  const validate = options.validateInput ?? true;
  const facade = {
    tools: mapValues(manifest.tools, (spec) => toolMethod(client, spec, validate)),
    prompts: mapValues(manifest.prompts, (spec) => promptMethod(client, spec, validate)),
    resources: {
      read: (uri: string, readOptions?: ListOptions) => client.readResource(uri, readOptions),
      list: (listOptions?: ListOptions) => client.listResources(listOptions),
      listTemplates: (listOptions?: ListOptions) => client.listResourceTemplates(listOptions),
      templates: mapValues(manifest.resourceTemplates, (spec) => templateMethod(client, spec)),
    },
  };
  return Object.assign(client, facade) as unknown as TypedClient<M>;
}
