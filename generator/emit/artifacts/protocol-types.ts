/** protocol/types.ts: one exported TS type per $def, each keeping its def name. */
import type { Artifact, EmitContext } from '../artifact.ts';
import { compileNamedTypes } from '../ts-types.ts';

export const protocolTypes: Artifact = {
  id: 'protocol-types',
  async emit(ctx: EmitContext) {
    const content = await compileNamedTypes(ctx.spec.document.$defs);
    return [{ path: `${ctx.protocolDir}/types.ts`, owner: 'generated', language: 'typescript', content }];
  },
};
