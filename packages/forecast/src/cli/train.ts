import path from 'node:path';
import { isModelName, MODEL_NAMES, type ModelName } from '../models/point-model.ts';
import { findModelsDir } from '../registry/find-models-dir.ts';
import { recalibrateModel } from '../training/recalibrate-model.ts';
import { trainModel } from '../training/train-model.ts';
import {
  applyTfBackendFromEnv,
  exitWithError,
  parseCliArgs,
  parsePositiveInt,
  readBars,
  requireDay,
  resolveUserPath,
  stringFlags,
} from './cli-support.ts';

const USAGE =
  'usage: pnpm train --model <naive|drift|theta|lstm|gru|ensemble|all> --symbol ETH-USD --csv <file> [--until YYYY-MM-DD] [--seed N] [--epochs N] [--out <models dir>] [--recalibrate]';

async function main(): Promise<void> {
  applyTfBackendFromEnv();
  const values = parseCliArgs(
    undefined,
    {
      ...stringFlags('model', 'symbol', 'csv', 'until', 'seed', 'epochs', 'out'),
      recalibrate: { type: 'boolean' },
    },
    USAGE,
  );
  if (values === null) return;
  const modelArg = values.model as string | undefined;
  const symbol = values.symbol as string | undefined;
  const csv = values.csv as string | undefined;
  if (!modelArg || !symbol || !csv) exitWithError(`--model, --symbol and --csv are required\n${USAGE}`);
  // ensemble last: it combines the members trained before it
  const names: ModelName[] =
    modelArg === 'all'
      ? [...MODEL_NAMES]
      : modelArg.split(',').map((n) => {
          if (!isModelName(n))
            exitWithError(`unknown model '${n}'; choose from ${MODEL_NAMES.join(', ')} or all`);
          return n;
        });
  const seed = parsePositiveInt(values.seed as string | undefined, 'seed');
  const epochs = parsePositiveInt(values.epochs as string | undefined, 'epochs');
  const until = values.until === undefined ? undefined : requireDay(values.until as string, 'until');
  const modelsDir = values.out ? resolveUserPath(values.out as string) : safeModelsDir();

  const allBars = await readBars(csv, symbol);
  if (values.recalibrate) {
    // keep weights, recompute only the interval calibration (e.g. after the interval method changed)
    for (const name of names) {
      try {
        const metadata = await recalibrateModel({ modelsDir, symbol, name, bars: allBars });
        process.stderr.write(
          `[${name}] recalibrated ${metadata.id} (${metadata.calibration.samples} scores per horizon)\n`,
        );
      } catch (error) {
        exitWithError(`${name}: ${(error as Error).message}`);
      }
    }
    return;
  }
  const bars = until ? allBars.filter((b) => b.day <= until) : allBars;
  if (bars.length === 0) exitWithError(`no data on or before ${until}`);
  const last = bars[bars.length - 1];
  process.stderr.write(
    `training ${names.join(', ')} for ${symbol} on ${bars.length} days ${bars[0]?.day} → ${last?.day}, writing to ${modelsDir}\n`,
  );
  for (const name of names) {
    const started = performance.now();
    process.stderr.write(`[${name}] training…\n`);
    try {
      const metadata = await trainModel({
        name,
        symbol,
        bars,
        modelsDir,
        ...(seed !== undefined ? { seed } : {}),
        ...(epochs !== undefined ? { rnn: { maxEpochs: epochs } } : {}),
        onEpoch: (e) =>
          process.stderr.write(
            `[${name}] epoch ${e.epoch}: loss ${e.loss.toFixed(4)}  val_loss ${e.valLoss.toFixed(4)}  ${e.seconds.toFixed(1)}s${e.improved ? '  *best' : ''}\n`,
          ),
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stderr.write(
        `[${name}] wrote ${path.join(modelsDir, metadata.id)} (version ${metadata.version}) in ${seconds}s\n`,
      );
    } catch (error) {
      exitWithError(`${name}: ${(error as Error).message}`);
    }
  }
}

function safeModelsDir(): string {
  try {
    return findModelsDir();
  } catch {
    exitWithError('no models/ folder found above the forecast package; pass --out <dir>');
  }
}

await main();
