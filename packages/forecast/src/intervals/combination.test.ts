import { describe, expect, it } from 'vitest';
import { intervalScore } from '../backtest/proper-scores.ts';
import { walkForward } from '../backtest/walk-forward.ts';
import { validateHistory } from '../data/validate-history.ts';
import { createNaiveModel } from '../models/naive.ts';
import { logReturns } from '../neural/features.ts';
import { randomWalkBars } from '../test-support/generate-series.ts';
import { createEwmaNormalBands, createGarchTBands } from './anchor-bands.ts';
import type { HorizonQuantiles } from './calibration-types.ts';
import { blendComponents, blendQuantiles, parseBlendWeights } from './combination.ts';
import { AdaptiveConformal } from './conformal.ts';
import { fitGarchT } from './garch.ts';
import { createWalkForwardGarchScales, garchScales, mixEwmaScales } from './scale-models.ts';
import { storedBandQuantiles, storedScales } from './stored-bands.ts';
import { ewmaVolatility } from './volatility.ts';

const band = (q80: number, q95: number): HorizonQuantiles => ({
  lower80: -q80,
  upper80: q80,
  lower95: -q95,
  upper95: q95,
});

describe('blendQuantiles (quantile averaging)', () => {
  it('is the weighted mean of every bound, hand-computed', () => {
    const conformal = [band(1, 2)];
    const components = { garchT: [band(1.2, 1.8)], ewmaNormal: [band(0.8, 2.6)] };
    const q = blendQuantiles(conformal, components, { garchT: 0.25, ewmaNormal: 0.25 });
    // 0.5·1 + 0.25·1.2 + 0.25·0.8 = 1; 0.5·2 + 0.25·1.8 + 0.25·2.6 = 2.1
    expect(q[0]?.upper80).toBeCloseTo(1, 12);
    expect(q[0]?.lower80).toBeCloseTo(-1, 12);
    expect(q[0]?.upper95).toBeCloseTo(2.1, 12);
    expect(q[0]?.lower95).toBeCloseTo(-2.1, 12);
  });

  it('hands a missing component its weight to the conformal band', () => {
    const q = blendQuantiles([band(1, 2)], { garchT: [band(1.2, 1.8)] }, { garchT: 0.25, ewmaNormal: 0.25 });
    // 0.75·1 + 0.25·1.2 = 1.05; 0.75·2 + 0.25·1.8 = 1.95
    expect(q[0]?.upper80).toBeCloseTo(1.05, 12);
    expect(q[0]?.upper95).toBeCloseTo(1.95, 12);
    expect(blendQuantiles([band(1, 2)], {}, { garchT: 0.5, ewmaNormal: 0 })).toEqual([band(1, 2)]);
  });

  it('scores no worse than the weighted mean of its components (the interval score is convex)', () => {
    const closes = validateHistory(randomWalkBars({ days: 600, seed: 4, volatility: 0.03 }));
    let blended = 0;
    let mean = 0;
    for (let t = 100; t < 599; t++) {
      const y = Math.log((closes[t + 1] as number) / (closes[t] as number));
      const a = 0.02 + 0.01 * Math.sin(t);
      const b = 0.035 + 0.01 * Math.cos(t / 3);
      const [q] = blendQuantiles(
        [band(a, 2 * a)],
        { garchT: [band(b, 1.5 * b)] },
        { garchT: 0.4, ewmaNormal: 0 },
      );
      const s = (x: HorizonQuantiles) => intervalScore(x.lower80, x.upper80, y, 0.2);
      blended += s(q as HorizonQuantiles);
      mean += 0.6 * s(band(a, 2 * a)) + 0.4 * s(band(b, 1.5 * b));
    }
    expect(blended).toBeLessThanOrEqual(mean + 1e-12);
  });
});

describe('blendComponents', () => {
  const closes = validateHistory(
    randomWalkBars({ days: 700, seed: 3, volatility: (d) => (d % 150 < 75 ? 0.02 : 0.05) }),
  );
  const history = closes.subarray(0, 500);

  it("gives the anchors' bands in units of the conformal scale", () => {
    const params = fitGarchT(logReturns(history));
    const scales = garchScales(params, history, 10);
    const c = blendComponents(history, scales, params);
    // garch-t: the anchor's own band (fitted on the same returns) divided by the GARCH scale
    const garchAnchor = createGarchTBands(30).bands(history, 10);
    for (const h of [0, 6, 9]) {
      const ratio =
        ((c.garchT?.[h]?.upper95 as number) * (scales[h] as number)) / (garchAnchor[h]?.upper95 as number);
      expect(ratio).toBeCloseTo(1, 6);
    }
    expect(c.garchT?.[9]?.upper80).toBe(c.garchT?.[0]?.upper80);
    // ewma-normal: its anchor's log bound divided by the scale
    const anchor = createEwmaNormalBands().bands(history, 10);
    for (const h of [0, 6, 9]) {
      expect((c.ewmaNormal?.[h]?.upper80 as number) * (scales[h] as number)).toBeCloseTo(
        anchor[h]?.upper80 as number,
        12,
      );
      expect((c.ewmaNormal?.[h]?.lower95 as number) * (scales[h] as number)).toBeCloseTo(
        anchor[h]?.lower95 as number,
        12,
      );
    }
    expect(blendComponents(history, scales, null).garchT).toBeUndefined();
  });

  it('garch-t component: t quantile of ν = 5 scaled to unit variance, hand-computed', () => {
    const params = { omega: 1e-5, alpha: 0.1, beta: 0.85, nu: 5 };
    const c = blendComponents(history, garchScales(params, history, 1), params);
    // t_5(0.9) = 1.475884, t_5(0.975) = 2.570582, × √(3/5)
    expect(c.garchT?.[0]?.upper80).toBeCloseTo(1.475884 * Math.sqrt(0.6), 5);
    expect(c.garchT?.[0]?.lower95).toBeCloseTo(-2.570582 * Math.sqrt(0.6), 5);
    // on any other scale the same log bound, in that scale's units: twice the scale, half the quantile
    const wide = blendComponents(
      history,
      garchScales(params, history, 1).map((s) => 2 * s),
      params,
    );
    expect(wide.garchT?.[0]?.upper80).toBeCloseTo((1.475884 * Math.sqrt(0.6)) / 2, 5);
  });

  it('garch-t component on the shipped EWMA-mixed scale is still the garch-t anchor band', () => {
    // the shipped conformal scale averages the GARCH and EWMA volatilities (mixEwmaScales), so a garch-t
    // component of t quantiles times that scale would not be the anchor's band
    const params = fitGarchT(logReturns(history));
    const mixed = mixEwmaScales(garchScales(params, history, 10), history, 0.5);
    const c = blendComponents(history, mixed, params);
    const garchAnchor = createGarchTBands(30).bands(history, 10);
    for (const h of [0, 6, 9]) {
      expect((c.garchT?.[h]?.upper95 as number) * (mixed[h] as number)).toBeCloseTo(
        garchAnchor[h]?.upper95 as number,
        6,
      );
      expect((c.garchT?.[h]?.lower80 as number) * (mixed[h] as number)).toBeCloseTo(
        garchAnchor[h]?.lower80 as number,
        6,
      );
    }
  });
});

describe('blended bands in walk-forward and serving', () => {
  it('the walk-forward issues the blend of its own conformal quantiles and the anchors, then shapes it', async () => {
    const closes = validateHistory(randomWalkBars({ days: 800, seed: 9, volatility: 0.03 }));
    const scaleModel = createWalkForwardGarchScales(30);
    const blend = { garchT: 0.4, ewmaNormal: 0.2 };
    const { calibrator, scored } = await walkForward(createNaiveModel(), closes, {
      start: 30,
      scoreFrom: 799,
      scoreTo: 799,
      horizons: [],
      maxHorizon: 7,
      ...scaleModel,
      calibration: { blend },
    });
    expect(scored.size).toBe(0);
    const history = closes.subarray(0, 800);
    const scales = scaleModel.scales(history, 7);
    const components = blendComponents(history, scales, scaleModel.garch(history));
    const own = Array.from({ length: 7 }, (_, i) => calibrator.quantiles(i + 1));
    const issued = calibrator.bandQuantiles(scales, components);
    const plain = new AdaptiveConformal(7, 0, { bands: 'per-horizon', blend });
    expect(plain.bandQuantiles(scales, components)).toEqual(
      blendQuantiles(
        Array.from({ length: 7 }, () => ({
          lower80: -1.2816,
          upper80: 1.2816,
          lower95: -1.96,
          upper95: 1.96,
        })),
        components,
        blend,
      ),
    );
    // the stored calibration, served with the same components, gives the same band
    expect(storedBandQuantiles(calibrator.toJson(), scales, components)).toEqual(issued);
    expect(calibrator.toJson().blend).toEqual(blend);
    expect(issued[0]?.upper80).not.toBe(own[0]?.upper80);
  });
});

describe('parseBlendWeights', () => {
  it('reads the flag and refuses bad weights', () => {
    expect(parseBlendWeights('garch-t:0.5')).toEqual({ garchT: 0.5, ewmaNormal: 0 });
    expect(parseBlendWeights('ewma-normal:0.25,garch-t:0.25')).toEqual({ garchT: 0.25, ewmaNormal: 0.25 });
    expect(() => parseBlendWeights('garch-t:0.7,ewma-normal:0.7')).toThrow(/more than 1/);
    expect(() => parseBlendWeights('garch-t:-1')).toThrow(/\[0, 1\]/);
    expect(() => parseBlendWeights('normal:0.2')).toThrow(/garch-t and ewma-normal/);
  });
});

describe('mixEwmaScales (conformal recalibration of the averaged band)', () => {
  const closes = validateHistory(randomWalkBars({ days: 500, seed: 6, volatility: 0.03 }));

  it('is (1 − w) · s_h + w · σ_EWMA · √h, and serving mixes the stored scale the same way', () => {
    const sigma = ewmaVolatility(closes);
    const base = Float64Array.from([0.02, 0.05, 0.09, 0.1]);
    const mixed = mixEwmaScales(base, closes, 0.25);
    expect(mixed[0]).toBeCloseTo(0.75 * 0.02 + 0.25 * sigma, 14);
    expect(mixed[3]).toBeCloseTo(0.75 * 0.1 + 0.25 * sigma * 2, 14);
    expect(mixEwmaScales(base, closes, 0)).toBe(base);
    const params = fitGarchT(logReturns(closes));
    const stored = { ...new AdaptiveConformal(4).toJson(), scale: 'garch-t' as const, garch: params };
    expect(storedScales({ ...stored, ewmaScaleWeight: 0.25 }, closes, 4)).toEqual(
      mixEwmaScales(garchScales(params, closes, 4), closes, 0.25),
    );
    expect(storedScales(stored, closes, 4)).toEqual(garchScales(params, closes, 4));
  });
});
