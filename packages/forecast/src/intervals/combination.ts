import { studentTQuantile } from '../stats/special-functions.ts';
import type { BlendWeights, HorizonQuantiles } from './calibration-types.ts';
import type { GarchParams } from './garch.ts';
import { garchScales } from './scale-models.ts';
import { ewmaVolatility } from './volatility.ts';

/**
 * Quantile averaging (forecast combination) of the conformal band with the anchor bands: every bound is
 * the weighted mean of the components' bounds at the origin, in log distance from the forecast. The
 * interval score is convex in the two endpoints, so the averaged band's score is at most the weighted mean
 * of the components' scores, and below both when their misses differ.
 *
 * Components are given in units of the origin's conformal scale s_h (a bound b in log units is b / s_h):
 * - 'garch-t': t · σ_GARCH,h / s_h, with t the unit-variance Student-t quantiles of the fitted ν and σ_GARCH,h
 *   the GARCH h-day volatility at the origin: the garch-t anchor's band (same recursion; its parameters are
 *   the scale's, refitted as the scale refits). With the plain garch-t scale s_h = σ_GARCH,h; with the
 *   shipped EWMA-mixed scale it is not, and the division keeps the component the anchor's band.
 * - 'ewma-normal': z · σ_EWMA · √h / s_h, the ewma-normal anchor's band.
 * The conformal band gets weight 1 − garchT − ewmaNormal (BlendWeights). A component missing at an
 * origin (no GARCH fit yet, too short a history) hands its weight to the conformal band.
 */

export interface BandComponents {
  garchT?: readonly HorizonQuantiles[];
  ewmaNormal?: readonly HorizonQuantiles[];
}

const Z80 = 1.2815515655446004;
const Z95 = 1.959963984540054;

/** The anchor bands at an origin in scale units, for horizons 1..scales.length. */
export function blendComponents(
  history: Float64Array,
  scales: ArrayLike<number>,
  garch: GarchParams | null,
): BandComponents {
  const H = scales.length;
  const out: { garchT?: HorizonQuantiles[]; ewmaNormal?: HorizonQuantiles[] } = {};
  if (garch && history.length > 30) {
    const unit = Math.sqrt((garch.nu - 2) / garch.nu);
    const t80 = studentTQuantile(0.9, garch.nu) * unit;
    const t95 = studentTQuantile(0.975, garch.nu) * unit;
    const sigma = garchScales(garch, history, H);
    out.garchT = Array.from({ length: H }, (_, i) => {
      const r = (sigma[i] as number) / (scales[i] as number);
      return symmetric(t80 * r, t95 * r);
    });
  }
  if (history.length > 30) {
    const sigma = ewmaVolatility(history);
    out.ewmaNormal = Array.from({ length: H }, (_, i) => {
      const r = (sigma * Math.sqrt(i + 1)) / (scales[i] as number);
      return symmetric(Z80 * r, Z95 * r);
    });
  }
  return out;
}

function symmetric(q80: number, q95: number): HorizonQuantiles {
  return { lower80: -q80, upper80: q80, lower95: -q95, upper95: q95 };
}

/** Weighted mean of the conformal quantiles and the available components, bound by bound. */
export function blendQuantiles(
  conformal: readonly HorizonQuantiles[],
  components: BandComponents,
  weights: BlendWeights,
): HorizonQuantiles[] {
  const keys = ['lower80', 'upper80', 'lower95', 'upper95'] as const;
  return conformal.map((own, i) => {
    const g = components.garchT?.[i];
    const e = components.ewmaNormal?.[i];
    const wg = g ? weights.garchT : 0;
    const we = e ? weights.ewmaNormal : 0;
    const wc = 1 - wg - we;
    const out = { ...own };
    for (const key of keys) out[key] = wc * own[key] + wg * (g?.[key] ?? 0) + we * (e?.[key] ?? 0);
    return out;
  });
}

/** Parses 'garch-t:0.5,ewma-normal:0.25' (weights ≥ 0, sum ≤ 1; the rest is the conformal band's). */
export function parseBlendWeights(text: string): BlendWeights {
  const weights: BlendWeights = { garchT: 0, ewmaNormal: 0 };
  for (const part of text.split(',')) {
    const [name, value] = part.split(':');
    const w = Number(value);
    if (!(w >= 0 && w <= 1)) throw new Error(`blend weight of '${name}' must be in [0, 1], got '${value}'`);
    if (name === 'garch-t') weights.garchT = w;
    else if (name === 'ewma-normal') weights.ewmaNormal = w;
    else throw new Error(`blend components are garch-t and ewma-normal, got '${name}'`);
  }
  if (weights.garchT + weights.ewmaNormal > 1 + 1e-12) throw new Error('blend weights sum to more than 1');
  return weights;
}
