import { describe, expect, it } from 'vitest';
import { backtest } from '../backtest/run-backtest.ts';
import { createNaiveModel } from '../models/naive.ts';
import { randomWalkBars } from '../test-support/generate-series.ts';
import { BLEND_SELECTIONS, LATEST_BLEND, scheduledBlend } from './blend-selection.ts';
import { DEFAULT_BLEND } from './calibration-defaults.ts';

describe('the yearly blend choices', () => {
  it('gives the choice in force on a day, none before the first, and ships the latest', () => {
    expect(scheduledBlend('2018-12-31')).toBeNull();
    expect(scheduledBlend('2019-01-01')).toEqual({ garchT: 0.125, ewmaNormal: 0 });
    expect(scheduledBlend('2024-07-15')).toEqual({ garchT: 0, ewmaNormal: 0.25 });
    expect(scheduledBlend('2030-01-01')).toEqual(LATEST_BLEND);
    expect(DEFAULT_BLEND).toEqual(LATEST_BLEND);
    // each choice used only outcomes known before it took effect
    for (const s of BLEND_SELECTIONS) expect(s.knownBy < s.from).toBe(true);
    const froms = BLEND_SELECTIONS.map((s) => s.from);
    expect([...froms].sort()).toEqual(froms);
  });

  it("the backtest issues every origin's band with the choice in force on its day", async () => {
    const bars = randomWalkBars({ days: 1000, seed: 8, start: '2016-07-01' });
    const naive = () => [
      { name: 'naive', id: 'naive', version: '-', trainedThrough: null, model: createNaiveModel() },
    ];
    const run = (blend?: { garchT: number; ewmaNormal: number } | null) =>
      backtest({
        bars,
        from: '2018-12-20',
        to: '2019-01-10',
        horizons: [1],
        models: naive(),
        anchors: [],
        ...(blend !== undefined ? { calibration: { blend } } : {}),
      });
    const scheduled = (await run()).forecasts.get('naive')?.get(1) ?? [];
    const none = (await run(null)).forecasts.get('naive')?.get(1) ?? [];
    const first = (await run({ garchT: 0.125, ewmaNormal: 0 })).forecasts.get('naive')?.get(1) ?? [];
    const day = (i: number) => bars[scheduled[i]?.origin as number]?.day as string;
    expect(scheduled.length).toBeGreaterThan(10);
    let before = 0;
    let after = 0;
    for (const [i, f] of scheduled.entries()) {
      const expected = day(i) < '2019-01-01' ? none[i] : first[i];
      expect(f).toEqual(expected);
      if (day(i) < '2019-01-01') before++;
      else after++;
    }
    expect(before).toBeGreaterThan(0);
    expect(after).toBeGreaterThan(0);
    // and the two bands do differ, so the comparison above can fail
    expect(none.at(-1)?.upper95).not.toBe(first.at(-1)?.upper95);
  });
});
