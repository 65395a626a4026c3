/**
 * The one place where manifest names become identifiers and file names. Every generated name
 * that reaches user code comes from `generatedNames`, so two spellings can never disagree.
 */

export interface GeneratedNames {
  /** Value-level identifier: `getWeather`. */
  camel: string;
  /** Type-level identifier: `GetWeather` (emitters add suffixes such as `Input`). */
  pascal: string;
  /** File stem, lowercase so that case-insensitive file systems cannot merge two: `get-weather`. */
  file: string;
}

/**
 * Words that cannot be a binding or would shadow a global type in generated TypeScript. One set
 * for every kind of name; matching identifiers get a trailing `_` (a fixed escape, not a
 * collision suffix, so the same name always maps to the same identifier).
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  // ECMAScript keywords and strict-mode reserved words
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'implements', 'import', 'in', 'instanceof',
  'interface', 'let', 'new', 'null', 'package', 'private', 'protected', 'public', 'return', 'static', 'super',
  'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'await',
  'arguments', 'eval', 'undefined', 'NaN', 'Infinity',
  // TypeScript type keywords and contextual words that break declarations
  'any', 'unknown', 'never', 'object', 'string', 'number', 'boolean', 'bigint', 'symbol', 'type', 'declare',
  'namespace', 'module', 'keyof', 'readonly', 'infer', 'is', 'asserts', 'satisfies', 'as', 'from', 'of',
  // Global types a generated `type X = …` would shadow
  'Array', 'Boolean', 'Date', 'Error', 'Function', 'JSON', 'Map', 'Math', 'Number', 'Object', 'Partial',
  'Pick', 'Omit', 'Promise', 'Record', 'Required', 'Readonly', 'RegExp', 'Set', 'String', 'Symbol',
  // A `then` member makes the client's tools namespace a thenable that `await` would call.
  'then',
]);

/** Splits `getWeather`, `get_weather`, `HTTPServer`, `admin.tools.list` and `DATA_EXPORT_v2` into words. */
export function splitWords(name: string): string[] {
  return name
    // Only characters valid inside identifiers survive (so `x²` or `½` never reach generated code).
    .split(/[^\p{ID_Continue}]+|_+/u)
    .flatMap((chunk) => chunk.split(/(?<=[\p{Ll}\p{N}])(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u))
    .filter((word) => word.length > 0);
}

function capitalize(word: string): string {
  const lower = word.toLowerCase();
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

function safeIdentifier(identifier: string): string {
  const leading = /^\p{N}/u.test(identifier) ? `_${identifier}` : identifier;
  return RESERVED_WORDS.has(leading) ? `${leading}_` : leading;
}

/** Undefined when the name has no letters or digits to build an identifier from. */
export function generatedNames(name: string): GeneratedNames | undefined {
  const words = splitWords(name);
  if (words.length === 0) return undefined;
  const [first, ...rest] = words;
  const pascalWords = words.map(capitalize).join('');
  return {
    camel: safeIdentifier(first.toLowerCase() + rest.map(capitalize).join('')),
    pascal: safeIdentifier(pascalWords),
    file: words.map((w) => w.toLowerCase()).join('-'),
  };
}
