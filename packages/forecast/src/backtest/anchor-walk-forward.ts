import type { BandForecaster } from '../intervals/anchor-bands.ts';
import { conformalIntervals } from '../intervals/stored-bands.ts';
import type { ScoredForecast } from './walk-forward.ts';

/**
 * Walk-forward of an anchor band model over origins [scoreFrom, scoreTo]: persistence as the centre, the
 * anchor's bands from closes[0..t] only (a subarray: later prices are not reachable). No calibration, so
 * no warm-up; forecasts for h are kept when t + h ≤ scoreTo.
 */
export function anchorWalkForward(
  anchor: BandForecaster,
  closes: Float64Array,
  options: { scoreFrom: number; scoreTo: number; horizons: readonly number[]; maxHorizon: number },
): Map<number, ScoredForecast[]> {
  const scored = new Map<number, ScoredForecast[]>(options.horizons.map((h) => [h, []]));
  const lastOrigin = Math.min(options.scoreTo, closes.length - 1);
  for (let t = Math.max(options.scoreFrom, anchor.minHistory - 1); t <= lastOrigin; t++) {
    const history = closes.subarray(0, t + 1);
    const bands = anchor.bands(history, options.maxHorizon);
    const lastClose = closes[t] as number;
    for (const h of options.horizons) {
      if (t + h > lastOrigin) continue;
      const interval = conformalIntervals(lastClose, 0, 1, bands[h - 1] as (typeof bands)[number]);
      scored.get(h)?.push({ origin: t, h, lastClose, ...interval, actual: closes[t + h] as number });
    }
  }
  return scored;
}
