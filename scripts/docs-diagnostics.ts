import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { catalogueMarkdown } from '../generator/diagnostics/catalogue-markdown.ts';

writeFileSync(resolve(import.meta.dirname, '..', 'docs', 'diagnostics.md'), catalogueMarkdown());
