import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { withRecordedBacktest } from '../backtest/recorded-backtest.ts';
import type { BacktestReport } from '../backtest/run-backtest.ts';
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
    const file = path.join(m.dir, 'metadata.json');
    const metadata = withRecordedBacktest(
      JSON.parse(await readFile(file, 'utf8')) as ModelMetadata,
      report,
      command,
    );
    await writeFile(file, `${JSON.stringify(metadata, null, 2)}\n`);
  }
  process.stderr.write(`recorded backtest metrics in ${dir} (default ${symbol}: ${report.defaultModel})\n`);
}
