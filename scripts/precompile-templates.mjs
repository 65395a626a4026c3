// Precompiles every Handlebars template under templates/ into dist/templates.precompiled.json, which
// generator/emit/templates.ts revives instead of compiling. Why: compiling the ~30 templates in a fresh
// process (parse + code generation, before V8 has warmed up) was several hundred ms of every generate.
// Each entry carries the sha256 of the source it was compiled from; a template edited after the build
// does not match and is compiled at run time, so the file can make a run faster, never different.
import Handlebars from 'handlebars';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TEMPLATE_OPTIONS, PRECOMPILED_FORMAT } from '../dist/generator/emit/templates.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = `${root}templates/`;
const templates = {};
for (const rel of readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.hbs')).sort()) {
  const source = readFileSync(dir + rel, 'utf8');
  templates[rel.split('\\').join('/')] = {
    sha256: createHash('sha256').update(source).digest('hex'),
    spec: Handlebars.precompile(source, TEMPLATE_OPTIONS),
  };
}
writeFileSync(`${root}dist/templates.precompiled.json`, JSON.stringify({ format: PRECOMPILED_FORMAT, handlebars: Handlebars.VERSION, templates }));
