import { DEFAULT_ACI_GAMMA } from '../intervals/calibration-defaults.ts';
import type { BlendWeights, HorizonQuantiles } from '../intervals/calibration-types.ts';
import { blendComponents } from '../intervals/combination.ts';
import { AdaptiveConformal, type CalibratorOptions } from '../intervals/conformal.ts';
import type { GarchParams } from '../intervals/garch.ts';
import { ewmaScales, type ScaleFunction } from '../intervals/scale-models.ts';
import { conformalIntervals } from '../intervals/stored-bands.ts';
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
  /** scale of the conformal scores at an origin; defaults to ewmaScales */
  scales?: ScaleFunction;
  /** GARCH parameters behind `scales` at an origin (for a blend with the garch-t band); default none */
  garch?: (history: Float64Array) => GarchParams | null;
  /** band shape; defaults to the shipped method (see AdaptiveConformal) */
  calibration?: CalibratorOptions;
  /**
   * the anchor blend of the band issued at origin t, when it changes over the walk (the yearly choices of
   * blend-selection.ts); absent = the calibrator's own blend at every origin
   */
  blendAt?: (t: number) => BlendWeights | null;
  /**
   * optional refits. `fitEnd(t)` says, for a scored origin t, whether to refit before forecasting at t and
   * on which data: closes[0..fitEnd] (fitEnd ≤ t), or null to keep the current model. The first scored origin
   * must be a refit point; its model also makes the warm-up forecasts, so no forecast the calibrator learns
   * from comes from a model trained after the first scored origin.
   */
  retrain?: { fitEnd: (t: number) => number | null; fit: (closes: Float64Array) => Promise<PointModel> };
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
  const calibrator = new AdaptiveConformal(H, options.gamma ?? DEFAULT_ACI_GAMMA, options.calibration);
  const pending: (Pending | undefined)[] = new Array(H + 1);
  const scored = new Map<number, ScoredForecast[]>(options.horizons.map((h) => [h, []]));
  const lastOrigin = Math.min(options.scoreTo, closes.length - 1);
  const total = lastOrigin - options.start + 1;
  if (options.retrain) {
    const end = options.retrain.fitEnd(options.scoreFrom);
    if (end === null || end > options.scoreFrom)
      throw new Error('the first scored origin must be a refit point');
    model = await options.retrain.fit(closes.subarray(0, end + 1));
  }

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
      );
    }
    pending[t % (H + 1)] = undefined;
    if (t + 1 < model.minHistory) continue;

    // 2. optional periodic refit, on data through today at most
    const history = closes.subarray(0, t + 1);
    if (options.retrain && t > options.scoreFrom) {
      const end = options.retrain.fitEnd(t);
      if (end !== null) {
        if (end > t) throw new Error(`refit at origin ${t} asked for data through ${end}`);
        model = await options.retrain.fit(closes.subarray(0, end + 1));
      }
    }

    // 3. forecast from today with the calibration known today
    const logChange = model.predictLogChange(history, H);
    const scales = (options.scales ?? ewmaScales)(history, H);
    const blend = options.blendAt ? options.blendAt(t) : calibrator.blend;
    const quantiles = blend
      ? calibrator.bandQuantiles(
          scales,
          blendComponents(history, scales, options.garch?.(history) ?? null),
          blend,
        )
      : calibrator.bandQuantiles(scales, {}, null);
    pending[t % (H + 1)] = { logChange, scales, lastClose: actual, quantiles };

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
