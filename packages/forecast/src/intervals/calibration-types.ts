import type { GarchParams } from './garch.ts';
import type { ScaleMethod } from './scale-models.ts';

// The shapes of a conformal calibration: the quantiles of a horizon, the band choices, and the JSON
// stored in models/<id>/metadata.json (and, for live versions, in the server's database).

export const LEVELS = [0.8, 0.95] as const;
export type Level = (typeof LEVELS)[number];

export interface HorizonQuantiles {
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
}

/**
 * Band shape across horizons. 'per-horizon': every horizon's quantiles on their own, so a bound can sit
 * closer to the forecast at day 9 than at day 8. 'monotone': the distance of each bound from the forecast
 * (q · scale_h, in log units) is a running maximum over h, so no band gets narrower at a longer horizon.
 */
export const BAND_SHAPES = ['per-horizon', 'monotone'] as const;
export type BandShape = (typeof BAND_SHAPES)[number];

/**
 * 'signed': quantiles of the signed scores (asymmetric bands). 'absolute': quantiles of |score|, bands
 * symmetric in log space around the forecast.
 */
export const SCORE_SIDES = ['signed', 'absolute'] as const;
export type ScoreSides = (typeof SCORE_SIDES)[number];

/**
 * Weights of the anchor bands averaged into the conformal band (quantile averaging, see combination.ts);
 * the conformal band gets 1 − garchT − ewmaNormal.
 */
export interface BlendWeights {
  garchT: number;
  ewmaNormal: number;
}

export interface CalibrationJson {
  method: 'split-conformal+aci';
  score: string;
  /**
   * scale dividing the scores; absent = 'ewma-365' (the built-in baselines, and a model trained on too
   * few returns for a GARCH fit)
   */
  scale?: ScaleMethod;
  /** weight of the ewma-normal volatility mixed into the scale (absent = 0), see mixEwmaScales */
  ewmaScaleWeight?: number;
  /** GARCH(1,1)-t parameters behind the 'garch-t' scale, fitted on every training return */
  garch?: GarchParams;
  sides: ScoreSides;
  /** every score is kept (an expanding window) */
  window: null;
  gamma: number;
  /** scores behind these quantiles (per horizon, counts may differ near the end of the data) */
  samples: number;
  /** key: horizon '1'..'H' */
  horizons: Record<string, HorizonQuantiles & { alpha80: number; alpha95: number }>;
  bands: BandShape;
  /** half-life (in outcomes) of the score weights; null = every score weighs the same */
  halfLife: number | null;
  /** weights of the anchor bands averaged into the conformal band; null = the conformal band alone */
  blend: BlendWeights | null;
}
