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
 * By default every score since the first origin is kept (an expanding window), not just the last year:
 * because the scores are already scaled by the volatility of their day, old crash regimes stay
 * informative, and the 95% bound at long horizons needs them — a year of overlapping 30-day outcomes
 * holds only about a dozen independent tail events. Chosen on 2018–2025 validation years, see
 * docs/forecast-quality.md.
 *
 * Bands are made monotone across horizons at the origin (see monotoneQuantiles): the issued bound at day h
 * is never closer to the forecast than the one at day h − 1. ACI sees the intervals as issued.
 */

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
  /** rolling number of most recent scores kept per horizon; null = every score (expanding window) */
  window: number | null;
  gamma: number;
  /** how the ACI step depends on the horizon (absent in older metadata = 'constant') */
  gammaSchedule?: AciSchedule;
  /** scores behind these quantiles (per horizon, counts may differ near the end of the data) */
  samples: number;
  /** key: horizon '1'..'H' */
  horizons: Record<string, HorizonQuantiles & { alpha80: number; alpha95: number }>;
  /** band shape across horizons (absent in older metadata = 'per-horizon') */
  bands?: BandShape;
}

/** Scores kept per horizon: all of them (see the header comment for why not a rolling year). */
export const DEFAULT_CALIBRATION_WINDOW = Number.POSITIVE_INFINITY;
export const DEFAULT_ACI_GAMMA = 0.005;

/**
 * How the ACI step size depends on the horizon h. Overlapping h-day outcomes carry about 1/h as much
 * independent information as their count, so a constant γ lets a run of correlated hits (or misses) move
 * α_t h times further than the same evidence would at 1 day. 'inverse-h' uses γ/h, 'inverse-sqrt-h' γ/√h.
 * 'constant' is the shipped default: both falling schedules were worse on the 2018–2025 validation years
 * (more coverage cells off target, mostly over-coverage at 30 days), see docs/forecast-quality.md.
 */
export const ACI_SCHEDULES = ['constant', 'inverse-h', 'inverse-sqrt-h'] as const;
export type AciSchedule = (typeof ACI_SCHEDULES)[number];
export const DEFAULT_ACI_SCHEDULE: AciSchedule = 'constant';

/** ACI step size used at horizon h. */
export function aciGamma(gamma: number, h: number, schedule: AciSchedule): number {
  if (schedule === 'inverse-h') return gamma / h;
  if (schedule === 'inverse-sqrt-h') return gamma / Math.sqrt(h);
  return gamma;
}
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
 * Regime-conditional (Mondrian) calibration, an experiment (not shipped: worse on the 2018–2025 validation
 * years, see docs/forecast-quality.md; `pnpm backtest --regimes`): scores are also kept per volatility
 * regime at their origin (bins of volatilityRatio = EWMA variance ÷ long-run variance, split at `edges`),
 * and a forecast takes its quantiles from the scores of its own regime once that bin holds at least
 * `minScores` of them, else from all scores. ACI's α_t stays one per horizon.
 */
export interface RegimeBins {
  edges: readonly number[];
  minScores: number;
}

/** Bin of a volatility ratio: how many edges it is at or above (0 = calmest). */
export function regimeBin(ratio: number, edges: readonly number[]): number {
  let bin = 0;
  for (const edge of edges) if (ratio >= edge) bin++;
  return bin;
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

export interface CalibratorOptions {
  /** regime-conditional quantiles; absent = one score pool per horizon */
  regimes?: RegimeBins;
  /** band shape across horizons; absent = DEFAULT_BAND_SHAPE */
  bands?: BandShape;
}

class HorizonCalibrator {
  /** arrival order, for the rolling window */
  private readonly scores: number[] = [];
  /** regime bin of each score's origin, same order as `scores` */
  private readonly bins: number[] = [];
  /** same scores kept sorted (binary insert/remove), so quantiles are O(1) per query */
  private readonly sorted: number[] = [];
  /** sorted scores per regime bin (empty without regimes) */
  private readonly binSorted: number[][];
  alpha80 = 0.2;
  alpha95 = 0.05;

  constructor(
    private readonly window: number,
    private readonly gamma: number,
    private readonly regimes: RegimeBins | undefined,
  ) {
    this.binSorted = Array.from({ length: regimes ? regimes.edges.length + 1 : 0 }, () => []);
  }

  get count(): number {
    return this.scores.length;
  }

  add(score: number, covered80: boolean, covered95: boolean, bin: number): void {
    this.scores.push(score);
    this.bins.push(bin);
    insertSorted(this.sorted, score);
    const own = this.binSorted[bin];
    if (own) insertSorted(own, score);
    if (this.scores.length > this.window) {
      const dropped = this.scores.shift() as number;
      const droppedBin = this.bins.shift() as number;
      removeSorted(this.sorted, dropped);
      const from = this.binSorted[droppedBin];
      if (from) removeSorted(from, dropped);
    }
    this.alpha80 = clampAlpha(this.alpha80 + this.gamma * (0.2 - (covered80 ? 0 : 1)));
    this.alpha95 = clampAlpha(this.alpha95 + this.gamma * (0.05 - (covered95 ? 0 : 1)));
  }

  /** Quantiles for a forecast whose origin is in regime `bin` (ignored without regimes). */
  quantiles(bin = 0): HorizonQuantiles {
    if (this.scores.length < MIN_SCORES) return { ...GAUSSIAN };
    const own = this.binSorted[bin];
    const s = own && this.regimes && own.length >= this.regimes.minScores ? own : this.sorted;
    const lower80 = quantileSorted(s, this.alpha80 / 2);
    const upper80 = quantileSorted(s, 1 - this.alpha80 / 2);
    let lower95 = quantileSorted(s, this.alpha95 / 2);
    let upper95 = quantileSorted(s, 1 - this.alpha95 / 2);
    // Overlapping multi-day outcomes leave only a dozen independent tail events in a year of scores, so
    // the empirical 95% bound systematically comes out too thin at long horizons. Never let it be
    // thinner-tailed than a normal distribution relative to the (well-estimated) 80% bound.
    if (lower80 < 0) lower95 = Math.min(lower95, lower80 * NORMAL_TAIL_RATIO);
    if (upper80 > 0) upper95 = Math.max(upper95, upper80 * NORMAL_TAIL_RATIO);
    return { lower80, upper80, lower95, upper95 };
  }
}

function insertSorted(sorted: number[], value: number): void {
  sorted.splice(lowerBound(sorted, value), 0, value);
}

function removeSorted(sorted: number[], value: number): void {
  sorted.splice(lowerBound(sorted, value), 1);
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

function clampAlpha(alpha: number): number {
  return Math.min(Math.max(alpha, 0.001), 0.6);
}

/** Online calibrator for horizons 1..maxHorizon; feed outcomes as they become known, ask for quantiles. */
export class AdaptiveConformal {
  private readonly horizons: HorizonCalibrator[];
  readonly regimes: RegimeBins | undefined;
  readonly bands: BandShape;

  constructor(
    readonly maxHorizon: number,
    readonly window: number = DEFAULT_CALIBRATION_WINDOW,
    readonly gamma: number = DEFAULT_ACI_GAMMA,
    readonly gammaSchedule: AciSchedule = DEFAULT_ACI_SCHEDULE,
    options: CalibratorOptions = {},
  ) {
    this.regimes = options.regimes;
    this.bands = options.bands ?? DEFAULT_BAND_SHAPE;
    this.horizons = Array.from(
      { length: maxHorizon },
      (_, i) => new HorizonCalibrator(window, aciGamma(gamma, i + 1, gammaSchedule), options.regimes),
    );
  }

  private at(h: number): HorizonCalibrator {
    const calibrator = this.horizons[h - 1];
    if (!calibrator) throw new RangeError(`horizon ${h} outside 1..${this.maxHorizon}`);
    return calibrator;
  }

  /** Regime bin for a volatility ratio at an origin (0 without regimes). */
  bin(ratio: number): number {
    return this.regimes ? regimeBin(ratio, this.regimes.edges) : 0;
  }

  /**
   * Records the outcome of a forecast made h days earlier, with the interval that was issued then and the
   * regime bin of its origin.
   */
  observe(h: number, score: number, covered80: boolean, covered95: boolean, bin = 0): void {
    this.at(h).add(score, covered80, covered95, bin);
  }

  quantiles(h: number, bin = 0): HorizonQuantiles {
    return this.at(h).quantiles(bin);
  }

  /**
   * The quantiles issued with a forecast at an origin, for horizons 1..H: each horizon's own (for the
   * origin's regime), then shaped across horizons with the origin's interval scales.
   */
  bandQuantiles(scales: ArrayLike<number>, bin = 0): HorizonQuantiles[] {
    const q = this.horizons.map((c) => c.quantiles(bin));
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
    // Regime-conditional quantiles (an experiment of the backtest) are never stored: `pnpm backtest
    // --record-to` refuses --regimes, and serving uses the pooled quantiles only.
    return {
      method: 'split-conformal+aci',
      score: 'log-error / horizon-scale (ewma vol reverting to 365-day vol)',
      window: Number.isFinite(this.window) ? this.window : null,
      gamma: this.gamma,
      // only written for the experimental schedules, so the shipped metadata format is unchanged
      ...(this.gammaSchedule !== DEFAULT_ACI_SCHEDULE ? { gammaSchedule: this.gammaSchedule } : {}),
      samples: Number.isFinite(samples) ? samples : 0,
      horizons,
      ...(this.bands !== 'per-horizon' ? { bands: this.bands } : {}),
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
 * Stored quantiles for horizons 1..scales.length at an origin, shaped across horizons the way the
 * calibration was made (older metadata without `bands`: per horizon) — the serving twin of
 * AdaptiveConformal.bandQuantiles.
 */
export function storedBandQuantiles(
  calibration: CalibrationJson | null,
  scales: ArrayLike<number>,
): HorizonQuantiles[] {
  const q = Array.from({ length: scales.length }, (_, i) => storedQuantiles(calibration, i + 1));
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
