/** MCP_GEN_TIMINGS: stage rows (1), plus one row per artifact under the stage it ran in (2); parts never count twice in the total. */
import { describe, expect, it } from 'vitest';
import { StageTimings } from '../../generator/stage-timings.ts';

const rowNames = (lines: string[]) => lines.map((l) => /^timing (\s*\S+)/.exec(l)![1]);

describe('stage timings', () => {
  it('MCP_GEN_TIMINGS=2 lists the parts under their stage, and the total counts stages only', () => {
    const t = StageTimings.fromEnv({ MCP_GEN_TIMINGS: '2' });
    t.mark('inputs');
    t.part('tool-contracts', 5_000);
    t.part('client-sdk', 7_000);
    t.mark('emit');
    t.mark('write');
    const lines = t.lines();
    expect(rowNames(lines)).toEqual(['startup', 'inputs', 'emit', '  tool-contracts', '  client-sdk', 'write', 'total']);
    const ms = (name: string) => Number(/(\d+) ms$/.exec(lines.find((l) => rowNames([l])[0] === name)!)![1]);
    // The parts (12 s) are inside emit: a total that added them would exceed the run's wall time.
    expect(ms('total')).toBe(ms('startup') + ms('inputs') + ms('emit') + ms('write'));
    expect(ms('total')).toBeLessThan(12_000);
  });

  it('MCP_GEN_TIMINGS=1 shows stages only; unset shows nothing', () => {
    const one = StageTimings.fromEnv({ MCP_GEN_TIMINGS: '1' });
    expect(one.detailed).toBe(false);
    one.part('tool-contracts', 1);
    one.mark('emit');
    expect(rowNames(one.lines())).toEqual(['startup', 'emit', 'total']);
    const off = StageTimings.fromEnv({});
    off.mark('emit');
    expect(off.lines()).toEqual([]);
  });
});
