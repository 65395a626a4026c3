/** docs/diagnostics.md is rendered from the code catalogue; a test keeps the two identical. */
import { CODES } from './codes.ts';

export function catalogueMarkdown(): string {
  const lines = [
    '# Diagnostic codes',
    '',
    'Every error and warning mcp-gen prints carries one of these codes. Rendered from',
    '`generator/diagnostics/codes.ts` by `npm run docs:diagnostics`; a test fails when they differ.',
    '',
    'Format: `file:line:column severity CODE message`, a code frame, and a `help:` line.',
    '',
  ];
  for (const [code, info] of Object.entries(CODES)) {
    lines.push(`## ${code} — ${info.title}`, '', info.cause, '', `**Fix:** ${info.fix}`, '');
  }
  return lines.join('\n');
}
