import { NeuralRefitter } from '../backtest/neural-refit.ts';
import { type BacktestModel, type BacktestReport, backtest } from '../backtest/run-backtest.ts';
import { type LoadedModel, loadModels } from '../registry/load-registry.ts';
import { parseBacktestArgs } from './backtest-args.ts';
import { backtestJson } from './backtest-json.ts';
import { applyTfBackendFromEnv, exitWithError, readBars } from './cli-support.ts';
import { formatBacktestTables } from './format-table.ts';
import { recordBacktest } from './record-backtest.ts';
import { createProgressBar } from './terminal.ts';

async function main(): Promise<void> {
  applyTfBackendFromEnv();
  const args = parseBacktestArgs(process.argv.slice(2));
  if (!args) return;
  const bars = await readBars(args.csv, args.symbol);
  let loaded: LoadedModel[];
  try {
    loaded = await loadModels(args.modelsDir, { symbol: args.symbol });
  } catch (error) {
    exitWithError((error as Error).message);
  }
  const chosen = args.models
    ? args.models.map((name) => {
        const found = loaded.find((m) => m.info.name === name);
        if (!found)
          exitWithError(
            `unknown model '${name}' for ${args.symbol}; available: ${loaded.map((m) => m.info.name).join(', ')}`,
          );
        return found;
      })
    : loaded;
  // persistence is always in the comparison
  if (!chosen.some((m) => m.info.name === 'naive')) {
    const naive = loaded.find((m) => m.info.name === 'naive');
    if (naive) chosen.unshift(naive);
  }

  const days = bars.map((b) => b.day);
  const refitter = new NeuralRefitter({
    ...(args.refitCache ? { cacheDir: args.refitCache } : {}),
    onRefit: (r) =>
      process.stderr.write(
        `refit ${r.cell} on data through ${days[r.closes - 1]}: ${r.cached ? 'from the refit cache, trained' : 'trained'} in ${r.seconds.toFixed(1)} s\n`,
      ),
  });
  const byName = (name: string) => loaded.find((x) => x.info.name === name);
  const models: BacktestModel[] = chosen.map((m) => {
    const refit = m.metadata ? refitter.refitFor(m.metadata, byName) : undefined;
    return {
      name: m.info.name,
      id: m.info.id,
      version: m.info.version,
      trainedThrough: m.info.trainedThrough,
      learnsFromTraining: m.info.kind === 'neural' || m.info.kind === 'ensemble',
      model: m.model,
      ...(refit ? { refit } : {}),
    };
  });
  for (const m of models) {
    if (
      m.learnsFromTraining &&
      m.trainedThrough &&
      m.trainedThrough >= args.from &&
      !(args.retrainEvery && m.refit)
    ) {
      process.stderr.write(
        `warning: ${m.name} was trained through ${m.trainedThrough}, inside the scored range — its scores are in-sample\n`,
      );
    }
  }

  let report: BacktestReport;
  const started = performance.now();
  const bar = createProgressBar();
  try {
    report = await backtest({
      bars,
      from: args.from,
      to: args.to,
      horizons: args.horizons,
      models,
      ...(args.retrainEvery ? { retrainEvery: args.retrainEvery } : {}),
      ...(args.bands !== undefined ||
      args.sides !== undefined ||
      args.halfLife !== undefined ||
      args.blend !== undefined
        ? {
            calibration: {
              ...(args.bands !== undefined ? { bands: args.bands } : {}),
              ...(args.sides !== undefined ? { sides: args.sides } : {}),
              ...(args.halfLife !== undefined ? { halfLife: args.halfLife } : {}),
              ...(args.blend !== undefined ? { blend: args.blend } : {}),
            },
          }
        : {}),
      anchors: args.anchors,
      ...(args.scale !== undefined ? { scaleMethod: args.scale } : {}),
      ...(args.ewmaScaleWeight !== undefined ? { ewmaScaleWeight: args.ewmaScaleWeight } : {}),
      ...(args.gamma !== undefined ? { gamma: args.gamma } : {}),
      ...(args.garchRefitEvery !== undefined ? { garchRefitEvery: args.garchRefitEvery } : {}),
      onProgress: (name, done, total) =>
        bar.update(done / total, `backtest ${name}: ${done}/${total} origins`),
    });
  } catch (error) {
    bar.done();
    exitWithError((error as Error).message);
  }
  bar.done();
  const seconds = (performance.now() - started) / 1000;

  if (args.recordTo) await recordBacktest(args.recordTo, args.symbol, report, commandLine());
  if (args.json) {
    process.stdout.write(
      `${JSON.stringify(backtestJson(args.symbol, report, seconds, refitter.records), null, 2)}\n`,
    );
  } else {
    process.stdout.write(`${formatBacktestTables(report, args.symbol)}\n`);
    process.stderr.write(`backtest took ${seconds.toFixed(1)}s\n`);
  }
}

function commandLine(): string {
  return `pnpm backtest ${process.argv.slice(2).join(' ')}`;
}

await main();
