import { transformSync } from 'esbuild';
import { z } from 'zod';
import { printZodModule, type ZodModuleInput } from '../../generator/emit/zod-printer.ts';

/** Prints a module and evaluates it, returning its consts by name (types stripped by esbuild). */
export function evaluateModule(input: ZodModuleInput): Record<string, z.ZodType> {
  const { source, consts } = printZodModule(input);
  const js = transformSync(source.replace(/^export /gm, ''), { loader: 'ts' }).code;
  const names = consts.map((c) => c.name);
  return new Function('z', `${js}\nreturn { ${names.join(', ')} };`)(z) as Record<string, z.ZodType>;
}

/** A validator for a single schema (exported as `Schema`). */
export function validator(schema: ZodModuleInput['document'], remotes?: ZodModuleInput['remotes']): (data: unknown) => boolean {
  const { Schema } = evaluateModule({ document: schema, exports: { Schema: '' }, remotes });
  return (data) => Schema.safeParse(data).success;
}
