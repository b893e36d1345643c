import { advanceCalibration } from '@ethcast/forecast';
import {
  getLatestCalibration,
  insertCalibrationVersion,
  lockModelCalibration,
  markOutcomesFolded,
  pendingOutcomes,
} from '../db/queries/calibrations.ts';
import { JOB_DESCRIPTIONS } from './config.ts';
import type { JobDefinition } from './definition.ts';

/**
 * Moves every model's interval calibration forward with the outcomes scored since its last version
 * (online ACI, @ethcast/forecast advanceCalibration), one new version per model that has new outcomes.
 * Each model's step is one transaction under a per-model lock: the version and the marks on the
 * outcomes it folded in commit together or not at all.
 */
export const recalibrateJob: JobDefinition = {
  name: 'recalibrate',
  description: JOB_DESCRIPTIONS.recalibrate,
  async run({ services }) {
    const registry = await services.models();
    const versions: { symbol: string; model: string; version: number; outcomes: number }[] = [];
    for (const info of registry.list()) {
      const key = { symbol: info.symbol, model: info.name, modelVersion: info.version };
      const made = await services.db.transaction(async (tx) => {
        await lockModelCalibration(tx, key);
        const { outcomes, scoreIds } = await pendingOutcomes(tx, key);
        if (scoreIds.length === 0) return null;
        const latest = await getLatestCalibration(tx, key);
        if (outcomes.length === 0 && latest) {
          // only duplicates of origins already folded in: mark them, no new version
          await markOutcomesFolded(tx, scoreIds, latest.id);
          return null;
        }
        const calibration = advanceCalibration({
          shipped: registry.shippedCalibration(info.symbol, info.name),
          current: latest?.calibration ?? null,
          maxHorizon: info.maxHorizon,
          outcomes,
        });
        const stored = await insertCalibrationVersion(tx, {
          ...key,
          version: (latest?.version ?? 0) + 1,
          calibration,
          outcomes: outcomes.length,
          totalOutcomes: (latest?.totalOutcomes ?? 0) + outcomes.length,
        });
        await markOutcomesFolded(tx, scoreIds, stored.id);
        return stored;
      });
      if (made) {
        versions.push({
          symbol: made.symbol,
          model: made.model,
          version: made.version,
          outcomes: made.outcomes,
        });
      }
    }
    return { versions };
  },
};
