/** protocol/types.ts: one exported TS type per $def, each keeping its def name. */
import type { Artifact, EmitContext } from '../artifact.ts';
import { compileNamedTypes } from '../ts-types.ts';
import { laidOutTypeScript } from '../../format/ts-tool-layout.ts';

export const protocolTypes: Artifact = {
  id: 'protocol-types',
  async emit(ctx: EmitContext) {
    const content = await compileNamedTypes(ctx.spec.document.$defs);
    // Laid out as prettier would (format/ts-tool-layout.ts): the biggest file prettier formatted on a cold run.
    return [{ path: `${ctx.protocolDir}/types.ts`, owner: 'generated', language: 'typescript', ...laidOutTypeScript(content) }];
  },
};
