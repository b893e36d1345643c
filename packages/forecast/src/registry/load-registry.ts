import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { compareSymbols } from '../data/symbol-order.ts';
import { validateHistory } from '../data/validate-history.ts';
import { ForecastError } from '../errors.ts';
import type { CalibrationJson } from '../intervals/calibration-types.ts';
import { servedCalibration } from '../intervals/live-calibration.ts';
import { createDriftModel } from '../models/drift.ts';
import { createNaiveModel } from '../models/naive.ts';
import { DEFAULT_MAX_HORIZON, MODEL_NAMES, type PointModel } from '../models/point-model.ts';
import type { DailyBar, ForecastPoint, ModelInfo } from '../types.ts';
import { buildPointModel } from './build-model.ts';
import { ForecastCache } from './forecast-cache.ts';
import { forecastPoints } from './forecast-points.ts';
import { type ModelMetadata, modelId, validateMetadata } from './metadata.ts';

/** Symbols that always get the naive and drift baselines, even with no shipped folder. */
const BASELINE_SYMBOLS = ['ETH-USD', 'BTC-USD'];

export interface ModelRegistry {
  list(symbol?: string): ModelInfo[];
  get(symbol: string, name: string): ModelInfo;
  defaultModel(symbol: string): ModelInfo;
  forecast(args: {
    symbol: string;
    model?: string;
    history: DailyBar[];
    horizon: number;
    /** the interval calibration to use instead of the shipped one (live recalibration) */
    calibration?: CalibrationJson | null;
  }): Promise<{ model: ModelInfo; dataThrough: string; points: ForecastPoint[] }>;
  /** the shipped interval calibration of a model (null for built-in baselines: Gaussian bands) */
  shippedCalibration(symbol: string, name: string): CalibrationJson | null;
}

export interface LoadedModel {
  info: ModelInfo;
  metadata: ModelMetadata | null;
  model: PointModel;
  calibration: CalibrationJson | null;
  dir: string | null;
}

const caches = new WeakMap<PointModel, ForecastCache>();

function cacheFor(model: PointModel): ForecastCache {
  let cache = caches.get(model);
  if (!cache) {
    cache = new ForecastCache(model);
    caches.set(model, cache);
  }
  return cache;
}

function toInfo(metadata: ModelMetadata): ModelInfo {
  return {
    id: metadata.id,
    name: metadata.name,
    kind: metadata.kind,
    symbol: metadata.symbol,
    window: metadata.window,
    maxHorizon: metadata.maxHorizon,
    minHistory: metadata.minHistory,
    version: metadata.version,
    trainedFrom: metadata.training.from,
    trainedThrough: metadata.training.through,
    metrics: metadata.backtest?.metrics ?? null,
    backtest: metadata.backtest
      ? {
          from: metadata.backtest.from,
          to: metadata.backtest.to,
          modelsTrainedThrough: metadata.backtest.modelsTrainedThrough,
        }
      : null,
    isDefault: metadata.isDefault,
  };
}

function builtInBaseline(symbol: string, model: PointModel): LoadedModel {
  return {
    info: {
      id: modelId(symbol, model.name),
      name: model.name,
      kind: model.kind,
      symbol,
      window: model.window,
      maxHorizon: model.maxHorizon,
      minHistory: model.minHistory,
      version: 'builtin',
      trainedFrom: null,
      trainedThrough: null,
      metrics: null,
      backtest: null,
      isDefault: false,
    },
    metadata: null,
    model,
    calibration: null,
    dir: null,
  };
}

/** Reads and builds every models/<id>/ folder. Exposed for the CLIs, which need the runnable models. */
export async function loadModels(
  modelsDir: string,
  options: { symbol?: string; names?: readonly string[] } = {},
): Promise<LoadedModel[]> {
  if (!existsSync(modelsDir)) {
    throw new ForecastError('CORRUPT_MODEL', `models folder ${modelsDir} does not exist`, { dir: modelsDir });
  }
  // folder ids start with the lower-cased symbol; filtering by it lets one symbol's models be (re)trained
  // while another symbol's folder is being rewritten
  const prefix = options.symbol ? `${options.symbol.toLowerCase()}-` : '';
  const entries = (await readdir(modelsDir, { withFileTypes: true })).filter(
    (e) =>
      e.isDirectory() &&
      e.name.startsWith(prefix) &&
      !e.name.endsWith('.partial') &&
      (!options.names || options.names.some((n) => e.name.endsWith(`-${n}`))),
  );
  const metadatas: { metadata: ModelMetadata; dir: string }[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const dir = path.join(modelsDir, entry.name);
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(path.join(dir, 'metadata.json'), 'utf8'));
    } catch (error) {
      throw new ForecastError(
        'CORRUPT_MODEL',
        `model ${entry.name}: cannot read metadata.json (${(error as Error).message})`,
        { dir },
      );
    }
    const metadata = validateMetadata(raw, dir);
    if (metadata.id !== entry.name) {
      throw new ForecastError(
        'CORRUPT_MODEL',
        `model folder ${entry.name} holds metadata for '${metadata.id}'`,
        { dir },
      );
    }
    metadatas.push({ metadata, dir });
  }
  return buildLoadedModels(
    metadatas,
    options.symbol
      ? [options.symbol]
      : [...BASELINE_SYMBOLS, ...metadatas.map(({ metadata }) => metadata.symbol)],
  );
}

/** Builds the validated metadatas (ensembles after their members) and adds the built-in baselines. */
export async function buildLoadedModels(
  metadatas: { metadata: ModelMetadata; dir: string | null }[],
  baselineSymbols: readonly string[],
): Promise<LoadedModel[]> {
  // Ensembles last, so their members exist when they are built.
  const order = (m: ModelMetadata) => MODEL_NAMES.indexOf(m.name);
  const sorted = [...metadatas].sort((a, b) => order(a.metadata) - order(b.metadata));
  const loaded: LoadedModel[] = [];
  for (const { metadata, dir } of sorted) {
    const model = await buildPointModel(metadata, dir, (name) => {
      return loaded.find((l) => l.info.symbol === metadata.symbol && l.info.name === name)?.model;
    });
    loaded.push({ info: toInfo(metadata), metadata, model, calibration: metadata.calibration, dir });
  }
  for (const symbol of new Set(baselineSymbols)) {
    for (const baseline of [createNaiveModel(DEFAULT_MAX_HORIZON), createDriftModel()]) {
      if (!loaded.some((l) => l.info.symbol === symbol && l.info.name === baseline.name)) {
        loaded.push(builtInBaseline(symbol, baseline));
      }
    }
  }
  return loaded;
}

const cache = new Map<string, Promise<ModelRegistry>>();

/** Loads and validates every model once per process (cached per folder). */
export function loadRegistry(modelsDir: string): Promise<ModelRegistry> {
  const key = path.resolve(modelsDir);
  let registry = cache.get(key);
  if (!registry) {
    registry = loadModels(key).then(createRegistry);
    // a failed load should not poison the cache: let the caller retry after fixing the folder
    registry.catch(() => cache.delete(key));
    cache.set(key, registry);
  }
  return registry;
}

export function createRegistry(loadedModels: LoadedModel[]): ModelRegistry {
  // list() is what screens and CLIs show: ETH-USD first, each symbol's models in load order
  const models = [...loadedModels].sort((a, b) => compareSymbols(a.info.symbol, b.info.symbol));
  const find = (symbol: string, name: string): LoadedModel => {
    const found = models.find((m) => m.info.symbol === symbol && m.info.name === name);
    if (!found) {
      const known = models.filter((m) => m.info.symbol === symbol).map((m) => m.info.name);
      throw new ForecastError(
        'UNKNOWN_MODEL',
        known.length
          ? `unknown model '${name}' for ${symbol}; available: ${known.join(', ')}`
          : `no models for symbol '${symbol}'`,
        { symbol, model: name, available: known },
      );
    }
    return found;
  };

  const defaultOf = (symbol: string): LoadedModel => {
    const candidates = models.filter((m) => m.info.symbol === symbol);
    if (candidates.length === 0)
      throw new ForecastError('UNKNOWN_MODEL', `no models for symbol '${symbol}'`, { symbol });
    const flagged = candidates.find((m) => m.info.isDefault);
    if (flagged) return flagged;
    // no recorded backtest: persistence is the honest choice
    return find(symbol, 'naive');
  };

  return {
    list: (symbol) => models.filter((m) => !symbol || m.info.symbol === symbol).map((m) => ({ ...m.info })),
    get: (symbol, name) => ({ ...find(symbol, name).info }),
    defaultModel: (symbol) => ({ ...defaultOf(symbol).info }),
    shippedCalibration: (symbol, name) => find(symbol, name).calibration,
    async forecast({ symbol, model: name, history, horizon, calibration }) {
      const loaded = name ? find(symbol, name) : defaultOf(symbol);
      const { info } = loaded;
      if (!Number.isInteger(horizon) || horizon < 1 || horizon > info.maxHorizon) {
        throw new ForecastError(
          'HORIZON_TOO_LONG',
          `horizon must be a whole number of days from 1 to ${info.maxHorizon} for ${info.name}, got ${horizon}`,
          { horizon, maxHorizon: info.maxHorizon },
        );
      }
      const closes = validateHistory(history);
      if (closes.length < info.minHistory) {
        throw new ForecastError(
          'HISTORY_TOO_SHORT',
          `${info.name} needs ${info.minHistory} days of history, got ${closes.length}`,
          { required: info.minHistory, got: closes.length },
        );
      }
      const dataThrough = (history[history.length - 1] as DailyBar).day;
      const points = forecastPoints(
        loaded.model,
        calibration
          ? servedCalibration(loaded.calibration, calibration, info.maxHorizon)
          : loaded.calibration,
        closes,
        dataThrough,
        horizon,
        cacheFor(loaded.model),
      );
      return { model: { ...info }, dataThrough, points };
    },
  };
}
