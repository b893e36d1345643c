import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dataHash } from '../data/data-hash.ts';
import { validateHistory } from '../data/validate-history.ts';
import { ForecastError } from '../errors.ts';
import { loadModels } from '../registry/load-registry.ts';
import { type ModelMetadata, modelId } from '../registry/metadata.ts';
import type { DailyBar } from '../types.ts';
import { calibrateAtEnd } from './calibrate.ts';

/**
 * Recomputes the conformal calibration of an existing model folder with the current interval code, keeping
 * its weights. The data must be exactly what the model was trained on (checked by hash), so a recalibrated
 * model stays reproducible.
 */
export async function recalibrateModel(options: {
  modelsDir: string;
  symbol: string;
  name: string;
  bars: DailyBar[];
}): Promise<ModelMetadata> {
  const id = modelId(options.symbol, options.name);
  const loaded = (await loadModels(options.modelsDir, { symbol: options.symbol })).find(
    (m) => m.info.id === id,
  );
  if (!loaded?.metadata || !loaded.dir) {
    throw new ForecastError('UNKNOWN_MODEL', `no trained model folder ${id} in ${options.modelsDir}`);
  }
  const { from, through, dataHash: expected } = loaded.metadata.training;
  const bars = options.bars.filter((b) => b.day >= from && b.day <= through);
  if (dataHash(bars) !== expected) {
    throw new Error(
      `${id}: the CSV does not contain the exact data the model was trained on (${from} → ${through})`,
    );
  }
  const calibration = await calibrateAtEnd(loaded.model, validateHistory(bars));
  const file = path.join(loaded.dir, 'metadata.json');
  const metadata = JSON.parse(await readFile(file, 'utf8')) as ModelMetadata;
  metadata.calibration = calibration;
  await writeFile(file, `${JSON.stringify(metadata, null, 2)}\n`);
  return metadata;
}
