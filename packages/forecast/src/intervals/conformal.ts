/**
 * Split-conformal intervals with adaptive conformal inference (ACI, Gibbs & Candès 2021), one calibrator
 * per horizon.
 *
 * Score: s = (log actual − log forecast) / scale_h, where scale_h is the expected volatility of the h-day
 * return at the origin (EWMA volatility reverting to the yearly one, see horizonScales). Dividing by it
 * makes scores comparable across calm and wild periods; ACI then nudges the miscoverage level α_t
 * after every observed outcome (α_{t+1} = α_t + γ(α − err_t)) so coverage recovers if the score
 * distribution itself drifts. Signed scores give asymmetric bounds (crypto moves are skewed).
 *
 * Every score since the first origin is kept (an expanding window): because the scores are already scaled
 * by the volatility of their day, old crash regimes stay informative, and the 95% bound at long horizons
 * needs them. By default they are weighted by age (non-exchangeable conformal, half-life
 * DEFAULT_HALF_LIFE), so old years count less than recent ones. See docs/forecast-quality.md.
 *
 * Bands are made monotone across horizons at the origin (see monotoneQuantiles): the issued bound at day h
 * is never closer to the forecast than the one at day h − 1. ACI sees the intervals as issued.
 *
 * This file is the online calibrator of the walk-forward (and so of training); the stored JSON's types are
 * in calibration-types.ts, the shipped choices in calibration-defaults.ts, the quantile arithmetic in
 * quantiles.ts and serving a stored calibration in stored-bands.ts.
 */

import {
  DEFAULT_ACI_GAMMA,
  DEFAULT_BAND_SHAPE,
  DEFAULT_BLEND,
  DEFAULT_HALF_LIFE,
  DEFAULT_SCORE_SIDES,
} from './calibration-defaults.ts';
import type {
  BandShape,
  BlendWeights,
  CalibrationJson,
  HorizonQuantiles,
  Level,
  ScoreSides,
} from './calibration-types.ts';
import { type BandComponents, blendQuantiles } from './combination.ts';
import {
  GAUSSIAN_QUANTILES,
  lowerBound,
  lowerWeightedQuantile,
  monotoneQuantiles,
  quantileSorted,
  upperWeightedQuantile,
} from './quantiles.ts';

const MIN_SCORES = 20;
/** z(0.975) / z(0.90): how much wider a normal 95% interval is than its 80% interval. */
const NORMAL_TAIL_RATIO = 1.959964 / 1.281552;

export interface CalibratorOptions {
  /** band shape across horizons; absent = DEFAULT_BAND_SHAPE */
  bands?: BandShape;
  /** signed or absolute scores; absent = DEFAULT_SCORE_SIDES */
  sides?: ScoreSides;
  /**
   * weighted (non-exchangeable) conformal: a score k outcomes old weighs 2^(−k / halfLife); null = every
   * score weighs the same (absent = DEFAULT_HALF_LIFE)
   */
  halfLife?: number | null;
  /** anchor bands averaged into the conformal band before shaping (absent = DEFAULT_BLEND) */
  blend?: BlendWeights | null;
}

class HorizonCalibrator {
  /** every score so far, kept sorted (binary insert), so quantiles are O(1) per query */
  private readonly sorted: number[] = [];
  /** arrival number of each entry of `sorted` (only kept for weighted quantiles) */
  private readonly arrival: number[] = [];
  /** decay[k] = r^k, r = 2^(−1/halfLife): the weight of a score k outcomes old (the newest is 1 old) */
  private readonly decay: number[] = [1];
  /** Σ of the weights of the scores so far, r + r² + … + rⁿ */
  private weightSum = 0;
  alpha80 = 0.2;
  alpha95 = 0.05;

  constructor(
    private readonly gamma: number,
    private readonly sides: ScoreSides,
    private readonly halfLife: number | null,
  ) {}

  get count(): number {
    return this.sorted.length;
  }

  add(score: number, covered80: boolean, covered95: boolean): void {
    const value = this.sides === 'absolute' ? Math.abs(score) : score;
    const at = lowerBound(this.sorted, value);
    if (this.halfLife !== null) {
      this.arrival.splice(at, 0, this.sorted.length);
      const r = 2 ** (-1 / this.halfLife);
      this.decay.push((this.decay[this.decay.length - 1] as number) * r);
      this.weightSum = r * (this.weightSum + 1);
    }
    this.sorted.splice(at, 0, value);
    this.alpha80 = aciStep(this.alpha80, this.gamma, 0.8, covered80);
    this.alpha95 = aciStep(this.alpha95, this.gamma, 0.95, covered95);
  }

  /** p-quantile of the scores: linear interpolation, or the weighted conformal quantile with a half-life */
  private quantile(p: number): number {
    if (this.halfLife === null) return quantileSorted(this.sorted, p);
    const n = this.sorted.length;
    // the newest score (arrival n − 1) is 1 outcome old; total = r + r² + … + rⁿ
    const weight = (i: number) => this.decay[n - (this.arrival[i] as number)] as number;
    return p >= 0.5
      ? upperWeightedQuantile(this.sorted, weight, this.weightSum, p)
      : lowerWeightedQuantile(this.sorted, weight, this.weightSum, p);
  }

  quantiles(): HorizonQuantiles {
    const s = this.sorted;
    if (s.length < MIN_SCORES) return { ...GAUSSIAN_QUANTILES };
    if (this.sides === 'absolute') {
      const q80 = this.quantile(1 - this.alpha80);
      const q95 = Math.max(this.quantile(1 - this.alpha95), q80 * NORMAL_TAIL_RATIO);
      return { lower80: -q80, upper80: q80, lower95: -q95, upper95: q95 };
    }
    const lower80 = this.quantile(this.alpha80 / 2);
    const upper80 = this.quantile(1 - this.alpha80 / 2);
    let lower95 = this.quantile(this.alpha95 / 2);
    let upper95 = this.quantile(1 - this.alpha95 / 2);
    // Overlapping multi-day outcomes leave only a dozen independent tail events in a year of scores, so
    // the empirical 95% bound systematically comes out too thin at long horizons. Never let it be
    // thinner-tailed than a normal distribution relative to the (well-estimated) 80% bound.
    if (lower80 < 0) lower95 = Math.min(lower95, lower80 * NORMAL_TAIL_RATIO);
    if (upper80 > 0) upper95 = Math.max(upper95, upper80 * NORMAL_TAIL_RATIO);
    return { lower80, upper80, lower95, upper95 };
  }
}

/**
 * The ACI update after one observed outcome: α_{t+1} = α_t + γ(α − err_t), err_t = 1 for a miss of the
 * interval issued at nominal level `level` (α = 1 − level), clamped to [0.001, 0.6]. Shared by the backtest's
 * calibrator and the server's live recalibration, so both move α the same way.
 */
export function aciStep(alpha: number, gamma: number, level: Level, covered: boolean): number {
  // the literal targets, not 1 − level (0.19999999999999996), keep the backtest's α bit for bit
  const target = level === 0.8 ? 0.2 : 0.05;
  return clampAlpha(alpha + gamma * (target - (covered ? 0 : 1)));
}

function clampAlpha(alpha: number): number {
  return Math.min(Math.max(alpha, 0.001), 0.6);
}

/**
 * Online calibrator for horizons 1..maxHorizon; feed outcomes as they become known, ask for quantiles.
 * Every score is kept (no rolling window) and ACI uses the same step at every horizon. Rolling windows,
 * horizon-dependent steps and regime-conditional quantiles were tried and rejected on the validation years;
 * their code was removed after commit 1c62ced, their results stay in docs/forecast-quality.md.
 */
export class AdaptiveConformal {
  private readonly horizons: HorizonCalibrator[];
  readonly bands: BandShape;
  readonly sides: ScoreSides;
  readonly halfLife: number | null;
  readonly blend: BlendWeights | null;

  constructor(
    readonly maxHorizon: number,
    readonly gamma: number = DEFAULT_ACI_GAMMA,
    options: CalibratorOptions = {},
  ) {
    this.bands = options.bands ?? DEFAULT_BAND_SHAPE;
    this.sides = options.sides ?? DEFAULT_SCORE_SIDES;
    this.halfLife = options.halfLife === undefined ? DEFAULT_HALF_LIFE : options.halfLife;
    this.blend = options.blend === undefined ? DEFAULT_BLEND : options.blend;
    this.horizons = Array.from(
      { length: maxHorizon },
      () => new HorizonCalibrator(gamma, this.sides, this.halfLife),
    );
  }

  private at(h: number): HorizonCalibrator {
    const calibrator = this.horizons[h - 1];
    if (!calibrator) throw new RangeError(`horizon ${h} outside 1..${this.maxHorizon}`);
    return calibrator;
  }

  /** Records the outcome of a forecast made h days earlier, with the interval that was issued then. */
  observe(h: number, score: number, covered80: boolean, covered95: boolean): void {
    this.at(h).add(score, covered80, covered95);
  }

  quantiles(h: number): HorizonQuantiles {
    return this.at(h).quantiles();
  }

  /**
   * The quantiles issued with a forecast at an origin, for horizons 1..H: each horizon's own, averaged with
   * the anchor bands at the origin when the calibrator blends (`components`, see blendComponents), then
   * shaped across horizons with the origin's interval scales.
   */
  bandQuantiles(
    scales: ArrayLike<number>,
    components: BandComponents = {},
    /** the blend at this origin when it differs from the calibrator's (a backtest's yearly choices) */
    blend: BlendWeights | null = this.blend,
  ): HorizonQuantiles[] {
    const own = this.horizons.map((c) => c.quantiles());
    const q = blend ? blendQuantiles(own, components, blend) : own;
    return this.bands === 'monotone' ? monotoneQuantiles(q, scales) : q;
  }

  toJson(): CalibrationJson {
    const horizons: CalibrationJson['horizons'] = {};
    let samples = Number.POSITIVE_INFINITY;
    for (let h = 1; h <= this.maxHorizon; h++) {
      const c = this.at(h);
      samples = Math.min(samples, c.count);
      horizons[String(h)] = { ...c.quantiles(), alpha80: c.alpha80, alpha95: c.alpha95 };
    }
    return {
      method: 'split-conformal+aci',
      score: 'log-error / horizon-scale (ewma vol reverting to 365-day vol)',
      sides: this.sides,
      window: null,
      gamma: this.gamma,
      samples: Number.isFinite(samples) ? samples : 0,
      horizons,
      bands: this.bands,
      halfLife: this.halfLife,
      blend: this.blend,
    };
  }
}
