import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { readPriceFile } from '@ethcast/price-file';
import { describe, expect, it } from 'vitest';
import { findModelsDir } from './find-models-dir.ts';
import { loadRegistry } from './load-registry.ts';

const modelsDir = findModelsDir();
const dataDir = path.resolve(modelsDir, '..', '..', 'shared', 'data');
const files = { 'ETH-USD': 'eth-usd-daily.csv', 'BTC-USD': 'btc-usd-daily.csv' } as const;
const dataPresent = Object.values(files).every((f) => existsSync(path.join(dataDir, f)));
if (!dataPresent) console.info(`[forecast] skipping shipped-model checks: real data not found in ${dataDir}`);

describe.skipIf(!dataPresent)('shipped models on real data', () => {
  for (const [symbol, file] of Object.entries(files)) {
    it(`${symbol}: every shipped model loads and forecasts 30 days with ordered bounds`, async () => {
      const registry = await loadRegistry(modelsDir);
      const { bars } = await readPriceFile(createReadStream(path.join(dataDir, file)), symbol);
      const history = bars.slice(-500);
      const models = registry.list(symbol);
      expect(models.map((m) => m.name)).toEqual(
        expect.arrayContaining(['naive', 'drift', 'theta', 'lstm', 'gru', 'ensemble']),
      );
      expect(models.filter((m) => m.isDefault)).toHaveLength(1);
      expect(registry.defaultModel(symbol).metrics?.['1']?.maeRatio).toBeGreaterThan(0);
      for (const m of models) {
        const { points } = await registry.forecast({ symbol, model: m.name, history, horizon: 30 });
        expect(points).toHaveLength(30);
        for (const p of points) {
          expect(p.lower95).toBeLessThanOrEqual(p.lower80);
          expect(p.lower80).toBeLessThanOrEqual(p.value);
          expect(p.upper80).toBeLessThanOrEqual(p.upper95);
          expect(p.value).toBeLessThanOrEqual(p.upper80);
        }
      }
    });
  }
});
