/**
 * JSON Schema 2020-12 → zod v4 source text. See docs/zod-printer.md for the mapping and its limits.
 */
import { buildModule, type BuiltModule, type Fallback } from './zod-printer/module-builder.ts';
import { RUNTIME_HELPERS } from './zod-printer/runtime-helpers.ts';
import type { JsonSchema } from './zod-printer/schema-types.ts';

export type { JsonSchema } from './zod-printer/schema-types.ts';

export interface ZodModuleInput {
  /** The whole JSON document; every `$ref` in it is resolved against it (JSON pointers, `#`, `$anchor`, `$id`-relative refs, `$dynamicRef`). */
  document: JsonSchema;
  /** Exported consts: export name → JSON pointer into document ('' = root, '/$defs/Foo'). Output order does not depend on this object's order. */
  exports: Record<string, string>;
  /** TS type for a cyclic exported const (e.g. `z.ZodType<T.JSONValue>`); `z.ZodType<unknown>` when undefined. */
  typeAnnotation?: (exportName: string) => string | undefined;
  /**
   * Annotate every exported const with `typeAnnotation(name)`, not only cyclic ones: tsc then checks
   * the validator against a declared type, through `__checked(...)` for an acyclic one.
   */
  annotateExports?: boolean;
  /** Exports whose inferred type tsc cannot match to their annotation: printed `(expr) as unknown as <annotation>` (the caller reports why). */
  castExports?: (exportName: string) => boolean;
  /** Extra schema documents by absolute URI for remote refs. Any other non-local ref throws (nothing is fetched). */
  remotes?: Record<string, JsonSchema>;
  /** An expression for a `$ref` that lives in another module (an imported const); undefined: resolve it in `document`. */
  externalRef?: (ref: string) => string | undefined;
  /** Emit `export` on internal helper consts too: generated subschema consts and runtime helper functions (default false). */
  exportHelpers?: boolean;
}

export interface ZodModuleOutput {
  /** Body source: `const`/`export const` declarations in dependency order; no import lines (caller adds `import { z } from 'zod'`). */
  source: string;
  /** Schema consts in emitted order (runtime helper functions are not listed). `exported`: emitted with `export`. `lazy`: part of a reference cycle, hence annotated and reached through z.lazy on cycle-closing edges. */
  consts: { name: string; pointer: string; exported: boolean; lazy: boolean }[];
  /** Keywords met that could not be expressed exactly, where they were met. Empty for everything supported. */
  fallbacks: Fallback[];
}

export function printZodModule(input: ZodModuleInput): ZodModuleOutput {
  const built = buildModule({ ...input, externalRef: input.externalRef });
  const exportAll = input.exportHelpers ?? false;
  const helper = (source: string) => (exportAll ? `export ${source}` : source);
  const declarations = built.helpers.map((h) => helper(h.source));
  const consts: ZodModuleOutput['consts'] = [];
  let usesChecked = false;
  for (const item of built.consts) {
    const exported = item.isExport || exportAll;
    const annotation = item.annotation ? `: ${item.annotation}` : '';
    const annotated = item.annotation !== undefined && item.isExport;
    const cast = annotated && (input.castExports?.(item.name) ?? false);
    // A declared type on an acyclic export is checked through __checked (runtime-helpers.ts says why);
    // a cyclic one keeps the plain annotation, which z.lazy's inference needs.
    const checked = annotated && !cast && !item.cyclic && input.annotateExports === true;
    usesChecked ||= checked;
    const expression = cast ? `(${item.expression}) as unknown as ${item.annotation}` : checked ? `__checked(${item.expression})` : item.expression;
    declarations.push(`${exported ? 'export ' : ''}const ${item.name}${annotation} = ${expression};`);
    consts.push({ name: item.name, pointer: item.pointer, exported, lazy: item.cyclic });
  }
  if (usesChecked) declarations.splice(built.helpers.length, 0, helper(RUNTIME_HELPERS.__checked.source));
  return { source: declarations.join('\n\n') + '\n', consts, fallbacks: built.fallbacks };
}

const ROOT = 'Root';

/**
 * One expression for a schema without cycles. `$ref`s go through `refName` first; local ones it does
 * not name become consts of an immediately-invoked function around the expression, as do subschemas
 * read inside refinements and runtime helpers.
 */
export function printZodExpression(schema: JsonSchema, opts: { refName?: (ref: string) => string | undefined } = {}): string {
  const built: BuiltModule = buildModule({ document: schema, exports: { [ROOT]: '' }, externalRef: opts.refName });
  const cyclic = built.consts.find((item) => item.cyclic);
  if (cyclic) throw new Error(`printZodExpression: ${cyclic.pointer || 'the schema'} is recursive; use printZodModule`);
  const root = built.consts.find((item) => item.name === ROOT)!;
  const others = built.consts.filter((item) => item !== root);
  if (others.length === 0 && built.helpers.length === 0) return root.expression;
  const body = [...built.helpers.map((h) => h.source), ...others.map((item) => `const ${item.name} = ${item.expression};`)];
  return `(() => {\n${[...body, `return ${root.expression};`].map((line) => '  ' + line.replace(/\n/g, '\n  ')).join('\n')}\n})()`;
}
