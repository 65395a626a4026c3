/**
 * The layout's own doc printer (generator/format/doc-printer.ts) must print what prettier's
 * printDocToString prints, or refuse (Unprintable) before returning anything:
 * - random docs of every kind prettier/doc builds (groups with ids and forced breaks, conditional
 *   groups, if-break and indent-if-break on other groups' modes, align, hard lines inside flat
 *   groups, sub-docs shared between places, text with trailing blanks, tabs, control and non-ASCII
 *   characters, and kinds it refuses: fill, line suffixes, literal lines, trim), at several widths;
 * - the docs of real files: the protocol types and validators of both spec revisions (the spec's
 *   schemas, text nobody here wrote), laid out with the own printer and with prettier's.
 * Each doc is built twice from one seed: printing marks broken groups in the doc it prints.
 */
import { builders as b, printer } from 'prettier/doc';
import type { Doc } from 'prettier';
import { describe, expect, it } from 'vitest';
import { seededRandom, type Random } from '../../generator/fixtures/prng.ts';
import { printDoc, Unprintable } from '../../generator/format/doc-printer.ts';
import { docPrinting, layout } from '../../generator/format/ts-tool-layout.ts';
import { loadSpec } from '../../generator/load/load-spec.ts';
import { renderProtocolSchemas } from '../../generator/emit/artifacts/protocol-schemas.ts';
import { compileNamedTypes } from '../../generator/emit/ts-types.ts';
import { SHARED_SPEC } from '../helpers/env.ts';

const TEXTS = ['', 'a', 'foo', 'x => y', 'interface', '"quoted text"', 'trailing  ', ' ', '\t', 'tab\tinside', 'bell\u0007', 'del\u007f', 'bell\u0007del\u007f', 'x'.repeat(17), 'y'.repeat(43), 'café', '→'];

/** A random doc; `ids` are the group ids drawn so far (if-breaks may name one printed before or after them). */
function randomDoc(r: Random, depth: number, ids: symbol[], shared: Doc[]): Doc {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const children = (n: number) => Array.from({ length: 1 + Math.floor(r() * n) }, () => randomDoc(r, depth + 1, ids, shared));
  const leaf = depth > 5 || r() < 0.3;
  if (leaf) {
    const x = r();
    if (x < 0.45) return pick(TEXTS.slice(0, r() < 0.9 ? 15 : TEXTS.length));
    if (x < 0.65) return b.line;
    if (x < 0.8) return b.softline;
    if (x < 0.88) return b.hardline;
    if (x < 0.91) return b.breakParent;
    if (x < 0.93) return b.lineSuffixBoundary;
    if (x < 0.95 && shared.length > 0) return pick(shared);
    if (x < 0.96) return b.literalline;
    if (x < 0.97) return b.trim;
    return pick(TEXTS);
  }
  const x = r();
  let doc: Doc;
  if (x < 0.25) doc = children(5);
  else if (x < 0.5) {
    const id = r() < 0.3 ? Symbol('g') : undefined;
    doc = b.group(children(4), { shouldBreak: r() < 0.1, id });
    if (id) ids.push(id);
  } else if (x < 0.58) doc = b.conditionalGroup(Array.from({ length: 2 + Math.floor(r() * 2) }, () => randomDoc(r, depth + 1, ids, shared)));
  else if (x < 0.68) doc = b.indent(children(3));
  else if (x < 0.73) doc = b.align(Math.floor(r() * 5), children(3));
  else if (x < 0.82) doc = b.ifBreak(randomDoc(r, depth + 1, ids, shared), r() < 0.7 ? randomDoc(r, depth + 1, ids, shared) : '', { groupId: ids.length > 0 && r() < 0.4 ? pick(ids) : undefined });
  else if (x < 0.88 && ids.length > 0) doc = b.indentIfBreak(children(3), { groupId: pick(ids), negate: r() < 0.3 });
  else if (x < 0.9) doc = b.label('member-chain', children(2));
  else if (x < 0.92) doc = b.fill(children(4));
  else if (x < 0.93) doc = b.lineSuffix(children(1));
  else doc = children(3);
  if (r() < 0.15) shared.push(doc);
  return doc;
}

const build = (seed: number) => randomDoc(seededRandom(seed), 0, [], []);

function prettierPrint(doc: Doc, width: number): string {
  return printer.printDocToString(doc, { printWidth: width, tabWidth: 2, useTabs: false } as never).formatted;
}

describe('own doc printer', () => {
  it('random docs: the same text as prettier\'s printer, or refused', () => {
    let printed = 0;
    let refused = 0;
    const cases = 4000;
    for (let seed = 1; seed <= cases; seed++) {
      const width = [10, 24, 40, 80, 100][seed % 5]!;
      let own: string | undefined;
      try {
        own = printDoc(build(seed), width, 2);
      } catch (e) {
        if (!(e instanceof Unprintable)) throw e;
        refused++;
      }
      let theirs: string | Error;
      try {
        theirs = prettierPrint(build(seed), width);
      } catch (e) {
        theirs = e as Error;
      }
      if (own === undefined) continue;
      printed++;
      expect(theirs, `seed ${seed}: prettier refused a doc the own printer printed`).not.toBeInstanceOf(Error);
      expect(own, `seed ${seed} width ${width}`).toBe(theirs);
    }
    // Most random docs must be printed for the comparison to mean something.
    expect(printed).toBeGreaterThan(cases * 0.5);
    expect(refused).toBeGreaterThan(0);
  });

  it('refuses what it does not model, before printing anything', () => {
    for (const doc of [b.fill(['a', b.line, 'b']), ['x', b.lineSuffix(' // c')], ['x', b.literalline], ['é'], b.group(['a', b.trim])]) {
      expect(() => printDoc(doc, 80, 2)).toThrow(Unprintable);
    }
  });

  it('the protocol files of both revisions: laid out the same with either printer', async () => {
    for (const revision of ['2026-07-28', '2025-11-25']) {
      const spec = await loadSpec(revision, { env: { ...process.env, MCP_GEN_SPEC_MIRROR: SHARED_SPEC } });
      const texts = [renderProtocolSchemas(spec.document), await compileNamedTypes(spec.document.$defs as Record<string, unknown>)];
      for (const text of texts) {
        docPrinting.own = false;
        const theirs = layout(text);
        docPrinting.own = true;
        expect(layout(text), revision).toBe(theirs);
      }
    }
  }, 60_000);
});
