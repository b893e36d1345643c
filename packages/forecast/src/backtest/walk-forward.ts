import {
  type AciSchedule,
  AdaptiveConformal,
  type CalibratorOptions,
  conformalIntervals,
  DEFAULT_ACI_GAMMA,
  DEFAULT_CALIBRATION_WINDOW,
  type HorizonQuantiles,
} from '../intervals/conformal.ts';
import { horizonScales, volatilityRatio } from '../intervals/volatility.ts';
import type { PointModel } from '../models/point-model.ts';

/** One forecast made at an origin for one horizon, with its outcome. */
export interface ScoredForecast {
  origin: number;
  h: number;
  lastClose: number;
  value: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
  actual: number;
}

export interface WalkForwardOptions {
  /** first origin index to run (calibration warm-up starts here; nothing before is scored) */
  start: number;
  /** origins in [scoreFrom, scoreTo] are scored when origin + h ≤ scoreTo */
  scoreFrom: number;
  scoreTo: number;
  horizons: readonly number[];
  maxHorizon: number;
  /** ACI step size; defaults to DEFAULT_ACI_GAMMA */
  gamma?: number;
  /** how the ACI step depends on the horizon; defaults to DEFAULT_ACI_SCHEDULE */
  gammaSchedule?: AciSchedule;
  /** scores kept per horizon; defaults to DEFAULT_CALIBRATION_WINDOW */
  calibrationWindow?: number;
  /** regime bins and band shape; defaults to the shipped method (see AdaptiveConformal) */
  calibration?: CalibratorOptions;
  /** optional: refit the model every `every` origins from closes up to and including that origin */
  retrain?: { every: number; fit: (closes: Float64Array) => Promise<PointModel> };
  onProgress?: (done: number, total: number) => void;
}

export interface WalkForwardResult {
  scored: Map<number, ScoredForecast[]>;
  calibrator: AdaptiveConformal;
}

interface Pending {
  logChange: Float64Array;
  scales: Float64Array;
  lastClose: number;
  quantiles: HorizonQuantiles[];
  /** volatility regime bin at the origin */
  bin: number;
}

/**
 * Walk-forward evaluation with online conformal calibration. At each origin t the model sees
 * closes[0..t] only (a subarray — later prices are not reachable), and the calibrator only knows
 * outcomes of earlier forecasts whose target day is ≤ t. That is what makes the no-look-ahead test hold.
 */
export async function walkForward(
  initialModel: PointModel,
  closes: Float64Array,
  options: WalkForwardOptions,
): Promise<WalkForwardResult> {
  let model = initialModel;
  const H = options.maxHorizon;
  const calibrator = new AdaptiveConformal(
    H,
    options.calibrationWindow ?? DEFAULT_CALIBRATION_WINDOW,
    options.gamma ?? DEFAULT_ACI_GAMMA,
    options.gammaSchedule,
    options.calibration,
  );
  const pending: (Pending | undefined)[] = new Array(H + 1);
  const scored = new Map<number, ScoredForecast[]>(options.horizons.map((h) => [h, []]));
  const lastOrigin = Math.min(options.scoreTo, closes.length - 1);
  const total = lastOrigin - options.start + 1;
  let sinceRetrain = 0;

  for (let t = options.start; t <= lastOrigin; t++) {
    const actual = closes[t] as number;
    // 1. outcomes that became known today (day t) feed the calibrator
    for (let h = 1; h <= H; h++) {
      const p = pending[(t - h) % (H + 1)];
      if (!p || t - h < options.start) continue;
      const q = p.quantiles[h - 1] as HorizonQuantiles;
      const scale = p.scales[h - 1] as number;
      const interval = conformalIntervals(p.lastClose, p.logChange[h - 1] as number, scale, q);
      const score = (Math.log(actual) - Math.log(p.lastClose) - (p.logChange[h - 1] as number)) / scale;
      calibrator.observe(
        h,
        score,
        actual >= interval.lower80 && actual <= interval.upper80,
        actual >= interval.lower95 && actual <= interval.upper95,
        p.bin,
      );
    }
    pending[t % (H + 1)] = undefined;
    if (t + 1 < model.minHistory) continue;

    // 2. optional periodic refit, on data through today only
    const history = closes.subarray(0, t + 1);
    if (options.retrain && t >= options.scoreFrom) {
      if (sinceRetrain % options.retrain.every === 0) model = await options.retrain.fit(history);
      sinceRetrain++;
    }

    // 3. forecast from today with the calibration known today
    const logChange = model.predictLogChange(history, H);
    const scales = horizonScales(history, H);
    // the volatility regime only matters to the regime experiment (`--regimes`)
    const bin = calibrator.regimes ? calibrator.bin(volatilityRatio(history)) : 0;
    const quantiles = calibrator.bandQuantiles(scales, bin);
    pending[t % (H + 1)] = { logChange, scales, lastClose: actual, quantiles, bin };

    if (t >= options.scoreFrom) {
      for (const h of options.horizons) {
        if (t + h > lastOrigin) continue;
        const q = quantiles[h - 1] as HorizonQuantiles;
        const interval = conformalIntervals(actual, logChange[h - 1] as number, scales[h - 1] as number, q);
        scored
          .get(h)
          ?.push({ origin: t, h, lastClose: actual, ...interval, actual: closes[t + h] as number });
      }
    }
    options.onProgress?.(t - options.start + 1, total);
  }
  return { scored, calibrator };
}
