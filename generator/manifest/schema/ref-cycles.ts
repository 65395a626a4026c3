/**
 * `$ref` cycles that no validator can evaluate. Recursion through a keyword that moves to a child
 * instance (`properties`, `items`, …) is an ordinary recursive type — a tree — and is supported.
 * A cycle whose every step stays on the same instance (`$ref`, `allOf`/`anyOf`/`oneOf`, `not`,
 * `if`/`then`/`else`, `dependentSchemas`) would be evaluated forever: JSON Schema 2020-12 leaves
 * such schemas undefined (../shared/spec is MCP's; the rule is the JSON Schema core spec's
 * "infinite recursion" note), ajv overflows its stack on them and no TS type can name them
 * (TS2456). They are reported, positioned at the `$ref` that closes the cycle.
 */
import { isRecord } from '../paths.ts';
import { walkSchema, type SchemaPath } from './walk-schema.ts';

export interface RefCycle {
  /** Bundled-schema path of the `$ref` keyword that closes the cycle. */
  path: SchemaPath;
  /** The `$ref` values along the cycle, in order. */
  chain: string[];
  /** The cycle passes through the schema's root. */
  throughRoot: boolean;
}

const IN_PLACE_SINGLE = ['not', 'if', 'then', 'else'];
const IN_PLACE_LIST = ['allOf', 'anyOf', 'oneOf'];

const decode = (token: string) => token.replace(/~1/g, '/').replace(/~0/g, '~');

function resolveLocal(root: unknown, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node = root;
  for (const token of ref.slice(2).split('/').map(decode)) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isRecord(node)) node = Object.hasOwn(node, token) ? node[token] : undefined;
    else return undefined;
  }
  return node;
}

interface Edge {
  to: Record<string, unknown>;
  /** Set when the step is a reference. */
  ref?: string;
  keyword?: '$ref' | '$dynamicRef';
}

export function findRefCycles(schema: Record<string, unknown>): RefCycle[] {
  const paths = new Map<object, SchemaPath>();
  walkSchema(schema, (node, path) => paths.set(node, path));
  const edges = (node: Record<string, unknown>): Edge[] => {
    const out: Edge[] = [];
    for (const keyword of ['$ref', '$dynamicRef'] as const) {
      const ref = node[keyword];
      if (typeof ref !== 'string') continue;
      const target = resolveLocal(schema, ref);
      if (isRecord(target)) out.push({ to: target, ref, keyword });
    }
    for (const keyword of IN_PLACE_SINGLE) if (isRecord(node[keyword])) out.push({ to: node[keyword] as Record<string, unknown> });
    for (const keyword of IN_PLACE_LIST) {
      const list = node[keyword];
      if (Array.isArray(list)) for (const item of list) if (isRecord(item)) out.push({ to: item });
    }
    if (isRecord(node.dependentSchemas)) for (const sub of Object.values(node.dependentSchemas)) if (isRecord(sub)) out.push({ to: sub });
    return out;
  };

  const cycles: RefCycle[] = [];
  const state = new Map<object, 'open' | 'done'>();
  const stack: { node: Record<string, unknown>; via?: Edge }[] = [];
  const visit = (node: Record<string, unknown>, via?: Edge): void => {
    state.set(node, 'open');
    stack.push({ node, via });
    for (const edge of edges(node)) {
      const seen = state.get(edge.to);
      if (seen === 'done') continue;
      if (seen === 'open') {
        // Back edge: the cycle runs from edge.to along the stack back to here; sources[i] takes steps[i].
        const from = stack.findIndex((s) => s.node === edge.to);
        const sources = stack.slice(from).map((s) => s.node);
        const steps = [...stack.slice(from + 1).map((s) => s.via!), edge];
        const chain = steps.flatMap((s) => (s.ref ? [s.ref] : []));
        // Reported at the last reference on the cycle; a cycle without one is not a `$ref` cycle.
        for (let i = steps.length - 1; i >= 0; i--) {
          if (steps[i]!.ref === undefined) continue;
          cycles.push({ path: [...(paths.get(sources[i]!) ?? []), steps[i]!.keyword!], chain, throughRoot: sources.includes(schema) });
          break;
        }
        continue;
      }
      visit(edge.to, edge);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of paths.keys()) if (!state.has(node)) visit(node as Record<string, unknown>);
  return cycles;
}
