import { LATEST_BLEND } from './blend-selection.ts';
import type { BandShape, BlendWeights, ScoreSides } from './calibration-types.ts';

// The calibrator's research choices as shipped; each was chosen on validation years, see
// docs/forecast-quality.md. The backtest CLI's flags override them for experiments.

/**
 * ACI step. Shipped: 0, i.e. plain split-conformal on every past score. γ = 0.005 (shipped before) kept
 * coverage closer to nominal per year but chased runs of overlapping hits and misses, which cost 3–18% in
 * interval score on the validation years; see docs/forecast-quality.md ("Evaluation v2").
 */
export const DEFAULT_ACI_GAMMA = 0;

/**
 * Shipped: 'monotone'. Per-horizon quantiles are estimated independently, so without it a 95% bound could
 * sit closer to the forecast at day 9 than at day 8, which reads as a broken chart. On the 2018–2025
 * validation years it was no worse than per-horizon bands (same 18 cells off target, lower mean deviation),
 * see docs/forecast-quality.md.
 */
export const DEFAULT_BAND_SHAPE: BandShape = 'monotone';

/**
 * Shipped: 'absolute'. Signed scores pooled over every year carry the skew of past manias (ETH 2016–2017)
 * into today's bands, lifting the upper bound and thinning the lower one; on the validation years absolute
 * scores scored better at every horizon (docs/forecast-quality.md).
 */
export const DEFAULT_SCORE_SIDES: ScoreSides = 'absolute';

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
