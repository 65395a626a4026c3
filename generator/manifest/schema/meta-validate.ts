/**
 * Checks a schema resource against the JSON Schema 2020-12 meta-schema (Ajv), mapping Ajv's
 * instancePath back to the YAML/JSON node, plus what the meta-schema cannot see: regular
 * expressions that do not compile and a `$schema` other than 2020-12.
 */
import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject } from 'ajv/dist/2020.js';
import { diag, type Diagnostic } from '../../diagnostics/diagnostic.ts';
import { didYouMean } from '../did-you-mean.ts';
import { isRecord } from '../paths.ts';
import { positionOfKey, positionOfValue } from '../yaml-source.ts';
import { pointerToPath, type SchemaResource } from './schema-resources.ts';
import { surelyMetaValid } from './surely-valid.ts';
import { unknownKeywords } from './unknown-keywords.ts';
import { walkSchema } from './walk-schema.ts';

const DIALECT_2020_12 = /^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/;

let metaValidator: Ajv2020 | undefined;
function ajv(): Ajv2020 {
  // Loaded on first use (synchronously: Ajv is CommonJS): a run whose every schema has a remembered
  // verdict never loads it. Formats are left unchecked on purpose: the meta-schema only uses them as annotations.
  if (!metaValidator) {
    const { Ajv2020: Ajv } = createRequire(import.meta.url)('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
    metaValidator = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  }
  return metaValidator;
}

/**
 * Remembered meta-schema verdicts (generator/incremental/render-memo.ts): `check()`'s answer for
 * `schema`, from the cache when the same schema was valid before. Only a valid verdict may come
 * from the cache: `false` must mean `check()` just ran, so Ajv's errors are this run's.
 */
export type MetaVerdicts = (schema: Record<string, unknown>, check: () => boolean) => boolean;

export function metaValidate(resource: SchemaResource, verdicts?: MetaVerdicts): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const { source, path } = resource.site;
  const value = resource.value;
  if (!isRecord(value)) {
    if (typeof value !== 'boolean') {
      diagnostics.push(diag('MG4001', 'a JSON Schema must be a mapping (or true/false)', { at: positionOfValue(source, path) }));
    }
    return diagnostics;
  }
  if (typeof value.$schema === 'string' && !DIALECT_2020_12.test(value.$schema)) {
    diagnostics.push(
      diag('MG4003', `\`$schema: ${value.$schema}\` is not JSON Schema 2020-12; some hosts only accept 2020-12`, {
        severity: 'warning',
        at: positionOfValue(source, [...path, '$schema']),
        help: 'Remove `$schema` (2020-12 is the default) and use 2020-12 keywords ($defs, prefixItems).',
      }),
    );
  }
  // Validated as 2020-12 whatever `$schema` says: that is how MCP hosts will read it, and Ajv
  // would otherwise refuse an unknown dialect outright.
  const { $schema: _ignored, ...withoutDialect } = value;
  let valid = true;
  try {
    // Ajv (and its meta-schema compile) only for what the sound shortcut is not sure of (surely-valid.ts).
    const check = () => surelyMetaValid(withoutDialect) || (ajv().validateSchema(withoutDialect) as boolean);
    valid = verdicts ? verdicts(withoutDialect, check) : check();
  } catch (error) {
    diagnostics.push(diag('MG4001', `the schema cannot be checked: ${(error as Error).message}`, { at: positionOfValue(source, path) }));
    return diagnostics;
  }
  if (!valid) diagnostics.push(...ajvErrorsToDiagnostics(resource, ajv().errors ?? []));
  diagnostics.push(...badPatterns(resource));
  diagnostics.push(...unknownKeywords(resource));
  return diagnostics;
}

function ajvErrorsToDiagnostics(resource: SchemaResource, errors: readonly ErrorObject[]): Diagnostic[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    const list = byPath.get(error.instancePath) ?? [];
    list.push(error);
    byPath.set(error.instancePath, list);
  }
  return [...byPath].map(([instancePath, group]) => {
    const at = pointerToPath(instancePath);
    const keyword = at.length ? at[at.length - 1] : '(root)';
    const position = positionOfValue(resource.site.source, [...resource.site.path, ...at]);
    return diag('MG4001', `invalid JSON Schema: \`${keyword}\` ${describeErrors(group, valueAt(resource.value, at))}`, { at: position });
  });
}

function describeErrors(group: readonly ErrorObject[], actual: unknown): string {
  const enumError = group.find((e) => e.keyword === 'enum');
  if (enumError) {
    const allowed = (enumError.params as { allowedValues: unknown[] }).allowedValues.map(String);
    const suggestion = typeof actual === 'string' ? didYouMean(actual, allowed) : '';
    return `must be one of ${allowed.join(', ')}${suggestion}`;
  }
  const main = group.find((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf') ?? group[0];
  if (main.keyword === 'type') {
    const expected = ([] as unknown[]).concat((main.params as { type: unknown }).type).map(String);
    if (expected.includes('object') && expected.includes('boolean')) return 'must be a schema (a mapping or true/false)';
    return `must be ${expected.map(typeName).join(' or ')}`;
  }
  return main.message ?? 'is not valid';
}

function typeName(type: string): string {
  return type === 'array' ? 'a list' : type === 'object' ? 'a mapping' : type === 'integer' ? 'an integer' : `a ${type}`;
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const token of path) current = isRecord(current) || Array.isArray(current) ? (current as Record<string, unknown>)[token] : undefined;
  return current;
}

/** `pattern` must compile as an ECMA-262 regex (2020-12 §6.4); the meta-schema cannot tell. */
function badPatterns(resource: SchemaResource): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { source, path } = resource.site;
  walkSchema(resource.value, (schema, at) => {
    if (typeof schema.pattern === 'string' && !compiles(schema.pattern)) {
      out.push(diag('MG4001', `invalid JSON Schema: \`pattern\` is not a valid regular expression`, { at: positionOfValue(source, [...path, ...at, 'pattern']) }));
    }
    if (isRecord(schema.patternProperties)) {
      for (const key of Object.keys(schema.patternProperties)) {
        if (!compiles(key)) {
          out.push(diag('MG4001', `invalid JSON Schema: \`patternProperties\` key is not a valid regular expression`, { at: positionOfKey(source, [...path, ...at, 'patternProperties', key]) }));
        }
      }
    }
  });
  return out;
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}
