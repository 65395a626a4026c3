/** Turns the message unions a revision names into MethodInfo rows (shared by the adapters). */
import type { SpecDocument } from '../load/load-spec.ts';
import type { Direction, MethodInfo } from './model.ts';
import { gatingCapability } from './rules.ts';
import { defOf, methodConst, properties, refTarget, requiredOf, unionMembers } from './schema-access.ts';

export interface MessageSource {
  /** A union def (or a single message def) listing messages. */
  union: string;
  direction: Exclude<Direction, 'both'>;
  transport: MethodInfo['transport'];
}

export function collectMethods(
  doc: SpecDocument,
  sources: MessageSource[],
  resultsFor: (requestDef: string) => { resultDefs: string[]; responseDef?: string },
): MethodInfo[] {
  const byKey = new Map<string, MethodInfo>();
  for (const source of sources) {
    for (const messageDef of unionMembers(doc, source.union)) {
      const def = defOf(doc, messageDef);
      const method = methodConst(def);
      if (!method) continue;
      const isRequest = 'id' in properties(def) || source.transport === 'input-request' || /Request$/.test(messageDef);
      const kind = isRequest && !/Notification$/.test(messageDef) ? 'request' : 'notification';
      const key = `${method}\u0000${kind}`;
      const existing = byKey.get(key);
      if (existing) {
        if (existing.direction !== source.direction) existing.direction = 'both';
        continue;
      }
      const params = properties(def).params;
      const results = kind === 'request' ? resultsFor(messageDef) : { resultDefs: [] };
      byKey.set(key, {
        method,
        kind,
        direction: source.direction,
        transport: source.transport,
        messageDef,
        paramsDef: refTarget(params),
        paramsRequired: requiredOf(def).includes('params'),
        resultDefs: results.resultDefs,
        responseDef: results.responseDef,
        capability: gatingCapability(doc, method),
      });
    }
  }
  return [...byKey.values()].sort((a, b) =>
    a.method !== b.method ? (a.method < b.method ? -1 : 1) : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0,
  );
}
