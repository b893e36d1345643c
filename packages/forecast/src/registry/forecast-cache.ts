import type { BandComponents } from '../intervals/combination.ts';
import { LONG_RUN_DAYS } from '../intervals/volatility.ts';
import type { PointModel } from '../models/point-model.ts';

const MAX_ENTRIES = 64;

/** What a forecast needs beyond the stored calibration, for the model's full max horizon. */
export interface ForecastInputs {
  logChange: Float64Array;
  scales: Float64Array;
  /** the anchor bands at the origin, when the calibration blends them in */
  components?: BandComponents;
}

/**
 * Per-model memo of (point forecast, interval scales, anchor bands) for the full max horizon, keyed by the trailing
 * closes that can influence them. The server asks for the same symbol/model/day over and over while the
 * history only changes once a day, so repeated requests skip the network's forward pass entirely.
 */
export class ForecastCache {
  private readonly entries = new Map<string, ForecastInputs>();
  /** closes that can affect a forecast: the model's input window and the volatility lookback */
  private readonly span: number;

  constructor(model: PointModel) {
    this.span = Math.max(model.window + 1, LONG_RUN_DAYS + 1);
  }

  get(closes: Float64Array, compute: () => ForecastInputs): ForecastInputs {
    // exact key (no hashing, so no collisions): the relevant closes themselves
    const key = closes.subarray(Math.max(0, closes.length - this.span)).join(',');
    let entry = this.entries.get(key);
    if (!entry) {
      entry = compute();
      if (this.entries.size >= MAX_ENTRIES) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
      this.entries.set(key, entry);
    }
    return entry;
  }
}
