import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type BacktestModel, type BacktestReport, backtest } from '../backtest/run-backtest.ts';
import { ForecastError } from '../errors.ts';
import {
  ACI_SCHEDULES,
  type AciSchedule,
  BAND_SHAPES,
  type BandShape,
  type CalibratorOptions,
  type RegimeBins,
} from '../intervals/conformal.ts';
import { createNeuralModel } from '../models/neural.ts';
import type { PointModel } from '../models/point-model.ts';
import { readRnnArtifacts } from '../neural/rnn-artifacts.ts';
import { DEFAULT_RNN_HYPERPARAMETERS, type RnnHyperparameters, trainRnn } from '../neural/train-rnn.ts';
import { findModelsDir } from '../registry/find-models-dir.ts';
import { type LoadedModel, loadModels } from '../registry/load-registry.ts';
import type { ModelMetadata } from '../registry/metadata.ts';
import {
  fail,
  parsePositiveInt,
  progress,
  progressDone,
  readBars,
  requireDay,
  resolveUserPath,
} from './cli-support.ts';
import { formatBacktestTables } from './format-table.ts';

const USAGE =
  'usage: pnpm backtest --csv <file> --symbol ETH-USD --from YYYY-MM-DD --to YYYY-MM-DD [--models a,b] [--horizons 1,7,30] [--json] [--models-dir <dir>] [--retrain-every K] [--record-to <models dir>] [--calibration-window <origins|all>] [--aci-schedule constant|inverse-h|inverse-sqrt-h] [--bands monotone|per-horizon] [--regimes <edge,edge,…>[:minScores]]';

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        csv: { type: 'string' },
        symbol: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        models: { type: 'string' },
        horizons: { type: 'string' },
        json: { type: 'boolean' },
        'models-dir': { type: 'string' },
        'retrain-every': { type: 'string' },
        'record-to': { type: 'string' },
        'calibration-window': { type: 'string' },
        'aci-schedule': { type: 'string' },
        bands: { type: 'string' },
        regimes: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const symbol = values.symbol as string | undefined;
  const csv = values.csv as string | undefined;
  if (!symbol || !csv) fail(`--csv and --symbol are required\n${USAGE}`);
  const from = requireDay(values.from as string | undefined, 'from');
  const to = requireDay(values.to as string | undefined, 'to');
  const horizons = ((values.horizons as string | undefined) ?? '1,7,30').split(',').map((h) => {
    const n = Number(h);
    if (!Number.isInteger(n) || n < 1) fail(`--horizons must be positive whole numbers, got '${h}'`);
    return n;
  });
  const retrainEvery = parsePositiveInt(values['retrain-every'] as string | undefined, 'retrain-every');
  const calibrationWindow = parseCalibrationWindow(values['calibration-window'] as string | undefined);
  const gammaSchedule = parseAciSchedule(values['aci-schedule'] as string | undefined);
  const bands = parseBands(values.bands as string | undefined);
  const regimes = parseRegimes(values.regimes as string | undefined);
  const calibration: CalibratorOptions | undefined =
    bands !== undefined || regimes !== undefined
      ? { ...(bands !== undefined ? { bands } : {}), ...(regimes !== undefined ? { regimes } : {}) }
      : undefined;
  if (
    (calibrationWindow !== undefined || gammaSchedule !== undefined || calibration !== undefined) &&
    values['record-to']
  ) {
    fail(
      '--record-to records the shipped method only; drop --calibration-window, --aci-schedule, --bands and --regimes',
    );
  }
  let modelsDir: string;
  try {
    modelsDir = values['models-dir'] ? resolveUserPath(values['models-dir'] as string) : findModelsDir();
  } catch {
    fail('no models/ folder found; pass --models-dir <dir>');
  }

  const bars = readBars(csv);
  let loaded: LoadedModel[];
  try {
    loaded = await loadModels(modelsDir, { symbol });
  } catch (error) {
    fail((error as Error).message);
  }
  const requested = values.models ? (values.models as string).split(',') : null;
  const chosen = requested
    ? requested.map((name) => {
        const found = loaded.find((m) => m.info.name === name);
        if (!found)
          fail(
            `unknown model '${name}' for ${symbol}; available: ${loaded.map((m) => m.info.name).join(', ')}`,
          );
        return found;
      })
    : loaded;
  // persistence is always in the comparison
  if (!chosen.some((m) => m.info.name === 'naive')) {
    const naive = loaded.find((m) => m.info.name === 'naive');
    if (naive) chosen.unshift(naive);
  }

  const models: BacktestModel[] = chosen.map((m) => ({
    name: m.info.name,
    id: m.info.id,
    version: m.info.version,
    trainedThrough: m.info.trainedThrough,
    learnsFromTraining: m.info.kind === 'neural' || m.info.kind === 'ensemble',
    model: m.model,
    ...(m.metadata?.kind === 'neural' && m.metadata ? { refit: neuralRefit(m.metadata) } : {}),
  }));

  for (const m of models) {
    if (m.learnsFromTraining && m.trainedThrough && m.trainedThrough >= from && !(retrainEvery && m.refit)) {
      process.stderr.write(
        `warning: ${m.name} was trained through ${m.trainedThrough}, inside the scored range — its scores are in-sample\n`,
      );
    }
  }

  let report: BacktestReport;
  const started = performance.now();
  try {
    report = await backtest({
      bars,
      from,
      to,
      horizons,
      models,
      ...(retrainEvery ? { retrainEvery } : {}),
      ...(calibrationWindow !== undefined ? { calibrationWindow } : {}),
      ...(gammaSchedule !== undefined ? { gammaSchedule } : {}),
      ...(calibration !== undefined ? { calibration } : {}),
      onProgress: (name, done, total) => {
        if (done % 25 === 0 || done === total) progress(`backtest ${name}: ${done}/${total} origins`);
      },
    });
  } catch (error) {
    progressDone();
    fail((error as Error).message);
  }
  progressDone();
  const seconds = (performance.now() - started) / 1000;

  if (values['record-to'])
    await recordResults(resolveUserPath(values['record-to'] as string), symbol, report, commandLine());

  if (values.json) {
    const doc = {
      symbol,
      from: report.from,
      to: report.to,
      horizons: report.horizons,
      defaultModel: report.defaultModel,
      seconds,
      models: Object.fromEntries(
        report.models.map((m) => [
          m.name,
          {
            id: m.id,
            version: m.version,
            trainedThrough: m.trainedThrough,
            inSample: m.inSample,
            retrainedEvery: m.retrainedEvery,
            score: m.score,
            origins: m.origins,
            metrics: m.metrics,
          },
        ]),
      ),
    };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    process.stdout.write(`${formatBacktestTables(report, symbol)}\n`);
    process.stderr.write(`backtest took ${seconds.toFixed(1)}s\n`);
  }
}

/** Scores kept per horizon, for comparing with the rolling-window method; default (all) is what ships. */
function parseCalibrationWindow(value: string | undefined): number | undefined {
  if (value === undefined || value === 'all') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 20) {
    fail(`--calibration-window must be 'all' or a whole number of origins ≥ 20, got '${value}'`);
  }
  return n;
}

/** ACI step per horizon, for comparing variants; default (DEFAULT_ACI_SCHEDULE) is what ships. */
function parseAciSchedule(value: string | undefined): AciSchedule | undefined {
  if (value === undefined) return undefined;
  if (!(ACI_SCHEDULES as readonly string[]).includes(value)) {
    fail(`--aci-schedule must be one of ${ACI_SCHEDULES.join(', ')}, got '${value}'`);
  }
  return value as AciSchedule;
}

/** Band shape across horizons, for comparing with independent per-horizon bands; default is what ships. */
function parseBands(value: string | undefined): BandShape | undefined {
  if (value === undefined) return undefined;
  if (!(BAND_SHAPES as readonly string[]).includes(value)) {
    fail(`--bands must be one of ${BAND_SHAPES.join(', ')}, got '${value}'`);
  }
  return value as BandShape;
}

/**
 * Regime-conditional calibration (an experiment, not shipped): ascending volatility-ratio edges, optionally
 * followed by ':' and the minimum number of scores a bin needs before it is used (default 250).
 */
function parseRegimes(value: string | undefined): RegimeBins | undefined {
  if (value === undefined) return undefined;
  const [list = '', min] = value.split(':');
  const edges = list.split(',').map(Number);
  const minScores = min === undefined ? 250 : Number(min);
  const ascending = edges.every(
    (e, i) => Number.isFinite(e) && e > 0 && (i === 0 || e > (edges[i - 1] as number)),
  );
  if (!list || !ascending || !Number.isInteger(minScores) || minScores < 1) {
    fail(`--regimes must be ascending positive edges like 0.5,2 with an optional :minScores, got '${value}'`);
  }
  return { edges, minScores };
}

function commandLine(): string {
  return `pnpm backtest ${process.argv.slice(2).join(' ')}`;
}

/** Retraining for --retrain-every: same recipe as the loaded model, on data through the origin. */
function neuralRefit(metadata: ModelMetadata): (closes: Float64Array) => Promise<PointModel> {
  const hp: RnnHyperparameters = {
    ...DEFAULT_RNN_HYPERPARAMETERS,
    ...(metadata.hyperparameters as Partial<RnnHyperparameters>),
    cell: metadata.name === 'gru' ? 'gru' : 'lstm',
  };
  return async (closes) => {
    const trained = await trainRnn(closes, hp);
    // go through the same file format as shipped models, so a refit runs exactly what would be served
    const dir = await mkdtemp(path.join(tmpdir(), 'ethcast-refit-'));
    try {
      await writeFile(path.join(dir, 'model.json'), JSON.stringify(trained.modelJson));
      await writeFile(path.join(dir, 'weights.bin'), trained.weightsBin);
      return createNeuralModel({
        name: hp.cell,
        window: hp.window,
        maxHorizon: hp.maxHorizon,
        scaling: trained.scaling,
        network: await readRnnArtifacts(dir, hp.cell),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}

/**
 * Writes the out-of-sample metrics into the shipped models' metadata (same symbol and model name) and marks
 * the best one as the symbol's default. The shipped models are retrained on all data; the metrics describe
 * their recipe as measured on days the measured models never saw.
 */
async function recordResults(
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

await main();
