/**
 * `MCP_GEN_TIMINGS=1`: one stderr line per stage of a project generate (wall ms since the previous
 * stage, and since the process started), so a user or the bench can see where a run's time goes
 * without a profiler. Off by default: nothing is measured or printed.
 */
export class StageTimings {
  private readonly marks: { stage: string; at: number }[] = [];
  /** performance.now() counts from the process's start: what passed before this object is start-up. */
  private readonly startup = performance.now();
  private last = this.startup;

  constructor(private readonly enabled: boolean) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): StageTimings {
    return new StageTimings(Boolean(env.MCP_GEN_TIMINGS) && env.MCP_GEN_TIMINGS !== '0');
  }

  /** Closes the stage that just finished. */
  mark(stage: string): void {
    if (!this.enabled) return;
    const now = performance.now();
    this.marks.push({ stage, at: now - this.last });
    this.last = now;
  }

  /** `timing <stage> <ms> ms` lines, the first one the process's own start-up (node + module loading). */
  lines(): string[] {
    if (!this.enabled) return [];
    const rows = [{ stage: 'startup', at: this.startup }, ...this.marks];
    const total = rows.reduce((n, m) => n + m.at, 0);
    return [...rows.map((m) => `timing ${m.stage.padEnd(10)} ${m.at.toFixed(0).padStart(6)} ms`), `timing ${'total'.padEnd(10)} ${total.toFixed(0).padStart(6)} ms`];
  }
}
