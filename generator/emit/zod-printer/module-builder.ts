import { assertIdentifier, generatedName, uniqueName } from './const-names.ts';
import { bindingsKey, enterResource, NO_BINDINGS, type DynamicBindings } from './dynamic-scope.ts';
import { ResourceIndex } from './resource-index.ts';
import { helperClosure, RUNTIME_HELPERS, type RuntimeHelperName } from './runtime-helpers.ts';
import { SchemaCompiler, type CompileHost, type ReferenceUse } from './schema-compiler.ts';
import { locationKey, type JsonSchema, type SchemaLocation } from './schema-types.ts';
import { stronglyConnectedComponents } from './strongly-connected.ts';

export interface Fallback {
  keyword: string;
  pointer: string;
  note: string;
}

interface ConstNode {
  readonly id: number;
  readonly key: string;
  readonly location: SchemaLocation;
  readonly bindings: DynamicBindings;
  readonly exportNames: string[];
  expression: string;
  edges: { target: number; use: ReferenceUse }[];
  name: string;
}

export interface EmittedConst {
  name: string;
  pointer: string;
  /** Named in `exports` (not merely emitted with `export`). */
  isExport: boolean;
  /** Member of a reference cycle: annotated, and cycle-closing references to it go through z.lazy. */
  cyclic: boolean;
  /** Target of a secondary export name: `export const B = A;`. */
  aliasOf?: string;
  annotation?: string;
  expression: string;
}

export interface BuiltModule {
  helpers: { name: RuntimeHelperName; source: string }[];
  consts: EmittedConst[];
  fallbacks: Fallback[];
}

// NUL never occurs in printed source (strings are JSON-escaped), so markers cannot clash with content.
const MARKER = /\u0000([SD])(\d+)\u0000/g;

function marker(use: ReferenceUse, id: number): string {
  return `\u0000${use === 'structural' ? 'S' : 'D'}${id}\u0000`;
}

export interface BuildOptions {
  document: JsonSchema;
  exports: Record<string, string>;
  remotes?: Record<string, JsonSchema>;
  externalRef?: (ref: string) => string | undefined;
  typeAnnotation?: (exportName: string) => string | undefined;
  annotateExports?: boolean;
}

/** Collects every const reachable from the exports, compiles them, names them and orders them. */
export function buildModule(options: BuildOptions): BuiltModule {
  const builder = new ModuleBuilder(new ResourceIndex(options.document, options.remotes), options.externalRef);
  const exportNames = Object.keys(options.exports).sort();
  for (const name of exportNames) {
    assertIdentifier(name);
    const pointer = options.exports[name];
    if (pointer !== '' && !pointer.startsWith('/')) throw new Error(`Export "${name}": "${pointer}" is not a JSON pointer`);
    builder.addExport(name, pointer);
  }
  builder.compileAll();
  return builder.finish(exportNames, options.typeAnnotation, options.annotateExports ?? false);
}

class ModuleBuilder implements CompileHost {
  private readonly nodes: ConstNode[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly usedHelpers = new Set<RuntimeHelperName>();
  private readonly fallbacks = new Map<string, Fallback>();
  private readonly compiler = new SchemaCompiler(this);

  constructor(
    readonly index: ResourceIndex,
    private readonly external?: (ref: string) => string | undefined,
  ) {}

  addExport(name: string, pointer: string): void {
    const location = { documentUri: this.index.mainDocumentUri, pointer };
    this.index.schemaAt(location);
    this.nodes[this.request(location, NO_BINDINGS)].exportNames.push(name);
  }

  reference(location: SchemaLocation, bindings: DynamicBindings, use: ReferenceUse): string {
    return marker(use, this.request(location, bindings));
  }

  externalRef(ref: string): string | undefined {
    return this.external?.(ref);
  }

  helper(name: RuntimeHelperName): string {
    this.usedHelpers.add(name);
    return name;
  }

  fallback(keyword: string, location: SchemaLocation, note: string): void {
    const pointer = this.displayPointer(location);
    this.fallbacks.set(`${pointer}\u0000${keyword}\u0000${note}`, { keyword, pointer, note });
  }

  compileAll(): void {
    // Compiling may discover more consts; the loop picks them up as they are appended.
    for (let i = 0; i < this.nodes.length; i++) {
      const node = this.nodes[i];
      node.expression = this.compiler.compile(node.location, node.bindings);
      const seen = new Set<string>();
      for (const [, use, id] of node.expression.matchAll(MARKER)) {
        if (seen.has(use + id)) continue;
        seen.add(use + id);
        node.edges.push({ target: Number(id), use: use === 'S' ? 'structural' : 'deferred' });
      }
    }
  }

  finish(exportNames: string[], typeAnnotation?: (exportName: string) => string | undefined, annotateExports = false): BuiltModule {
    this.assignNames(exportNames);
    const components = stronglyConnectedOrder(this.nodes, exportNames.map((n) => this.exportNode(n)));
    const componentOf = new Map<number, number>();
    const position = new Map<number, number>();
    const ordered: ConstNode[] = [];
    components.forEach((component, c) => {
      for (const id of [...component].sort((a, b) => compareText(this.nodes[a].name, this.nodes[b].name))) {
        componentOf.set(id, c);
        position.set(id, ordered.length);
        ordered.push(this.nodes[id]);
      }
    });

    const consts: EmittedConst[] = [];
    for (const node of ordered) {
      const cyclic = components[componentOf.get(node.id)!].length > 1 || node.edges.some((e) => e.target === node.id);
      const expression = node.expression.replace(MARKER, (_, use: string, idText: string) => {
        const target = this.nodes[Number(idText)];
        const closesCycle =
          use === 'S' && componentOf.get(target.id) === componentOf.get(node.id) && position.get(target.id)! >= position.get(node.id)!;
        return closesCycle ? `z.lazy(() => ${target.name})` : target.name;
      });
      const [primary, ...aliases] = node.exportNames;
      const declared = primary === undefined ? undefined : typeAnnotation?.(primary);
      const annotation = cyclic ? (declared ?? 'z.ZodType<unknown>') : annotateExports ? declared : undefined;
      const pointer = this.displayPointer(node.location);
      consts.push({ name: node.name, pointer, isExport: primary !== undefined, cyclic, annotation, expression });
      for (const alias of aliases) {
        consts.push({ name: alias, pointer, isExport: true, cyclic: false, aliasOf: node.name, expression: node.name });
      }
    }
    const helpers = helperClosure(this.usedHelpers).map((name) => ({ name, source: RUNTIME_HELPERS[name].source }));
    const fallbacks = [...this.fallbacks.values()].sort(
      (a, b) => compareText(a.pointer, b.pointer) || compareText(a.keyword, b.keyword) || compareText(a.note, b.note),
    );
    return { helpers, consts, fallbacks };
  }

  private exportNode(name: string): number {
    return this.nodes.findIndex((node) => node.exportNames.includes(name));
  }

  private request(location: SchemaLocation, outerBindings: DynamicBindings): number {
    const bindings = enterResource(this.index, outerBindings, this.index.baseUriOf(location));
    const key = `${locationKey(location)}|${bindingsKey(bindings)}`;
    const existing = this.byKey.get(key);
    if (existing !== undefined) return existing;
    const id = this.nodes.length;
    this.nodes.push({ id, key, location, bindings, exportNames: [], expression: '', edges: [], name: '' });
    this.byKey.set(key, id);
    return id;
  }

  private assignNames(exportNames: string[]): void {
    const used = new Set<string>([...exportNames, ...Object.keys(RUNTIME_HELPERS)]);
    const exportsByPointer = exportNames.map((name) => [name, this.nodes[this.exportNode(name)].location.pointer] as const);
    for (const node of this.nodes) {
      node.exportNames.sort(compareText);
      if (node.exportNames.length > 0) node.name = node.exportNames[0];
    }
    const unnamed = this.nodes.filter((node) => node.exportNames.length === 0).sort((a, b) => compareText(a.key, b.key));
    for (const node of unnamed) {
      node.name = uniqueName(generatedName(node.location, this.index.mainDocumentUri, exportsByPointer), used);
    }
  }

  private displayPointer(location: SchemaLocation): string {
    return location.documentUri === this.index.mainDocumentUri ? location.pointer : locationKey(location);
  }
}

function stronglyConnectedOrder(nodes: readonly ConstNode[], exportRoots: number[]): number[][] {
  const roots = [...exportRoots, ...nodes.map((n) => n.id)];
  return stronglyConnectedComponents(roots, (id) => nodes[id].edges.map((e) => e.target));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
