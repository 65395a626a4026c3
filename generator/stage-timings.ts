/**
 * `MCP_GEN_TIMINGS=1`: one stderr line per stage of a project generate (wall ms since the previous
 * stage, and since the process started), so a user or the bench can see where a run's time goes
 * without a profiler; `MCP_GEN_TIMINGS=2` adds a line per artifact under `emit`. Off by default:
 * nothing is measured or printed.
 */
export class StageTimings {
  /** Stages in order, each followed by its parts (`part: true`, not counted in the total). */
  private readonly marks: { stage: string; at: number; part?: true }[] = [];
  /** Parts of the running stage, listed under it when it is marked (`emit`'s artifacts). */
  private details: { stage: string; at: number; part: true }[] = [];
  /** performance.now() counts from the process's start: what passed before this object is start-up. */
  private readonly startup = performance.now();
  private last = this.startup;

  constructor(
    private readonly enabled: boolean,
    /** Also time the parts of a stage (see `part`). */
    readonly detailed = false,
  ) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): StageTimings {
    return new StageTimings(Boolean(env.MCP_GEN_TIMINGS) && env.MCP_GEN_TIMINGS !== '0', env.MCP_GEN_TIMINGS === '2');
  }

  /** Closes the stage that just finished. */
  mark(stage: string): void {
    if (!this.enabled) return;
    const now = performance.now();
    this.marks.push({ stage, at: now - this.last }, ...this.details);
    this.details = [];
    this.last = now;
  }

  /** A part of the running stage that took `ms` (detailed timings only): listed under the stage. */
  part(name: string, ms: number): void {
    if (this.enabled && this.detailed) this.details.push({ stage: name, at: ms, part: true });
  }

  /** `timing <stage> <ms> ms` lines, the first one the process's own start-up (node + module loading). */
  lines(): string[] {
    if (!this.enabled) return [];
    const rows = [{ stage: 'startup', at: this.startup }, ...this.marks].map((m) => ({ ...m, label: 'part' in m ? `  ${m.stage}` : m.stage }));
    // The sum of the stages as printed (whole ms), so the lines add up: rounding each stage and the
    // raw sum apart could differ by a millisecond.
    const total = rows.filter((m) => !('part' in m)).reduce((n, m) => n + Math.round(m.at), 0);
    const width = Math.max(10, ...rows.map((m) => m.label.length));
    return [...rows.map((m) => `timing ${m.label.padEnd(width)} ${String(Math.round(m.at)).padStart(6)} ms`), `timing ${'total'.padEnd(width)} ${String(total).padStart(6)} ms`];
  }
}
