import type { RefitRecord } from '../backtest/neural-refit.ts';
import type { BacktestReport } from '../backtest/run-backtest.ts';

/** The `--json` document of `pnpm backtest`. */
export function backtestJson(symbol: string, report: BacktestReport, seconds: number, refits: RefitRecord[]) {
  return {
    symbol,
    from: report.from,
    to: report.to,
    horizons: report.horizons,
    defaultModel: report.defaultModel,
    seconds,
    refits,
    models: Object.fromEntries(
      report.models.map((m) => [
        m.name,
        {
          kind: m.kind,
          id: m.id,
          version: m.version,
          trainedThrough: m.trainedThrough,
          inSample: m.inSample,
          retrainedEvery: m.retrainedEvery,
          score: m.score,
          origins: m.origins,
          seconds: m.seconds,
          metrics: m.metrics,
          yearly: m.yearly,
        },
      ]),
    ),
  };
}
