/**
 * Lint: a key in a JSON Schema that no 2020-12 vocabulary defines is most likely a typo
 * (`requird: [id]` silently requires nothing). Vocabulary-aware: core, applicator, unevaluated,
 * validation, format-annotation, content and meta-data keywords are quiet (json-schema.org
 * draft/2020-12 vocabularies), and so are `x-` extensions and the draft-07 spellings the walker
 * still reads (`definitions`, `additionalItems`, `dependencies`).
 */
import { diag, type Diagnostic } from '../../diagnostics/diagnostic.ts';
import { closestMatch } from '../did-you-mean.ts';
import { positionOfKey } from '../yaml-source.ts';
import type { SchemaResource } from './schema-resources.ts';
import { walkSchema } from './walk-schema.ts';

export const KEYWORDS_2020_12: readonly string[] = [
  // core
  '$schema', '$id', '$ref', '$anchor', '$dynamicRef', '$dynamicAnchor', '$vocabulary', '$comment', '$defs',
  // applicator
  'prefixItems', 'items', 'contains', 'additionalProperties', 'properties', 'patternProperties', 'dependentSchemas',
  'propertyNames', 'if', 'then', 'else', 'allOf', 'anyOf', 'oneOf', 'not',
  // unevaluated
  'unevaluatedItems', 'unevaluatedProperties',
  // validation
  'type', 'const', 'enum', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength',
  'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxContains', 'minContains', 'maxProperties',
  'minProperties', 'required', 'dependentRequired',
  // format-annotation, content
  'format', 'contentEncoding', 'contentMediaType', 'contentSchema',
  // meta-data
  'title', 'description', 'default', 'deprecated', 'readOnly', 'writeOnly', 'examples',
];

/** Older drafts' keywords that 2020-12 validators still meet in the wild; not typos. */
const LEGACY = ['definitions', 'additionalItems', 'dependencies', '$recursiveRef', '$recursiveAnchor'];

const KNOWN = new Set([...KEYWORDS_2020_12, ...LEGACY]);

export function unknownKeywords(resource: SchemaResource): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { source, path } = resource.site;
  walkSchema(resource.value, (schema, at) => {
    for (const key of Object.keys(schema)) {
      if (KNOWN.has(key) || key.startsWith('x-')) continue;
      const match = closestMatch(key, KEYWORDS_2020_12);
      out.push(
        diag('MG4006', `\`${key}\` is not a JSON Schema 2020-12 keyword, so it checks nothing${match ? `; did you mean \`${match}\`?` : ''}`, {
          severity: 'warning',
          at: positionOfKey(source, [...path, ...at, key]),
          help: match ? `Rename it to \`${match}\`.` : 'Prefix extension keys with `x-` (e.g. `x-internal`) to mark them as intended.',
        }),
      );
    }
  });
  return out;
}
