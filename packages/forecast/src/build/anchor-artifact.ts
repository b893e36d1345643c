import { createHash } from 'node:crypto';
import { addDays } from '@ethcast/days';
import { validateHistory } from '../data/validate-history.ts';
import { ForecastError } from '../errors.ts';
import type { AnchorName } from '../intervals/anchor-bands.ts';
import { blendComponents } from '../intervals/combination.ts';
import type { GarchParams } from '../intervals/garch.ts';
import { conformalIntervals } from '../intervals/stored-bands.ts';
import { DEFAULT_MAX_HORIZON } from '../models/point-model.ts';
import type { ModelMetadata } from '../registry/metadata.ts';
import type { DailyBar, ForecastPoint } from '../types.ts';

/**
 * A symbol's anchor band model (ewma-normal or garch-t): what it was fitted on and its recorded backtest.
 * Anchors are never served as models and never a default; their bands are averaged into every model's band
 * (the calibration's `blend`, with the GARCH parameters in `garch`), and forecastAnchorBands serves them
 * alone.
 */
export interface AnchorArtifact {
  name: AnchorName;
  symbol: string;
  /** garch-t: fitted on every return of the history (the models' calibration holds the same); ewma-normal: its decay */
  parameters: { garch: GarchParams } | { ewmaLambda: number };
  training: ModelMetadata['training'];
  /** scored like the models (persistence centre, so its MAE ratio is 1), its metrics out of sample */
  backtest: NonNullable<ModelMetadata['backtest']>;
  /** sha256 of the canonical JSON of everything above */
  contentHash: string;
}

export function anchorArtifact(fields: Omit<AnchorArtifact, 'contentHash'>): AnchorArtifact {
  const contentHash = createHash('sha256').update(JSON.stringify(fields)).digest('hex');
  return { ...fields, contentHash };
}

/**
 * The anchor's 80%/95% bands around persistence for days 1..horizon after the history's last day, from its
 * stored parameters: the same bands the models' calibration blends in (blendComponents at unit scale).
 */
export function forecastAnchorBands(
  anchor: AnchorArtifact,
  history: readonly DailyBar[],
  horizon: number,
): ForecastPoint[] {
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > DEFAULT_MAX_HORIZON) {
    throw new ForecastError(
      'HORIZON_TOO_LONG',
      `horizon must be a whole number of days from 1 to ${DEFAULT_MAX_HORIZON} for ${anchor.name}, got ${horizon}`,
      { horizon, maxHorizon: DEFAULT_MAX_HORIZON },
    );
  }
  const closes = validateHistory(history);
  if (closes.length <= 30) {
    throw new ForecastError(
      'HISTORY_TOO_SHORT',
      `${anchor.name} needs 31 days of history, got ${closes.length}`,
      {
        required: 31,
        got: closes.length,
      },
    );
  }
  const garch = 'garch' in anchor.parameters ? anchor.parameters.garch : null;
  const components = blendComponents(closes, new Float64Array(horizon).fill(1), garch);
  const bands = anchor.name === 'garch-t' ? components.garchT : components.ewmaNormal;
  if (!bands)
    throw new ForecastError('CORRUPT_MODEL', `anchor ${anchor.name} of ${anchor.symbol} has no parameters`);
  const lastClose = closes[closes.length - 1] as number;
  const lastDay = (history[history.length - 1] as DailyBar).day;
  return bands.map((q, i) => ({ day: addDays(lastDay, i + 1), ...conformalIntervals(lastClose, 0, 1, q) }));
}
