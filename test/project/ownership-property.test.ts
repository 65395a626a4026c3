/**
 * Property: random edits to user-owned files survive repeated regeneration under random manifest
 * changes (tools added, removed, renamed, re-described), and generation is order-independent.
 */
import { seededRandom } from '../../generator/fixtures/prng.ts';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocument, type YAMLSeq } from 'yaml';
import { generateProject } from '../../generator/project.ts';
import { hermeticEnv } from '../helpers/env.ts';
import { generateExample } from '../helpers/project.ts';

const ITERATIONS = 40;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('user files survive regeneration (property)', () => {
  it(`${ITERATIONS} random manifest changes with edits in between`, async () => {
    const { dir, result } = await generateExample('kitchen-sink');
    dirs.push(dir);
    const random = seededRandom(20261124);
    const manifestPath = join(dir, 'mcp-gen.yaml');
    const expected = new Map<string, string>(); // user file → content we wrote
    const userFiles = () => (JSON.parse(readFileSync(join(dir, 'mcp-gen.lock.json'), 'utf8')).userFiles as string[]).filter((p) => existsSync(join(dir, p)));
    let counter = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      // edit a random user-owned file
      const files = userFiles();
      const target = files[Math.floor(random() * files.length)]!;
      const edited = `${readFileSync(join(dir, target), 'utf8')}\n// edit ${i}\n`;
      writeFileSync(join(dir, target), edited);
      expected.set(target, edited);

      // change the manifest at random
      const doc = parseDocument(readFileSync(manifestPath, 'utf8'));
      const tools = doc.get('tools') as YAMLSeq;
      const op = Math.floor(random() * 4);
      if (op === 0) {
        doc.addIn(['tools'], doc.createNode({ name: `extra_${counter++}`, description: 'An extra tool.', input: { type: 'object', properties: { x: { type: 'string' } } } }));
      } else if (op === 1 && tools.items.length > 1) {
        tools.delete(Math.floor(random() * tools.items.length));
      } else if (op === 2) {
        doc.setIn(['tools', Math.floor(random() * tools.items.length), 'description'], `Described ${i}.`);
      } else {
        doc.setIn(['server', 'version'], `1.0.${i}`);
      }
      writeFileSync(manifestPath, doc.toString());
      await generateProject({ manifestPath, mode: 'write', source: { env: hermeticEnv() } });
      for (const [path, content] of expected) expect(readFileSync(join(dir, path), 'utf8'), path).toBe(content);
    }
    expect(result.files.length).toBeGreaterThan(0);
    // 40 full generates: ~15 s alone, 30-40 s beside the other workers on 2 cores. A budget, not an assertion.
  }, 180_000);
});

describe('order independence', () => {
  it('shuffling tools, resources, templates and prompts gives identical output', async () => {
    const a = await generateExample('kitchen-sink');
    const b = await generateExample('kitchen-sink');
    dirs.push(a.dir, b.dir);
    const manifestPath = join(b.dir, 'mcp-gen.yaml');
    const doc = parseDocument(readFileSync(manifestPath, 'utf8'));
    for (const key of ['tools', 'resources', 'resourceTemplates', 'prompts']) (doc.get(key) as YAMLSeq).items.reverse();
    writeFileSync(manifestPath, doc.toString());
    const shuffled = await generateProject({ manifestPath, mode: 'write', source: { env: hermeticEnv() } });
    // the lock records the manifest hash, which differs by construction; everything else must not
    expect(shuffled.files).toEqual(a.result.files);
  });
});
