import { beforeAll, describe, expect, it } from 'vitest';
import { loadModels } from '../registry/load-registry.ts';
import { randomWalkBars, TINY_RNN } from '../test-support/generate-series.ts';
import { useTempDirs } from '../test-support/temp-dirs.ts';
import { trainModel } from '../training/train-model.ts';
import type { DailyBar } from '../types.ts';
import { type BacktestModel, backtest } from './run-backtest.ts';

/**
 * For every model: perturb every price after a cut-off day and check that all forecasts and intervals made
 * at origins up to the cut-off are bit-identical. Covers the models and the online conformal calibration.
 */
describe('no look-ahead', () => {
  const temp = useTempDirs('ethcast-lookahead-');
  const bars = randomWalkBars({ days: 520, seed: 21 });
  const from = bars[440]?.day as string;
  const to = bars[519]?.day as string;
  const cut = 470;
  const perturbed: DailyBar[] = bars.map((b, i) =>
    i > cut ? { ...b, close: b.close * (1.5 + Math.sin(i)) } : b,
  );
  let models: BacktestModel[] = [];

  beforeAll(async () => {
    const dir = await temp.make();
    const training = bars.slice(0, 420);
    for (const name of ['naive', 'drift', 'theta', 'lstm', 'gru', 'ensemble'] as const) {
      await trainModel({ name, symbol: 'TEST', bars: training, modelsDir: dir, seed: 2, rnn: TINY_RNN });
    }
    models = (await loadModels(dir))
      .filter((m) => m.info.symbol === 'TEST')
      .map((m) => ({
        name: m.info.name,
        id: m.info.id,
        version: m.info.version,
        trainedThrough: null,
        model: m.model,
      }));
  }, 60_000);

  it('covers every model kind', () => {
    expect(models.map((m) => m.name).sort()).toEqual(['drift', 'ensemble', 'gru', 'lstm', 'naive', 'theta']);
  });

  it.each([
    ['the shipped scale', {}],
    ['the garch-t scale', { scaleMethod: 'garch-t' as const }],
    ['the ewma-365 scale', { scaleMethod: 'ewma-365' as const }],
    [
      'weighted scores blended with both anchors',
      { calibration: { halfLife: 30, blend: { garchT: 0.3, ewmaNormal: 0.3 } } },
    ],
    [
      'weighted scores on a scale mixed with the ewma volatility',
      { ewmaScaleWeight: 0.5, calibration: { halfLife: 30 } },
    ],
  ])(
    'forecasts and intervals at an origin ignore every later price (models with %s, and both anchors)',
    async (_, variant) => {
      const horizons = [1, 3, 7];
      const anchors = ['ewma-normal', 'garch-t'] as const;
      const a = await backtest({ bars, from, to, horizons, models, anchors, ...variant });
      const b = await backtest({ bars: perturbed, from, to, horizons, models, anchors, ...variant });
      let compared = 0;
      for (const m of [...models, ...anchors.map((name) => ({ name }))]) {
        for (const h of horizons) {
          const fa = a.forecasts.get(m.name)?.get(h) ?? [];
          const fb = b.forecasts.get(m.name)?.get(h) ?? [];
          for (let i = 0; i < fa.length; i++) {
            const x = fa[i];
            const y = fb[i];
            if (!x || !y || x.origin > cut) continue;
            expect(y.origin).toBe(x.origin);
            expect([y.value, y.lower80, y.upper80, y.lower95, y.upper95]).toEqual([
              x.value,
              x.lower80,
              x.upper80,
              x.lower95,
              x.upper95,
            ]);
            compared++;
          }
          // sanity: the perturbation does change forecasts after the cut
          const later = fa.findIndex((x) => x.origin > cut + 1);
          expect(fb[later]?.value).not.toBe(fa[later]?.value);
        }
      }
      expect(compared).toBeGreaterThan(150);
    },
  );
});
