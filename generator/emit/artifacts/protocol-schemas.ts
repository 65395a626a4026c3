/**
 * protocol/schemas.ts: one exported zod v4 schema per $def through the zod printer.
 * Cyclic defs are annotated with their json-schema-to-typescript type (so `z.infer` stays exact
 * where TS cannot infer through `z.lazy`); everything else is inferred.
 */
import type { Artifact, EmitContext } from '../artifact.ts';
import { printZodModule } from '../zod-printer.ts';
import { laidOutTypeScript } from '../../format/ts-tool-layout.ts';

export function renderProtocolSchemas(document: EmitContext['spec']['document'], options: { withTypes?: boolean } = {}): string {
  const withTypes = options.withTypes ?? true;
  const names = Object.keys(document.$defs).sort();
  const printed = printZodModule({
    document,
    exports: Object.fromEntries(names.map((n) => [n, `/$defs/${n.replace(/~/g, '~0').replace(/\//g, '~1')}`])),
    typeAnnotation: (name) => (withTypes && name in document.$defs ? `z.ZodType<T.${name}>` : undefined),
  });
  return [
    `import { z } from 'zod';`,
    ...(withTypes ? [`import type * as T from './types.ts';`] : []),
    '',
    '/** Any schema in this module. */',
    'export type AnySchema = z.ZodType;',
    '',
    printed.source,
  ].join('\n');
}

export const protocolSchemas: Artifact = {
  id: 'protocol-schemas',
  emit(ctx: EmitContext) {
    return [
      {
        path: `${ctx.protocolDir}/schemas.ts`,
        owner: 'generated',
        language: 'typescript',
        ...laidOutTypeScript(renderProtocolSchemas(ctx.spec.document)),
      },
    ];
  },
};
