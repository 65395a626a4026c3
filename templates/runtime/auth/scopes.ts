import type { ListKind } from '../authorization.ts';

/** Scopes each operation needs, as the manifest's `auth:` and per-entry `scopes:` say. */
export interface ScopeRequirements {
  /** Needed by a tool, prompt, resource or template that names no scopes of its own. Default none. */
  defaultScopes?: readonly string[];
  tools?: Readonly<Record<string, readonly string[]>>;
  prompts?: Readonly<Record<string, readonly string[]>>;
  /** By exact resource URI. */
  resources?: Readonly<Record<string, readonly string[]>>;
  /** By URI template, as written in the manifest. */
  resourceTemplates?: Readonly<Record<string, readonly string[]>>;
  /**
   * Scope hierarchy: a broader scope implies narrower ones (`admin: [write]`, `write: [read]`),
   * transitively (basic/authorization/index.mdx "Scope Challenge Handling": servers MUST account
   * for hierarchies).
   */
  implies?: Readonly<Record<string, readonly string[]>>;
}

/** The scopes `granted` stands for once the hierarchy is applied. */
export function expandScopes(granted: readonly string[], implies: ScopeRequirements['implies']): Set<string> {
  const all = new Set<string>();
  const queue = [...granted];
  while (queue.length > 0) {
    const scope = queue.pop()!;
    if (all.has(scope)) continue;
    all.add(scope);
    for (const narrower of implies?.[scope] ?? []) queue.push(narrower);
  }
  return all;
}

export class ScopePolicy {
  private readonly defaults: readonly string[];
  constructor(readonly requirements: ScopeRequirements) {
    this.defaults = requirements.defaultScopes ?? [];
  }

  /** Scopes an entry needs: its own list, else the default. */
  required(kind: ListKind, key: string): readonly string[] {
    return this.requirements[kind]?.[key] ?? this.defaults;
  }

  get defaultScopes(): readonly string[] {
    return this.defaults;
  }

  /** Every scope of `required` not covered by `granted` (after the hierarchy). */
  missing(required: readonly string[], granted: readonly string[] | undefined): string[] {
    if (required.length === 0) return [];
    const have = expandScopes(granted ?? [], this.requirements.implies);
    return required.filter((scope) => !have.has(scope));
  }

  /** Whether any entry of `kind` needs a scope (then its list depends on the caller). */
  filters(kind: ListKind, keys: readonly string[]): boolean {
    return keys.some((key) => this.required(kind, key).length > 0);
  }
}
