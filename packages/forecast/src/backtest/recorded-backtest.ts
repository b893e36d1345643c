import { ForecastError } from '../errors.ts';
import type { ModelMetadata } from '../registry/metadata.ts';
import type { BacktestReport } from './run-backtest.ts';

/**
 * A model's metadata with a backtest recorded in it: the out-of-sample metrics of the result of the same
 * name, and `isDefault` for the report's default model (pickDefault: the lowest mean MAE ratio to
 * persistence). Shared by `pnpm backtest --record-to` and the per-symbol build; in-sample scores are
 * refused.
 */
export function withRecordedBacktest(
  metadata: ModelMetadata,
  report: BacktestReport,
  command: string,
): ModelMetadata {
  const result = report.models.find((r) => r.name === metadata.name);
  const isDefault = metadata.name === report.defaultModel;
  if (!result) return { ...metadata, isDefault };
  if (result.inSample)
    throw new ForecastError('CORRUPT_MODEL', `refusing to record in-sample scores for ${result.name}`);
  return {
    ...metadata,
    backtest: {
      from: report.from,
      to: report.to,
      command,
      modelsTrainedThrough: result.trainedThrough,
      metrics: result.metrics,
      score: result.score,
    },
    isDefault,
  };
}
