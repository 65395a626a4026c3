/** Minimal layout for generated expressions: one line when short, otherwise one item per line. */
const MAX_INLINE = 80;

export function indentContinuation(text: string, indent = '  '): string {
  return text.replace(/\n/g, `\n${indent}`);
}

export function printList(open: string, items: readonly string[], close: string): string {
  const inline = `${open}${items.join(', ')}${close}`;
  if (!items.some((item) => item.includes('\n')) && inline.length <= MAX_INLINE) return inline;
  return `${open}\n${items.map((item) => `  ${indentContinuation(item)},\n`).join('')}${close}`;
}

/** Object shapes always go one property per line: they are what readers scan. */
export function printShape(entries: readonly string[]): string {
  if (entries.length === 0) return '{}';
  return `{\n${entries.map((entry) => `  ${indentContinuation(entry)},\n`).join('')}}`;
}
