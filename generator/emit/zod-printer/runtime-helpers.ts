/**
 * Functions the generated validators call from refinements (and __checked, around exported
 * validators that carry a declared type), emitted once per module on demand.
 * Kept as source text: generated code must not import anything from mcp-gen. Each source is written
 * in prettier's layout (pinned config), so a tool file's layout can copy it without prettier
 * (format/ts-tool-layout.ts; test/unit/ts-tool-layout.test.ts checks it).
 */
export const RUNTIME_HELPERS = {
  __isObject: {
    uses: [],
    source: `const __isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);`,
  },
  __jsonEqual: {
    uses: ['__isObject'],
    source: `const __jsonEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((x, i) => __jsonEqual(x, b[i]))
    );
  }
  if (!__isObject(a) || !__isObject(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((k) => Object.hasOwn(b, k) && __jsonEqual(a[k], b[k]))
  );
};`,
  },
  __uniqueItems: {
    uses: ['__jsonEqual'],
    source: `const __uniqueItems = (a: readonly unknown[]): boolean =>
  a.every((x, i) => a.every((y, j) => j <= i || !__jsonEqual(x, y)));`,
  },
  __codePoints: {
    uses: [],
    // JSON Schema string lengths count code points; String#length counts UTF-16 units.
    source: `const __codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};`,
  },
  __onlyKeys: {
    uses: ['__isObject'],
    // zod intersections drop a strict object's unknown-key check when the other side passes keys
    // through; additionalProperties:false beside allOf/anyOf/oneOf/$ref is re-checked with this.
    source: `const __onlyKeys = (
  v: unknown,
  declared: readonly string[],
  patterns: readonly RegExp[],
): boolean =>
  !__isObject(v) ||
  Object.keys(v).every((k) => declared.includes(k) || patterns.some((p) => p.test(k)));`,
  },
  __matches: {
    uses: [],
    source: `const __matches = (schema: z.ZodType | boolean, value: unknown): boolean =>
  typeof schema === 'boolean' ? schema : schema.safeParse(value).success;`,
  },
  __containsBetween: {
    uses: ['__matches'],
    source: `const __containsBetween = (
  a: readonly unknown[],
  schema: z.ZodType | boolean,
  min: number,
  max: number,
): boolean => {
  const n = a.filter((x) => __matches(schema, x)).length;
  return n >= min && n <= max;
};`,
  },
  __ownProperty: {
    uses: ['__isObject', '__matches'],
    // Shape keys named like Object.prototype members (toString, __proto__) would see inherited values in zod.
    source: `const __ownProperty = (
  v: unknown,
  key: string,
  schema: z.ZodType | boolean,
  required: boolean,
): boolean => !__isObject(v) || (Object.hasOwn(v, key) ? __matches(schema, v[key]) : !required);`,
  },
  __propertyRest: {
    uses: ['__matches'],
    source: `const __propertyRest = (
  o: Record<string, unknown>,
  declared: readonly string[],
  patterns: readonly (readonly [RegExp, z.ZodType | boolean])[],
  additional: z.ZodType | boolean,
): boolean =>
  Object.keys(o).every((k) => {
    const matching = patterns.filter(([re]) => re.test(k));
    if (!matching.every(([, schema]) => __matches(schema, o[k]))) return false;
    return matching.length > 0 || declared.includes(k) || __matches(additional, o[k]);
  });`,
  },
  __unevaluatedProperties: {
    uses: ['__isObject', '__matches'],
    source: `const __unevaluatedProperties = (
  v: unknown,
  evaluated: (k: string, o: Record<string, unknown>) => boolean,
  schema: z.ZodType | boolean,
): boolean =>
  !__isObject(v) || Object.keys(v).every((k) => evaluated(k, v) || __matches(schema, v[k]));`,
  },
  __unevaluatedItems: {
    uses: ['__matches'],
    source: `const __unevaluatedItems = (
  v: unknown,
  evaluated: (i: number, a: readonly unknown[]) => boolean,
  schema: z.ZodType | boolean,
): boolean => !Array.isArray(v) || v.every((x, i) => evaluated(i, v) || __matches(schema, x));`,
  },
  __checked: {
    uses: [],
    // Not a refinement: the identity, typed so that `const x: z.ZodType<T, T> = __checked(expr)`
    // makes tsc compare the validator's output and input types with T, and nothing more. The plain
    // annotation `const x: z.ZodType<T, T> = expr` compares every member of zod's ZodType interface
    // instead: a 100-tool project's tsc took 1.26 M type instantiations and 840 MB that way (1 000
    // tools ran out of a 4 GB heap) against 0.53 M and 430 MB, and a mismatch is reported the same.
    // Printed by printZodModule (zod-printer.ts) around each checked export, not from refinements.
    source: `const __checked = <S,>(schema: S): z.ZodType<z.output<S>, z.input<S>> => schema as never;`,
  },
} as const satisfies Record<string, { uses: readonly string[]; source: string }>;

export type RuntimeHelperName = keyof typeof RUNTIME_HELPERS;

/** The helpers to emit for a set of used ones: dependencies first, otherwise in declaration order. */
export function helperClosure(used: Iterable<RuntimeHelperName>): RuntimeHelperName[] {
  const needed = new Set<RuntimeHelperName>();
  const add = (name: RuntimeHelperName): void => {
    if (needed.has(name)) return;
    needed.add(name);
    for (const dep of RUNTIME_HELPERS[name].uses) add(dep as RuntimeHelperName);
  };
  for (const name of used) add(name);
  return (Object.keys(RUNTIME_HELPERS) as RuntimeHelperName[]).filter((name) => needed.has(name));
}
