import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BacktestReport } from '../backtest/run-backtest.ts';
import { ForecastError } from '../errors.ts';
import { loadModels } from '../registry/load-registry.ts';
import type { ModelMetadata } from '../registry/metadata.ts';

/**
 * Writes the out-of-sample metrics into the shipped models' metadata (same symbol and model name) and marks
 * the best one as the symbol's default. The shipped models are retrained on all data; the metrics describe
 * their recipe as measured on days the measured models never saw.
 */
export async function recordBacktest(
  dir: string,
  symbol: string,
  report: BacktestReport,
  command: string,
): Promise<void> {
  const shipped = (await loadModels(dir, { symbol })).filter((m) => m.dir);
  for (const m of shipped) {
    if (!m.dir || !m.metadata) continue;
    const result = report.models.find((r) => r.name === m.info.name);
    const file = path.join(m.dir, 'metadata.json');
    const metadata = JSON.parse(await readFile(file, 'utf8')) as ModelMetadata;
    metadata.isDefault = m.info.name === report.defaultModel;
    if (result) {
      if (result.inSample)
        throw new ForecastError('CORRUPT_MODEL', `refusing to record in-sample scores for ${result.name}`);
      metadata.backtest = {
        from: report.from,
        to: report.to,
        command,
        modelsTrainedThrough: result.trainedThrough,
        metrics: result.metrics,
        score: result.score,
      };
    }
    await writeFile(file, `${JSON.stringify(metadata, null, 2)}\n`);
  }
  process.stderr.write(`recorded backtest metrics in ${dir} (default ${symbol}: ${report.defaultModel})\n`);
}
