/**
 * Formats emitted files with prettier in-process under a pinned config (never the user's
 * .prettierrc: output must not depend on where mcp-gen runs) and adds the generated header.
 * prettier is loaded only when a text is not in the format cache (format-cache.ts).
 */
import type { Options as PrettierOptions } from 'prettier';
import type { EmittedFile, FileLanguage } from '../emit/artifact.ts';
import { generatedHeaderText, type HeaderInput } from '../emit/header.ts';
import { importPackage } from '../load/import-package.ts';
import { FormatCache, formatKey, type FormatStore } from './format-cache.ts';
import { HeapPacer } from './heap-pacer.ts';
import { layoutJsonLikePrettier } from './json-layout.ts';
import { PRINT_WIDTH } from './print-width.ts';
import { preformattedHolds } from './preformatted.ts';
import { formatWithLiteralSlots } from './ts-literal-layout.ts';

export const PRETTIER_CONFIG: PrettierOptions = {
  printWidth: PRINT_WIDTH,
  tabWidth: 2,
  useTabs: false,
  semi: true,
  singleQuote: true,
  quoteProps: 'as-needed',
  trailingComma: 'all',
  bracketSpacing: true,
  arrowParens: 'always',
  endOfLine: 'lf',
  proseWrap: 'preserve',
};

const PARSERS: Partial<Record<FileLanguage, string>> = {
  // prettier's Babel TypeScript parser: the same printed output as its `typescript` parser on what
  // mcp-gen emits (the goldens pin it) at about 1.6× the speed; what it cannot parse goes to `typescript`.
  typescript: 'babel-ts',
  json: 'json',
  markdown: 'markdown',
  yaml: 'yaml',
  html: 'html',
};

/** `text` is called only for a language that has comments (it hashes the whole body: megabytes of fixture JSON have none). */
function headerLine(language: FileLanguage, text: () => string): string | undefined {
  switch (language) {
    case 'typescript':
      return `// ${text()}`;
    case 'yaml':
      return `# ${text()}`;
    case 'markdown':
    case 'html':
      return `<!-- ${text()} -->`;
    default:
      return undefined; // JSON has no comments; mcp-gen.lock.json records those files instead
  }
}

export interface FinalFile {
  path: string;
  owner: EmittedFile['owner'];
  content: string;
}

let prettierModule: Promise<typeof import('prettier')> | undefined;
const loadPrettier = () => (prettierModule ??= importPackage<typeof import('prettier')>('prettier'));

async function prettierFormat(text: string, parser: string, cache: FormatStore): Promise<string> {
  // Big JSON (conformance fixtures) is laid out the way prettier would, without prettier.
  if (parser === 'json') {
    // A template's final newline is not part of JSON.stringify's form; prettier's output is the same without it.
    const laidOut = layoutJsonLikePrettier(text.endsWith('}\n') ? text.slice(0, -1) : text, PRETTIER_CONFIG.printWidth!);
    if (laidOut !== undefined) return laidOut;
  }
  const key = formatKey(parser, PRETTIER_CONFIG, text);
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const prettier = await loadPrettier();
  const run = async (source: string) => {
    try {
      return await prettier.format(source, { ...PRETTIER_CONFIG, parser });
    } catch (e) {
      if (parser !== 'babel-ts') throw e;
      return prettier.format(source, { ...PRETTIER_CONFIG, parser: 'typescript' });
    }
  };
  // Data literals (wire definitions, mock data) are laid out without prettier: the same text, faster.
  const formatted = parser === 'babel-ts' ? await formatWithLiteralSlots(text, run) : await run(text);
  cache.set(key, formatted);
  return formatted;
}

export async function formatFile(file: EmittedFile, header: HeaderInput, cache: FormatStore = FormatCache.inMemory()): Promise<FinalFile> {
  const parser = file.verbatim || file.preformatted || (file.prettierShaped && preformattedHolds(file.content)) ? undefined : PARSERS[file.language];
  let body = parser ? await prettierFormat(file.content, parser, cache) : file.content;
  body = body.replace(/\r\n/g, '\n');
  if (!body.endsWith('\n')) body += '\n';
  const line = file.owner === 'generated' ? headerLine(file.language, () => generatedHeaderText(header, body)) : undefined;
  return { path: file.path, owner: file.owner, content: line ? `${line}\n${body}` : body };
}

const PACE_ABOVE_CHARS = 8_000_000;

/** `storeFor`: where one file's formatted text is looked up and kept (default: `cache`). */
export async function formatAll(
  files: EmittedFile[],
  header: HeaderInput,
  cache: FormatStore = FormatCache.inMemory(),
  storeFor: (file: EmittedFile) => FormatStore = () => cache,
): Promise<FinalFile[]> {
  const out: FinalFile[] = [];
  // Big projects only (a 1 000-tool project emits ~30 MB): bounds peak memory, costs a few full collections.
  const pacer = files.reduce((n, f) => n + f.content.length, 0) > PACE_ABOVE_CHARS ? new HeapPacer() : undefined;
  // Sequential: prettier is CPU-bound, and order keeps errors reproducible.
  for (const f of files) {
    out.push(await formatFile(f, header, storeFor(f)));
    pacer?.step();
  }
  pacer?.collect();
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
