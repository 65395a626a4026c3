/**
 * The machine-level cache of the protocol layer (src/generated/protocol/**): its text depends only on
 * the generator build, the spec(s) by sha256 and where the layer goes, yet a cold project would
 * otherwise render it (json-schema-to-typescript, the zod printer) and format it (prettier, over a
 * second of a cold run) again. It lives next to the spec cache, in `<cache dir>/render/` (see
 * load/spec-cache.ts: `$MCP_GEN_CACHE_DIR`, else ~/.cache/mcp-gen), one pack per (generator build,
 * protocol inputs), holding the render memo's entries for the protocol artifacts and the format
 * cache's entries for their files.
 *
 * Nothing read from it is trusted more than the project's own caches: the same verified line layout
 * (format/format-cache.ts: each entry carries its own hash; an unparsable, foreign or damaged line is
 * skipped), render values checked for their shape, format entries keyed by the very text prettier
 * would get. So deleting or damaging it changes speed, never output
 * (test/project/machine-cache.test.ts). Only the newest packs are kept: a rebuilt generator is a new build.
 */
import { readdirSync, utimesSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmittedFile, EmitContext } from '../emit/artifact.ts';
import { FormatCache, TieredFormatStore, type FormatStore } from '../format/format-cache.ts';
import { sweepAbandonedTemps } from '../fs/atomic-file.ts';
import { cacheDir } from '../load/spec-cache.ts';
import { protocolInputs } from './memo-steps.ts';
import { generatorFingerprint } from './noop-stamp.ts';
import { RenderMemo, type RenderMemoStats } from './render-memo.ts';
import { sha256Hex } from '../sha256.ts';

const MACHINE_FORMAT = 'mcp-gen-protocol-cache/1';
const PACK = /^protocol-[0-9a-f]{32}\.jsonl$/;
/** Packs kept (most recently used first): a few specs × a few generator builds. */
const KEEP_PACKS = 8;

export const machineCacheDir = (env: NodeJS.ProcessEnv = process.env) => join(cacheDir(env), 'render');

export class ProtocolLayerCache {
  /** The protocol artifacts' render memo, behind the project's own. */
  readonly memo: RenderMemo;

  private constructor(
    private readonly pack: FormatCache,
    private readonly dir: string,
    private readonly name: string,
    private readonly protocolDir: string,
  ) {
    this.memo = RenderMemo.over(pack);
  }

  static async load(ctx: EmitContext, env: NodeJS.ProcessEnv = process.env): Promise<ProtocolLayerCache> {
    const key = sha256Hex(`${MACHINE_FORMAT}\0${generatorFingerprint()}\0${JSON.stringify(protocolInputs(ctx))}`).slice(0, 32);
    const dir = machineCacheDir(env);
    const name = `protocol-${key}.jsonl`;
    return new ProtocolLayerCache(await FormatCache.loadFrom(dir, name, { keepAll: true }), dir, name, ctx.protocolDir);
  }

  /** What this run found here: by render step, and every lookup in the pack (render values and formatted texts). */
  get stats(): { render: RenderMemoStats; pack: FormatCache['stats'] } {
    return { render: this.memo.stats, pack: this.pack.stats };
  }

  /** Where a file's formatted text is looked up: protocol-layer files behind `project`, the others in `project` only. */
  formatStoreFor(project: FormatStore): (file: EmittedFile) => FormatStore {
    const tiered = new TieredFormatStore(project, this.pack);
    return (file) => (file.path.startsWith(`${this.protocolDir}/`) ? tiered : project);
  }

  /**
   * Writes the pack (when this run added to it), marks it used, drops the least recently used beyond
   * KEEP_PACKS and the temp files of killed runs. Never fails.
   */
  async save(): Promise<void> {
    await this.pack.save();
    const now = new Date();
    // Synchronous: two tiny calls every run, cheaper than their thread-pool round trips.
    try {
      utimesSync(join(this.dir, this.name), now, now);
    } catch {
      // not marked: pruned a little earlier
    }
    try {
      // A run killed while writing a pack left its temp file: this is the one place every run passes.
      sweepAbandonedTemps(this.dir);
      const packs = readdirSync(this.dir).filter((n) => PACK.test(n));
      if (packs.length <= KEEP_PACKS) return;
      const dated = await Promise.all(packs.map(async (n) => ({ n, t: await stat(join(this.dir, n)).then((s) => s.mtimeMs, () => 0) })));
      dated.sort((a, b) => b.t - a.t || (a.n < b.n ? -1 : 1));
      await Promise.all(dated.slice(KEEP_PACKS).filter((d) => d.n !== this.name).map((d) => rm(join(this.dir, d.n), { force: true })));
    } catch {
      // a cache that cannot be listed is only not pruned
    }
  }
}
