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
 */

import { LATEST_BLEND } from './blend-selection.ts';
import { type BandComponents, type BlendWeights, blendQuantiles } from './combination.ts';
import type { GarchParams } from './garch.ts';
import type { ScaleMethod } from './scale-models.ts';

export const LEVELS = [0.8, 0.95] as const;
export type Level = (typeof LEVELS)[number];

export interface HorizonQuantiles {
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
}

export interface CalibrationJson {
  method: 'split-conformal+aci';
  score: string;
  /** scale dividing the scores (absent in older metadata = 'ewma-365') */
  scale?: ScaleMethod;
  /** weight of the ewma-normal volatility mixed into the scale (absent = 0), see mixEwmaScales */
  ewmaScaleWeight?: number;
  /** GARCH(1,1)-t parameters behind the 'garch-t' scale, fitted on every training return */
  garch?: GarchParams;
  /** signed or absolute scores (absent in older metadata = 'signed') */
  sides?: ScoreSides;
  /** always null: every score is kept (an expanding window); older metadata may hold a rolling length */
  window: number | null;
  gamma: number;
  /** scores behind these quantiles (per horizon, counts may differ near the end of the data) */
  samples: number;
  /** key: horizon '1'..'H' */
  horizons: Record<string, HorizonQuantiles & { alpha80: number; alpha95: number }>;
  /** band shape across horizons (absent in older metadata = 'per-horizon') */
  bands?: BandShape;
  /** half-life (in outcomes) of the score weights; absent = every score weighs the same */
  halfLife?: number;
  /** weights of the anchor bands averaged into the conformal band (absent = conformal alone) */
  blend?: BlendWeights;
}

/**
 * ACI step. Shipped: 0, i.e. plain split-conformal on every past score. γ = 0.005 (shipped before) kept
 * coverage closer to nominal per year but chased runs of overlapping hits and misses, which cost 3–18% in
 * interval score on the validation years; see docs/forecast-quality.md ("Evaluation v2").
 */
export const DEFAULT_ACI_GAMMA = 0;

/** Normal quantiles, used only when no score has been observed yet. */
const GAUSSIAN: HorizonQuantiles = { lower80: -1.2816, upper80: 1.2816, lower95: -1.96, upper95: 1.96 };
const MIN_SCORES = 20;
/** z(0.975) / z(0.90): how much wider a normal 95% interval is than its 80% interval. */
const NORMAL_TAIL_RATIO = 1.959964 / 1.281552;

/** Empirical quantile with linear interpolation on a sorted array. */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = Math.min(Math.max(p, 0), 1) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/**
 * Band shape across horizons. 'per-horizon': every horizon's quantiles on their own, so a bound can sit
 * closer to the forecast at day 9 than at day 8. 'monotone': the distance of each bound from the forecast
 * (q · scale_h, in log units) is a running maximum over h, so no band gets narrower at a longer horizon.
 */
export const BAND_SHAPES = ['per-horizon', 'monotone'] as const;
export type BandShape = (typeof BAND_SHAPES)[number];
/**
 * Shipped: 'monotone'. Per-horizon quantiles are estimated independently, so without it a 95% bound could
 * sit closer to the forecast at day 9 than at day 8, which reads as a broken chart. On the 2018–2025
 * validation years it was no worse than per-horizon bands (same 18 cells off target, lower mean deviation),
 * see docs/forecast-quality.md. Metadata without `bands` was calibrated per horizon and is served that way.
 */
export const DEFAULT_BAND_SHAPE: BandShape = 'monotone';

/**
 * 'signed': quantiles of the signed scores (asymmetric bands). 'absolute': quantiles of |score|, bands
 * symmetric in log space around the forecast.
 */
export const SCORE_SIDES = ['signed', 'absolute'] as const;
export type ScoreSides = (typeof SCORE_SIDES)[number];
/**
 * Shipped: 'absolute'. Signed scores pooled over every year carry the skew of past manias (ETH 2016–2017)
 * into today's bands, lifting the upper bound and thinning the lower one; on the validation years absolute
 * scores scored better at every horizon (docs/forecast-quality.md).
 */
export const DEFAULT_SCORE_SIDES: ScoreSides = 'absolute';

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

/**
 * Shipped: 730 outcomes (two years). Chosen with the EWMA-mixed scale on the validation years before 2019
 * (docs/forecast-quality.md, "Evaluation v2"): it tied the equal-weight variant on interval score and
 * covered closer to nominal; on later origins it weighs the wide 2016–2018 scores down.
 */
export const DEFAULT_HALF_LIFE: number | null = 730;
/**
 * Shipped: the latest of the yearly re-selections in blend-selection.ts (garch-t 0.125, ewma-normal 0.125
 * at the end of the shipped data): every bound is the weighted mean of the conformal bound and the anchors'
 * (quantile averaging, see combination.ts). Backtests issue each origin's band with the choice in force on
 * its day instead.
 */
export const DEFAULT_BLEND: BlendWeights | null = LATEST_BLEND;

/**
 * Weighted quantile of non-exchangeable split conformal (Barber, Candès, Ramdas & Tibshirani 2023): the
 * p-quantile of Σ w_i δ(s_i) + 1 · δ(+∞) normalised, i.e. the smallest sorted score whose cumulative weight
 * reaches p · (Σ w + 1); the test point's own mass 1 sits at +∞. Where that mass would be needed (too few
 * effective scores) the largest score is returned. `weights[i]` belongs to `sorted[i]`.
 */
export function weightedQuantileSorted(
  sorted: readonly number[],
  weights: ArrayLike<number>,
  p: number,
): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i] as number;
  return upperWeighted(sorted, (i) => weights[i] as number, total, p);
}

/** Scan from the top: the smallest k with W − (weight above k) ≥ p(W + 1). */
function upperWeighted(sorted: readonly number[], weight: (i: number) => number, total: number, p: number) {
  const target = p * (total + 1);
  let k = sorted.length - 1;
  let above = 0;
  while (k > 0 && total - (above + weight(k)) >= target) {
    above += weight(k);
    k--;
  }
  return sorted[k] as number;
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
    const total = this.weightSum;
    if (p >= 0.5) return upperWeighted(this.sorted, weight, total, p);
    // lower tail, mirrored: the largest score whose weight at or above it reaches (1 − p)(W + 1)
    const target = (1 - p) * (total + 1);
    let k = 0;
    let below = 0;
    while (k < n - 1 && total - (below + weight(k)) >= target) {
      below += weight(k);
      k++;
    }
    return this.sorted[k] as number;
  }

  quantiles(): HorizonQuantiles {
    const s = this.sorted;
    if (s.length < MIN_SCORES) return { ...GAUSSIAN };
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

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
      ...(this.sides !== 'signed' ? { sides: this.sides } : {}),
      window: null,
      gamma: this.gamma,
      samples: Number.isFinite(samples) ? samples : 0,
      horizons,
      ...(this.bands !== 'per-horizon' ? { bands: this.bands } : {}),
      ...(this.halfLife !== null ? { halfLife: this.halfLife } : {}),
      ...(this.blend ? { blend: this.blend } : {}),
    };
  }
}

/**
 * Makes bands non-narrowing across horizons: the distance of every bound from the forecast, q · scale_h in
 * log units, becomes its running maximum over h = 1..H (quantiles are rescaled so that
 * q'_h · scale_h is that maximum). Horizons where the band already widens are unchanged.
 */
export function monotoneQuantiles(
  quantiles: readonly HorizonQuantiles[],
  scales: ArrayLike<number>,
): HorizonQuantiles[] {
  const keys = ['lower80', 'upper80', 'lower95', 'upper95'] as const;
  const reach = { lower80: 0, upper80: 0, lower95: 0, upper95: 0 };
  return quantiles.map((q, i) => {
    const scale = scales[i] as number;
    const out = { ...q };
    for (const key of keys) {
      const d = q[key] * scale;
      // lower bounds reach down (most negative wins), upper bounds up
      const next = i === 0 ? d : key.startsWith('lower') ? Math.min(reach[key], d) : Math.max(reach[key], d);
      reach[key] = next;
      out[key] = next / scale;
    }
    return out;
  });
}

/** Quantiles stored in metadata for horizon h, or Gaussian ones if the model was never calibrated. */
export function storedQuantiles(calibration: CalibrationJson | null, h: number): HorizonQuantiles {
  const q = calibration?.horizons[String(h)];
  return q
    ? { lower80: q.lower80, upper80: q.upper80, lower95: q.lower95, upper95: q.upper95 }
    : { ...GAUSSIAN };
}

/**
 * Stored quantiles for horizons 1..scales.length at an origin, averaged with the anchor bands when the
 * calibration blends and shaped across horizons the way the calibration was made (older metadata without
 * `bands`: per horizon) — the serving twin of AdaptiveConformal.bandQuantiles.
 */
export function storedBandQuantiles(
  calibration: CalibrationJson | null,
  scales: ArrayLike<number>,
  components: BandComponents = {},
): HorizonQuantiles[] {
  const own = Array.from({ length: scales.length }, (_, i) => storedQuantiles(calibration, i + 1));
  const q = calibration?.blend ? blendQuantiles(own, components, calibration.blend) : own;
  return calibration?.bands === 'monotone' ? monotoneQuantiles(q, scales) : q;
}

/** Turns a point forecast (as log change from the last close) into price bounds. */
export function conformalIntervals(
  lastClose: number,
  logChange: number,
  /** √(expected variance of the h-day log return), from horizonScales */
  scale: number,
  q: HorizonQuantiles,
): { value: number; lower80: number; upper80: number; lower95: number; upper95: number } {
  const center = Math.log(lastClose) + logChange;
  return {
    value: Math.exp(center),
    lower80: Math.exp(center + q.lower80 * scale),
    upper80: Math.exp(center + q.upper80 * scale),
    lower95: Math.exp(center + q.lower95 * scale),
    upper95: Math.exp(center + q.upper95 * scale),
  };
}
