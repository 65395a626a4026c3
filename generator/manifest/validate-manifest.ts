/**
 * Shape validation of a manifest value against `manifestDefinition`, turning every zod issue
 * into a positioned diagnostic with a human message (and a spelling suggestion when it helps).
 */
import { z, type core } from 'zod';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { closestMatch, didYouMean } from './did-you-mean.ts';
import { isExtensionKey, manifestDefinition, manifestJsonSchema, type Manifest } from './manifest-definition.ts';
import { formatPath, valueKind } from './paths.ts';
import { positionOfKey, positionOfOwner, positionOfValue, sourceTextOf, type JsonPath, type YamlSource } from './yaml-source.ts';

export { manifestJsonSchema };

// zod compiles a fast path for each object schema (`new Function`) on its first parse, which a
// process that validates one manifest pays for and never uses again: the first validation of the
// 100-tool bench manifest took 11-29 ms with it and 6-7 ms without (fresh processes, 3 each). A
// warm `generate --watch` process measured the same either way (1.8-3.9 ms against 1.9-2.1 ms).
z.config({ jitless: true });

export interface ShapeResult {
  manifest?: Manifest;
  diagnostics: Diagnostic[];
}

/** Validates the shape of `value`; positions come from `source` when given. */
export function validateManifest(value: unknown, source?: YamlSource): ShapeResult {
  const parsed = manifestDefinition.safeParse(withoutExtensionKeys(value));
  if (parsed.success) return { manifest: parsed.data, diagnostics: [] };
  const diagnostics = parsed.error.issues.flatMap((issue) => issueToDiagnostics(issue, value, source));
  return { diagnostics };
}

type Issue = core.$ZodIssue;

/** Top-level `x-…` keys are the user's own (a home for YAML anchors, as in docker-compose). */
function withoutExtensionKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !isExtensionKey(key)));
}

function issueToDiagnostics(issue: Issue, root: unknown, source: YamlSource | undefined): Diagnostic[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const valueAt = (p: JsonPath) => (source ? positionOfValue(source, p) : undefined);
  const where = formatPath(path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(path);
      return issue.keys.map((key) =>
        diag('MG2003', `unknown key \`${key}\`${path.length ? ` in \`${where}\`` : ''}${didYouMean(key, known)}`, {
          at: source ? positionOfKey(source, [...path, key]) : undefined,
          help: helpForUnknownKey(key, known),
        }),
      );
    }
    case 'invalid_type': {
      const actual = valueAtPath(root, path);
      if (actual === undefined) {
        const key = path[path.length - 1];
        const owner = path.slice(0, -1);
        return [
          diag('MG2004', `missing required key \`${String(key)}\`${owner.length ? ` in \`${formatPath(owner)}\`` : ''}`, {
            at: source ? positionOfOwner(source, owner) : undefined,
            help: `Add \`${String(key)}:\` here.`,
          }),
        ];
      }
      const expected = expectedName(issue.expected);
      const typed = source ? sourceTextOf(source, path) : undefined;
      const help =
        expected === 'a string' && (typeof actual === 'number' || typeof actual === 'boolean') && typed
          ? `Quote the value so YAML keeps it as text: "${typed}".`
          : undefined;
      return [diag('MG2005', `\`${where}\` must be ${expected}, got ${valueKind(actual)}`, { at: valueAt(path), help })];
    }
    case 'invalid_value': {
      const allowed = issue.values.map((v) => String(v));
      const actual = valueAtPath(root, path);
      const suggestion = typeof actual === 'string' ? didYouMean(actual, allowed) : '';
      return [
        diag('MG2006', `\`${where}\` must be one of ${allowed.map((v) => `\`${v}\``).join(', ')}, got ${describe(actual)}${suggestion}`, {
          at: valueAt(path),
        }),
      ];
    }
    case 'too_small': {
      const actual = valueAtPath(root, path);
      const message =
        typeof actual === 'string' && issue.minimum === 1
          ? `\`${where}\` must not be empty`
          : `\`${where}\` must be at least ${String(issue.minimum)}, got ${describe(actual)}`;
      const help = typeof actual === 'string' ? 'Write a value here.' : `Use a value of at least ${String(issue.minimum)}.`;
      return [diag('MG2006', message, { at: valueAt(path), help })];
    }
    case 'too_big':
      return [diag('MG2006', `\`${where}\` must be at most ${String(issue.maximum)}`, { at: valueAt(path), help: `Use a value of at most ${String(issue.maximum)}.` })];
    default:
      return [diag('MG2006', `\`${where}\`: ${issue.message}`, { at: valueAt(path), help: 'Fix the value at the marked position.' })];
  }
}

function helpForUnknownKey(key: string, known: readonly string[]): string {
  const match = closestMatch(key, known);
  if (match !== undefined) return `Rename it to \`${match}\`.`;
  return known.length ? `Known keys here: ${known.join(', ')}.` : 'Remove the key.';
}

function expectedName(expected: string): string {
  switch (expected) {
    case 'record':
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'int':
      return 'an integer';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    default:
      return expected;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `\`${value.length > 40 ? `${value.slice(0, 40)}…` : value}\``;
  if (typeof value === 'number' || typeof value === 'boolean') return `\`${String(value)}\``;
  return valueKind(value);
}

function valueAtPath(root: unknown, path: JsonPath): unknown {
  let current = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment as string];
  }
  return current;
}

let cachedSchema: Record<string, unknown> | undefined;

/** Keys the definition allows at `path`, read from the same JSON Schema editors get. */
export function knownKeysAt(path: JsonPath): string[] {
  cachedSchema ??= manifestJsonSchema();
  let node: unknown = cachedSchema;
  for (const segment of path) {
    const schema = node as Record<string, unknown> | undefined;
    if (!schema) return [];
    if (typeof segment === 'number') node = schema.items;
    else node = (schema.properties as Record<string, unknown> | undefined)?.[segment] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
  }
  const properties = (node as Record<string, unknown> | undefined)?.properties;
  return properties && typeof properties === 'object' ? Object.keys(properties) : [];
}
