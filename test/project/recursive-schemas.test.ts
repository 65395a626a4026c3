/**
 * Recursive schemas (issue 14, item 10): shared schemas that reference each other (A↔B) or
 * themselves through a child, and a tool's own cyclic `$defs` as a pulled server declares them,
 * generate a project — server and client — that compiles under tsc --strict, and whose validators
 * accept deep values and reject a bad one deep down. (Cycles that never reach a schema are
 * MG4002: test/manifest/invalid/ref-cycle.yaml.)
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../generator/project.ts';
import { hermeticEnv, REPO_ROOT } from '../helpers/env.ts';
import { tscProject } from '../helpers/tsc-project.ts';

const dir = join(REPO_ROOT, 'test', 'tmp', `recursive-${process.pid}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const manifest = `spec: 2026-07-28
server: { name: recursive, version: "1" }
schemas:
  A:
    type: object
    properties:
      b: { $ref: "#/schemas/B" }
      self: { $ref: "#/schemas/A" }
      label: { type: string }
  B:
    type: object
    properties:
      a: { $ref: "#/schemas/A" }
      n: { type: integer }
tools:
  - name: walk
    description: Walks a graph of A and B.
    input:
      type: object
      properties:
        root: { $ref: "#/schemas/A" }
      required: [root]
    output: { $ref: "#/schemas/B" }
  - name: pulled_tree
    description: A pulled server's cyclic $defs.
    input:
      type: object
      properties:
        node: { $ref: "#/$defs/Node" }
      $defs:
        Node:
          type: object
          properties:
            children: { type: array, items: { $ref: "#/$defs/Node" } }
            peer: { $ref: "#/$defs/Peer" }
        Peer:
          type: object
          properties:
            back: { $ref: "#/$defs/Node" }
            name: { type: string }
`;

describe('recursive schemas', () => {
  it('compile under tsc --strict and validate deep values', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'mcp-gen.yaml'), manifest);
    await generateProject({ manifestPath: join(dir, 'mcp-gen.yaml'), mode: 'write', source: { env: hermeticEnv() } });
    const tsc = tscProject(dir);
    expect(tsc.output).toBe('');
    expect(tsc.ok).toBe(true);

    const walk = await import(pathToFileURL(join(dir, 'src/generated/tools/walk.ts')).href);
    const deep = { root: { b: { a: { self: { b: { n: 3 } }, label: 'x' } } } };
    expect(walk.walkInputSchema.safeParse(deep).success).toBe(true);
    expect(walk.walkInputSchema.safeParse({ root: { b: { a: { self: { b: { n: 'three' } } } } } }).success).toBe(false);
    const pulled = await import(pathToFileURL(join(dir, 'src/generated/tools/pulled-tree.ts')).href);
    const tree = { node: { children: [{ peer: { back: { children: [] }, name: 'p' } }] } };
    expect(pulled.pulledTreeInputSchema.safeParse(tree).success).toBe(true);
    expect(pulled.pulledTreeInputSchema.safeParse({ node: { children: [{ peer: { back: { children: [1] } } }] } }).success).toBe(false);
  }, 300_000);
});
