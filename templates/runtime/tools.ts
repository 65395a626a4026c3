import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { ToolContext, ToolErrorResult } from './context.ts';
import { internalError, McpError, ToolError } from './errors.ts';
import { compact, isPlainObject, toJsonValue } from './json.ts';
import type { RuntimeLogger } from './log.ts';
import { isInputRequiredSignal } from './mrtr.ts';
import type { ToolTaskOptions } from './tasks/runner.ts';
import type { ClientCapabilities, ContentBlock, Icon, JsonObject, JsonSchemaObject, ToolAnnotations } from './wire.ts';

/** A tool parameter mirrored into an `Mcp-Param-{header}` HTTP header (basic/transports/streamable-http.mdx "x-mcp-header"). */
export interface HeaderParam {
  header: string;
  /** Top-level property name; use `path` for nested properties. */
  property?: string;
  path?: readonly string[];
}

/** What a handler returns for a tool without an output schema. */
export interface ToolContentReturn {
  content: ContentBlock[];
  isError?: boolean;
  _meta?: JsonObject;
}
/** What a handler returns for a tool with an output schema: the typed value, mirrored as text unless `content` is given. */
export interface ToolStructuredReturn<O> {
  structured: O;
  content?: ContentBlock[];
  _meta?: JsonObject;
}
export type ToolReturn<OS> = 0 extends 1 & OS
  ? ToolContentReturn | ToolStructuredReturn<unknown> | ToolErrorResult // `any`: registry element type
  : [OS] extends [z.ZodType]
    ? ToolStructuredReturn<z.output<OS>> | ToolErrorResult
    : ToolContentReturn | ToolErrorResult;

export interface ToolDefinition<IS extends z.ZodType = z.ZodType, OS extends z.ZodType | undefined = z.ZodType | undefined> {
  name: string;
  title?: string;
  description: string;
  /** Served verbatim (2020-12 keywords and x-mcp-header included), never re-derived from zod. */
  inputSchema: JsonSchemaObject;
  outputSchema?: JsonSchemaObject;
  annotations?: ToolAnnotations;
  icons?: Icon[];
  _meta?: JsonObject;
  /** Validator for `arguments`. */
  input: IS;
  /** Validator for the handler's `structured` value. */
  output?: OS;
  /** Defaults to every `x-mcp-header` annotation statically reachable in `inputSchema`. */
  headerParams?: readonly HeaderParam[];
  /**
   * Deadline of one call in ms (overrides the server's `requestTimeoutMs`; 0 disables): on expiry
   * `ctx.signal` aborts and the request ends with -32603.
   */
  timeoutMs?: number;
  /**
   * Tasks extension (extensions/tasks.md): `optional` runs the call as a task when the request
   * declares the extension, `required` refuses (-32021) requests that do not. Absent = forbidden.
   */
  task?: ToolTaskOptions;
  /** Client capabilities this tool cannot work without: absent ones give -32021 before the handler runs. */
  requiresClientCapabilities?: ClientCapabilities;
  handler: (input: z.output<IS>, ctx: ToolContext) => Promise<ToolReturn<OS>> | ToolReturn<OS>;
}

// Registries hold tools of many shapes; variance makes `any` the honest element type here.
export type AnyToolDefinition = ToolDefinition<any, any>;

/** Identity function that infers handler input/output types from the zod validators. */
export function defineTool<IS extends z.ZodType, OS extends z.ZodType | undefined = undefined>(
  definition: ToolDefinition<IS, OS>,
): ToolDefinition<IS, OS> {
  return definition;
}

export interface ResolvedHeaderParam {
  header: string;
  path: readonly string[];
}

/**
 * x-mcp-header annotations count only on properties reachable through a chain of `properties`
 * keys (basic/transports/streamable-http.mdx "Schema Extension"); anything else is ignored here.
 */
export function headerParamsOf(tool: AnyToolDefinition): ResolvedHeaderParam[] {
  if (tool.headerParams)
    return tool.headerParams.map((p) => ({ header: p.header, path: p.path ?? (p.property !== undefined ? [p.property] : []) }));
  const found: ResolvedHeaderParam[] = [];
  const walk = (schema: unknown, path: string[]) => {
    if (!isPlainObject(schema) || !isPlainObject(schema.properties)) return;
    for (const [name, child] of Object.entries(schema.properties)) {
      if (!isPlainObject(child)) continue;
      if (typeof child['x-mcp-header'] === 'string') found.push({ header: child['x-mcp-header'], path: [...path, name] });
      walk(child, [...path, name]);
    }
  };
  walk(tool.inputSchema, []);
  return found;
}

export function toolListEntry(tool: AnyToolDefinition): JsonObject {
  return compact({
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: tool.inputSchema,
    outputSchema: tool.outputSchema,
    annotations: tool.annotations,
    icons: tool.icons,
    _meta: tool._meta,
  }) as unknown as JsonObject;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`).join('; ');
}

const textResult = (text: string, isError?: true): JsonObject => ({ content: [{ type: 'text', text }], ...(isError ? { isError } : {}) });

/**
 * Runs one call and shapes a CallToolResult (server/tools.mdx "Calling Tools", "Error Handling").
 * Invalid arguments and handler failures become `isError` results the model can read; stack traces
 * stay on stderr. MRTR signals and protocol errors propagate to the dispatcher.
 */
export async function callTool(tool: AnyToolDefinition, args: JsonObject, ctx: ToolContext, logger: RuntimeLogger): Promise<JsonObject> {
  const parsed = tool.input.safeParse(args);
  if (!parsed.success) return textResult(`Invalid arguments for tool ${tool.name}: ${describeIssues(parsed.error)}`, true);
  // The handler gets exactly what the validator produced: generated validators are loose objects,
  // so unknown fields pass through there; a strict or hand-written schema's choice is respected.
  const input = parsed.data;

  let returned: ToolReturn<z.ZodType> | ToolReturn<undefined>;
  try {
    returned = await tool.handler(input, ctx);
  } catch (error) {
    if (isInputRequiredSignal(error) || error instanceof McpError) throw error;
    if (error instanceof ToolError) return textResult(error.message, true);
    // Unexpected errors may carry paths, SQL or credentials: the wire gets a reference, the log
    // (stderr) the details. `throw new ToolError(msg)` or `ctx.error(msg)` send a message on purpose.
    const ref = randomUUID().slice(0, 8);
    logger.error(`tool ${tool.name} failed (ref ${ref})`, error);
    return textResult(`Tool ${tool.name} failed unexpectedly (ref ${ref}); the server log has the details.`, true);
  }

  if (!isPlainObject(returned)) throw internalError(`Tool ${tool.name} returned no result`);
  if ('isError' in returned && returned.isError === true) return compact({ content: returned.content, isError: true }) as unknown as JsonObject;

  if ('structured' in returned) {
    let structured: unknown = returned.structured;
    if (tool.output) {
      const checked = tool.output.safeParse(structured);
      if (!checked.success) {
        // structuredContent MUST conform to outputSchema (server/tools.mdx "Output Schema"): a server fault.
        logger.error(`tool ${tool.name} returned output that fails its output schema: ${describeIssues(checked.error)}`);
        throw internalError(`Tool ${tool.name} produced invalid output`);
      }
      structured = checked.data;
    }
    const structuredContent = toJsonValue(structured);
    return compact({
      // Mirror as text for clients that ignore structuredContent (server/tools.mdx "Structured Content").
      content: returned.content ?? [{ type: 'text', text: JSON.stringify(structuredContent) }],
      structuredContent,
      _meta: returned._meta,
    }) as unknown as JsonObject;
  }
  const plain = returned as ToolContentReturn;
  return compact({ content: plain.content ?? [], isError: plain.isError ? true : undefined, _meta: plain._meta }) as unknown as JsonObject;
}

