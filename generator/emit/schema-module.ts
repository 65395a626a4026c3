/**
 * Types + zod validators for a group of named JSON Schemas (a tool's input, output and asks):
 * TS types from json-schema-to-typescript, validators from the zod printer, both over one
 * combined document so names never clash and every `$ref` target has a type name.
 * Each validator is exposed as `z.ZodType<Type>`, so tsc checks that printer and types agree.
 */
import { printZodModule } from './zod-printer.ts';
import { combineSchemas, schemaAt } from './schema-bundle.ts';
import { compileNamedTypes } from './ts-types.ts';

export interface SchemaModule {
  /** Type declarations (`export type|interface <Name>`). */
  types: string;
  /** zod consts; the one for `<Name>` is `zod<Name>`, annotated `z.ZodType<Name>` where cyclic. */
  validators: string;
  fallbacks: { keyword: string; pointer: string; note: string }[];
}

export async function renderSchemaModule(parts: Record<string, Record<string, unknown>>): Promise<SchemaModule> {
  if (Object.keys(parts).length === 0) return { types: '', validators: '', fallbacks: [] };
  const { document, names } = combineSchemas(parts);
  const defs: Record<string, unknown> = {};
  for (const [pointer, name] of names) defs[name] = schemaAt(document, pointer);
  const types = await compileNamedTypes(defs, (ref) => {
    const name = names.get(ref.slice(1));
    if (!name) throw new Error(`unresolved $ref ${ref}`);
    return name;
  });
  const exportsMap: Record<string, string> = {};
  for (const [pointer, name] of names) exportsMap[`zod${name}`] = pointer;
  const printed = printZodModule({
    document,
    exports: exportsMap,
    typeAnnotation: (exportName) => `z.ZodType<${exportName.replace(/^zod/, '')}>`,
  });
  return { types, validators: printed.source, fallbacks: printed.fallbacks };
}
