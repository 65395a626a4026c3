/**
 * Types + zod validators for a group of named JSON Schemas (a tool's input, output and asks):
 * TS types from json-schema-to-typescript, validators from the zod printer, both over one
 * combined document so names never clash and every `$ref` target has a type name.
 * Each validator is declared `z.ZodType<Type, Type>` and wrapped in `__checked(...)`: tsc checks that
 * printer and types agree (comparing output and input types only: runtime-helpers.ts says why), and
 * `z.input`/`z.output` both stay the declared type (the typed client reads `z.input`).
 *
 * Shared schemas (manifest `schemas:`) are not printed again: a part that is one becomes an
 * alias, and a `$ref` to one becomes the name `shared` gives it (imported, or a part of this very
 * module for src/generated/schemas.ts).
 */
import type { SharedSchemaLinks } from '../app/model.ts';
import { printZodModule } from './zod-printer.ts';
import { combineSchemas, fragmentPointer, schemaAt } from './schema-bundle.ts';
import { resolveSharedRefs, sharedRefName, unbundleShared } from './shared-links.ts';
import { compileNamedTypes, typeMismatches } from './ts-types.ts';

export interface SchemaModule {
  /** Type declarations (`export type|interface <Name>`). */
  types: string;
  /** zod consts; the one for `<Name>` is `zod<Name>`, annotated `z.ZodType<Name>` where cyclic. */
  validators: string;
  fallbacks: { keyword: string; pointer: string; note: string }[];
}

/** How a shared schema is written in this module. */
export interface SharedNames {
  type: string;
  validator: string;
  /** The shared schema is a part of this module (src/generated/schemas.ts), under this part name. */
  part?: string;
}

export interface SchemaModuleOptions {
  /** By part name: which parts of its (bundled) schema are shared schemas. */
  links?: Record<string, SharedSchemaLinks>;
  /** Local names of a shared schema, by manifest name. */
  shared?: (name: string) => SharedNames;
  /** Const name per part (`getWeatherInputSchema`); other types get `zod<Type>`. */
  validatorNames?: Record<string, string>;
  /** The plan's type name per JSON pointer of the combined parts (combinedTypeNames of partsToPrint). */
  typeNames?: ReadonlyMap<string, string>;
  /** Parts whose validators tsc cannot match to their types (also every part typeMismatches finds): cast to their types. */
  unchecked?: ReadonlySet<string>;
}

/** The parts printed in this module: a part that is a shared schema becomes an alias instead; links to shared schemas are cut. */
export function partsToPrint(parts: Record<string, Record<string, unknown>>, links?: Record<string, SharedSchemaLinks>): Record<string, Record<string, unknown>> {
  const printed: Record<string, Record<string, unknown>> = {};
  for (const name of Object.keys(parts).sort()) {
    const l = links?.[name];
    if (l?.root === undefined) printed[name] = l ? unbundleShared(parts[name]!, l) : parts[name]!;
  }
  return printed;
}

export async function renderSchemaModule(parts: Record<string, Record<string, unknown>>, options: SchemaModuleOptions = {}): Promise<SchemaModule> {
  const shared = options.shared ?? ((name: string) => { throw new Error(`mcp-gen bug: shared schema ${name} without a name`); });
  const printed = partsToPrint(parts, options.links);
  const aliases: { name: string; target: SharedNames }[] = [];
  for (const name of Object.keys(parts).sort()) {
    const links = options.links?.[name];
    if (links?.root !== undefined) aliases.push({ name, target: shared(links.root) });
  }
  const aliasTypes = aliases.map((a) => `export type ${a.name} = ${a.target.type};`).join('\n');
  const validatorName = (part: string) => options.validatorNames?.[part] ?? `zod${part}`;
  const aliasConsts = aliases.map((a) => `export const ${validatorName(a.name)} = ${a.target.validator};`).join('\n\n');
  if (Object.keys(printed).length === 0) return { types: aliasTypes, validators: aliasConsts, fallbacks: [] };

  const combined = combineSchemas(printed, options.typeNames);
  // A shared schema printed in this very module is a local `$ref` (ordering and z.lazy stay the printer's job).
  const document = resolveSharedRefs(combined.document, (name) => {
    const target = shared(name);
    return target.part !== undefined ? `#/$defs/${target.part}` : `mcp-gen-shared:${name}`;
  });
  const names = combined.names;
  const defs: Record<string, unknown> = {};
  for (const [pointer, name] of names) defs[name] = schemaAt(document, pointer);
  const types = await compileNamedTypes(defs, (ref) => {
    const sharedName = sharedRefName(ref);
    if (sharedName !== undefined) return shared(sharedName).type;
    const name = names.get(fragmentPointer(ref));
    if (!name) throw new Error(`unresolved $ref ${ref}`);
    return name;
  }, { exact: true });
  const exportsMap: Record<string, string> = {};
  const typeOf = new Map<string, string>();
  const partOf = (pointer: string) => pointer.split('/')[2]!;
  const unchecked = new Set(options.unchecked);
  for (const [part, schema] of Object.entries(printed)) if (typeMismatches(schema).length > 0) unchecked.add(part);
  const cast = new Set<string>();
  for (const [pointer, name] of names) {
    const validator = validatorName(name);
    exportsMap[validator] = pointer;
    typeOf.set(validator, name);
    if (unchecked.has(partOf(pointer))) cast.add(validator);
  }
  const zod = printZodModule({
    document,
    exports: exportsMap,
    annotateExports: true,
    castExports: (exportName) => cast.has(exportName),
    typeAnnotation: (exportName) => {
      const type = typeOf.get(exportName);
      return type === undefined ? undefined : `z.ZodType<${type}, ${type}>`;
    },
    externalRef: (ref) => {
      const sharedName = sharedRefName(ref);
      return sharedName === undefined ? undefined : shared(sharedName).validator;
    },
  });
  return {
    types: [types, aliasTypes].filter(Boolean).join('\n'),
    validators: [zod.source, aliasConsts].filter(Boolean).join('\n'),
    fallbacks: zod.fallbacks,
  };
}
